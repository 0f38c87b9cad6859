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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
                await Task.Delay(settings.LoadRefresh, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed reading must not stop the next one.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                logger.LogWarning(exception, "reading the cluster's load failed");
                await Task.Delay(settings.LoadRefresh, stoppingToken);
            }
        }
    }

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
