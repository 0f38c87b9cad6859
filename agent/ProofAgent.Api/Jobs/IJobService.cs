using ProofAgent.Api.Storage;

namespace ProofAgent.Api.Jobs;

/// <summary>
/// Accepts, cancels and counts proof jobs: <see cref="JobScheduler"/> in a lone service, the cluster's scheduler when
/// several nodes share one store. Reading jobs and their events goes through the store.
/// </summary>
public interface IJobService
{
    /// <summary>Persists a job (status queued) and schedules it; refuses when too many jobs are unfinished.</summary>
    Task<SubmitAnswer> SubmitAsync(ProofJobRequest request, CancellationToken cancellationToken);

    /// <summary>Cancels a queued or running job: what became of it.</summary>
    Task<CancelAnswer> CancelAsync(string id, CancellationToken cancellationToken);

    /// <summary>Jobs running in this process now.</summary>
    int Running { get; }

    /// <summary>Jobs waiting for a worker (in a cluster: anywhere).</summary>
    int Queued { get; }
}

/// <summary>What a cancellation did.</summary>
public abstract record CancelAnswer
{
    private CancelAnswer()
    {
    }

    /// <summary>No job of that id.</summary>
    public sealed record NotFound : CancelAnswer;

    /// <summary>The job was queued: it is cancelled now.</summary>
    public sealed record Cancelled : CancelAnswer;

    /// <summary>The job runs: it is being stopped (its final status comes as an event).</summary>
    public sealed record Cancelling : CancelAnswer;

    /// <summary>The job was already in <paramref name="Status"/>; nothing changed.</summary>
    public sealed record Unchanged(JobStatus Status) : CancelAnswer;
}
