namespace ProofAgent.Agent;

/// <summary>What happened in one stage, for the summary.</summary>
public sealed record StageSummary(ProofStage Stage, string Theorem, bool Succeeded, int ProverCalls, TimeSpan Elapsed, string? Detail = null);

/// <summary>The result for one theorem of the file.</summary>
public sealed record TheoremOutcome(string Name, bool Found, ProofStage? FoundBy, string? Script, string? Counterexample);

/// <summary>
/// The answer to a <see cref="ProofRequest"/>. <see cref="Verdict"/> is the final check's verdict on <see cref="Proof"/>:
/// only <see cref="Verdict.Proved"/> means the whole file was accepted by the prover's kernel with the original statement.
/// </summary>
public sealed record ProofOutcome(
    Verdict Verdict,
    string? Proof,
    IReadOnlyList<TheoremOutcome> Theorems,
    IReadOnlyList<StageSummary> Stages,
    int ProverCalls,
    int Samples,
    TimeSpan Elapsed)
{
    public bool IsProved => Verdict.IsProved;

    /// <summary>
    /// The whole-proof samples in the order drawn, each true when the prover accepted it (for pass@k). All of them
    /// when the request asked to check every sample.
    /// </summary>
    public IReadOnlyList<bool> SampleResults { get; init; } = [];

    /// <summary>A counterexample to the statement, when the oracle refuted it.</summary>
    public string? Counterexample => Theorems.Select(t => t.Counterexample).FirstOrDefault(c => c is not null);
}
