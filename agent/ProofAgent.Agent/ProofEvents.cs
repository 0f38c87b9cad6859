using System.Text.Json.Serialization;

namespace ProofAgent.Agent;

/// <summary>The stages of the loop, in the order they run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProofStage>))]
public enum ProofStage
{
    /// <summary>Sample whole proofs from the model and check each one.</summary>
    WholeProof,

    /// <summary>Failed whole proofs go back to the model with the prover's first errors.</summary>
    Repair,

    /// <summary>Turn failed candidates into sketches whose failing steps are holes, and refine the holes.</summary>
    Sketch,

    /// <summary>Best-first search over automation (and model) tactics from the statement itself.</summary>
    Refinement,

    /// <summary>Whole-proof candidates built from the language's tactic portfolio (languages without a session).</summary>
    Portfolio,

    /// <summary>The assembled file, re-checked in a fresh process against the original statement.</summary>
    FinalCheck,

    /// <summary>Agent mode: the model drives, calling the provers as tools.</summary>
    Agent,
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
[JsonDerivedType(typeof(ToolCalled), "toolCalled")]
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

    /// <summary>Agent mode: the model called a tool; <see cref="Result"/> is what the tool answered (shortened).</summary>
    public sealed record ToolCalled(long AtMs, string Tool, IReadOnlyDictionary<string, string> Arguments, string Result, long ElapsedMs) : ProofEvent(AtMs);

    /// <summary>Anything else worth a line in the trace (budget exhausted, model unavailable, ...).</summary>
    public sealed record Note(long AtMs, string Message) : ProofEvent(AtMs);
}
