using System.Collections.Concurrent;

namespace ProofAgent.Api.Jobs;

/// <summary>
/// Wakes the event streams of a job when it gets a new event or a new status. Only work done in this process signals;
/// where another process (a cluster node) may write a job's events, streams also re-read the store every
/// <see cref="PollInterval"/>.
/// </summary>
public sealed class JobSignals(TimeSpan? pollInterval = null)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next <see cref="Notify"/> of the job; take it before reading the store.</summary>
    public Task NextAsync(string jobId) =>
        _waiters.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>How often a stream re-reads the store without a signal; null: only signals wake it.</summary>
    public TimeSpan? PollInterval { get; } = pollInterval;

    public void Notify(string jobId)
    {
        if (_waiters.TryRemove(jobId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
