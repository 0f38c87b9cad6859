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
        // No core dumps either way (--core=0, ulimit -c 0): a crashing prover must not fill the disk.
        var each = Limits(limits).ToList();
        if (_prlimit is not null)
        {
            return spec with { Executable = _prlimit, Arguments = [.. each.Select(l => l.Prlimit), "--core=0", "--", spec.Executable, .. spec.Arguments] };
        }

        var script = string.Join("; ", ["ulimit -c 0", .. each.Select(l => l.Ulimit)]) + "; exec \"$@\"";
        return spec with { Executable = "/bin/sh", Arguments = ["-c", script, "sh", spec.Executable, .. spec.Arguments] };
    }

    /// <summary>
    /// Each limit that is set, as prlimit's option and as the shell's <c>ulimit</c> (which counts memory in KiB and file
    /// sizes in 512-byte blocks).
    /// </summary>
    private static IEnumerable<(string Prlimit, string Ulimit)> Limits(ProcessLimits limits)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (limits.MemoryBytes is { } memory)
        {
            yield return (string.Create(invariant, $"--as={memory}"), string.Create(invariant, $"ulimit -v {Math.Max(1, memory / 1024)}"));
        }

        if (limits.MaxFileSizeBytes is { } size)
        {
            yield return (string.Create(invariant, $"--fsize={size}"), string.Create(invariant, $"ulimit -f {Math.Max(1, size / 512)}"));
        }

        if (limits.MaxProcesses is { } processes)
        {
            yield return (string.Create(invariant, $"--nproc={processes}"), string.Create(invariant, $"ulimit -u {processes}"));
        }
    }
}

/// <summary>Runs the process as given. For tests of the process layer itself, and never for untrusted input.</summary>
public sealed class NoIsolation : IProcessIsolation
{
    public static NoIsolation Instance { get; } = new();

    public string Name => "none";

    public ProcessSpec Apply(ProcessSpec spec, ProcessLimits limits) => spec;
}
