namespace ProofAgent.Cluster.Grains;

/// <summary>One node's load as it reports it: its prover slots and queues, its job workers, and where its API listens.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeLoad(
    [property: Id(0)] string Address,
    [property: Id(1)] string? Url,
    [property: Id(2)] int CheckSlots,
    [property: Id(3)] int MaxQueuedChecks,
    [property: Id(4)] IReadOnlyDictionary<string, PoolLoad> Pools,
    [property: Id(5)] int JobSlots,
    [property: Id(6)] int JobsRunning,
    [property: Id(7)] string KeysFingerprint,
    [property: Id(8)] DateTimeOffset At)
{
    /// <summary>The load of a check pool (<c>check:coq</c>, ...); a pool never used yet is idle.</summary>
    public PoolLoad Pool(string name) => Pools.TryGetValue(name, out var load) ? load : new PoolLoad(CheckSlots, 0, 0);

    public int FreeJobSlots => Math.Max(0, JobSlots - JobsRunning);
}

/// <summary>A check pool's slots, slots in use, and requests waiting.</summary>
[GenerateSerializer, Immutable]
public sealed record PoolLoad([property: Id(0)] int Slots, [property: Id(1)] int InUse, [property: Id(2)] int Queued)
{
    /// <summary>Free slots less the queue: what placement maximises (negative when requests wait).</summary>
    public int Headroom => Slots - InUse - Queued;
}

/// <summary>A validated check sent to another node (the wire form of <c>CheckInput</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record CheckWork(
    [property: Id(0)] string Language,
    [property: Id(1)] string Header,
    [property: Id(2)] string Statement,
    [property: Id(3)] string Proof,
    [property: Id(4)] double TimeoutSeconds,
    [property: Id(5)] bool WholeFile = false);

/// <summary>A node's answer to a check: the report JSON, or why it had no slot.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckReply(
    [property: Id(0)] string? Json,
    [property: Id(1)] string? Verdict,
    [property: Id(2)] bool CacheHit,
    [property: Id(3)] string? SaturatedPool,
    [property: Id(4)] string? SaturatedDetail);
