using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Agent.Coq;
using ProofAgent.Core.Provers;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Agent;

/// <summary>
/// The proving loop (HybridProver): for every theorem whose proof is a hole, (1) sample whole proofs from the model and check
/// each, (2) turn failed samples into sketches whose failing steps are holes closed by search, (3) search from the statement
/// with automation (and model tactics); then (4) re-check the assembled file in a fresh process against the original
/// statement. Only that final verdict is reported: "no goals" in a session never counts as a proof.
/// </summary>
public sealed class ProofAgentRunner
{
    private readonly ProofStages _stages;
    private readonly ILogger _logger;

    public ProofAgentRunner(ProofStages stages, ILoggerFactory? loggers = null)
    {
        _stages = stages;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<ProofAgentRunner>();
    }

    public ProofAgentRunner(ProverAccess provers, IChatClient? chat = null, IGoalOracle? oracle = null, ILoggerFactory? loggers = null)
        : this(new ProofStages(provers, chat, oracle, loggers), loggers)
    {
    }

    public ProofStages Stages => _stages;

    /// <summary>The provers of a catalog, with Coq's interactive sessions under the given isolation.</summary>
    public static ProverAccess Access(ProverCatalog catalog, IProcessIsolation? isolation = null, ILoggerFactory? loggers = null)
    {
        var coq = new CoqInteractiveProver(catalog.Settings.Coq, isolation ?? new ResourceLimitIsolation(), loggers);
        return new ProverAccess(catalog.Checker, language => language == ProofLanguage.Coq ? coq : null);
    }

    /// <summary>Runs the loop and streams its events; the last event is <see cref="ProofEvent.Note"/> "done: VERDICT".</summary>
    public async IAsyncEnumerable<ProofEvent> StreamAsync(ProofRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ProofEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var progress = new ChannelProgress(channel.Writer);
        var run = Task.Run(
            async () =>
            {
                try
                {
                    var outcome = await ProveAsync(request, progress, cancellationToken);
                    channel.Writer.TryWrite(new ProofEvent.Note((long)outcome.Elapsed.TotalMilliseconds, $"done: {outcome.Verdict.Name}"));
                    channel.Writer.TryComplete();
                }
                catch (Exception exception)
                {
                    channel.Writer.TryComplete(exception);
                }
            },
            CancellationToken.None);
        await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }

        await run;
    }

    /// <summary>Runs the loop; events go to <paramref name="progress"/> as they happen (synchronously, in order).</summary>
    public async Task<ProofOutcome> ProveAsync(ProofRequest request, IProgress<ProofEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        var context = new AttemptContext(request.Budget, progress);
        return request.Language switch
        {
            ProofLanguage.Coq => await ProveCoqAsync(request, context, cancellationToken),
            _ => await ProveByPortfolioAsync(request, context, cancellationToken),
        };
    }

    private async Task<ProofOutcome> ProveCoqAsync(ProofRequest request, AttemptContext context, CancellationToken cancellationToken)
    {
        var source = request.Source;
        var statement = request.ExpectedStatement ?? source;
        var gaps = CoqProofFile.FindGaps(source);
        var stages = new List<StageSummary>();
        if (gaps.Count == 0)
        {
            context.Note("no theorem with a hole (Admitted) in the file: checking it as it is");
            var check = await FinalCheckAsync(request.Language, source, statement, request.FileName, "(file)", stages, context, cancellationToken);
            return Outcome(check.Verdict, check.Verdict.IsProved ? source : null, [], stages, context);
        }

        var solved = new string?[gaps.Count];
        var outcomes = new List<TheoremOutcome>();
        for (var i = 0; i < gaps.Count; i++)
        {
            var gap = gaps[i];
            ProofStage? foundBy = null;
            string? counterexample = null;

            // 1. Whole proofs from the model.
            IReadOnlyList<IReadOnlyList<string>> tried = [];
            if (_stages.Chat is not null && request.Budget.Samples > 0 && !context.Exhausted)
            {
                var (accepted, samples) = await RunStageAsync(
                    ProofStage.WholeProof, gap.Name, stages, context, () => _stages.CoqWholeProofAsync(request, gaps, i, solved, context, cancellationToken), r => r.Accepted is not null);
                tried = samples;
                if (accepted is not null)
                {
                    solved[i] = accepted;
                    foundBy = ProofStage.WholeProof;
                }
            }

            if (solved[i] is null && !context.Exhausted && (request.UseAutomation || tried.Count > 0))
            {
                var header = CoqProofFile.Header(source, gap);
                var session = await _stages.OpenCoqSessionAsync(header, context, cancellationToken);
                try
                {
                    if (session is null)
                    {
                        context.Note($"{gap.Name}: no interactive Coq session; sketch and refinement skipped");
                    }
                    else
                    {
                        // 2. Sketches of the failed samples, shortest first.
                        foreach (var script in tried.OrderBy(s => s.Count).Take(3))
                        {
                            if (context.Exhausted || solved[i] is not null || !session.IsHealthy)
                            {
                                break;
                            }

                            var sketching = session;
                            var repaired = await RunStageAsync(ProofStage.Sketch, gap.Name, stages, context, () => SafeAsync(() => _stages.CoqSketchAsync(sketching, gap, script, context, cancellationToken)), r => r is not null);
                            if (repaired is not null)
                            {
                                solved[i] = repaired;
                                foundBy = ProofStage.Sketch;
                            }
                        }

                        // 3. Search from the statement; once more in a new session if a tactic lost the session (that
                        // tactic is not tried again), so one flood of output or crash does not end the attempt.
                        for (var round = 0; round < 2 && solved[i] is null && request.UseAutomation && !context.Exhausted; round++)
                        {
                            if (!session.IsHealthy)
                            {
                                await session.DisposeAsync();
                                session = await _stages.OpenCoqSessionAsync(header, context, cancellationToken);
                                if (session is null)
                                {
                                    break;
                                }

                                context.Note($"{gap.Name}: searching in a new Coq session, without {string.Join(", ", context.SessionKillers.Select(t => $"'{t}'"))}");
                            }

                            var searching = session;
                            var search = await RunStageAsync(
                                ProofStage.Refinement, gap.Name, stages, context, () => SafeSearchAsync(() => _stages.CoqRefineAsync(searching, gap, context, cancellationToken)), r => r.Closed);
                            if (search.Closed)
                            {
                                solved[i] = string.Join("\n", search.Script);
                                foundBy = ProofStage.Refinement;
                            }
                            else if (search.Counterexample is { } refuted)
                            {
                                counterexample = string.Join(", ", refuted.Model.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value}"));
                                context.Note($"{gap.Name}: refuted by {refuted.Solver}: {counterexample}");
                                break;
                            }

                            if (session.IsHealthy)
                            {
                                break; // the search ended on its own terms
                            }
                        }
                    }
                }
                finally
                {
                    if (session is not null)
                    {
                        await session.DisposeAsync();
                    }
                }
            }

            outcomes.Add(new TheoremOutcome(gap.Name, solved[i] is not null, foundBy, solved[i], counterexample));
        }

        if (solved.All(s => s is null))
        {
            var reason = outcomes.Any(o => o.Counterexample is not null) ? "the statement is false: the oracle found a counterexample" : "no proof found within the budget";
            return Outcome(new Verdict.Failed(reason), null, outcomes, stages, context);
        }

        // 4. The soundness gate, in a fresh process, against the original statement.
        var assembled = CoqProofFile.Fill(source, gaps, solved);
        var final = await FinalCheckAsync(request.Language, assembled, statement, request.FileName, string.Join(", ", outcomes.Where(o => o.Found).Select(o => o.Name)), stages, context, cancellationToken);
        return Outcome(final.Verdict, assembled, outcomes, stages, context);
    }

    private async Task<ProofOutcome> ProveByPortfolioAsync(ProofRequest request, AttemptContext context, CancellationToken cancellationToken)
    {
        var stages = new List<StageSummary>();
        var statement = request.ExpectedStatement ?? request.Source;
        var language = request.Language;
        if (!LanguagePortfolios.HasHole(language, request.Source))
        {
            var check = await FinalCheckAsync(language, request.Source, statement, request.FileName, "(file)", stages, context, cancellationToken);
            return Outcome(check.Verdict, check.Verdict.IsProved ? request.Source : null, [], stages, context);
        }

        // A false statement has no proof: ask the oracle first, and spend none of the budget on one it refutes.
        if (request.UseAutomation && await RefuteStatementAsync(request, context, cancellationToken) is { } refuted)
        {
            var counterexample = string.Join(", ", refuted.Model.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value}"));
            context.Note($"the statement is refuted by {refuted.Solver}: {counterexample}");
            stages.Add(new StageSummary(ProofStage.Portfolio, "(file)", false, context.ProverCalls, context.Elapsed, $"refuted by {refuted.Solver}: {counterexample}"));
            return Outcome(new Verdict.Failed("the statement is false: the oracle found a counterexample"), null, [new TheoremOutcome("(file)", false, null, null, counterexample)], stages, context);
        }

        var candidates = new List<(ProofStage Stage, string Proof)>();
        if (_stages.Chat is { } chat && request.Budget.Samples > 0)
        {
            try
            {
                var completions = await Prompts.SampleAsync(chat, Prompts.WholeProof(language, request.Source, "the theorem", request.InformalHint), request.Budget.Samples, request.Seed, 0.8f, cancellationToken);
                candidates.AddRange(completions.Select(c => (ProofStage.WholeProof, Fenced(c))));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                context.Note($"the model failed: {exception.Message}");
            }
        }

        if (request.UseAutomation)
        {
            candidates.AddRange(LanguagePortfolios.Tactics(language).Select(t => (ProofStage.Portfolio, t)));
        }

        foreach (var (stage, proof) in candidates)
        {
            if (context.Exhausted)
            {
                break;
            }

            if (stage == ProofStage.WholeProof)
            {
                context.CountSample();
            }

            var candidate = proof.Contains("theorem ", StringComparison.Ordinal) || proof.Contains("lemma ", StringComparison.Ordinal)
                ? proof
                : LanguagePortfolios.Fill(language, request.Source, proof);
            var result = await _stages.CheckAsync(language, candidate, statement, request.FileName, stage, "(file)", proof, context, cancellationToken);
            if (result.Verdict is Verdict.Unavailable)
            {
                return Outcome(result.Verdict, null, [], stages, context);
            }

            if (result.Verdict.IsProved)
            {
                stages.Add(new StageSummary(stage, "(file)", true, context.ProverCalls, context.Elapsed));
                var final = await FinalCheckAsync(language, candidate, statement, request.FileName, "(file)", stages, context, cancellationToken);
                return Outcome(final.Verdict, candidate, [new TheoremOutcome("(file)", true, stage, proof, null)], stages, context);
            }
        }

        return Outcome(new Verdict.Failed("no proof found within the budget"), null, [], stages, context);
    }

    /// <summary>The oracle's counterexample to the file's statement, or null (no oracle, not translated, valid, unknown).</summary>
    private async Task<GoalVerdict.Counterexample?> RefuteStatementAsync(ProofRequest request, AttemptContext context, CancellationToken cancellationToken)
    {
        if (_stages.Oracle is not { } oracle)
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

        var answer = verdict switch
        {
            GoalVerdict.Valid v => $"valid by {v.Solver} (a proof must still come from the prover)",
            GoalVerdict.Unknown u => "unknown: " + u.Reason,
            GoalVerdict.Untranslatable u => "not translated: " + u.Reason,
            _ => verdict.ToString(),
        };
        context.Note("the oracle on the statement: " + answer);
        return null;
    }

    private async Task<CheckResult> FinalCheckAsync(
        ProofLanguage language, string candidate, string statement, string fileName, string theorem, List<StageSummary> stages, AttemptContext context, CancellationToken cancellationToken)
    {
        context.Emit(new ProofEvent.StageStarted(context.NowMs, ProofStage.FinalCheck, theorem));
        var started = context.Elapsed;
        var calls = context.ProverCalls;

        // The final check gets its own full limit: the budget decides what is searched, not whether a found proof is checked.
        var task = new ProofTask(language, candidate).WithFileName(fileName).WithExpectedStatement(statement)
            .WithBudget(ResourceBudget.Default.WithWallClock(context.Budget.CheckTimeout));
        context.CountProverCall();
        var result = await _stages.CheckAsync(language, candidate, statement, fileName, ProofStage.FinalCheck, theorem, "final", context, cancellationToken, task);
        context.Emit(new ProofEvent.StageFinished(context.NowMs, ProofStage.FinalCheck, theorem, result.Verdict.IsProved, context.ProverCalls - calls, (long)(context.Elapsed - started).TotalMilliseconds));
        stages.Add(new StageSummary(ProofStage.FinalCheck, theorem, result.Verdict.IsProved, context.ProverCalls - calls, context.Elapsed - started, result.Verdict.IsProved ? null : result.Verdict.Summary));
        return result;
    }

    private static async Task<T> RunStageAsync<T>(ProofStage stage, string theorem, List<StageSummary> stages, AttemptContext context, Func<Task<T>> body, Func<T, bool> succeeded)
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

    private async Task<string?> SafeAsync(Func<Task<string?>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception exception) when (exception is ProverCrashedException or ProverTimeoutException)
        {
            _logger.LogWarning(exception, "The Coq session failed during a sketch");
            return null;
        }
    }

    private async Task<SearchOutcome> SafeSearchAsync(Func<Task<SearchOutcome>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception exception) when (exception is ProverCrashedException or ProverTimeoutException)
        {
            _logger.LogWarning(exception, "The Coq session failed during the search");
            return SearchOutcome.Failed;
        }
    }

    private static ProofOutcome Outcome(Verdict verdict, string? proof, IReadOnlyList<TheoremOutcome> theorems, IReadOnlyList<StageSummary> stages, AttemptContext context) =>
        new(verdict, verdict.IsProved ? proof : proof, theorems, stages, context.ProverCalls, context.Samples, context.Elapsed);

    private static string Fenced(string completion)
    {
        var open = completion.IndexOf("```", StringComparison.Ordinal);
        if (open < 0)
        {
            return completion.Trim();
        }

        var lineEnd = completion.IndexOf('\n', open);
        var close = lineEnd < 0 ? -1 : completion.IndexOf("```", lineEnd, StringComparison.Ordinal);
        return lineEnd < 0 ? completion.Trim() : (close < 0 ? completion[(lineEnd + 1)..] : completion[(lineEnd + 1)..close]).Trim();
    }

    private sealed class ChannelProgress(ChannelWriter<ProofEvent> writer) : IProgress<ProofEvent>
    {
        public void Report(ProofEvent value) => writer.TryWrite(value);
    }
}
