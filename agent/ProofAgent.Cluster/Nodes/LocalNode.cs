using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Orleans.Runtime;
using ProofAgent.Api;
using ProofAgent.Api.Checking;
using ProofAgent.Cluster.Grains;

namespace ProofAgent.Cluster.Nodes;

/// <summary>This node: its silo address (the owner name of the jobs it runs), its API address and its load right now.</summary>
public sealed class LocalNode(ILocalSiloDetails silo, ProverPools pools, ApiOptions options, IServer server)
{
    private readonly string _keys = Fingerprint(options.ApiKeys);
    private Func<int> _jobsRunning = () => 0;

    /// <summary>The silo address with its generation: a node that restarts is a new owner.</summary>
    public string Address => silo.SiloAddress.ToParsableString();

    public SiloAddress SiloAddress => silo.SiloAddress;

    public string? Url => server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();

    internal void CountJobsWith(Func<int> running) => _jobsRunning = running;

    public NodeLoad Load() => new(
        Address,
        Url,
        options.ChecksPerProver,
        options.MaxQueuedChecks,
        pools.Stats().Where(p => p.Name.StartsWith("check:", StringComparison.Ordinal)).ToDictionary(p => p.Name, p => new PoolLoad(p.Capacity, p.InUse, p.Queued), StringComparer.Ordinal),
        options.ConcurrentJobs,
        _jobsRunning(),
        _keys,
        DateTimeOffset.UtcNow);

    /// <summary>A short digest of the set of accepted keys: equal on every node that accepts the same keys, and says nothing about them.</summary>
    private static string Fingerprint(IEnumerable<string> keys)
    {
        var digests = keys.Where(k => k.Length > 0).Select(k => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(k)))).Distinct().Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', digests))))[..12];
    }
}
