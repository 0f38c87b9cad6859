namespace ProofAgent.Provers;

/// <summary>Whether a prover can run here, and which one it is.</summary>
public abstract record ProverAvailability
{
    private ProverAvailability()
    {
    }

    public sealed record Available(ProverIdentity Identity, string ExecutablePath) : ProverAvailability;

    public sealed record Missing(string Prover, string Reason, string InstallHint) : ProverAvailability
    {
        public Verdict.Unavailable ToVerdict() => new(Prover, Reason, InstallHint);
    }
}
