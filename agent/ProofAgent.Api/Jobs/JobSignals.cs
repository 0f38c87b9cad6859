using System.Collections.Concurrent;

namespace ProofAgent.Api.Jobs;

/// <summary>Wakes the event streams of a job when it gets a new event or a new status.</summary>
public sealed class JobSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next <see cref="Notify"/> of the job; take it before reading the store.</summary>
    public Task NextAsync(string jobId) =>
        _waiters.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(string jobId)
    {
        if (_waiters.TryRemove(jobId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
