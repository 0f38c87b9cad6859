namespace ProofAgent.Provers.Coq;

/// <summary>How Coq is run and what the soundness gate accepts. Immutable; derive variants with <c>with</c> or the builders.</summary>
public sealed record CoqOptions
{
    public static CoqOptions Default { get; } = new();

    /// <summary>The compiler (a name on PATH, or a path).</summary>
    public string Coqc { get; init; } = "coqc";

    /// <summary>Coq's independent checker, which re-checks every compiled candidate (<c>PROOFAGENT_COQCHK</c>).</summary>
    public string Coqchk { get; init; } = "coqchk";

    /// <summary>The XML-protocol toplevel used for interactive sessions.</summary>
    public string CoqIdeTop { get; init; } = "coqidetop.opt";

    /// <summary>Extra arguments for every coqc run (for example <c>-R dir Lib</c> for a user library).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>
    /// Axioms a proof may depend on, fully qualified. The default is the standard library's classical axioms, which the
    /// real numbers of the standard library (and Coquelicot) need, plus the usual consistent extensionality axioms.
    /// </summary>
    public IReadOnlyList<string> AllowedAxioms { get; init; } =
    [
        "Coq.Logic.Classical_Prop.classic",
        "Coq.Logic.ClassicalEpsilon.constructive_indefinite_description",
        "Coq.Logic.Eqdep.Eq_rect_eq.eq_rect_eq",
        "Coq.Logic.FunctionalExtensionality.functional_extensionality_dep",
        "Coq.Logic.JMeq.JMeq_eq",
        "Coq.Logic.ProofIrrelevance.proof_irrelevance",
        "Coq.Logic.PropExtensionality.propositional_extensionality",
        "Coq.Reals.ClassicalDedekindReals.sig_forall_dec",
        "Coq.Reals.ClassicalDedekindReals.sig_not_dec",
    ];

    /// <summary>
    /// Time allowed for each script of the audit (statement check, axioms, recursion walk), beyond the proof's own budget;
    /// a check with a longer budget gives its audit that budget instead.
    /// </summary>
    public TimeSpan AuditTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Run the audit in a <c>coqidetop</c> that loads the candidate's libraries while the candidate compiles (one per
    /// check, discarded after it), instead of a fresh <c>coqc</c> after compilation that loads them again. Off, or when
    /// <see cref="CoqIdeTop"/> is missing or the session is lost, the audit runs in <c>coqc</c>: same script. The session
    /// asks for messages as Pp documents and lays them out itself (<c>CoqFrameReader</c>, one streaming pass): coqidetop's own layout elides
    /// deep proof terms with <c>...</c>, which the gate would read as untrusted recursion.
    /// </summary>
    public bool WarmAudit { get; init; } = true;

    /// <summary>
    /// Where the probe of the toolchain (its version and the hash of its binaries) is kept between processes
    /// (<c>PersistentProbes</c>): a new process skips the probe while the binaries are unchanged. Null (the library's
    /// default): probed once per checker. The CLI and the service use the user's cache (<c>PROOFAGENT_CACHE_DIR</c>).
    /// </summary>
    public string? ProbeCacheFile { get; init; }

    /// <summary>Rewrite Rocq 9 <c>Stdlib</c> prefixes to Coq 8's <c>Coq</c>, so current sources check on Coq 8.16.</summary>
    public bool MapStdlibToCoq { get; init; } = true;

    /// <summary>
    /// Kernel features the operator trusts from submitters although the installed Coq has known unfixed soundness bugs in
    /// them (see <see cref="CoqKernelBugs"/>; <c>--trust-recursion</c>, <c>--trust-modules</c>). Empty by default: such uses
    /// are <c>unsound</c>. <see cref="KernelFeature.Primitives"/> is never trusted on an affected version.
    /// </summary>
    public IReadOnlySet<KernelFeature> TrustedFeatures { get; init; } = new HashSet<KernelFeature>();

    /// <summary>
    /// Run the static scan (the early reject). Only defense-in-depth tests turn it off, to show that the checks after
    /// compilation (the audit and <c>coqchk</c>) catch on their own what the scan rejects.
    /// </summary>
    public bool StaticScan { get; init; } = true;

    public CoqOptions WithTrustedFeatures(params IEnumerable<KernelFeature> features) => this with { TrustedFeatures = features.ToHashSet() };

    public CoqOptions WithAllowedAxioms(params IEnumerable<string> axioms) => this with { AllowedAxioms = [.. axioms] };

    public CoqOptions WithExtraArguments(params IEnumerable<string> arguments) => this with { ExtraArguments = [.. arguments] };
}
