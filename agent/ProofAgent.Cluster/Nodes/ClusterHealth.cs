using Orleans.Runtime;
using ProofAgent.Api;
using ProofAgent.Cluster.Store;

namespace ProofAgent.Cluster.Nodes;

/// <summary>The <c>cluster</c> section of <c>/health</c>: the members, each active node's slots and queues, and whether they share the API keys.</summary>
public sealed class ClusterHealth(ClusterSettings settings, LocalNode local, ClusterLoad load, ClusterMembers members, PostgresJobStore store) : IHealthSection
{
    public string Name => "cluster";

    public async Task<object> DescribeAsync(CancellationToken cancellationToken)
    {
        var loads = load.Nodes.ToDictionary(n => n.Address, StringComparer.Ordinal);
        var table = await members.ReadAsync(cancellationToken);
        var nodes = table.Where(m => m.Status != SiloStatus.Dead || loads.ContainsKey(m.Address)).Select(m => loads.TryGetValue(m.Address, out var l)
            ? (object)new
            {
                address = m.Address,
                name = m.Name,
                status = m.Status,
                self = m.Address == local.Address,
                url = l.Url,
                checks = new { slots = l.CheckSlots, maxQueued = l.MaxQueuedChecks, pools = l.Pools.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new { name = p.Key, slots = p.Value.Slots, inUse = p.Value.InUse, queued = p.Value.Queued }) },
                jobs = new { slots = l.JobSlots, running = l.JobsRunning },
                readAt = l.At,
            }
            : new { address = m.Address, name = m.Name, status = m.Status, self = false });
        return new
        {
            name = settings.Name,
            node = local.Address,
            members = nodes.ToList(),
            deadMembers = table.Count(m => m.Status == SiloStatus.Dead),
            jobsQueued = await store.CountQueuedAsync(cancellationToken),
            sameApiKeys = load.Nodes.Select(n => n.KeysFingerprint).Distinct(StringComparer.Ordinal).Count() <= 1,
        };
    }
}
