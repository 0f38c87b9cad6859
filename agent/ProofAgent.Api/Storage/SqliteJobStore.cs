using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ProofAgent.Api.Storage;

/// <summary>
/// <see cref="IJobStore"/> on one SQLite file in WAL mode: every accepted job is committed before the client hears of it,
/// so a crash (even <c>kill -9</c>) loses none. Each call opens a pooled connection; SQLite serialises the writers.
/// </summary>
public sealed class SqliteJobStore : IJobStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS jobs(
          id TEXT PRIMARY KEY, status TEXT NOT NULL, language TEXT NOT NULL, request TEXT NOT NULL,
          result TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs(status, created_at);
        CREATE TABLE IF NOT EXISTS job_events(
          job_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL,
          PRIMARY KEY(job_id, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS check_cache(
          key TEXT PRIMARY KEY, prover TEXT NOT NULL, version TEXT NOT NULL, language TEXT NOT NULL,
          report TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
        """;

    private readonly string _connectionString;

    private SqliteJobStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Opens (creating when needed) the database and its schema.</summary>
    public static async Task<SqliteJobStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var store = new SqliteJobStore(full);
        await using var connection = await store.OpenConnectionAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            // WAL survives a killed process (a committed transaction is in the log); NORMAL syncs at checkpoints.
            wal.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var schema = connection.CreateCommand();
        schema.CommandText = Schema;
        await schema.ExecuteNonQueryAsync(cancellationToken);
        return store;
    }

    public async Task InsertJobAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO jobs(id, status, language, request, result, error, attempts, created_at, updated_at)
            VALUES($id, $status, $language, $request, $result, $error, $attempts, $created, $updated)
            """;
        command.Parameters.AddWithValue("$id", job.Id);
        command.Parameters.AddWithValue("$status", job.Status.Name());
        command.Parameters.AddWithValue("$language", job.Language);
        command.Parameters.AddWithValue("$request", job.Request);
        command.Parameters.AddWithValue("$result", (object?)job.Result ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)job.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$attempts", job.Attempts);
        command.Parameters.AddWithValue("$created", Format(job.CreatedAt));
        command.Parameters.AddWithValue("$updated", Format(job.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {JobRows.JobColumns} FROM jobs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.JobAsync(reader, ReadTime, cancellationToken);
    }

    public async Task<IReadOnlyList<JobRecord>> JobsInStatusAsync(JobStatus status, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {JobRows.JobColumns} FROM jobs WHERE status = $status ORDER BY created_at, id";
        command.Parameters.AddWithValue("$status", status.Name());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.JobsAsync(reader, ReadTime, cancellationToken);
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<bool> TransitionAsync(string id, IReadOnlyCollection<JobStatus> from, JobStatus to, string? result = null, string? error = null, int attemptsDelta = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = from.Select((_, i) => "$from" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        command.CommandText = $"""
            UPDATE jobs SET status = $to, result = COALESCE($result, result), error = COALESCE($error, error),
              attempts = attempts + $delta, updated_at = $now
            WHERE id = $id AND status IN ({string.Join(", ", names)})
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$to", to.Name());
        command.Parameters.AddWithValue("$result", (object?)result ?? DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$delta", attemptsDelta);
        command.Parameters.AddWithValue("$now", Format(DateTimeOffset.UtcNow));
        var i = 0;
        foreach (var status in from)
        {
            command.Parameters.AddWithValue(names[i++], status.Name());
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<long> AppendEventAsync(string jobId, string type, string data, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO job_events(job_id, seq, type, data, at)
            SELECT $job, COALESCE(MAX(seq), 0) + 1, $type, $data, $at FROM job_events WHERE job_id = $job
            RETURNING seq
            """;
        command.Parameters.AddWithValue("$job", jobId);
        command.Parameters.AddWithValue("$type", type);
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$at", Format(DateTimeOffset.UtcNow));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<JobEventRecord>> EventsAfterAsync(string jobId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {JobRows.EventColumns} FROM job_events WHERE job_id = $job AND seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$job", jobId);
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.EventsAsync(reader, ReadTime, cancellationToken);
    }

    public async Task<CachedReport?> GetCachedAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {JobRows.CacheColumns} FROM check_cache WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.CachedAsync(reader, cancellationToken);
    }

    public async Task PutCachedAsync(CachedReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO check_cache(key, prover, version, language, report, created_at)
            VALUES($key, $prover, $version, $language, $report, $at)
            """;
        command.Parameters.AddWithValue("$key", report.Key);
        command.Parameters.AddWithValue("$prover", report.Prover);
        command.Parameters.AddWithValue("$version", report.Version);
        command.Parameters.AddWithValue("$language", report.Language);
        command.Parameters.AddWithValue("$report", report.Report);
        command.Parameters.AddWithValue("$at", Format(DateTimeOffset.UtcNow));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountCachedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM check_cache";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => Parse(reader.GetString(ordinal));

    private static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
