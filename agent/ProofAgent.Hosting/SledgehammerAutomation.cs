using ProofAgent.Agent;
using ProofAgent.Provers;
using ProofAgent.Provers.Isabelle;

namespace ProofAgent.Hosting;

/// <summary>
/// Isabelle's goal automation: sledgehammer on the state, its <c>Try this</c> proofs as tactics to run. It lives with the
/// composition root because it needs the Isabelle adapter's session; the agent sees it as an <see cref="IGoalAutomation"/>.
/// </summary>
internal sealed class SledgehammerAutomation : IGoalAutomation
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
