using ProofAgent.Agent.Documents;

namespace ProofAgent.Agent.Stages;

/// <summary>Stage 4 for Lean 4 and Isabelle: from the statement, close goal after goal with <see cref="GoalCloser"/>.</summary>
public sealed class GoalRefinementStage(GoalCloser closer)
{
    public async Task<SessionResult> RunAsync(IProverSession session, ProofDocument document, ProofTarget target, AttemptContext context, CancellationToken cancellationToken)
    {
        context.CountProverCall();
        if (await session.StartProofAsync(target.Statement, cancellationToken) is not StepResult.Goals start)
        {
            return SessionResult.None;
        }

        var (state, goals) = (start.State, start.Open);
        var output = new List<string>();
        while (goals.Count > 0 && !context.Exhausted)
        {
            if (await closer.CloseFirstGoalAsync(session, state, goals, target.Name, ProofStage.Refinement, context, cancellationToken) is not { } closed)
            {
                return SessionResult.None;
            }

            output.Add(closed.Tactic);
            (state, goals) = (closed.State, closed.Goals);
        }

        return goals.Count == 0 ? new SessionResult(document.Script(output)) : SessionResult.None;
    }
}
