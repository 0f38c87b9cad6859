namespace ProofAgent.Api.Storage;

/// <summary>The states of a proof job. Terminal: completed, failed, cancelled, interrupted.</summary>
public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Interrupted = "interrupted";

    public static bool IsTerminal(string status) => status is Completed or Failed or Cancelled or Interrupted;
}

/// <summary>A persisted job: its request and result are JSON text.</summary>
public sealed record JobRecord(
    string Id,
    string Status,
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
    Task<IReadOnlyList<JobRecord>> JobsInStatusAsync(string status, CancellationToken cancellationToken = default);

    Task<int> CountPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Moves a job from one of <paramref name="from"/> to <paramref name="to"/>; false when it was in none of them.</summary>
    Task<bool> TransitionAsync(string id, IReadOnlyCollection<string> from, string to, string? result = null, string? error = null, int attemptsDelta = 0, CancellationToken cancellationToken = default);

    /// <summary>Appends an event and returns its sequence number.</summary>
    Task<long> AppendEventAsync(string jobId, string type, string data, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<JobEventRecord>> EventsAfterAsync(string jobId, long afterSeq, int limit, CancellationToken cancellationToken = default);

    Task<CachedReport?> GetCachedAsync(string key, CancellationToken cancellationToken = default);

    Task PutCachedAsync(CachedReport report, CancellationToken cancellationToken = default);

    Task<long> CountCachedAsync(CancellationToken cancellationToken = default);
}
