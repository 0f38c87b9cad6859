using System.Net;
using Npgsql;
using Orleans.Runtime;

namespace ProofAgent.Cluster.Nodes;

/// <summary>
/// A member of the cluster as the membership table records it. <see cref="Status"/> is Orleans' own closed type, read
/// once from the table's number; <c>/health</c> writes it as Orleans names it, in camelCase (<c>active</c>, <c>dead</c>).
/// </summary>
public sealed record ClusterMember(string Address, string Name, SiloStatus Status);

/// <summary>
/// Reads Orleans' membership table directly: the authoritative list of members and their status. Job recovery asks it
/// rather than a silo's cached view, because a node that has just joined is in the table before it can own a job, while a
/// cached view may not have caught up yet (and would make its jobs look orphaned).
/// </summary>
public sealed class ClusterMembers(NpgsqlDataSource dataSource, ClusterSettings settings)
{
    public async Task<IReadOnlyList<ClusterMember>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT Address, Port, Generation, SiloName, Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster ORDER BY Address, Port, Generation");
        command.Parameters.AddWithValue("cluster", settings.Name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new List<ClusterMember>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var address = SiloAddress.New(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2)).ToParsableString();
            members.Add(new ClusterMember(address, reader.GetString(3), Status(reader.GetInt32(4))));
        }

        return members;
    }

    /// <summary>The owners that may still run jobs: every member not declared dead.</summary>
    public async Task<IReadOnlyList<string>> LiveAsync(CancellationToken cancellationToken) =>
        [.. (await ReadAsync(cancellationToken)).Where(m => m.Status != SiloStatus.Dead).Select(m => m.Address)];

    /// <summary>The table's number as Orleans' status; a number this Orleans does not define reads as <see cref="SiloStatus.None"/>.</summary>
    private static SiloStatus Status(int value) => Enum.IsDefined((SiloStatus)value) ? (SiloStatus)value : SiloStatus.None;
}
