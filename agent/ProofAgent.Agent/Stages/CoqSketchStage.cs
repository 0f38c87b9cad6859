using ProofAgent.Agent.Coq;
using ProofAgent.Agent.Documents;

namespace ProofAgent.Agent.Stages;

/// <summary>
/// Stage 3 for Coq: a rejected script is replayed in a session; each failing step becomes a hole
/// (<c>assert (P) by t</c> keeps its assertion) that the tactic search closes (model tactics first, then automation and
/// the SMT oracle). Returns the repaired script when every hole closed and no goal remains.
/// </summary>
public sealed class CoqSketchStage(IGoalOracle? oracle, ITacticProposer? proposer, ILogger logger)
{
    public async Task<SessionResult> RunAsync(IProverSession session, ProofTarget target, IReadOnlyList<string> script, AttemptContext context, CancellationToken cancellationToken)
    {
        context.CountProverCall();
        var start = await session.StartProofAsync(target.Statement, cancellationToken);
        if (start is not StepResult.Goals { } current)
        {
            return SessionResult.None;
        }

        var state = current.State;
        var goals = current.Open;
        var output = new List<string>();
        var search = new CoqTacticSearch(session, context, oracle, proposer, logger);
        var holes = 0;
        foreach (var sentence in script)
        {
            if (context.Exhausted)
            {
                return SessionResult.None;
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
                if (AssertionOf(sentence) is { } assertion)
                {
                    context.CountProverCall();
                    step = await session.RunTacticAsync(state, assertion, cancellationToken);
                    if (step is not StepResult.Goals opened)
                    {
                        return SessionResult.None;
                    }

                    output.Add(assertion);
                    var closed = await search.CloseFirstGoalAsync(opened.State, opened.Open, target.Name, ProofStage.Sketch, cancellationToken);
                    if (!closed.Closed || closed.State is null)
                    {
                        return SessionResult.None;
                    }

                    output.AddRange(closed.Script);
                    (state, goals) = await GoalsAtAsync(session, closed.State.Value, closed.Finished, context, cancellationToken);
                    continue;
                }

                var hole = await search.CloseFirstGoalAsync(state, goals, target.Name, ProofStage.Sketch, cancellationToken);
                if (!hole.Closed || hole.State is null)
                {
                    return SessionResult.None;
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
            var rest = await search.CloseFirstGoalAsync(state, goals, target.Name, ProofStage.Sketch, cancellationToken);
            if (!rest.Closed || rest.State is null)
            {
                return SessionResult.None;
            }

            output.AddRange(rest.Script);
            (state, goals) = await GoalsAtAsync(session, rest.State.Value, rest.Finished, context, cancellationToken);
        }

        context.Note($"{target.Name}: sketch with {holes} hole(s) completed");
        return goals.Count == 0 ? new SessionResult(string.Join("\n", output)) : SessionResult.None;
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
}
