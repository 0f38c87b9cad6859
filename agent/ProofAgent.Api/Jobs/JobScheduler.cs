using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProofAgent.Api.Storage;

namespace ProofAgent.Api.Jobs;

/// <summary>The answer to a submission.</summary>
public abstract record SubmitAnswer
{
    private SubmitAnswer()
    {
    }

    public sealed record Accepted(string Id) : SubmitAnswer;

    public sealed record Saturated(int Pending, int Limit) : SubmitAnswer;
}

/// <summary>
/// Runs persisted proof jobs with bounded concurrency. A job is committed as <c>queued</c> before its id is returned; on
/// start, jobs left <c>queued</c> are resumed and jobs left <c>running</c> by a crash are started again (their events say
/// so) until <see cref="ApiOptions.MaxJobAttempts"/>, after which they are marked <c>interrupted</c>. Nothing is dropped.
/// </summary>
public sealed class JobScheduler : BackgroundService, IJobService
{
    private static readonly JobStatus[] QueuedOnly = [JobStatus.Queued];
    private static readonly JobStatus[] RunningOnly = [JobStatus.Running];
    private readonly IJobStore _store;
    private readonly IProofJobRunner _runner;
    private readonly JobSignals _signals;
    private readonly ApiOptions _options;
    private readonly ApiMetrics _metrics;
    private readonly ILogger<JobScheduler> _logger;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _submitGate = new(1, 1);
    private int _queuedCount;

    public JobScheduler(IJobStore store, IProofJobRunner runner, JobSignals signals, ApiOptions options, ApiMetrics metrics, ILogger<JobScheduler> logger)
    {
        _store = store;
        _runner = runner;
        _signals = signals;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        metrics.JobGauges(() => _running.Count, () => Volatile.Read(ref _queuedCount));
    }

    public int Running => _running.Count;

    public int Queued => Volatile.Read(ref _queuedCount);

    /// <summary>Persists a job (status queued) and schedules it; refuses when too many jobs are unfinished.</summary>
    public async Task<SubmitAnswer> SubmitAsync(ProofJobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _submitGate.WaitAsync(cancellationToken);
        string id;
        try
        {
            var pending = await _store.CountPendingAsync(cancellationToken);
            if (pending >= _options.MaxPendingJobs)
            {
                return new SubmitAnswer.Saturated(pending, _options.MaxPendingJobs);
            }

            id = Guid.NewGuid().ToString("N");
            var now = DateTimeOffset.UtcNow;
            await _store.InsertJobAsync(new JobRecord(id, JobStatus.Queued, request.Language, ApiJson.Serialize(request), null, null, 0, now, now), cancellationToken);
        }
        finally
        {
            _submitGate.Release();
        }

        await AppendAsync(id, "status", new { status = JobStatus.Queued.Name() });
        Interlocked.Increment(ref _queuedCount);
        _queue.Writer.TryWrite(id);
        _logger.LogInformation("job {JobId} accepted ({Language})", id, request.Language);
        return new SubmitAnswer.Accepted(id);
    }

    /// <summary>Cancels a queued or running job; returns its status afterwards, or null when it does not exist.</summary>
    public async Task<CancelAnswer> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (await _store.GetJobAsync(id, cancellationToken) is not { } job)
        {
            return new CancelAnswer.NotFound();
        }

        if (await _store.TransitionAsync(id, QueuedOnly, JobStatus.Cancelled, error: "cancelled by the client", cancellationToken: cancellationToken))
        {
            await AppendAsync(id, "status", new { status = JobStatus.Cancelled.Name(), reason = "cancelled by the client" });
            _logger.LogInformation("job {JobId} cancelled while queued", id);
            _metrics.Jobs.Add(1, new KeyValuePair<string, object?>("status", JobStatus.Cancelled.Name()));
            return new CancelAnswer.Cancelled();
        }

        if (_running.TryGetValue(id, out var cts))
        {
            await cts.CancelAsync();
            return new CancelAnswer.Cancelling();
        }

        return new CancelAnswer.Unchanged(job.Status);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.ConcurrentJobs)).Select(_ => WorkAsync(stoppingToken)));

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var job in await _store.JobsInStatusAsync(JobStatus.Running, cancellationToken))
        {
            if (job.Attempts >= _options.MaxJobAttempts)
            {
                var reason = $"the service stopped while the job ran, {job.Attempts} time(s); not started again";
                await _store.TransitionAsync(job.Id, RunningOnly, JobStatus.Interrupted, error: reason, cancellationToken: cancellationToken);
                await AppendAsync(job.Id, "status", new { status = JobStatus.Interrupted.Name(), reason });
                _logger.LogWarning("job {JobId} interrupted after {Attempts} attempts", job.Id, job.Attempts);
            }
            else
            {
                await _store.TransitionAsync(job.Id, RunningOnly, JobStatus.Queued, cancellationToken: cancellationToken);
                await AppendAsync(job.Id, "status", new { status = JobStatus.Queued.Name(), reason = "the service restarted while the job ran; it runs again" });
                _logger.LogWarning("job {JobId} resumed after a restart", job.Id);
            }
        }

        foreach (var job in await _store.JobsInStatusAsync(JobStatus.Queued, cancellationToken))
        {
            Interlocked.Increment(ref _queuedCount);
            _queue.Writer.TryWrite(job.Id);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                Interlocked.Decrement(ref _queuedCount);
                await RunOneAsync(id, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunOneAsync(string id, CancellationToken stoppingToken)
    {
        if (!await _store.TransitionAsync(id, QueuedOnly, JobStatus.Running, attemptsDelta: 1, cancellationToken: CancellationToken.None))
        {
            return; // cancelled while queued
        }

        var job = await _store.GetJobAsync(id, CancellationToken.None);
        var request = JsonSerializer.Deserialize<ProofJobRequest>(job!.Request, ApiJson.Options)!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[id] = cts;
        await AppendAsync(id, "status", new { status = JobStatus.Running.Name(), attempt = job.Attempts });
        _logger.LogInformation("job {JobId} running (attempt {Attempt})", id, job.Attempts);
        try
        {
            var result = await _runner.RunAsync(request, e => AppendRawAsync(id, e.Type, e.Json), cts.Token);
            if (cts.IsCancellationRequested)
            {
                throw new OperationCanceledException(cts.Token); // the runner stopped early and answered anyway
            }

            var resultJson = ApiJson.Serialize(result);
            await AppendRawAsync(id, "result", resultJson);
            await _store.TransitionAsync(id, RunningOnly, JobStatus.Completed, result: resultJson, cancellationToken: CancellationToken.None);
            _metrics.Jobs.Add(1, new KeyValuePair<string, object?>("status", JobStatus.Completed.Name()));
            _logger.LogInformation("job {JobId} completed: {Verdict}", id, result.Verdict);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the job goes back to the queue and runs again at the next start (this attempt does not count).
            await _store.TransitionAsync(id, RunningOnly, JobStatus.Queued, attemptsDelta: -1, cancellationToken: CancellationToken.None);
            await AppendAsync(id, "status", new { status = JobStatus.Queued.Name(), reason = "the service is stopping; the job runs again at the next start" });
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await _store.TransitionAsync(id, RunningOnly, JobStatus.Cancelled, error: "cancelled by the client", cancellationToken: CancellationToken.None);
            await AppendAsync(id, "status", new { status = JobStatus.Cancelled.Name(), reason = "cancelled by the client" });
            _metrics.Jobs.Add(1, new KeyValuePair<string, object?>("status", JobStatus.Cancelled.Name()));
            _logger.LogInformation("job {JobId} cancelled while running", id);
        }
#pragma warning disable CA1031 // A failing job must become a failed job, never take the worker down.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await _store.TransitionAsync(id, RunningOnly, JobStatus.Failed, error: exception.Message, cancellationToken: CancellationToken.None);
            await AppendAsync(id, "status", new { status = JobStatus.Failed.Name(), reason = exception.Message });
            _metrics.Jobs.Add(1, new KeyValuePair<string, object?>("status", JobStatus.Failed.Name()));
            _logger.LogError(exception, "job {JobId} failed", id);
        }
        finally
        {
            _running.TryRemove(id, out _);
            _signals.Notify(id);
        }
    }

    private Task AppendAsync(string id, string type, object data) => AppendRawAsync(id, type, ApiJson.Serialize(data));

    private async Task AppendRawAsync(string id, string type, string json)
    {
        await _store.AppendEventAsync(id, type, json, CancellationToken.None);
        _signals.Notify(id);
    }

    public override void Dispose()
    {
        _submitGate.Dispose();
        base.Dispose();
    }
}
