using System.Collections.Concurrent;

namespace ProofAgent.Provers.Lean;

/// <summary>
/// Warm Lean REPL processes keyed by their normalized import header (the design of kimina-lean-server): <c>import Mathlib</c> is
/// paid once per process. A process is reused while healthy; recycled after <see cref="LeanOptions.MaxUsesPerProcess"/> requests
/// or when its resident memory exceeds <see cref="LeanOptions.MaxResidentBytes"/> (the REPL never frees environments); killed and
/// replaced after a timeout or crash. At most <see cref="LeanOptions.PoolSizePerHeader"/> processes per header are leased at once.
/// </summary>
public sealed class LeanReplPool(
    LeanOptions options,
    Func<string, CancellationToken, Task<LeanReplSession>> factory,
    ILogger<LeanReplPool>? logger = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly ILogger _logger = logger ?? NullLogger<LeanReplPool>.Instance;
    private int _started;
    private int _recycled;
    private bool _disposed;

    /// <summary>Processes started so far (each one paid its header).</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Processes retired so far (worn out, over memory, unhealthy).</summary>
    public int Recycled => Volatile.Read(ref _recycled);

    /// <summary>Warm processes waiting for work under a header.</summary>
    public int IdleCount(string header) => _buckets.TryGetValue(LeanText.NormalizeHeader(header), out var bucket) ? bucket.Idle.Count : 0;

    /// <summary>Leases a warm process whose header equals <paramref name="header"/>, starting one when none is idle.</summary>
    public async Task<Lease> AcquireAsync(string header, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = LeanText.NormalizeHeader(header);
        var bucket = _buckets.GetOrAdd(key, _ => new Bucket(Math.Max(1, options.PoolSizePerHeader)));
        await bucket.Slots.WaitAsync(cancellationToken);
        try
        {
            while (bucket.Idle.TryPop(out var idle))
            {
                if (idle.IsHealthy)
                {
                    return new Lease(this, bucket, Checked(idle, key));
                }

                await RetireAsync(idle, "found dead while idle");
            }

            var session = await factory(key, cancellationToken);
            Interlocked.Increment(ref _started);
            if (!string.Equals(session.Header, key, StringComparison.Ordinal))
            {
                await RetireAsync(session, "started for the wrong header");
            }

            return new Lease(this, bucket, Checked(session, key));
        }
        catch
        {
            bucket.Slots.Release();
            throw;
        }
    }

    /// <summary>Starts processes for a header ahead of demand (kimina's InitSessions).</summary>
    public async Task WarmUpAsync(string header, int count, CancellationToken cancellationToken = default)
    {
        var leases = new List<Lease>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                leases.Add(await AcquireAsync(header, cancellationToken));
            }
        }
        finally
        {
            foreach (var lease in leases)
            {
                await lease.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var bucket in _buckets.Values)
        {
            while (bucket.Idle.TryPop(out var session))
            {
                await session.DisposeAsync();
            }
        }
    }

    private static LeanReplSession Checked(LeanReplSession session, string key) =>
        string.Equals(session.Header, key, StringComparison.Ordinal)
            ? session
            : throw new InvalidOperationException($"pool invariant broken: a process for header '{session.Header}' was offered for '{key}'");

    private async ValueTask ReturnAsync(Bucket bucket, LeanReplSession session)
    {
        try
        {
            string? reason = !session.IsHealthy ? "unhealthy (timeout or crash)"
                : session.Uses >= options.MaxUsesPerProcess ? $"served {session.Uses} requests"
                : session.ResidentBytes() is { } rss && rss > options.MaxResidentBytes ? $"resident memory {rss / (1024 * 1024)} MiB over the cap"
                : null;
            if (reason is not null || _disposed)
            {
                await RetireAsync(session, reason ?? "pool disposed");
            }
            else
            {
                bucket.Idle.Push(session);
            }
        }
        finally
        {
            bucket.Slots.Release();
        }
    }

    private async ValueTask RetireAsync(LeanReplSession session, string reason)
    {
        Interlocked.Increment(ref _recycled);
        _logger.LogInformation("Recycling Lean REPL {Pid}: {Reason}", session.ProcessId, reason);
        await session.DisposeAsync();
    }

    /// <summary>A leased process; disposing it gives it back (or retires it).</summary>
    public sealed class Lease : IAsyncDisposable
    {
        private readonly LeanReplPool _pool;
        private readonly Bucket _bucket;
        private int _returned;

        internal Lease(LeanReplPool pool, Bucket bucket, LeanReplSession session)
        {
            _pool = pool;
            _bucket = bucket;
            Session = session;
        }

        public LeanReplSession Session { get; }

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _returned, 1) == 0 ? _pool.ReturnAsync(_bucket, Session) : ValueTask.CompletedTask;
    }

    internal sealed class Bucket(int size)
    {
        public SemaphoreSlim Slots { get; } = new(size, size);

        public ConcurrentStack<LeanReplSession> Idle { get; } = new();
    }
}
