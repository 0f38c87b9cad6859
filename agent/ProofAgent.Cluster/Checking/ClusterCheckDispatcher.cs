using Microsoft.Extensions.Logging;
using ProofAgent.Api.Checking;
using ProofAgent.Cluster.Grains;
using ProofAgent.Cluster.Nodes;
using ProofAgent.Provers;

namespace ProofAgent.Cluster.Checking;

/// <summary>
/// Checks in a cluster: a hit in the shared verification cache is answered here; otherwise the check goes to the node
/// with the most headroom in that prover's pool (free slots less waiting checks; this node first on a tie), where it
/// runs or waits in that node's FIFO queue. 429 only when every node's slots are busy and every queue is full.
/// </summary>
public sealed class ClusterCheckDispatcher(CheckService local, LocalNode node, ClusterLoad load, IGrainFactory grains, ILogger<ClusterCheckDispatcher> logger) : ICheckDispatcher
{
    private const int MaxNodesTried = 3;

    public async Task<CheckAnswer> CheckAsync(CheckInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await local.CachedAsync(input, cancellationToken) is { } hit)
        {
            return hit;
        }

        var pool = CheckService.PoolName(input.Language);
        var self = node.Address;
        var candidates = load.Nodes
            .Where(n => n.Pool(pool).Headroom > 0 || n.Pool(pool).Queued < n.MaxQueuedChecks)
            .OrderByDescending(n => n.Pool(pool).Headroom)
            .ThenBy(n => n.Address == self ? 0 : 1)
            .ThenBy(n => n.Address, StringComparer.Ordinal)
            .Take(MaxNodesTried)
            .ToList();
        CheckAnswer? last = null;
        foreach (var candidate in candidates)
        {
            if (candidate.Address == self)
            {
                last = await local.CheckAsync(input, cancellationToken);
            }
            else
            {
                try
                {
                    var work = new CheckWork(input.Language.Id(), input.Header, input.Statement, input.Proof, input.Timeout.TotalSeconds, input.WholeFile);
                    var reply = await grains.GetGrain<INodeGrain>(candidate.Address).CheckAsync(work).WaitAsync(cancellationToken);
                    last = reply.Json is { } json
                        ? new CheckAnswer.Report(json, reply.Verdict ?? "unknown", reply.CacheHit)
                        : new CheckAnswer.Saturated(reply.SaturatedPool ?? pool, reply.SaturatedDetail ?? "the node had no slot");
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The node left or failed: the check has not run anywhere; try the next one.
                    logger.LogWarning(exception, "check on node {Node} failed; trying another node", candidate.Address);
                    continue;
                }
            }

            if (last is CheckAnswer.Report)
            {
                return last;
            }
        }

        return last ?? new CheckAnswer.Saturated(pool, $"every node's '{pool}' slots are busy and every node's check queue is full");
    }
}
