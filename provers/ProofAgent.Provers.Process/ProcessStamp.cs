using System.Globalization;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// A process as the kernel knows it: its id and its start time (clock ticks after boot, field 22 of
/// <c>/proc/PID/stat</c>). Ids are reused; the pair is not, so a stamp tells a live owner from a dead one whose id now
/// belongs to someone else. Ids mean something only in their pid namespace (containers sharing one <c>/tmp</c> each
/// have their own), so a stamp names its namespace too. Linux only: elsewhere <see cref="Current"/> is null and nothing is
/// stamped.
/// </summary>
internal sealed record ProcessStamp(long Namespace, int Pid, long StartTicks)
{
    /// <summary>This process's pid namespace (the inode of <c>/proc/self/ns/pid</c>), or null where it cannot be read.</summary>
    public static long? CurrentNamespace { get; } = ReadNamespace();

    /// <summary>This process, or null where <c>/proc</c> does not say.</summary>
    public static ProcessStamp? Current { get; } = Read(Environment.ProcessId);

    /// <summary>The text a folder name carries: namespace, pid and start time, dot-separated.</summary>
    public string Tag => string.Create(CultureInfo.InvariantCulture, $"{Namespace}.{Pid}.{StartTicks}");

    /// <summary>
    /// True while the process of this stamp runs (a zombie counts as gone), and for every stamp of another pid namespace,
    /// whose processes this one cannot see.
    /// </summary>
    public bool IsRunning() => Namespace != CurrentNamespace || (Read(Pid) is { } now && now.StartTicks == StartTicks);

    /// <summary>The stamp of process <paramref name="pid"/> now, or null when there is none.</summary>
    public static ProcessStamp? Read(int pid)
    {
        if (CurrentNamespace is not { } space)
        {
            return null;
        }

        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
        if (fields.Length < 20 || fields[0] == "Z" || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcessStamp(space, pid, start);
    }

    private static long? ReadNamespace()
    {
        try
        {
            // "pid:[4026531836]"
            var link = new FileInfo("/proc/self/ns/pid").LinkTarget;
            return link is ['p', 'i', 'd', ':', '[', .. var inode, ']'] && long.TryParse(inode, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
