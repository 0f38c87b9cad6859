namespace ProofAgent.Api.Storage;

/// <summary>The states of a proof job. Terminal: completed, failed, cancelled, interrupted.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    Interrupted,
}

/// <summary>
/// A job status as it is stored (SQLite, PostgreSQL) and served (JSON, SSE, metrics): the lower-case name. Only the
/// stores and the serializers meet the string; everything between compares <see cref="JobStatus"/> values.
/// </summary>
public static class JobStatuses
{
    /// <summary>The stored and served name (<c>queued</c>, <c>running</c>, ...).</summary>
    public static string Name(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Completed => "completed",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        JobStatus.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a job status"),
    };

    /// <summary>The status of a stored name; <see cref="InvalidDataException"/> naming it when it is none.</summary>
    public static JobStatus Parse(string name) => name switch
    {
        "queued" => JobStatus.Queued,
        "running" => JobStatus.Running,
        "completed" => JobStatus.Completed,
        "failed" => JobStatus.Failed,
        "cancelled" => JobStatus.Cancelled,
        "interrupted" => JobStatus.Interrupted,
        _ => throw new InvalidDataException($"unknown job status '{name}' in the store"),
    };

    public static bool IsTerminal(this JobStatus status) => status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled or JobStatus.Interrupted;
}

/// <summary>A persisted job: its request and result are JSON text.</summary>
public sealed record JobRecord(
    string Id,
    JobStatus Status,
    string Language,
    string Request,
    string? Result,
    string? Error,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One persisted event of a job; <see cref="Seq"/> counts from 1 per job (the SSE id).</summary>
public sealed record JobEventRecord(string JobId, long Seq, string Type, string Data, DateTimeOffset At);

/// <summary>A cached check report and the prover that produced it.</summary>
public sealed record CachedReport(string Key, string Prover, string Version, string Language, string Report);

/// <summary>
/// Durable state of the service: jobs, their events, and the verification cache. SQLite today
/// (<see cref="SqliteJobStore"/>); a PostgreSQL store implements the same interface.
/// </summary>
public interface IJobStore
{
    Task InsertJobAsync(JobRecord job, CancellationToken cancellationToken = default);

    Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Jobs in a status, oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> JobsInStatusAsync(JobStatus status, CancellationToken cancellationToken = default);

    Task<int> CountPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Moves a job from one of <paramref name="from"/> to <paramref name="to"/>; false when it was in none of them.</summary>
    Task<bool> TransitionAsync(string id, IReadOnlyCollection<JobStatus> from, JobStatus to, string? result = null, string? error = null, int attemptsDelta = 0, CancellationToken cancellationToken = default);

    /// <summary>Appends an event and returns its sequence number.</summary>
    Task<long> AppendEventAsync(string jobId, string type, string data, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<JobEventRecord>> EventsAfterAsync(string jobId, long afterSeq, int limit, CancellationToken cancellationToken = default);

    Task<CachedReport?> GetCachedAsync(string key, CancellationToken cancellationToken = default);

    Task PutCachedAsync(CachedReport report, CancellationToken cancellationToken = default);

    Task<long> CountCachedAsync(CancellationToken cancellationToken = default);
}
