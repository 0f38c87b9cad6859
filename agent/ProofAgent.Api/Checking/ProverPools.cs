using System.Collections.Concurrent;

namespace ProofAgent.Api.Checking;

/// <summary>
/// Bounded concurrency per named pool (one per prover language, one for models, one for jobs): a request either gets a
/// slot at once or is refused, so saturation becomes a <c>429</c> instead of a growing queue.
/// </summary>
public sealed class ProverPools
{
    private readonly ConcurrentDictionary<string, Pool> _pools = new(StringComparer.Ordinal);
    private readonly Func<string, int> _capacity;

    public ProverPools(Func<string, int> capacity) => _capacity = capacity;

    /// <summary>A slot in <paramref name="pool"/>, or null when every slot is taken. Dispose the lease to free it.</summary>
    public IDisposable? TryAcquire(string pool)
    {
        var p = _pools.GetOrAdd(pool, name => new Pool(_capacity(name)));
        if (!p.Semaphore.Wait(0))
        {
            Interlocked.Increment(ref p.Rejected);
            return null;
        }

        Interlocked.Increment(ref p.Acquired);
        return new Lease(p);
    }

    /// <summary>Occupancy of every pool used so far, ordered by name.</summary>
    public IReadOnlyList<PoolStats> Stats() =>
        [.. _pools.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PoolStats(
            p.Key, p.Value.Capacity, p.Value.Capacity - p.Value.Semaphore.CurrentCount, Interlocked.Read(ref p.Value.Acquired), Interlocked.Read(ref p.Value.Rejected)))];

    private sealed class Pool(int capacity)
    {
        public readonly int Capacity = Math.Max(1, capacity);
        public readonly SemaphoreSlim Semaphore = new(Math.Max(1, capacity), Math.Max(1, capacity));
        public long Acquired;
        public long Rejected;
    }

    private sealed class Lease(Pool pool) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                pool.Semaphore.Release();
            }
        }
    }
}

/// <summary>One pool's numbers for <c>/health</c>.</summary>
public sealed record PoolStats(string Name, int Capacity, int InUse, long Served, long Rejected);
