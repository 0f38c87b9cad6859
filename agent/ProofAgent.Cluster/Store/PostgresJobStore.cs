using System.Data.Common;
using System.Globalization;
using Npgsql;
using ProofAgent.Api.Storage;

namespace ProofAgent.Cluster.Store;

/// <summary>A job a node took: the fencing token of every write it makes for that job (owner and attempt).</summary>
public sealed record JobClaim(string Id, string Owner, int Attempt, string Request, bool CancelRequested);

/// <summary>A running job whose owner the cluster no longer counts as alive.</summary>
public sealed record OrphanJob(string Id, string Owner, int Attempts);

/// <summary>
/// <see cref="IJobStore"/> on PostgreSQL, shared by every node of a cluster, plus the cluster's fenced operations: a job
/// is claimed by one node at a time (<c>UPDATE ... WHERE status = 'queued'</c> is atomic), and every later write of the
/// run (events, the final status) names the owner and attempt it claimed with, so a node that lost the job (declared
/// dead, the job re-queued elsewhere) can write nothing more: no job ends with two results.
/// </summary>
public sealed class PostgresJobStore(NpgsqlDataSource dataSource) : IJobStore
{
    /// <summary>The advisory lock that serialises counting and inserting submissions, cluster-wide.</summary>
    private const long SubmitLock = 0x4a6f6273; // "Jobs"

    public async Task InsertJobAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO jobs({JobRows.JobColumns}) VALUES(@id, @status, @language, @request, @result, @error, @attempts, @created, @updated)");
        AddJob(command, job);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Inserts a job unless <paramref name="maxPending"/> jobs are already unfinished (counted under a lock, cluster-wide): the pending count when refused, else null.</summary>
    public async Task<int?> InsertIfRoomAsync(JobRecord job, int maxPending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await StoreSchema.LockedTransactionAsync(connection, SubmitLock, cancellationToken);

        int pending;
        await using (var count = new NpgsqlCommand("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')", connection, transaction))
        {
            pending = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        if (pending >= maxPending)
        {
            return pending;
        }

        await using (var insert = new NpgsqlCommand($"INSERT INTO jobs({JobRows.JobColumns}) VALUES(@id, @status, @language, @request, @result, @error, @attempts, @created, @updated)", connection, transaction))
        {
            AddJob(insert, job);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public async Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {JobRows.JobColumns} FROM jobs WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.JobAsync(reader, ReadTime, cancellationToken);
    }

    public async Task<IReadOnlyList<JobRecord>> JobsInStatusAsync(JobStatus status, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {JobRows.JobColumns} FROM jobs WHERE status = @status ORDER BY created_at, id");
        command.Parameters.AddWithValue("status", status.Name());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.JobsAsync(reader, ReadTime, cancellationToken);
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default) =>
        (int)await CountAsync("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')", cancellationToken);

    public async Task<int> CountQueuedAsync(CancellationToken cancellationToken = default) =>
        (int)await CountAsync("SELECT COUNT(*) FROM jobs WHERE status = 'queued'", cancellationToken);

    public async Task<bool> TransitionAsync(string id, IReadOnlyCollection<JobStatus> from, JobStatus to, string? result = null, string? error = null, int attemptsDelta = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        await using var command = dataSource.CreateCommand("""
            UPDATE jobs SET status = @to, result = COALESCE(@result, result), error = COALESCE(@error, error),
              attempts = attempts + @delta, updated_at = now(), owner = CASE WHEN @to = 'running' THEN owner ELSE NULL END
            WHERE id = @id AND status = ANY(@from)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("to", to.Name());
        command.Parameters.AddWithValue("result", NpgsqlTypes.NpgsqlDbType.Text, (object?)result ?? DBNull.Value);
        command.Parameters.AddWithValue("error", NpgsqlTypes.NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("delta", attemptsDelta);
        command.Parameters.AddWithValue("from", from.Select(f => f.Name()).ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<long> AppendEventAsync(string jobId, string type, string data, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            WITH s AS (UPDATE jobs SET event_seq = event_seq + 1 WHERE id = @job RETURNING event_seq)
            INSERT INTO job_events(job_id, seq, type, data, at) SELECT @job, event_seq, @type, @data, now() FROM s RETURNING seq
            """);
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("data", data);
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : throw new InvalidOperationException($"no job '{jobId}' to append an event to");
    }

    public async Task<IReadOnlyList<JobEventRecord>> EventsAfterAsync(string jobId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {JobRows.EventColumns} FROM job_events WHERE job_id = @job AND seq > @after ORDER BY seq LIMIT @limit");
        command.Parameters.AddWithValue("job", jobId);
        command.Parameters.AddWithValue("after", afterSeq);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.EventsAsync(reader, ReadTime, cancellationToken);
    }

    public async Task<CachedReport?> GetCachedAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {JobRows.CacheColumns} FROM check_cache WHERE key = @key");
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await JobRows.CachedAsync(reader, cancellationToken);
    }

    public async Task PutCachedAsync(CachedReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO check_cache(key, prover, version, language, report, created_at) VALUES(@key, @prover, @version, @language, @report, now())
            ON CONFLICT (key) DO UPDATE SET prover = EXCLUDED.prover, version = EXCLUDED.version, language = EXCLUDED.language, report = EXCLUDED.report, created_at = EXCLUDED.created_at
            """);
        command.Parameters.AddWithValue("key", report.Key);
        command.Parameters.AddWithValue("prover", report.Prover);
        command.Parameters.AddWithValue("version", report.Version);
        command.Parameters.AddWithValue("language", report.Language);
        command.Parameters.AddWithValue("report", report.Report);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<long> CountCachedAsync(CancellationToken cancellationToken = default) => CountAsync("SELECT COUNT(*) FROM check_cache", cancellationToken);

    /// <summary>
    /// Takes a queued job for <paramref name="owner"/>: the job <paramref name="id"/>, or (null) the oldest queued one that
    /// no other node is taking at this instant. Null when there is none (or it was no longer queued).
    /// </summary>
    public async Task<JobClaim?> ClaimAsync(string? id, string owner, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(id is null
            ? """
              UPDATE jobs SET status = 'running', owner = @owner, attempts = attempts + 1, updated_at = now()
              WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
              RETURNING id, attempts, request, cancel_requested
              """
            : """
              UPDATE jobs SET status = 'running', owner = @owner, attempts = attempts + 1, updated_at = now()
              WHERE id = @id AND status = 'queued'
              RETURNING id, attempts, request, cancel_requested
              """);
        command.Parameters.AddWithValue("owner", owner);
        if (id is not null)
        {
            command.Parameters.AddWithValue("id", id);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new JobClaim(reader.GetString(0), owner, reader.GetInt32(1), reader.GetString(2), reader.GetBoolean(3))
            : null;
    }

    /// <summary>Appends an event of a claimed run; null (nothing written) when the run no longer owns the job.</summary>
    public async Task<long?> AppendFencedAsync(JobClaim claim, string type, string data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var command = dataSource.CreateCommand("""
            WITH s AS (UPDATE jobs SET event_seq = event_seq + 1
                       WHERE id = @job AND status = 'running' AND owner = @owner AND attempts = @attempt RETURNING event_seq)
            INSERT INTO job_events(job_id, seq, type, data, at) SELECT @job, event_seq, @type, @data, now() FROM s RETURNING seq
            """);
        AddClaim(command, claim);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("data", data);
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : null;
    }

    /// <summary>
    /// Ends a claimed run: the job moves from running to <paramref name="status"/> and the closing event is written, in
    /// one transaction, only if the run still owns the job. False: another node owns it now and nothing was written.
    /// </summary>
    public async Task<bool> FinishAsync(JobClaim claim, JobStatus status, string? result, string? error, int attemptsDelta, string eventType, string eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand("""
            UPDATE jobs SET status = @status, result = COALESCE(@result, result), error = COALESCE(@error, error), owner = NULL,
              attempts = attempts + @delta, updated_at = now()
            WHERE id = @job AND status = 'running' AND owner = @owner AND attempts = @attempt
            """, connection, transaction))
        {
            AddClaim(update, claim);
            update.Parameters.AddWithValue("status", status.Name());
            update.Parameters.AddWithValue("result", NpgsqlTypes.NpgsqlDbType.Text, (object?)result ?? DBNull.Value);
            update.Parameters.AddWithValue("error", NpgsqlTypes.NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
            update.Parameters.AddWithValue("delta", attemptsDelta);
            if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return false;
            }
        }

        await using (var append = new NpgsqlCommand("""
            WITH s AS (UPDATE jobs SET event_seq = event_seq + 1 WHERE id = @job RETURNING event_seq)
            INSERT INTO job_events(job_id, seq, type, data, at) SELECT @job, event_seq, @type, @data, now() FROM s
            """, connection, transaction))
        {
            append.Parameters.AddWithValue("job", claim.Id);
            append.Parameters.AddWithValue("type", eventType);
            append.Parameters.AddWithValue("data", eventData);
            await append.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Marks a job as cancelled by its client, so that whichever node runs it (now or after a fail-over) stops it.</summary>
    public async Task<(JobStatus Status, string? Owner)?> RequestCancelAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE jobs SET cancel_requested = true WHERE id = @id RETURNING status, owner");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (JobStatuses.Parse(reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
    }

    public async Task<bool> IsCancelRequestedAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT cancel_requested FROM jobs WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Running jobs whose owner is not in <paramref name="liveOwners"/>, oldest first.</summary>
    public async Task<IReadOnlyList<OrphanJob>> OrphansAsync(IReadOnlyCollection<string> liveOwners, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, owner, attempts FROM jobs
            WHERE status = 'running' AND (owner IS NULL OR NOT (owner = ANY(@live))) ORDER BY created_at, id
            """);
        command.Parameters.AddWithValue("live", liveOwners.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var orphans = new List<OrphanJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            orphans.Add(new OrphanJob(reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1), reader.GetInt32(2)));
        }

        return orphans;
    }

    /// <summary>
    /// Takes an orphan back from its dead owner: queued again (or cancelled when its client asked, or interrupted after
    /// <paramref name="maxAttempts"/> starts), with the event that says why, in one transaction. Only one node wins: the
    /// status it set, or null when another node already recovered the job.
    /// </summary>
    public async Task<JobStatus?> RecoverAsync(OrphanJob orphan, int maxAttempts, Func<JobStatus, string> eventData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orphan);
        ArgumentNullException.ThrowIfNull(eventData);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        JobStatus status;
        await using (var update = new NpgsqlCommand("""
            UPDATE jobs SET
              status = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempts >= @max THEN 'interrupted' ELSE 'queued' END,
              error = CASE WHEN cancel_requested THEN 'cancelled by the client'
                           WHEN attempts >= @max THEN 'the node running it died, ' || attempts || ' time(s); not started again' ELSE error END,
              owner = NULL, updated_at = now()
            WHERE id = @job AND status = 'running' AND owner IS NOT DISTINCT FROM @owner AND attempts = @attempts
            RETURNING status
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("job", orphan.Id);
            update.Parameters.AddWithValue("owner", NpgsqlTypes.NpgsqlDbType.Text, orphan.Owner.Length == 0 ? DBNull.Value : orphan.Owner);
            update.Parameters.AddWithValue("attempts", orphan.Attempts);
            update.Parameters.AddWithValue("max", maxAttempts);
            if (await update.ExecuteScalarAsync(cancellationToken) is not string s)
            {
                return null;
            }

            status = JobStatuses.Parse(s);
        }

        await using (var append = new NpgsqlCommand("""
            WITH s AS (UPDATE jobs SET event_seq = event_seq + 1 WHERE id = @job RETURNING event_seq)
            INSERT INTO job_events(job_id, seq, type, data, at) SELECT @job, event_seq, 'status', @data, now() FROM s
            """, connection, transaction))
        {
            append.Parameters.AddWithValue("job", orphan.Id);
            append.Parameters.AddWithValue("data", eventData(status));
            await append.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return status;
    }

    private async Task<long> CountAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static void AddJob(NpgsqlCommand command, JobRecord job)
    {
        command.Parameters.AddWithValue("id", job.Id);
        command.Parameters.AddWithValue("status", job.Status.Name());
        command.Parameters.AddWithValue("language", job.Language);
        command.Parameters.AddWithValue("request", job.Request);
        command.Parameters.AddWithValue("result", NpgsqlTypes.NpgsqlDbType.Text, (object?)job.Result ?? DBNull.Value);
        command.Parameters.AddWithValue("error", NpgsqlTypes.NpgsqlDbType.Text, (object?)job.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("attempts", job.Attempts);
        command.Parameters.AddWithValue("created", job.CreatedAt.ToUniversalTime());
        command.Parameters.AddWithValue("updated", job.UpdatedAt.ToUniversalTime());
    }

    private static void AddClaim(NpgsqlCommand command, JobClaim claim)
    {
        command.Parameters.AddWithValue("job", claim.Id);
        command.Parameters.AddWithValue("owner", claim.Owner);
        command.Parameters.AddWithValue("attempt", claim.Attempt);
    }

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
}
