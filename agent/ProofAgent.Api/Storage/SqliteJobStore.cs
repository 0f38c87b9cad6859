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
        await using var command = await CommandAsync(
            """
            INSERT INTO jobs(id, status, language, request, result, error, attempts, created_at, updated_at)
            VALUES($id, $status, $language, $request, $result, $error, $attempts, $created, $updated)
            """,
            cancellationToken,
            ("$id", job.Id),
            ("$status", job.Status.Name()),
            ("$language", job.Language),
            ("$request", job.Request),
            ("$result", job.Result),
            ("$error", job.Error),
            ("$attempts", job.Attempts),
            ("$created", Format(job.CreatedAt)),
            ("$updated", Format(job.UpdatedAt)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync($"SELECT {JobRows.JobColumns} FROM jobs WHERE id = $id", cancellationToken, ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.JobAsync(reader, ReadTime, cancellationToken);
    }

    public async Task<IReadOnlyList<JobRecord>> JobsInStatusAsync(JobStatus status, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync(
            $"SELECT {JobRows.JobColumns} FROM jobs WHERE status = $status ORDER BY created_at, id", cancellationToken, ("$status", status.Name()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.JobsAsync(reader, ReadTime, cancellationToken);
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')", cancellationToken);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<bool> TransitionAsync(string id, IReadOnlyCollection<JobStatus> from, JobStatus to, string? result = null, string? error = null, int attemptsDelta = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        var statuses = from.Select((status, i) => ("$from" + i.ToString(CultureInfo.InvariantCulture), (object?)status.Name())).ToList();
        await using var command = await CommandAsync(
            $"""
            UPDATE jobs SET status = $to, result = COALESCE($result, result), error = COALESCE($error, error),
              attempts = attempts + $delta, updated_at = $now
            WHERE id = $id AND status IN ({string.Join(", ", statuses.Select(s => s.Item1))})
            """,
            cancellationToken,
            [("$id", id), ("$to", to.Name()), ("$result", result), ("$error", error), ("$delta", attemptsDelta), ("$now", Format(DateTimeOffset.UtcNow)), .. statuses]);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<long> AppendEventAsync(string jobId, string type, string data, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync(
            """
            INSERT INTO job_events(job_id, seq, type, data, at)
            SELECT $job, COALESCE(MAX(seq), 0) + 1, $type, $data, $at FROM job_events WHERE job_id = $job
            RETURNING seq
            """,
            cancellationToken,
            ("$job", jobId),
            ("$type", type),
            ("$data", data),
            ("$at", Format(DateTimeOffset.UtcNow)));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<JobEventRecord>> EventsAfterAsync(string jobId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync(
            $"SELECT {JobRows.EventColumns} FROM job_events WHERE job_id = $job AND seq > $after ORDER BY seq LIMIT $limit",
            cancellationToken,
            ("$job", jobId),
            ("$after", afterSeq),
            ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.EventsAsync(reader, ReadTime, cancellationToken);
    }

    public async Task<CachedReport?> GetCachedAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync($"SELECT {JobRows.CacheColumns} FROM check_cache WHERE key = $key", cancellationToken, ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.CachedAsync(reader, cancellationToken);
    }

    public async Task PutCachedAsync(CachedReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var command = await CommandAsync(
            """
            INSERT OR REPLACE INTO check_cache(key, prover, version, language, report, created_at)
            VALUES($key, $prover, $version, $language, $report, $at)
            """,
            cancellationToken,
            ("$key", report.Key),
            ("$prover", report.Prover),
            ("$version", report.Version),
            ("$language", report.Language),
            ("$report", report.Report),
            ("$at", Format(DateTimeOffset.UtcNow)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountCachedAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await CommandAsync("SELECT COUNT(*) FROM check_cache", cancellationToken);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>A command with its parameters (null as SQL NULL) on a pooled connection of its own, closed with it.</summary>
    private async Task<OwnedCommand> CommandAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenConnectionAsync(cancellationToken);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return new OwnedCommand(connection, command);
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

    /// <summary>A command and the connection it runs on (the shape of Npgsql's <c>NpgsqlDataSource.CreateCommand</c>).</summary>
    private sealed class OwnedCommand(SqliteConnection connection, SqliteCommand command) : IAsyncDisposable
    {
        public Task<SqliteDataReader> ExecuteReaderAsync(CancellationToken cancellationToken) => command.ExecuteReaderAsync(cancellationToken);

        public Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => command.ExecuteNonQueryAsync(cancellationToken);

        public Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => command.ExecuteScalarAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
