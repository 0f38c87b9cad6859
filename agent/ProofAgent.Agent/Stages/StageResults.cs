using ProofAgent.Agent.Documents;

namespace ProofAgent.Agent.Stages;

/// <summary>A model proof the prover rejected: what was checked, and what the prover said (for a repair or a sketch).</summary>
public sealed record FailedCandidate(string Proof, Candidate Candidate, CheckResult Result);

/// <summary>
/// What a generating stage (whole proof, repair, portfolio) found for one target: the accepted script (fills the hole),
/// or an accepted complete file (stands for the whole file), and the candidates the prover rejected.
/// </summary>
public sealed record GenerationResult(string? AcceptedScript, string? AcceptedFile, IReadOnlyList<FailedCandidate> Failures)
{
    public static GenerationResult None { get; } = new(null, null, []);

    public bool Succeeded => AcceptedScript is not null || AcceptedFile is not null;
}

/// <summary>What a session stage (sketch, refinement) found: the script that closes the target, or a refutation.</summary>
public sealed record SessionResult(string? Script, GoalVerdict.Counterexample? Counterexample = null)
{
    public static SessionResult None { get; } = new((string?)null);

    public bool Succeeded => Script is not null;
}
