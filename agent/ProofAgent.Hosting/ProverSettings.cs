using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Smt;

namespace ProofAgent.Hosting;

/// <summary>
/// Which executables and options each prover uses. Defaults find the tools on PATH; environment variables
/// (<c>PROOFAGENT_COQC</c>, <c>PROOFAGENT_Z3</c>, ...) override them, as documented in README.md.
/// </summary>
public sealed record ProverSettings(CoqOptions Coq, SmtOptions Smt)
{
    public static ProverSettings Default { get; } = new(CoqOptions.Default, SmtOptions.Default);

    /// <summary>How every prover process is confined (docs/SECURITY.md); <c>PROOFAGENT_SANDBOX*</c> variables override it.</summary>
    public ProofAgent.Provers.Processes.Sandbox.SandboxPolicy Sandbox { get; init; } = ProofAgent.Provers.Processes.Sandbox.SandboxPolicy.Default;

    /// <summary>Isabelle: the <c>isabelle</c> launcher (<c>PROOFAGENT_ISABELLE</c>) and logic session.</summary>
    public ProofAgent.Provers.Isabelle.IsabelleOptions Isabelle { get; init; } = ProofAgent.Provers.Isabelle.IsabelleOptions.Default;

    /// <summary>F*: the <c>fstar.exe</c> executable (<c>PROOFAGENT_FSTAR</c>) and extra arguments.</summary>
    public ProofAgent.Provers.FStar.FStarOptions FStar { get; init; } = ProofAgent.Provers.FStar.FStarOptions.Default;

    /// <summary>Lean 4: <c>lean</c>/<c>lake</c>/REPL and the Lake project (<c>PROOFAGENT_LEAN*</c>, see provers/ProofAgent.Provers.Lean/README.md).</summary>
    public ProofAgent.Provers.Lean.LeanOptions Lean { get; init; } = ProofAgent.Provers.Lean.LeanOptions.Default;

    public static ProverSettings FromEnvironment()
    {
        static string Env(string name, string fallback) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

        var coq = CoqOptions.Default with
        {
            Coqc = Env("PROOFAGENT_COQC", CoqOptions.Default.Coqc),
            Coqchk = Env("PROOFAGENT_COQCHK", CoqOptions.Default.Coqchk),
            TrustedFeatures = TrustedFromEnvironment(Env("PROOFAGENT_TRUST", string.Empty)),
            CoqIdeTop = Env("PROOFAGENT_COQIDETOP", CoqOptions.Default.CoqIdeTop),
            ProbeCacheFile = ProofAgent.Provers.Processes.PersistentProbes.DefaultFile(),
        };
        var smt = SmtOptions.Default with
        {
            Z3 = Env("PROOFAGENT_Z3", SmtOptions.Default.Z3),
            Cvc5 = Env("PROOFAGENT_CVC5", SmtOptions.Default.Cvc5),
            Solver = Env("PROOFAGENT_SMT_SOLVER", SmtOptions.Default.Solver),
        };
        return new ProverSettings(coq, smt)
        {
            Sandbox = ProofAgent.Provers.Processes.Sandbox.SandboxPolicy.FromEnvironment(),
            Isabelle = ProofAgent.Provers.Isabelle.IsabelleOptions.Default.WithExecutable(Env("PROOFAGENT_ISABELLE", ProofAgent.Provers.Isabelle.IsabelleOptions.Default.Isabelle)),
            FStar = ProofAgent.Provers.FStar.FStarOptions.Default.WithExecutable(Env("PROOFAGENT_FSTAR", ProofAgent.Provers.FStar.FStarOptions.Default.FStar)),
            Lean = ProofAgent.Provers.Lean.LeanOptions.FromEnvironment(),
        };
    }

    /// <summary>
    /// <c>PROOFAGENT_TRUST</c>: a comma-separated list of the Coq kernel features the operator trusts from submitters
    /// despite known bugs of the installed version (<c>recursion</c>, <c>modules</c>); unknown names are an error.
    /// </summary>
    public static IReadOnlySet<KernelFeature> TrustedFromEnvironment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var features = new HashSet<KernelFeature>();
        foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            features.Add(name.ToLowerInvariant() switch
            {
                "recursion" => KernelFeature.Recursion,
                "modules" => KernelFeature.Modules,
                _ => throw new ArgumentException($"PROOFAGENT_TRUST: unknown kernel feature '{name}'; expected recursion or modules"),
            });
        }

        return features;
    }
}
