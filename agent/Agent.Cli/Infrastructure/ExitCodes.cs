namespace ProofAgent.Cli.Infrastructure;

/// <summary>The exit-code contract shared by every command.</summary>
public static class ExitCodes
{
    /// <summary>Success; for checks and proofs: proved.</summary>
    public const int Success = 0;

    /// <summary>Not proved, or rejected (failed, incomplete, unsound, timeout, unavailable).</summary>
    public const int NotProved = 1;

    /// <summary>Bad usage or bad input: unknown option, unreadable file, malformed data.</summary>
    public const int BadInput = 2;

    /// <summary>A bug or an environment failure inside the service.</summary>
    public const int InternalError = 3;
}

/// <summary>Thrown for input the user must fix; becomes exit code 2 with the message.</summary>
public sealed class UsageException(string message) : Exception(message);
