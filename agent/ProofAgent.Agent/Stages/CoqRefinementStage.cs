using ProofAgent.Agent.Coq;
using ProofAgent.Agent.Documents;
using ProofAgent.Agent.Sessions;

namespace ProofAgent.Agent.Stages;

/// <summary>
/// Stage 4 for Coq: best-first search from the statement itself (<see cref="CoqTacticSearch"/>), in rounds with longer
/// tactic steps while budget remains; when a tactic loses the session, once more in a new session without it.
/// </summary>
public sealed class CoqRefinementStage(IGoalOracle? oracle, ITacticProposer? proposer, ILogger logger)
{
    /// <summary>The tactic-timeout multipliers of the rounds.</summary>
    private static readonly int[] TimeoutScales = [1, 4];

    public async Task<SessionResult> RunAsync(SessionLease lease, ProofTarget target, AttemptContext context, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < SessionLease.MaxOpens && !context.Exhausted; attempt++)
        {
            var reopening = lease.Lost;
            var session = await lease.AcquireAsync(cancellationToken);
            if (session is null)
            {
                return SessionResult.None;
            }

            if (reopening)
            {
                context.Note($"{target.Name}: searching in a new Coq session, without {string.Join(", ", context.SessionKillers.Select(t => $"'{t}'"))}");
            }

            SearchOutcome outcome;
            try
            {
                outcome = await SearchAsync(session, target, context, cancellationToken);
            }
            catch (Exception exception) when (exception is ProverCrashedException or ProverTimeoutException)
            {
                logger.LogWarning(exception, "The Coq session failed during the search");
                outcome = SearchOutcome.Failed;
            }

            if (outcome.Closed)
            {
                return new SessionResult(string.Join("\n", outcome.Script));
            }

            if (outcome.Counterexample is { } refuted)
            {
                return new SessionResult(null, refuted);
            }

            if (session.IsHealthy)
            {
                break; // the search ended on its own terms
            }
        }

        return SessionResult.None;
    }

    private async Task<SearchOutcome> SearchAsync(IProverSession session, ProofTarget target, AttemptContext context, CancellationToken cancellationToken)
    {
        context.CountProverCall();
        var start = await session.StartProofAsync(target.Statement, cancellationToken);
        switch (start)
        {
            case StepResult.ProofFinished:
                return new SearchOutcome(true, [], null, true);
            case StepResult.Goals goals:
                // Rounds with longer tactic steps while budget remains: a search space explored with short steps is
                // explored again where only the slow closers could have succeeded (the visited states are forgotten).
                var outcome = SearchOutcome.Failed;
                foreach (var scale in TimeoutScales)
                {
                    if (context.Exhausted || context.Remaining < context.Budget.TacticTimeout * scale)
                    {
                        break;
                    }

                    if (scale > 1)
                    {
                        context.Note($"{target.Name}: search again with {scale}x longer tactic steps");
                    }

                    context.TacticTimeoutScale = scale;
                    var search = new CoqTacticSearch(session, context, oracle, proposer, logger);
                    outcome = await search.CloseFirstGoalAsync(goals.State, goals.Open, target.Name, ProofStage.Refinement, cancellationToken);
                    if (outcome.Closed || outcome.Counterexample is not null || !session.IsHealthy)
                    {
                        break; // a lost session serves no further round: the caller decides whether to open another
                    }
                }

                context.TacticTimeoutScale = 1;
                return outcome;
            default:
                context.Note($"{target.Name}: the statement does not start a proof: {(start as StepResult.StepError)?.Message}");
                return SearchOutcome.Failed;
        }
    }
}
