using System.Collections.Concurrent;

namespace ProofAgent.Api.Checking;

/// <summary>How many may run at once in a pool, and how many may wait for a slot (0: none wait, a full pool refuses at once).</summary>
public sealed record PoolLimits(int Slots, int MaxQueued);

/// <summary>Why a request got no slot.</summary>
public enum PoolRefusal
{
    /// <summary>Every slot is busy and nothing may wait (or the queue is full).</summary>
    QueueFull,

    /// <summary>The request waited in the queue for its whole bounded wait.</summary>
    WaitExpired,
}

/// <summary>The outcome of asking a pool for a slot: a lease to dispose, or the refusal.</summary>
public readonly record struct PoolTicket(IDisposable? Lease, PoolRefusal Refusal)
{
    public bool Granted => Lease is not null;
}

/// <summary>
/// Bounded concurrency per named pool (one per prover language, one for models). A request that finds every slot busy
/// waits in a bounded first-in-first-out queue: slots go to waiters strictly in arrival order, so a client that keeps
/// asking cannot be overtaken forever by later ones (issue 20). The queue is bounded in length and in time, so overload
/// still becomes a <c>429</c> instead of a queue that grows without end.
/// </summary>
public sealed class ProverPools
{
    private readonly ConcurrentDictionary<string, Pool> _pools = new(StringComparer.Ordinal);
    private readonly Func<string, PoolLimits> _limits;

    /// <summary>Pools whose slots never queue: a full pool refuses at once.</summary>
    public ProverPools(Func<string, int> capacity)
        : this(name => new PoolLimits(capacity(name), 0))
    {
    }

    public ProverPools(Func<string, PoolLimits> limits) => _limits = limits;

    /// <summary>A slot in <paramref name="pool"/> at once, or null when every slot is taken (never queues). Dispose the lease to free it.</summary>
    public IDisposable? TryAcquire(string pool)
    {
        var p = Get(pool);
        lock (p)
        {
            if (p.Free > 0 && p.Waiters.Count == 0)
            {
                p.Free--;
                p.Acquired++;
                return new Lease(p);
            }

            p.Rejected++;
            return null;
        }
    }

    /// <summary>
    /// A slot in <paramref name="pool"/>: at once when one is free and nobody waits before us, else after waiting in the
    /// pool's FIFO queue for at most <paramref name="maxWait"/>. Refused at once when the queue is full.
    /// </summary>
    public async Task<PoolTicket> AcquireAsync(string pool, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var p = Get(pool);
        Waiter waiter;
        lock (p)
        {
            if (p.Free > 0 && p.Waiters.Count == 0)
            {
                p.Free--;
                p.Acquired++;
                return new PoolTicket(new Lease(p), default);
            }

            if (p.Waiters.Count >= p.Limits.MaxQueued)
            {
                p.Rejected++;
                return new PoolTicket(null, PoolRefusal.QueueFull);
            }

            waiter = new Waiter();
            waiter.Node = p.Waiters.AddLast(waiter);
        }

        // A dedicated timer per waiter (not Task.Delay on a busy pool): the bound holds under load.
        using var timeout = new CancellationTokenSource(maxWait);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using (linked.Token.Register(() => Abandon(p, waiter)))
        {
            var granted = await waiter.Signal.Task.ConfigureAwait(false);
            if (granted)
            {
                return new PoolTicket(new Lease(p), default);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new PoolTicket(null, PoolRefusal.WaitExpired);
    }

    /// <summary>Occupancy of every pool used so far, ordered by name.</summary>
    public IReadOnlyList<PoolStats> Stats()
    {
        var stats = new List<PoolStats>();
        foreach (var (name, p) in _pools.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            lock (p)
            {
                stats.Add(new PoolStats(name, p.Limits.Slots, p.Limits.Slots - p.Free, p.Waiters.Count, p.Limits.MaxQueued, p.Acquired, p.Rejected));
            }
        }

        return stats;
    }

    private Pool Get(string pool) => _pools.GetOrAdd(pool, name => new Pool(_limits(name)));

    private static void Abandon(Pool pool, Waiter waiter)
    {
        lock (pool)
        {
            if (waiter.Node?.List is null)
            {
                return; // already granted
            }

            pool.Waiters.Remove(waiter.Node);
            pool.Rejected++;
        }

        waiter.Signal.TrySetResult(false);
    }

    private static void Release(Pool pool)
    {
        Waiter? next = null;
        lock (pool)
        {
            if (pool.Waiters.First is { } first)
            {
                // The slot passes straight to the oldest waiter: it never becomes free for a newcomer to take first.
                pool.Waiters.RemoveFirst();
                pool.Acquired++;
                next = first.Value;
            }
            else
            {
                pool.Free++;
            }
        }

        next?.Signal.TrySetResult(true);
    }

    private sealed class Pool(PoolLimits limits)
    {
        public readonly PoolLimits Limits = limits with { Slots = Math.Max(1, limits.Slots), MaxQueued = Math.Max(0, limits.MaxQueued) };
        public readonly LinkedList<Waiter> Waiters = new();
        public int Free = Math.Max(1, limits.Slots);
        public long Acquired;
        public long Rejected;
    }

    private sealed class Waiter
    {
        public readonly TaskCompletionSource<bool> Signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node;
    }

    private sealed class Lease(Pool pool) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Release(pool);
            }
        }
    }
}

/// <summary>One pool's numbers for <c>/health</c>: slots, slots in use, requests waiting now and the queue's bound.</summary>
public sealed record PoolStats(string Name, int Capacity, int InUse, int Queued, int MaxQueued, long Served, long Rejected);
