using System.Globalization;

namespace ProofAgent.Lsp.Tests.Support;

/// <summary>The descendants of a process, read from /proc (Linux): to prove that no prover outlives the server.</summary>
public static class ProcessTree
{
    /// <summary>PIDs (with their command names) of every live descendant of <paramref name="root"/>.</summary>
    public static IReadOnlyList<(int Pid, string Name)> Descendants(int root)
    {
        var parents = new Dictionary<int, (int Parent, string Name)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                parents[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), name);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we read.
            }
        }

        var result = new List<(int, string)>();
        var frontier = new Queue<int>([root]);
        while (frontier.Count > 0)
        {
            var parent = frontier.Dequeue();
            foreach (var (pid, (ppid, name)) in parents)
            {
                if (ppid == parent)
                {
                    result.Add((pid, name));
                    frontier.Enqueue(pid);
                }
            }
        }

        return result;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'); // a zombie has already ended
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
