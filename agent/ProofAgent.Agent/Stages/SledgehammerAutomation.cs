using ProofAgent.Provers;
using ProofAgent.Provers.Isabelle;

namespace ProofAgent.Agent.Stages;

/// <summary>Isabelle's goal automation: sledgehammer on the state, its <c>Try this</c> proofs as tactics to run.</summary>
public sealed class SledgehammerAutomation : IGoalAutomation
{
    public async Task<IReadOnlyList<string>> SuggestAsync(IProverSession session, ProofStateId state, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (session is not IsabelleStepSession isabelle)
        {
            return [];
        }

        var seconds = Math.Max(1, (int)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var suggestions = await isabelle.SledgehammerAsync(state, $"timeout = {seconds}", cancellationToken);

        // "by metis" closes the goal as a terminal step: as a step-prover method it is "metis".
        return [.. suggestions.Select(s => s.Proof.StartsWith("by ", StringComparison.Ordinal) ? s.Proof[3..].Trim() : s.Proof)];
    }
}
