using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using ProofAgent.Cluster.Grains;

namespace ProofAgent.Cluster.Nodes;

/// <summary>
/// The last reading of every active node's load, refreshed every <see cref="ClusterSettings.LoadRefresh"/> by asking each
/// node's grain. Placement of checks and jobs ranks nodes by it (this node's own entry is always read live).
/// </summary>
public sealed class ClusterLoad(LocalNode local, IClusterMembershipService membership, IGrainFactory grains, ClusterSettings settings, ILogger<ClusterLoad> logger) : BackgroundService
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);
    private volatile IReadOnlyList<NodeLoad> _others = [];

    /// <summary>Every active node, this one first (live), the others as last read, ordered by address.</summary>
    public IReadOnlyList<NodeLoad> Nodes => [local.Load(), .. _others];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(settings.LoadRefresh, waitFirst: false, RefreshAsync, exception => logger.LogWarning(exception, "reading the cluster's load failed"), stoppingToken);

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var others = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(local.SiloAddress))
            .Select(m => m.SiloAddress.ToParsableString())
            .Order(StringComparer.Ordinal)
            .ToList();
        var readings = await Task.WhenAll(others.Select(async address =>
        {
            try
            {
                return await grains.GetGrain<INodeGrain>(address).GetLoadAsync().WaitAsync(CallTimeout, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug(exception, "node {Node} did not report its load", address);
                return null;
            }
        }));
        _others = [.. readings.OfType<NodeLoad>()];
    }
}
