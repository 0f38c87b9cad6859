using ProofAgent.Agent.Coq;

namespace ProofAgent.Agent.Generation;

/// <summary>Next tactics from the model (n samples of the format's tactic prompt, one call), holes dropped; the prover decides.</summary>
public sealed class ModelTacticProposer(ProofSampler sampler, ISourceScanner scanner, int seed) : ITacticProposer
{
    public async Task<IReadOnlyList<string>> ProposeAsync(Goal goal, int count, CancellationToken cancellationToken = default)
    {
        var tactics = await sampler.TacticsAsync(scanner.Language, goal, count, seed, cancellationToken);
        return scanner.Language == ProofLanguage.Coq
            ? [.. tactics.SelectMany(t => CoqProofFile.ExtractScript(t)).Where(t => scanner.Scan(t).Findings.Count == 0).Take(count)]
            : [.. tactics.Take(count)];
    }
}
