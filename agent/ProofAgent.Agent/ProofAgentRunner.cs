using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Agent.AgentMode;
using ProofAgent.Agent.Coq;
using ProofAgent.Agent.Documents;
using ProofAgent.Agent.Generation;
using ProofAgent.Agent.Sessions;
using ProofAgent.Agent.Stages;

namespace ProofAgent.Agent;

/// <summary>
/// The proving loop (HybridProver). It only orders the stages and enforces the budget; each stage is its own type with a
/// typed result. For every theorem whose proof is a hole: (1) k whole proofs from the model, all checked; (2) repair
/// rounds with the prover's errors; (3, Lean/Isabelle) the tactic portfolio; (4) sketches of the rejected proofs whose
/// failing steps become holes; (5) refinement from the statement; then the final check of the assembled file in a fresh
/// process against the original statement. Only that verdict is reported: "no goals" in a session never counts.
/// In <see cref="ProofMode.Agent"/> a Semantic Kernel agent drives the provers as tools instead (<see cref="AgentModeRunner"/>).
/// </summary>
public sealed class ProofAgentRunner
{
    private readonly ProverAccess _provers;
    private readonly LanguageModel? _model;
    private readonly IGoalOracle? _oracle;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;
    private readonly CandidateChecker _checker;

    public ProofAgentRunner(ProverAccess provers, LanguageModel? model = null, IGoalOracle? oracle = null, ILoggerFactory? loggers = null)
    {
        _provers = provers;
        _model = model;
        _oracle = oracle;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<ProofAgentRunner>();
        _checker = new CandidateChecker(provers);
    }

    public ProverAccess Provers => _provers;

    public LanguageModel? Model => _model;

    public IGoalOracle? Oracle => _oracle;

    /// <summary>Runs the loop; events go to <paramref name="progress"/> as they happen (synchronously, in order).</summary>
    public async Task<ProofOutcome> ProveAsync(ProofRequest request, IProgress<ProofEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = new AttemptContext(request.Budget, progress);
        if (request.Mode == ProofMode.Agent)
        {
            var model = _model ?? throw new ArgumentException("agent mode needs a model: the model drives the provers as tools", nameof(request));
            return await new AgentModeRunner(this, model, _loggers).ProveAsync(request, context, cancellationToken);
        }

        return await PipelineAsync(request, context, cancellationToken);
    }

    private async Task<ProofOutcome> PipelineAsync(ProofRequest request, AttemptContext context, CancellationToken cancellationToken)
    {
        var document = ProofDocument.For(request.Language, request.Source, _provers.Scanner(request.Language));
        var stages = new List<StageSummary>();
        var final = new FinalCheckStage(_checker);
        if (document.Targets.Count == 0)
        {
            context.Note("no theorem with a hole in the file: checking it as it is");
            var check = await final.RunAsync(request, request.Source, "(file)", stages, context, cancellationToken);
            return Outcome(check.Verdict, check.Verdict.IsProved ? request.Source : null, [], stages, context);
        }

        // Coq's oracle works on the goals of the search; for the other languages it is first asked about the statement:
        // a false statement has no proof, and none of the budget is spent on one it refutes.
        if (request.Language != ProofLanguage.Coq && request.UseAutomation && await RefuteStatementAsync(request, context, cancellationToken) is { } refuted)
        {
            var counterexample = Describe(refuted);
            context.Note($"the statement is refuted by {refuted.Solver}: {counterexample}");
            stages.Add(new StageSummary(ProofStage.Portfolio, "(file)", false, context.ProverCalls, context.Elapsed, $"refuted by {refuted.Solver}: {counterexample}"));
            return Outcome(new Verdict.Failed("the statement is false: the oracle found a counterexample"), null, [new TheoremOutcome(document.Targets[0].Name, false, null, null, counterexample)], stages, context);
        }

        var sampler = _model is null ? null : new ProofSampler(_model);
        var solved = new string?[document.Targets.Count];
        var outcomes = new List<TheoremOutcome>();
        for (var i = 0; i < document.Targets.Count; i++)
        {
            var target = document.Targets[i];
            var (found, foundBy, file, counterexample) = await ProveTargetAsync(request, document, i, solved, sampler, stages, context, cancellationToken);
            if (context.Unavailable is { } unavailable)
            {
                return Outcome(unavailable, null, outcomes, stages, context);
            }

            if (file is not null)
            {
                // A complete file from the model, already accepted whole: it stands for every target.
                outcomes.Add(new TheoremOutcome(target.Name, true, foundBy, file, null));
                var checkedFile = await final.RunAsync(request, file, target.Name, stages, context, cancellationToken);
                return Outcome(checkedFile.Verdict, file, outcomes, stages, context);
            }

            solved[i] = found;
            outcomes.Add(new TheoremOutcome(target.Name, found is not null, found is null ? null : foundBy, found, counterexample));
        }

        if (solved.All(s => s is null))
        {
            var reason = outcomes.Any(o => o.Counterexample is not null) ? "the statement is false: the oracle found a counterexample" : "no proof found within the budget";
            return Outcome(new Verdict.Failed(reason), null, outcomes, stages, context);
        }

        var assembled = document.Fill(solved);
        var result = await final.RunAsync(request, assembled, string.Join(", ", outcomes.Where(o => o.Found).Select(o => o.Name)), stages, context, cancellationToken);
        return Outcome(result.Verdict, assembled, outcomes, stages, context);
    }

    /// <summary>The stages for one target, in order, until one finds a proof or the budget is spent.</summary>
    private async Task<(string? Script, ProofStage? FoundBy, string? File, string? Counterexample)> ProveTargetAsync(
        ProofRequest request, ProofDocument document, int index, IReadOnlyList<string?> solved, ProofSampler? sampler,
        List<StageSummary> stages, AttemptContext context, CancellationToken cancellationToken)
    {
        var target = document.Targets[index];
        var language = request.Language;
        var failures = new List<FailedCandidate>();
        await using var lease = new SessionLease(document.HasSessions ? _provers.Interactive(language) : null, target.Header, language == ProofLanguage.Coq ? "Coq" : language.Id(), context);

        // 1. Whole proofs from the model, k in one batch.
        if (sampler is not null && request.Budget.Samples > 0 && !context.Exhausted)
        {
            var whole = await RunStageAsync(ProofStage.WholeProof, target.Name, stages, context,
                () => new WholeProofStage(sampler, _checker).RunAsync(request, document, index, solved, context, cancellationToken), r => r.Succeeded);
            if (whole.Succeeded)
            {
                return (whole.AcceptedScript, ProofStage.WholeProof, whole.AcceptedFile, null);
            }

            failures.AddRange(whole.Failures);

            // 2. Repair rounds: the prover's errors back to the model.
            if (failures.Count > 0 && request.Budget.RepairRounds > 0 && !context.Exhausted && context.Unavailable is null)
            {
                var repair = await RunStageAsync(ProofStage.Repair, target.Name, stages, context,
                    () => new RepairStage(sampler, _checker).RunAsync(request, document, index, solved, failures, f => GoalAtErrorAsync(lease, target, f, context, cancellationToken), context, cancellationToken),
                    r => r.Succeeded);
                if (repair.Succeeded)
                {
                    return (repair.AcceptedScript, ProofStage.Repair, repair.AcceptedFile, null);
                }

                failures.AddRange(repair.Failures);
            }
        }

        if (context.Unavailable is not null)
        {
            return (null, null, null, null);
        }

        // 3. The language's tactic portfolio, whole-file (languages without Coq's search).
        if (request.UseAutomation && language is ProofLanguage.Lean4 or ProofLanguage.Isabelle && !context.Exhausted)
        {
            var portfolio = await RunStageAsync(ProofStage.Portfolio, target.Name, stages, context,
                () => new PortfolioStage(_checker).RunAsync(request, document, context, cancellationToken), r => r.Succeeded);
            if (portfolio.Succeeded || context.Unavailable is not null)
            {
                return (portfolio.AcceptedScript, ProofStage.Portfolio, null, null);
            }
        }

        if (!document.HasSessions || context.Exhausted || (!request.UseAutomation && failures.Count == 0))
        {
            return (null, null, null, null);
        }

        if (await lease.AcquireAsync(cancellationToken) is null)
        {
            context.Note($"{target.Name}: no interactive session; sketch and refinement skipped");
            return (null, null, null, null);
        }

        var proposer = sampler is null ? null : new ModelTacticProposer(sampler, _provers.Scanner(language)!, request.Seed);
        var closer = new GoalCloser(language, proposer, _provers.Automation(language));

        // 4. Sketches of the rejected proofs, shortest first: failing steps become holes, closed per hole.
        foreach (var failure in failures.Where(f => f.Candidate.Script.Count > 0).OrderBy(f => f.Candidate.Script.Count).Take(3))
        {
            // A session lost in a sketch is replaced for the refinement, not for the next sketch.
            if (context.Exhausted || lease.Lost || await lease.AcquireAsync(cancellationToken) is not { } session)
            {
                break;
            }

            var sketch = await RunStageAsync(ProofStage.Sketch, target.Name, stages, context, () => SafeAsync(() => language == ProofLanguage.Coq
                ? new CoqSketchStage(_oracle, proposer, _logger).RunAsync(session, target, failure.Candidate.Script, context, cancellationToken)
                : new StepSketchStage(closer).RunAsync(session, document, target, failure.Candidate.Script, context, cancellationToken)), r => r.Succeeded);
            if (sketch.Succeeded)
            {
                return (sketch.Script, ProofStage.Sketch, null, null);
            }
        }

        // 5. Refinement from the statement (Coq: best-first search with the goal oracle; Lean/Isabelle: goal by goal).
        if (!request.UseAutomation || context.Exhausted)
        {
            return (null, null, null, null);
        }

        var refined = await RunStageAsync(ProofStage.Refinement, target.Name, stages, context, () => language == ProofLanguage.Coq
            ? new CoqRefinementStage(_oracle, proposer, _logger).RunAsync(lease, target, context, cancellationToken)
            : SafeAsync(async () => await lease.AcquireAsync(cancellationToken) is { } session
                ? await new GoalRefinementStage(closer).RunAsync(session, document, target, context, cancellationToken)
                : SessionResult.None), r => r.Succeeded);
        if (refined.Counterexample is { } refutation)
        {
            var counterexample = Describe(refutation);
            context.Note($"{target.Name}: refuted by {refutation.Solver}: {counterexample}");
            return (null, null, null, counterexample);
        }

        return (refined.Script, ProofStage.Refinement, null, null);
    }

    /// <summary>The goals before the step where a rejected script fails, replayed in the target's session (null when there is none).</summary>
    private static async Task<string?> GoalAtErrorAsync(SessionLease lease, ProofTarget target, FailedCandidate failure, AttemptContext context, CancellationToken cancellationToken)
    {
        if (failure.Candidate.Script.Count == 0 || context.Exhausted || await lease.AcquireAsync(cancellationToken) is not { } session)
        {
            return null;
        }

        try
        {
            context.CountProverCall();
            if (await session.StartProofAsync(target.Statement, cancellationToken) is not StepResult.Goals goals)
            {
                return null;
            }

            foreach (var step in failure.Candidate.Script)
            {
                context.CountProverCall();
                switch (await session.RunTacticAsync(goals.State, step, cancellationToken))
                {
                    case StepResult.Goals next:
                        goals = next;
                        continue;
                    case StepResult.StepError error:
                        return $"{string.Join("\n\n", goals.Open.Select(g => g.ToString()))}\n(step `{step}`: {error.Message.Trim()})";
                    default:
                        return null;
                }
            }
        }
        catch (Exception exception) when (exception is ProverCrashedException or ProverTimeoutException)
        {
            return null;
        }

        return null;
    }

    /// <summary>The oracle's counterexample to the file's statement, or null (no oracle, not translated, valid, unknown).</summary>
    private async Task<GoalVerdict.Counterexample?> RefuteStatementAsync(ProofRequest request, AttemptContext context, CancellationToken cancellationToken)
    {
        if (_oracle is not { } oracle)
        {
            return null;
        }

        GoalVerdict verdict;
        try
        {
            verdict = await oracle.DecideStatementAsync(request.Language, request.ExpectedStatement ?? request.Source, context.TacticTimeout, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            context.Note($"the oracle failed on the statement: {exception.Message}");
            return null;
        }

        if (verdict is GoalVerdict.Counterexample counterexample)
        {
            context.Emit(new ProofEvent.GoalRefuted(context.NowMs, ProofStage.Portfolio, "(file)", "the statement", counterexample.Model, counterexample.Solver));
            return counterexample;
        }

        context.Note("the oracle on the statement: " + verdict switch
        {
            GoalVerdict.Valid v => $"valid by {v.Solver} (a proof must still come from the prover)",
            GoalVerdict.Unknown u => "unknown: " + u.Reason,
            GoalVerdict.Untranslatable u => "not translated: " + u.Reason,
            _ => verdict.ToString(),
        });
        return null;
    }

    internal static async Task<T> RunStageAsync<T>(ProofStage stage, string theorem, List<StageSummary> stages, AttemptContext context, Func<Task<T>> body, Func<T, bool> succeeded)
    {
        context.Emit(new ProofEvent.StageStarted(context.NowMs, stage, theorem));
        var started = context.Elapsed;
        var calls = context.ProverCalls;
        var result = await body();
        var ok = succeeded(result);
        context.Emit(new ProofEvent.StageFinished(context.NowMs, stage, theorem, ok, context.ProverCalls - calls, (long)(context.Elapsed - started).TotalMilliseconds));
        stages.Add(new StageSummary(stage, theorem, ok, context.ProverCalls - calls, context.Elapsed - started));
        return result;
    }

    private async Task<SessionResult> SafeAsync(Func<Task<SessionResult>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception exception) when (exception is ProverCrashedException or ProverTimeoutException)
        {
            _logger.LogWarning(exception, "The session failed during a sketch or refinement");
            return SessionResult.None;
        }
    }

    private static string Describe(GoalVerdict.Counterexample refuted) =>
        string.Join(", ", refuted.Model.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value}"));

    internal static ProofOutcome Outcome(Verdict verdict, string? proof, IReadOnlyList<TheoremOutcome> theorems, IReadOnlyList<StageSummary> stages, AttemptContext context) =>
        new(verdict, proof, theorems, stages, context.ProverCalls, context.Samples, context.Elapsed) { SampleResults = [.. context.SampleResults] };
}
