namespace ProofAgent.Provers;

/// <summary>Which prover answered. Goes into every result and every cache key: an upgrade must not reuse old verdicts.</summary>
public sealed record ProverIdentity(string Name, string Version, string? ToolchainHash = null)
{
    public static ProverIdentity Unknown(string name) => new(name, "unknown");

    public override string ToString() => $"{Name} {Version}";
}

/// <summary>What a check cost, measured by the service rather than reported by the prover.</summary>
public sealed record ResourceUsage(TimeSpan Elapsed, long? PeakRssBytes = null, int ProcessRuns = 0)
{
    public static ResourceUsage None { get; } = new(TimeSpan.Zero);
}

/// <summary>
/// The verdict for one theorem of a checked file, with the axioms its proof depends on and, where the checker reads it,
/// <paramref name="Statement"/>: what the kernel holds as proved, printed by the prover outside the file (so without the
/// file's notations, and with section variables discharged). It is what was proved, whatever the text appears to say.
/// </summary>
public sealed record TheoremReport(string Name, Verdict Verdict, IReadOnlyList<string> Axioms, string? Statement = null)
{
    /// <summary>The checkers that accepted this theorem (<c>coqc</c>, <c>coqchk</c>, ...); empty when none did.</summary>
    public IReadOnlyList<string> CheckedBy { get; init; } = [];
}

/// <summary>The answer to one whole-artifact check.</summary>
public sealed record CheckResult(
    Verdict Verdict,
    IReadOnlyList<TheoremReport> Theorems,
    IReadOnlyList<Diagnostic> Diagnostics,
    ProverIdentity Prover,
    ResourceUsage Usage)
{
    /// <summary>For SMT-LIB scripts: one answer per <c>(check-sat)</c>, in order (<c>sat</c>, <c>unsat</c>, <c>unknown</c>, ...).</summary>
    public IReadOnlyList<string>? SmtResults { get; init; }

    /// <summary>A counterexample or model, when the prover produced one.</summary>
    public string? Counterexample { get; init; }

    /// <summary>
    /// The independent checkers whose agreement the verdict rests on (<c>coqc</c> and <c>coqchk</c>; <c>z3</c> and
    /// <c>cvc5</c>), in order; empty when the verdict is not <c>proved</c> or the language has a single checker.
    /// </summary>
    public IReadOnlyList<string> CheckedBy { get; init; } = [];

    public static CheckResult FromVerdict(Verdict verdict, ProverIdentity prover, TimeSpan elapsed, params Diagnostic[] diagnostics) =>
        new(verdict, [], diagnostics, prover, new ResourceUsage(elapsed));
}
