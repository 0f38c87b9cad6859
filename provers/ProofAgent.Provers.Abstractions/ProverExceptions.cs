namespace ProofAgent.Provers;

/// <summary>The prover did not answer within its limit; its process was killed.</summary>
public sealed class ProverTimeoutException(string message, TimeSpan limit) : Exception(message)
{
    public TimeSpan Limit { get; } = limit;
}

/// <summary>The prover process died or spoke garbage.</summary>
public sealed class ProverCrashedException(string message, int? exitCode = null, bool isOutOfMemory = false, Exception? inner = null)
    : Exception(message, inner)
{
    public int? ExitCode { get; } = exitCode;

    public bool IsOutOfMemory { get; } = isOutOfMemory;
}
