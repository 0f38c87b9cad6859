namespace ProofAgent.Provers;

/// <summary>One-shot, stateless checking of a whole artifact ("does this file check, soundly?").</summary>
public interface IProofChecker
{
    ProofLanguage Language { get; }

    /// <summary>Finds the prover and its version without checking anything.</summary>
    Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks the artifact through the soundness gate of its language.</summary>
    Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default);
}
