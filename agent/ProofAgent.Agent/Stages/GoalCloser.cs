using ProofAgent.Agent.Coq;

namespace ProofAgent.Agent.Stages;

/// <summary>
/// Per-hole refinement for the languages whose sessions are driven step by step here (Lean 4 through REPL proof states,
/// Isabelle through the step prover): the first goal of a state gets the model's tactics first, then the language's own
/// automation (Isabelle: sledgehammer), then the language's closers; a tactic that closes the goal (the goal count drops,
/// or nothing remains) is kept. The final check re-checks the assembled file.
/// </summary>
public sealed class GoalCloser(ProofLanguage language, ITacticProposer? proposer, IGoalAutomation? automation)
{
    /// <summary>Tactics that close a goal outright, cheapest first.</summary>
    public static IReadOnlyList<string> Closers(ProofLanguage language) => language switch
    {
        ProofLanguage.Lean4 => ["rfl", "norm_num", "linarith", "positivity", "omega", "decide", "simp", "ring_nf", "field_simp", "nlinarith [sq_nonneg (a - b), sq_nonneg (a + b)]", "aesop"],
        ProofLanguage.Isabelle => ["simp", "auto", "arith", "presburger", "linarith", "fastforce", "(simp add: field_simps)", "(auto simp: algebra_simps)"],
        _ => [],
    };

    /// <summary>The tactic that closes the first goal and the state after it, or null.</summary>
    public async Task<(string Tactic, ProofStateId State, IReadOnlyList<Goal> Goals)?> CloseFirstGoalAsync(
        IProverSession session, ProofStateId state, IReadOnlyList<Goal> goals, string theorem, ProofStage stage, AttemptContext context, CancellationToken cancellationToken)
    {
        if (goals.Count == 0)
        {
            return null;
        }

        var tactics = new List<string>();
        if (proposer is not null)
        {
            tactics.AddRange(await Safe(() => proposer.ProposeAsync(goals[0], 4, cancellationToken)));
        }

        if (automation is not null)
        {
            tactics.AddRange(await Safe(() => automation.SuggestAsync(session, state, context.TacticTimeout, cancellationToken)));
        }

        tactics.AddRange(Closers(language));
        foreach (var tactic in tactics.Distinct(StringComparer.Ordinal))
        {
            if (context.Exhausted || !session.IsHealthy)
            {
                return null;
            }

            var started = context.NowMs;
            context.CountProverCall();
            StepResult step;
            try
            {
                step = await session.RunTacticAsync(state, tactic, cancellationToken);
            }
            catch (Exception exception) when (exception is ProverCrashedException or ProverTimeoutException)
            {
                context.Note($"{theorem}: the {language.Id()} session was lost during '{tactic}': {exception.Message}");
                context.MarkSessionKiller(tactic);
                return null;
            }

            switch (step)
            {
                case StepResult.ProofFinished finished:
                    context.Emit(new ProofEvent.TacticApplied(context.NowMs, stage, theorem, tactic, goals.Count, 0, context.NowMs - started));
                    return (tactic, finished.State, []);
                case StepResult.Goals next when next.Open.Count < goals.Count:
                    context.Emit(new ProofEvent.TacticApplied(context.NowMs, stage, theorem, tactic, goals.Count, next.Open.Count, context.NowMs - started));
                    return (tactic, next.State, next.Open);
            }
        }

        return null;
    }

    private static async Task<IReadOnlyList<string>> Safe(Func<Task<IReadOnlyList<string>>> suggest)
    {
        try
        {
            return await suggest();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return [];
        }
    }
}
