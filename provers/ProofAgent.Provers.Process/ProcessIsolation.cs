using System.Globalization;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// Rewrites a process spec so that the kernel enforces limits (and, for sandboxes, confinement) on it.
/// Every external prover process goes through exactly one isolation.
/// </summary>
public interface IProcessIsolation
{
    /// <summary>Short name for logs and results (<c>rlimit</c>, <c>bwrap</c>, <c>none</c>).</summary>
    string Name { get; }

    ProcessSpec Apply(ProcessSpec spec, ProcessLimits limits);
}

/// <summary>
/// Kernel resource limits through util-linux <c>prlimit</c>, which sets them and then execs the command in place,
/// so the process id, signals and exit code are the prover's own. Without prlimit, POSIX <c>sh</c> <c>ulimit</c> does the same.
/// </summary>
public sealed class ResourceLimitIsolation : IProcessIsolation
{
    private readonly string? _prlimit = ExecutableLocator.Find("prlimit");

    public string Name => "rlimit";

    public ProcessSpec Apply(ProcessSpec spec, ProcessLimits limits)
    {
        var limitArgs = new List<string>();
        if (limits.MemoryBytes is { } memory)
        {
            limitArgs.Add(string.Create(CultureInfo.InvariantCulture, $"--as={memory}"));
        }

        if (limits.MaxFileSizeBytes is { } fsize)
        {
            limitArgs.Add(string.Create(CultureInfo.InvariantCulture, $"--fsize={fsize}"));
        }

        if (limits.MaxProcesses is { } nproc)
        {
            limitArgs.Add(string.Create(CultureInfo.InvariantCulture, $"--nproc={nproc}"));
        }

        // No core dumps: a crashing prover must not fill the disk.
        limitArgs.Add("--core=0");

        if (_prlimit is not null)
        {
            return spec with { Executable = _prlimit, Arguments = [.. limitArgs, "--", spec.Executable, .. spec.Arguments] };
        }

        var ulimits = new List<string> { "ulimit -c 0" };
        if (limits.MemoryBytes is { } kb)
        {
            ulimits.Add(string.Create(CultureInfo.InvariantCulture, $"ulimit -v {Math.Max(1, kb / 1024)}"));
        }

        if (limits.MaxFileSizeBytes is { } f)
        {
            ulimits.Add(string.Create(CultureInfo.InvariantCulture, $"ulimit -f {Math.Max(1, f / 512)}"));
        }

        if (limits.MaxProcesses is { } n)
        {
            ulimits.Add(string.Create(CultureInfo.InvariantCulture, $"ulimit -u {n}"));
        }

        var script = string.Join("; ", ulimits) + "; exec \"$@\"";
        return spec with { Executable = "/bin/sh", Arguments = ["-c", script, "sh", spec.Executable, .. spec.Arguments] };
    }
}

/// <summary>Runs the process as given. For tests of the process layer itself, and never for untrusted input.</summary>
public sealed class NoIsolation : IProcessIsolation
{
    public static NoIsolation Instance { get; } = new();

    public string Name => "none";

    public ProcessSpec Apply(ProcessSpec spec, ProcessLimits limits) => spec;
}
