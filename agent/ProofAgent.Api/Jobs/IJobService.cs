namespace ProofAgent.Api.Jobs;

/// <summary>
/// Accepts, cancels and counts proof jobs: <see cref="JobScheduler"/> in a lone service, the cluster's scheduler when
/// several nodes share one store. Reading jobs and their events goes through the store.
/// </summary>
public interface IJobService
{
    /// <summary>Persists a job (status queued) and schedules it; refuses when too many jobs are unfinished.</summary>
    Task<SubmitAnswer> SubmitAsync(ProofJobRequest request, CancellationToken cancellationToken);

    /// <summary>Cancels a queued or running job: its status afterwards (<c>cancelled</c>, <c>cancelling</c>, or the final status it already had), or null when it does not exist.</summary>
    Task<string?> CancelAsync(string id, CancellationToken cancellationToken);

    /// <summary>Jobs running in this process now.</summary>
    int Running { get; }

    /// <summary>Jobs waiting for a worker (in a cluster: anywhere).</summary>
    int Queued { get; }
}
