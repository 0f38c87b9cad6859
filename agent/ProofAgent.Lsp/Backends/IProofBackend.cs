using ProofAgent.Lsp.Outline;
using ProofAgent.Provers;

namespace ProofAgent.Lsp.Backends;

/// <summary>A whole file to check as it is (what <c>agent check FILE</c> does).</summary>
public sealed record FileCheck(ProofLanguage Language, string Source, string FileName, TimeSpan Timeout);

/// <summary>How hard to try: the client's settings for one proof attempt.</summary>
public sealed record ProofOptions(TimeSpan Budget, TimeSpan TacticTimeout, string? Model)
{
    public static ProofOptions Default { get; } = new(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(4), null);
}

/// <summary>Prove one theorem of a document: its proof is a hole (<see cref="TheoremSpan.HasHole"/>).</summary>
public sealed record ProofGoal(ProofLanguage Language, string Source, string FileName, TheoremSpan Theorem, ProofOptions Options);

/// <summary>A replacement of the UTF-16 range [Start, End) of the goal's source.</summary>
public sealed record TextReplacement(int Start, int End, string NewText);

/// <summary>The answer of a proof attempt. Closed: switch on the type.</summary>
public abstract record ProofAttempt
{
    private ProofAttempt()
    {
    }

    /// <summary>A proof the search found, as edits of the goal's source; it is a candidate until the edited file is checked.</summary>
    public sealed record Found(IReadOnlyList<TextReplacement> Edits, string How) : ProofAttempt;

    /// <summary>No proof: the reason, and values that falsify the statement when the oracle found some.</summary>
    public sealed record NotFound(Verdict Verdict, string? Counterexample) : ProofAttempt;
}

/// <summary>One step of a proof attempt, for the editor's progress display.</summary>
public sealed record ProofProgress(string Message, int ProverCalls);

/// <summary>What a suggested tactic does to the goals where it is run.</summary>
public enum SuggestionEffect
{
    /// <summary>No goal is left: the tactic proves the goal(s) here.</summary>
    Proved,

    /// <summary>The tactic runs; goals remain.</summary>
    Progress,

    /// <summary>The prover rejects the tactic here.</summary>
    Error,

    /// <summary>Not run (a model's proposal with nothing to run it in).</summary>
    Unchecked,
}

/// <summary>Tactics for the state after <see cref="Tactics"/> in the proof of <see cref="Statement"/>, in the context <see cref="Header"/>.</summary>
public sealed record SuggestionRequest(ProofLanguage Language, string Header, string Statement, IReadOnlyList<string> Tactics, string? Model, TimeSpan TacticTimeout);

public sealed record TacticSuggestion(string Tactic, SuggestionEffect Effect, int? GoalsAfter, string Source, string? Message);

/// <summary>The ranked suggestions (proved first, then progress by fewest goals, as <c>/v1/suggest</c> ranks) and the goals before.</summary>
public sealed record SuggestionList(int GoalsBefore, IReadOnlyList<TacticSuggestion> Suggestions)
{
    public static SuggestionList None { get; } = new(0, []);
}

/// <summary>
/// Where checks, proofs and suggestions run: in this process (<see cref="LocalBackend"/>) or in a running ProofAgent service
/// (<see cref="ServiceBackend"/>). Both answer with the same closed results, so the server does not know which it talks to.
/// </summary>
public interface IProofBackend : IAsyncDisposable
{
    /// <summary>For messages: "in process" or the service URL.</summary>
    string Description { get; }

    Task<CheckResult> CheckAsync(FileCheck check, CancellationToken cancellationToken);

    Task<ProofAttempt> ProveAsync(ProofGoal goal, IProgress<ProofProgress> progress, CancellationToken cancellationToken);

    Task<SuggestionList> SuggestAsync(SuggestionRequest request, CancellationToken cancellationToken);
}
