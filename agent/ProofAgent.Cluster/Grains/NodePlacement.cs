using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace ProofAgent.Cluster.Grains;

/// <summary>Places a grain on the silo its key names (a <see cref="SiloAddress"/> in parsable form).</summary>
[GenerateSerializer, Immutable]
public sealed class NodePlacement : PlacementStrategy
{
    internal static readonly NodePlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodePlacementAttribute() : PlacementAttribute(NodePlacement.Instance);

/// <summary>
/// The director of <see cref="NodePlacement"/>: the silo named by the key when it is an active member, else a failure
/// (the caller treats the node as gone); a grain of a dead node is never activated elsewhere.
/// </summary>
public sealed class NodePlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = target.GrainIdentity.Key.ToString();
        var silo = SiloAddress.FromParsableString(key);
        return context.GetCompatibleSilos(target).Contains(silo)
            ? Task.FromResult(silo)
            : throw new SiloUnavailableException($"cluster node {key} is not an active member");
    }
}
