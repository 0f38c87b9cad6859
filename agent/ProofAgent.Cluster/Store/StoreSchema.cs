using System.Reflection;
using Npgsql;

namespace ProofAgent.Cluster.Store;

/// <summary>
/// Creates or migrates the cluster's schema at start: ProofAgent's tables and the Orleans clustering tables. Every node
/// runs it; an advisory lock held for the transaction makes concurrent starts take turns, and every statement is
/// idempotent, so the first node creates and the others find it done.
/// </summary>
public static class StoreSchema
{
    /// <summary>The advisory lock key of the migration (any constant shared by all nodes).</summary>
    private const long MigrationLock = 0x50726f6f66; // "Proof"

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await LockedTransactionAsync(connection, MigrationLock, cancellationToken);
        foreach (var script in new[] { "proofagent.postgresql.sql", "orleans-clustering.postgresql.sql" })
        {
            await using var command = new NpgsqlCommand(Read(script), connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Begins a transaction holding the advisory lock <paramref name="key"/> until it ends: the callers that share the key
    /// take turns across every node of the cluster.
    /// </summary>
    internal static async Task<NpgsqlTransaction> LockedTransactionAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction);
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private static string Read(string name)
    {
        var assembly = typeof(StoreSchema).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(r => r.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"missing resource {resource}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
