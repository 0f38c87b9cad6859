using System.Text.Json.Serialization;
using ProofAgent.Provers;

namespace ProofAgent.Agent;

/// <summary>The stages of the loop, in the order they run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProofStage>))]
public enum ProofStage
{
    /// <summary>Sample whole proofs from the model and check each one.</summary>
    WholeProof,

    /// <summary>Turn failed candidates into sketches whose failing steps are holes, and refine the holes.</summary>
    Sketch,

    /// <summary>Best-first search over automation (and model) tactics from the statement itself.</summary>
    Refinement,

    /// <summary>Whole-proof candidates built from the language's tactic portfolio (languages without a session).</summary>
    Portfolio,

    /// <summary>The assembled file, re-checked in a fresh process against the original statement.</summary>
    FinalCheck,
}

/// <summary>
/// Limits for one proof request. Every limit is enforced: the loop stops at the first one reached and reports it.
/// </summary>
public sealed record ProofBudget
{
    public static ProofBudget Default { get; } = new();

    /// <summary>Total wall-clock time for the request, final check included.</summary>
    public TimeSpan WallClock { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Whole proofs sampled from the model (0: no whole-proof stage).</summary>
    public int Samples { get; init; } = 4;

    /// <summary>Prover calls (whole-file checks plus interactive steps) before the loop gives up.</summary>
    public int MaxProverCalls { get; init; } = 2_000;

    /// <summary>Limit for one tactic in the search (passed to Coq as <c>timeout</c>).</summary>
    public TimeSpan TacticTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Limit for one whole-file check.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public ProofBudget WithWallClock(TimeSpan wallClock) => this with { WallClock = wallClock };

    public ProofBudget WithSamples(int samples) => this with { Samples = samples };

    public ProofBudget WithMaxProverCalls(int calls) => this with { MaxProverCalls = calls };

    public ProofBudget WithTacticTimeout(TimeSpan timeout) => this with { TacticTimeout = timeout };

    public ProofBudget WithCheckTimeout(TimeSpan timeout) => this with { CheckTimeout = timeout };
}

/// <summary>
/// What to prove: a source file whose theorem(s) have a hole for a proof (<c>Admitted</c>, <c>sorry</c>, <c>oops</c>, an
/// empty <c>Proof.</c>). The statement the final proof must establish is this file itself, unless
/// <see cref="ExpectedStatement"/> says otherwise.
/// </summary>
public sealed record ProofRequest(ProofLanguage Language, string Source)
{
    /// <summary>A name for reports and for the prover's file name.</summary>
    public string FileName { get; init; } = "Problem" + Language.Extensions()[0];

    /// <summary>The statement file the proof is checked against (default: <see cref="Source"/>).</summary>
    public string? ExpectedStatement { get; init; }

    public ProofBudget Budget { get; init; } = ProofBudget.Default;

    /// <summary>Informal hints (an informal proof) for the prompts; never set when measuring benchmark pass rates.</summary>
    public string? InformalHint { get; init; }

    /// <summary>Seed for sampling, so that runs are reproducible.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Run the automation stages (portfolio, search). Off only to measure the model alone.</summary>
    public bool UseAutomation { get; init; } = true;

    public ProofRequest WithBudget(ProofBudget budget) => this with { Budget = budget };

    public ProofRequest WithFileName(string fileName) => this with { FileName = fileName };

    public ProofRequest WithExpectedStatement(string? statement) => this with { ExpectedStatement = statement };
}

/// <summary>
/// One step of a proof attempt, for the CLI's trace and the service's event stream (SSE). Closed: switch on the type.
/// <see cref="AtMs"/> is the time since the request started.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(StageStarted), "stageStarted")]
[JsonDerivedType(typeof(CandidateChecked), "candidateChecked")]
[JsonDerivedType(typeof(TacticApplied), "tacticApplied")]
[JsonDerivedType(typeof(GoalRefuted), "goalRefuted")]
[JsonDerivedType(typeof(StageFinished), "stageFinished")]
[JsonDerivedType(typeof(Note), "note")]
public abstract record ProofEvent(long AtMs)
{
    /// <summary>A stage begins.</summary>
    public sealed record StageStarted(long AtMs, ProofStage Stage, string Theorem) : ProofEvent(AtMs);

    /// <summary>A whole file was checked by the prover (a model sample, a portfolio candidate, the final proof).</summary>
    public sealed record CandidateChecked(long AtMs, ProofStage Stage, string Theorem, string Candidate, string Verdict, string? Reason, long ElapsedMs)
        : ProofEvent(AtMs);

    /// <summary>A tactic changed the proof state in the search (a goal closed, or the goal was transformed).</summary>
    public sealed record TacticApplied(long AtMs, ProofStage Stage, string Theorem, string Tactic, int GoalsBefore, int GoalsAfter, long ElapsedMs)
        : ProofEvent(AtMs);

    /// <summary>The goal oracle found values that make a goal false: the branch (or the whole theorem) is pruned.</summary>
    public sealed record GoalRefuted(long AtMs, ProofStage Stage, string Theorem, string Goal, IReadOnlyDictionary<string, string> Model, string Solver)
        : ProofEvent(AtMs);

    /// <summary>A stage ends.</summary>
    public sealed record StageFinished(long AtMs, ProofStage Stage, string Theorem, bool Succeeded, int ProverCalls, long ElapsedMs) : ProofEvent(AtMs);

    /// <summary>Anything else worth a line in the trace (budget exhausted, model unavailable, ...).</summary>
    public sealed record Note(long AtMs, string Message) : ProofEvent(AtMs);
}

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

    /// <summary>A counterexample to the statement, when the oracle refuted it.</summary>
    public string? Counterexample => Theorems.Select(t => t.Counterexample).FirstOrDefault(c => c is not null);
}
