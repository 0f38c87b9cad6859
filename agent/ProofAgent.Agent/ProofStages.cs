using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Agent.Coq;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;

namespace ProofAgent.Agent;

/// <summary>How the agent reaches the provers: a checker per language and, where there is one, an interactive prover.</summary>
public sealed record ProverAccess(Func<ProofLanguage, IProofChecker> Checker, Func<ProofLanguage, IInteractiveProver?> Interactive);

/// <summary>
/// The stages of the loop as separate operations: the deterministic runner and the Semantic Kernel plugin call the same
/// methods. Every acceptance goes through <see cref="IProofChecker"/> with the original statement.
/// </summary>
public sealed class ProofStages(ProverAccess provers, IChatClient? chat = null, IGoalOracle? oracle = null, ILoggerFactory? loggers = null)
{
    private readonly ILogger _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<ProofStages>();

    public IChatClient? Chat => chat;

    public IGoalOracle? Oracle => oracle;

    /// <summary>Checks a whole file against the statement, counting the call and tracing it.</summary>
    public async Task<CheckResult> CheckAsync(
        ProofLanguage language,
        string candidate,
        string statement,
        string fileName,
        ProofStage stage,
        string theorem,
        string label,
        AttemptContext context,
        CancellationToken cancellationToken,
        ProofTask? explicitTask = null)
    {
        var started = context.NowMs;
        if (explicitTask is null)
        {
            context.CountProverCall();
        }

        var task = explicitTask ?? new ProofTask(language, candidate).WithFileName(fileName).WithExpectedStatement(statement).WithBudget(context.CheckBudget());
        var result = await provers.Checker(language).CheckAsync(task, cancellationToken);
        context.Emit(new ProofEvent.CandidateChecked(
            context.NowMs, stage, theorem, label, result.Verdict.Name, result.Verdict.IsProved ? null : Truncate(result.Verdict.Summary), context.NowMs - started));
        return result;
    }

    /// <summary>Whole-proof stage: samples proofs of one Coq theorem and returns the first accepted script, plus all scripts tried.</summary>
    public async Task<(string? Accepted, IReadOnlyList<IReadOnlyList<string>> Tried)> CoqWholeProofAsync(
        ProofRequest request,
        IReadOnlyList<CoqGap> gaps,
        int gapIndex,
        IReadOnlyList<string?> solved,
        AttemptContext context,
        CancellationToken cancellationToken)
    {
        var tried = new List<IReadOnlyList<string>>();
        if (chat is null || request.Budget.Samples <= 0)
        {
            return (null, tried);
        }

        var gap = gaps[gapIndex];
        var prompt = Prompts.WholeProof(ProofLanguage.Coq, request.Source[..gap.ProofEnd], gap.Name, request.InformalHint);
        IReadOnlyList<string> completions;
        try
        {
            completions = await Prompts.SampleAsync(chat, prompt, request.Budget.Samples, request.Seed, 0.8f, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogWarning(exception, "The model failed");
            context.Note($"{gap.Name}: the model failed: {exception.Message}");
            return (null, tried);
        }

        foreach (var completion in completions)
        {
            context.CountSample();
            if (context.Exhausted)
            {
                break;
            }

            var script = CoqProofFile.ExtractScript(completion);
            if (script.Count == 0 || script.Any(s => CoqSourceScan.Scan(s).Findings.Count > 0))
            {
                context.Note($"{gap.Name}: a sample was empty or used a hole; skipped");
                continue;
            }

            tried.Add(script);
            var text = string.Join("\n", script);
            var candidate = CoqProofFile.Fill(request.Source, gaps, [.. solved.Select((s, i) => i == gapIndex ? text : s)]);
            var result = await CheckAsync(ProofLanguage.Coq, candidate, request.ExpectedStatement ?? request.Source, request.FileName, ProofStage.WholeProof, gap.Name, text, context, cancellationToken);
            if (result.Verdict.IsProved || result.Theorems.Any(t => t.Name == gap.Name && t.Verdict.IsProved))
            {
                return (text, tried);
            }
        }

        return (null, tried);
    }

    /// <summary>
    /// Sketch stage: replays a failed script in a session; each failing step becomes a hole (<c>assert (P) by t</c> keeps its
    /// assertion) that the search closes; returns the repaired script when every hole closed and no goal remains.
    /// </summary>
    public async Task<string?> CoqSketchAsync(IProverSession session, CoqGap gap, IReadOnlyList<string> script, AttemptContext context, CancellationToken cancellationToken)
    {
        context.CountProverCall();
        var start = await session.StartProofAsync(gap.Statement, cancellationToken);
        if (start is not StepResult.Goals { } current)
        {
            return null;
        }

        var state = current.State;
        var goals = current.Open;
        var output = new List<string>();
        var search = new CoqTacticSearch(session, context, oracle, TacticProposer(), _logger);
        var holes = 0;
        foreach (var sentence in script)
        {
            if (context.Exhausted)
            {
                return null;
            }

            if (goals.Count == 0)
            {
                break;
            }

            context.CountProverCall();
            var step = await session.RunTacticAsync(state, sentence, cancellationToken);
            if (step is StepResult.StepError)
            {
                holes++;
                var assertion = AssertionOf(sentence);
                if (assertion is not null)
                {
                    context.CountProverCall();
                    step = await session.RunTacticAsync(state, assertion, cancellationToken);
                    if (step is not StepResult.Goals opened)
                    {
                        return null;
                    }

                    output.Add(assertion);
                    var closed = await search.CloseFirstGoalAsync(opened.State, opened.Open, gap.Name, ProofStage.Sketch, cancellationToken);
                    if (!closed.Closed || closed.State is null)
                    {
                        return null;
                    }

                    output.AddRange(closed.Script);
                    (state, goals) = await GoalsAtAsync(session, closed.State.Value, closed.Finished, context, cancellationToken);
                    continue;
                }

                var hole = await search.CloseFirstGoalAsync(state, goals, gap.Name, ProofStage.Sketch, cancellationToken);
                if (!hole.Closed || hole.State is null)
                {
                    return null;
                }

                output.AddRange(hole.Script);
                (state, goals) = await GoalsAtAsync(session, hole.State.Value, hole.Finished, context, cancellationToken);
                continue;
            }

            output.Add(sentence);
            switch (step)
            {
                case StepResult.ProofFinished finished:
                    state = finished.State;
                    goals = [];
                    break;
                case StepResult.Goals next:
                    state = next.State;
                    goals = next.Open;
                    break;
            }
        }

        while (goals.Count > 0 && !context.Exhausted)
        {
            holes++;
            var rest = await search.CloseFirstGoalAsync(state, goals, gap.Name, ProofStage.Sketch, cancellationToken);
            if (!rest.Closed || rest.State is null)
            {
                return null;
            }

            output.AddRange(rest.Script);
            (state, goals) = await GoalsAtAsync(session, rest.State.Value, rest.Finished, context, cancellationToken);
        }

        context.Note($"{gap.Name}: sketch with {holes} hole(s) completed");
        return goals.Count == 0 ? string.Join("\n", output) : null;
    }

    /// <summary>The tactic-timeout multipliers of the refinement rounds.</summary>
    private static readonly int[] RefinementTimeoutScales = [1, 4];

    /// <summary>Refinement stage: best-first search from the statement itself.</summary>
    public async Task<SearchOutcome> CoqRefineAsync(IProverSession session, CoqGap gap, AttemptContext context, CancellationToken cancellationToken)
    {
        context.CountProverCall();
        var start = await session.StartProofAsync(gap.Statement, cancellationToken);
        switch (start)
        {
            case StepResult.ProofFinished:
                return new SearchOutcome(true, [], null, true);
            case StepResult.Goals goals:
                // Rounds with longer tactic steps while budget remains: a search space explored with short steps is
                // explored again where only the slow closers could have succeeded (the visited states are forgotten).
                var outcome = SearchOutcome.Failed;
                foreach (var scale in RefinementTimeoutScales)
                {
                    if (context.Exhausted || context.Remaining < context.Budget.TacticTimeout * scale)
                    {
                        break;
                    }

                    if (scale > 1)
                    {
                        context.Note($"{gap.Name}: search again with {scale}x longer tactic steps");
                    }

                    context.TacticTimeoutScale = scale;
                    var search = new CoqTacticSearch(session, context, oracle, TacticProposer(), _logger);
                    outcome = await search.CloseFirstGoalAsync(goals.State, goals.Open, gap.Name, ProofStage.Refinement, cancellationToken);
                    if (outcome.Closed || outcome.Counterexample is not null || !session.IsHealthy)
                    {
                        break; // a lost session serves no further round: the caller decides whether to open another
                    }
                }

                context.TacticTimeoutScale = 1;
                return outcome;
            default:
                context.Note($"{gap.Name}: the statement does not start a proof: {(start as StepResult.StepError)?.Message}");
                return SearchOutcome.Failed;
        }
    }

    /// <summary>Opens a Coq session for a gap's header, or null when Coq's interactive prover is not available.</summary>
    public async Task<IProverSession?> OpenCoqSessionAsync(string header, AttemptContext context, CancellationToken cancellationToken)
    {
        var interactive = provers.Interactive(ProofLanguage.Coq);
        if (interactive is null)
        {
            return null;
        }

        try
        {
            var perRequest = context.Budget.TacticTimeout + TimeSpan.FromSeconds(30);
            return await interactive.OpenAsync(header, ResourceBudget.Default.WithWallClock(perRequest), cancellationToken);
        }
        catch (Exception exception) when (exception is ArgumentException or ProverCrashedException or ProverTimeoutException or FileNotFoundException)
        {
            context.Note($"the Coq session could not start: {exception.Message}");
            return null;
        }
    }

    private ITacticProposer? TacticProposer() => chat is null ? null : new ChatTacticProposer(chat);

    private static async Task<(ProofStateId, IReadOnlyList<Goal>)> GoalsAtAsync(
        IProverSession session, ProofStateId state, bool finished, AttemptContext context, CancellationToken cancellationToken)
    {
        if (finished)
        {
            return (state, []);
        }

        // A no-op step reads the goals of a state (bullets may have moved the focus).
        context.CountProverCall();
        var step = await session.RunTacticAsync(state, "idtac.", cancellationToken);
        return step switch
        {
            StepResult.Goals goals => (goals.State, goals.Open),
            StepResult.ProofFinished done => (done.State, []),
            _ => (state, []),
        };
    }

    /// <summary><c>assert (H : P) by tac.</c> → <c>assert (H : P).</c>; other sentences → null.</summary>
    public static string? AssertionOf(string sentence)
    {
        var trimmed = sentence.Trim();
        foreach (var keyword in new[] { "assert", "have", "enough", "cut" })
        {
            if (!trimmed.StartsWith(keyword + " ", StringComparison.Ordinal) && !trimmed.StartsWith(keyword + "(", StringComparison.Ordinal))
            {
                continue;
            }

            var by = trimmed.LastIndexOf(" by ", StringComparison.Ordinal);
            return by > 0 ? trimmed[..by] + "." : null;
        }

        return null;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private sealed class ChatTacticProposer(IChatClient chat) : ITacticProposer
    {
        public async Task<IReadOnlyList<string>> ProposeAsync(Goal goal, int count, CancellationToken cancellationToken = default)
        {
            var text = (await Prompts.SampleAsync(chat, Prompts.NextTactics(ProofLanguage.Coq, goal, count), 1, 0, 0f, cancellationToken))[0];
            var body = CoqProofFile.ExtractScript(text);
            return [.. body.Where(t => CoqSourceScan.Scan(t).Findings.Count == 0).Take(count)];
        }
    }
}
