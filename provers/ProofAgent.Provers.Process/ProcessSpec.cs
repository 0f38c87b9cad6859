namespace ProofAgent.Provers.Processes;

/// <summary>What to start: an executable, its arguments, where, and with which environment and input. Immutable.</summary>
public sealed record ProcessSpec(string Executable, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes the variable).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to standard input, then closed. Null means empty input.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// Host paths the process needs besides its working directory, for sandboxes (<see cref="Sandbox.BubblewrapIsolation"/>):
    /// everything else of the host's file system stays invisible. Ignored by isolations that do not confine.
    /// </summary>
    public IReadOnlyList<Sandbox.PathGrant> PathGrants { get; init; } = [];

    public ProcessSpec WithArguments(params IEnumerable<string> arguments) => this with { Arguments = [.. arguments] };

    public ProcessSpec WithWorkingDirectory(string? directory) => this with { WorkingDirectory = directory };

    public ProcessSpec WithStandardInput(string? input) => this with { StandardInput = input };

    public ProcessSpec WithEnvironment(string name, string? value)
    {
        var environment = new Dictionary<string, string?>(Environment, StringComparer.Ordinal) { [name] = value };
        return this with { Environment = environment };
    }

    public override string ToString() => string.Join(' ', new[] { Executable }.Concat(Arguments.Select(Quote)));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_=./:,+@".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

/// <summary>
/// Hard limits for one process. The timeout is enforced by the service (graceful interrupt, then kill of the whole tree
/// after <see cref="GracePeriod"/>); memory and file size are enforced by the kernel through <c>prlimit</c>.
/// </summary>
public sealed record ProcessLimits(TimeSpan Timeout)
{
    /// <summary>Address-space cap in bytes (RLIMIT_AS). Null: no cap.</summary>
    public long? MemoryBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Largest file the process may write (RLIMIT_FSIZE). Null: no cap.</summary>
    public long? MaxFileSizeBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most processes and threads (RLIMIT_NPROC). Null: no cap. Sandboxes set it (counted per sandbox there).</summary>
    public int? MaxProcesses { get; init; }

    /// <summary>Time between the interrupt and the forced kill.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Characters kept per output stream; the rest is drained and dropped, with a marker.</summary>
    public int MaxOutputChars { get; init; } = 2 * 1024 * 1024;

    public static ProcessLimits FromBudget(ResourceBudget budget) =>
        new(budget.WallClock) { MemoryBytes = budget.MemoryBytes };

    public ProcessLimits WithTimeout(TimeSpan timeout) => this with { Timeout = timeout };

    public ProcessLimits WithMemory(long? bytes) => this with { MemoryBytes = bytes };

    public ProcessLimits WithMaxOutputChars(int chars) => this with { MaxOutputChars = chars };
}

/// <summary>How a process ended, with what it printed (bounded).</summary>
public sealed record ProcessOutcome(int? ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>The service killed it because it outlived its timeout.</summary>
    public bool TimedOut { get; init; }

    /// <summary>The caller cancelled it.</summary>
    public bool Cancelled { get; init; }

    /// <summary>Output beyond <see cref="ProcessLimits.MaxOutputChars"/> was dropped.</summary>
    public bool OutputTruncated { get; init; }

    /// <summary>Peak resident set size sampled from <c>/proc</c>, when it could be read.</summary>
    public long? PeakRssBytes { get; init; }

    /// <summary>The process hit its memory cap (allocation failure messages, or killed while over the cap).</summary>
    public bool OutOfMemory { get; init; }

    public bool Succeeded => ExitCode == 0 && !TimedOut && !Cancelled;
}
