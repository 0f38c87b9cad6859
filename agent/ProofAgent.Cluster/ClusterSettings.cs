using System.Net;

namespace ProofAgent.Cluster;

/// <summary>
/// How a node joins its cluster: the shared store, the cluster's name, and the address and ports other nodes reach this
/// one on (silo-to-silo traffic; the REST API keeps its own <c>--urls</c>).
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>The Npgsql connection string of the shared store (jobs, events, verification cache, Orleans membership).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Nodes with the same name and store form one cluster (Orleans' ClusterId).</summary>
    public string Name { get; init; } = "proofagent";

    /// <summary>The port other nodes reach this one on (Orleans silo port).</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>The Orleans gateway port for external Orleans clients; 0: none (the REST API is the way in).</summary>
    public int GatewayPort { get; init; }

    /// <summary>The address other nodes reach this one on; it is also where the silo port listens.</summary>
    public IPAddress Advertise { get; init; } = IPAddress.Loopback;

    /// <summary>How often a node re-reads every node's load (placement of checks and jobs uses the last reading).</summary>
    public TimeSpan LoadRefresh { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a node looks for jobs owned by dead nodes, besides every membership change.</summary>
    public TimeSpan OrphanScan { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Orleans' membership probe timeout: a node that answers no probe for three of these is suspected, then declared dead.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The node's name: <c>address:siloPort</c> (the <c>node</c> label of its metrics).</summary>
    public string NodeName => $"{Advertise}:{SiloPort}";

    public ClusterSettings WithName(string name) => this with { Name = name };

    public ClusterSettings WithPorts(int siloPort, int gatewayPort) => this with { SiloPort = siloPort, GatewayPort = gatewayPort };

    public ClusterSettings WithAdvertise(IPAddress address) => this with { Advertise = address };

    public ClusterSettings WithProbeTimeout(TimeSpan timeout) => this with { ProbeTimeout = timeout };
}
