using System.Data.Common;

namespace ProofAgent.Api.Storage;

/// <summary>Reads a timestamp column the way a store keeps it (SQLite: ISO 8601 text; PostgreSQL: <c>timestamptz</c>).</summary>
public delegate DateTimeOffset TimestampReader(DbDataReader reader, int ordinal);

/// <summary>
/// The row mapping every job store shares (<see cref="SqliteJobStore"/> here, the cluster's PostgreSQL store): the
/// columns each query selects, in order, and the records read from them. Only how a timestamp is stored differs.
/// </summary>
public static class JobRows
{
    /// <summary>The columns <see cref="JobAsync"/> and <see cref="JobsAsync"/> read, in order.</summary>
    public const string JobColumns = "id, status, language, request, result, error, attempts, created_at, updated_at";

    /// <summary>The columns <see cref="EventsAsync"/> reads, in order.</summary>
    public const string EventColumns = "job_id, seq, type, data, at";

    /// <summary>The columns <see cref="CachedAsync"/> reads, in order.</summary>
    public const string CacheColumns = "key, prover, version, language, report";

    /// <summary>The first job of the reader, or null when it has none.</summary>
    public static async Task<JobRecord?> JobAsync(DbDataReader reader, TimestampReader time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return await reader.ReadAsync(cancellationToken) ? Job(reader, time) : null;
    }

    /// <summary>Every job of the reader, in its order.</summary>
    public static async Task<IReadOnlyList<JobRecord>> JobsAsync(DbDataReader reader, TimestampReader time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var jobs = new List<JobRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(Job(reader, time));
        }

        return jobs;
    }

    /// <summary>Every event of the reader, in its order.</summary>
    public static async Task<IReadOnlyList<JobEventRecord>> EventsAsync(DbDataReader reader, TimestampReader time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        var events = new List<JobEventRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new JobEventRecord(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), time(reader, 4)));
        }

        return events;
    }

    /// <summary>The cached report of the reader, or null when it has none.</summary>
    public static async Task<CachedReport?> CachedAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return await reader.ReadAsync(cancellationToken)
            ? new CachedReport(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))
            : null;
    }

    private static JobRecord Job(DbDataReader reader, TimestampReader time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new(
            reader.GetString(0),
            JobStatuses.Parse(reader.GetString(1)),
            reader.GetString(2),
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.GetInt32(6),
            time(reader, 7),
            time(reader, 8));
    }
}
