using ProofAgent.Agent.Documents;

namespace ProofAgent.Agent.Stages;

/// <summary>
/// Stage 3 for Lean 4 and Isabelle: a rejected proof's steps are replayed in a session (Lean: REPL proof states;
/// Isabelle: the step prover); a step the prover refuses becomes a hole that <see cref="GoalCloser"/> closes, and the
/// goals left at the end are closed the same way. Returns the script of kept steps and hole closers, or nothing.
/// </summary>
public sealed class StepSketchStage(GoalCloser closer)
{
    public async Task<SessionResult> RunAsync(
        IProverSession session, ProofDocument document, ProofTarget target, IReadOnlyList<string> steps, AttemptContext context, CancellationToken cancellationToken)
    {
        context.CountProverCall();
        if (await session.StartProofAsync(target.Statement, cancellationToken) is not StepResult.Goals start)
        {
            return SessionResult.None;
        }

        var (state, goals) = (start.State, start.Open);
        var output = new List<string>();
        var holes = 0;
        foreach (var step in steps)
        {
            if (context.Exhausted || goals.Count == 0)
            {
                break;
            }

            context.CountProverCall();
            switch (await session.RunTacticAsync(state, step, cancellationToken))
            {
                case StepResult.Goals next:
                    output.Add(step);
                    (state, goals) = (next.State, next.Open);
                    continue;
                case StepResult.ProofFinished finished:
                    output.Add(step);
                    (state, goals) = (finished.State, []);
                    continue;
            }

            holes++;
            if (await closer.CloseFirstGoalAsync(session, state, goals, target.Name, ProofStage.Sketch, context, cancellationToken) is not { } closed)
            {
                return SessionResult.None;
            }

            output.Add(closed.Tactic);
            (state, goals) = (closed.State, closed.Goals);
        }

        while (goals.Count > 0 && !context.Exhausted)
        {
            holes++;
            if (await closer.CloseFirstGoalAsync(session, state, goals, target.Name, ProofStage.Sketch, context, cancellationToken) is not { } closed)
            {
                return SessionResult.None;
            }

            output.Add(closed.Tactic);
            (state, goals) = (closed.State, closed.Goals);
        }

        if (goals.Count > 0)
        {
            return SessionResult.None;
        }

        context.Note($"{target.Name}: sketch with {holes} hole(s) completed");
        return new SessionResult(document.Script(output));
    }
}
