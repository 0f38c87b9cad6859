using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.SemanticKernel;
using ProofAgent.Agent.Coq;
using ProofAgent.Agent.Documents;
using ProofAgent.Agent.Sessions;
using ProofAgent.Agent.Stages;

namespace ProofAgent.Agent.AgentMode;

/// <summary>
/// The kernel functions of agent mode, bound to one request: the same checker, sessions, automation and oracle as the
/// pipeline. Every answer that says "proved" comes from the checker with the original statement; the request's verdict
/// still comes from the final check of what <see cref="Accepted"/> holds.
/// </summary>
public sealed class ProverTools(
    ProofRequest request, ProofDocument document, SessionLease lease, CandidateChecker checker, IGoalOracle? oracle, IGoalAutomation? automation, AttemptContext context, ILogger logger)
{
    private const int MaxAnswer = 4000;

    /// <summary>The first checked proof of the target: a script for its hole, or a complete file.</summary>
    public (string? Script, string? File)? Accepted { get; private set; }

    private ProofTarget Target => document.Targets[0];

    [KernelFunction("check_proof")]
    [Description("Checks a proof of the theorem with the real prover and its soundness gate, against the original statement. Give either the proof script (the tactics that replace the hole) or a complete file. Returns 'proved', or the errors with their line and message and the goals before the failing step.")]
    public async Task<string> CheckProofAsync([Description("the proof script, or the complete file")] string proof, CancellationToken cancellationToken = default)
    {
        if (document.Candidate(0, proof, new string?[document.Targets.Count]) is not { } candidate)
        {
            return $"rejected before checking: the proof is empty or uses a hole ({ProofSamplerHoles()}); give a complete proof";
        }

        var result = await checker.CheckAsync(request.Language, candidate.File, request.ExpectedStatement ?? request.Source, request.FileName,
            ProofStage.Agent, Target.Name, proof, context, cancellationToken);
        if (candidate.IsCompleteFile ? result.Verdict.IsProved : CandidateChecker.Proves(result, Target.Name))
        {
            Accepted ??= candidate.IsCompleteFile ? (null, candidate.File) : (document.Script(candidate.Script), null);
            return "proved: the prover's kernel accepted it with the original statement. Stop here.";
        }

        var goal = await GoalBeforeFailureAsync(candidate.Script, cancellationToken);
        return Cut("not proved.\n" + CandidateChecker.DescribeErrors(result, candidate.File, goal));
    }

    [KernelFunction("goals_after")]
    [Description("Runs the first steps of a proof (a proof prefix) in an interactive session and returns the goals that remain, or the error of the first failing step.")]
    public async Task<string> GoalsAfterAsync([Description("the proof steps to run from the statement")] string proofPrefix, CancellationToken cancellationToken = default)
    {
        var (state, error) = await ReplayAsync(proofPrefix, cancellationToken);
        return state switch
        {
            null => error ?? "no interactive session for this language",
            StepResult.ProofFinished => "no goals remain (a search signal only: call check_proof with the whole proof)",
            StepResult.Goals goals => Cut(Goals(goals.Open) + (error is null ? "" : "\n" + error)),
            _ => error ?? "no goals",
        };
    }

    [KernelFunction("run_automation")]
    [Description("Runs the automation (tactic portfolio, premise selection, search with the SMT oracle; Isabelle: sledgehammer) on the goals left after a proof prefix (empty: from the statement). Returns the steps that close them, to append to the prefix, or why not.")]
    public async Task<string> RunAutomationAsync([Description("the proof steps to run first; empty for the statement itself")] string proofPrefix = "", CancellationToken cancellationToken = default)
    {
        var (state, error) = await ReplayAsync(proofPrefix, cancellationToken);
        if (state is not StepResult.Goals goals)
        {
            return state is StepResult.ProofFinished ? "no goals remain after the prefix" : error ?? "no interactive session for this language";
        }

        if (await lease.AcquireAsync(cancellationToken) is not { } session)
        {
            return "the session was lost";
        }

        var steps = new List<string>();
        var (current, open) = (goals.State, goals.Open);
        while (open.Count > 0 && !context.Exhausted)
        {
            if (request.Language == ProofLanguage.Coq)
            {
                var search = await new CoqTacticSearch(session, context, oracle, null, logger).CloseFirstGoalAsync(current, open, Target.Name, ProofStage.Agent, cancellationToken);
                if (!search.Closed || search.State is null)
                {
                    return search.Counterexample is { } refuted
                        ? $"the goal is false: {refuted.Solver} found {Values(refuted)}"
                        : $"automation did not close the goal:\n{Cut(open[0].ToString())}";
                }

                steps.AddRange(search.Script);
                if (search.Finished)
                {
                    break;
                }

                context.CountProverCall();
                if (await session.RunTacticAsync(search.State.Value, "idtac.", cancellationToken) is not StepResult.Goals after)
                {
                    break;
                }

                (current, open) = (after.State, after.Open);
            }
            else
            {
                var closer = new GoalCloser(request.Language, null, automation);
                if (await closer.CloseFirstGoalAsync(session, current, open, Target.Name, ProofStage.Agent, context, cancellationToken) is not { } closed)
                {
                    return $"automation did not close the goal:\n{Cut(open[0].ToString())}";
                }

                steps.Add(closed.Tactic);
                (current, open) = (closed.State, closed.Goals);
            }
        }

        return open.Count == 0 || steps.Count > 0
            ? "append these steps to the prefix, then call check_proof:\n" + string.Join("\n", steps)
            : "automation did not close the goals (budget spent)";
    }

    [KernelFunction("smt_counterexample")]
    [Description("Asks the SMT solver whether a goal (hypotheses, then the conclusion after ⊢) can be false: returns values that make it false, or says it holds or could not be decided.")]
    public async Task<string> SmtCounterexampleAsync([Description("the goal as printed: one 'name : type' hypothesis per line, then '⊢ conclusion'")] string goal, CancellationToken cancellationToken = default)
    {
        if (oracle is null)
        {
            return "no SMT oracle is configured";
        }

        var verdict = await oracle.DecideAsync(request.Language, ParseGoal(goal), context.TacticTimeout, cancellationToken);
        return verdict switch
        {
            GoalVerdict.Counterexample c => $"false: {c.Solver} found {Values(c)}",
            GoalVerdict.Valid v => $"holds ({v.Solver}); the proof must still come from the prover",
            GoalVerdict.Unknown u => "unknown: " + u.Reason,
            GoalVerdict.Untranslatable u => "not translated to SMT: " + u.Reason,
            _ => verdict.ToString(),
        };
    }

    [KernelFunction("search_lemmas")]
    [Description("Searches the prover's libraries for lemmas matching a pattern (Coq: Search). Returns their names and statements.")]
    public async Task<string> SearchLemmasAsync([Description("a Coq Search pattern, e.g. (_ + _ = _ + _) or Rabs")] string query, CancellationToken cancellationToken = default)
    {
        if (request.Language != ProofLanguage.Coq)
        {
            return $"search_lemmas is not available for {request.Language.Id()} in this service (no {request.Language.Id()} session here answers queries)";
        }

        if (await lease.AcquireAsync(cancellationToken) is not IQueryableProverSession session)
        {
            return "no interactive Coq session";
        }

        context.CountProverCall();
        if (await session.StartProofAsync(Target.Statement, cancellationToken) is not StepResult.Goals goals)
        {
            return "the statement does not start a proof";
        }

        var text = query.Trim().TrimEnd('.');
        return Cut(await session.QueryAsync(goals.State, $"Search {text}.", cancellationToken));
    }

    private async Task<string?> GoalBeforeFailureAsync(IReadOnlyList<string> steps, CancellationToken cancellationToken)
    {
        if (steps.Count == 0 || !document.HasSessions)
        {
            return null;
        }

        var (state, error) = await ReplayAsync(string.Join("\n", steps), cancellationToken, stepsGiven: steps);
        return state is StepResult.Goals goals && error is not null ? Goals(goals.Open) + "\n" + error : null;
    }

    /// <summary>Runs the steps of <paramref name="prefix"/> from the statement: the last state reached, and the first error.</summary>
    private async Task<(StepResult? State, string? Error)> ReplayAsync(string prefix, CancellationToken cancellationToken, IReadOnlyList<string>? stepsGiven = null)
    {
        if (!document.HasSessions || await lease.AcquireAsync(cancellationToken) is not { } session)
        {
            return (null, $"no interactive session for {request.Language.Id()} here");
        }

        try
        {
            context.CountProverCall();
            var state = await session.StartProofAsync(Target.Statement, cancellationToken);
            foreach (var step in stepsGiven ?? document.Steps(prefix))
            {
                if (state is not StepResult.Goals goals)
                {
                    break;
                }

                context.CountProverCall();
                var next = await session.RunTacticAsync(goals.State, step, cancellationToken);
                if (next is StepResult.StepError error)
                {
                    return (state, $"error at `{step}`: {error.Message.Trim()}");
                }

                state = next;
            }

            return (state, state is StepResult.StepError e ? e.Message : null);
        }
        catch (Exception exception) when (exception is ProverCrashedException or ProverTimeoutException)
        {
            return (null, "the session was lost: " + exception.Message);
        }
    }

    private string ProofSamplerHoles() => Generation.ProofSampler.Target(request.Language).Holes;

    /// <summary>Reads a goal as printed: hypotheses <c>names : type</c>, then the conclusion after <c>⊢</c> or a <c>====</c> line.</summary>
    internal static Goal ParseGoal(string text)
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var hypotheses = new List<Hypothesis>();
        var conclusion = new StringBuilder();
        var below = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!below && (line.StartsWith('⊢') || line.StartsWith("|-", StringComparison.Ordinal) || line.StartsWith("====", StringComparison.Ordinal)))
            {
                below = true;
                line = line.TrimStart('⊢', '|', '-', '=').Trim();
                if (line.Length == 0)
                {
                    continue;
                }
            }

            if (below)
            {
                conclusion.Append(conclusion.Length > 0 ? " " : "").Append(line);
            }
            else if (line.IndexOf(" : ", StringComparison.Ordinal) is var colon and > 0)
            {
                hypotheses.Add(new Hypothesis(line[..colon].Split(' ', StringSplitOptions.RemoveEmptyEntries), line[(colon + 3)..].Trim()));
            }
            else
            {
                conclusion.Append(line);
                below = true;
            }
        }

        return new Goal(hypotheses, conclusion.ToString());
    }

    private static string Values(GoalVerdict.Counterexample counterexample) =>
        string.Join(", ", counterexample.Model.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} = {p.Value}")));

    private static string Goals(IReadOnlyList<Goal> goals) =>
        goals.Count == 0 ? "no goals" : string.Join("\n\n", goals.Select((g, i) => $"goal {i + 1}:\n{g}"));

    private static string Cut(string text) => text.Length > MaxAnswer ? text[..MaxAnswer] + "\n…(cut)" : text;
}
