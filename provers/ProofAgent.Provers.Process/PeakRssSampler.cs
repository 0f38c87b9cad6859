using System.Globalization;

namespace ProofAgent.Provers.Processes;

/// <summary>
/// Reads a process's peak resident set size (VmHWM) from /proc a few times a second. The prover's own accounting is not trusted.
/// </summary>
internal sealed class PeakRssSampler : IDisposable
{
    private readonly int _pid;
    private readonly Timer? _timer;
    private long _peak;

    public PeakRssSampler(int pid)
    {
        _pid = pid;
        if (OperatingSystem.IsLinux())
        {
            _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
        }
    }

    public long? Peak => Interlocked.Read(ref _peak) is var value && value > 0 ? value : null;

    public void Dispose() => _timer?.Dispose();

    private void Sample()
    {
        // A sandbox or prlimit wrapper is the process the runner started; the prover is its descendant.
        var pending = new Stack<int>([_pid]);
        for (var visited = 0; pending.Count > 0 && visited < 64; visited++)
        {
            var pid = pending.Pop();
            SampleOne(pid);
            try
            {
                foreach (var child in File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    pending.Push(int.Parse(child, CultureInfo.InvariantCulture));
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
            }
        }
    }

    private void SampleOne(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    continue;
                }

                var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                var bytes = kb * 1024;
                long current;
                while (bytes > (current = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, bytes, current) != current)
                {
                }

                return;
            }
        }
        catch (IOException)
        {
            // The process has exited; the last sample stands.
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (FormatException)
        {
        }
    }
}
