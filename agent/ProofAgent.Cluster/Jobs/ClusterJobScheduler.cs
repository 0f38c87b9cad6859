using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using ProofAgent.Api;
using ProofAgent.Api.Jobs;
using ProofAgent.Api.Storage;
using ProofAgent.Cluster.Grains;
using ProofAgent.Cluster.Nodes;
using ProofAgent.Cluster.Store;

namespace ProofAgent.Cluster.Jobs;

/// <summary>
/// Proof jobs across the cluster. A submitted job is committed as <c>queued</c> in the shared store, then offered to the
/// node with the most free job workers (by the last load reading; this node first on a tie); a node takes it only with a
/// worker free and only while it is still queued (an atomic claim). A node whose worker comes free takes the oldest
/// queued job itself, so nothing waits on a lost offer. Every write of a run is fenced by (owner, attempt), and the jobs
/// of a node the membership table declares dead are taken back (an event says so; scanned when Orleans reports a death,
/// and every few seconds) and run again elsewhere, until
/// <see cref="ApiOptions.MaxJobAttempts"/> starts.
/// </summary>
public sealed class ClusterJobScheduler : BackgroundService, IJobService
{
    private static readonly JobStatus[] QueuedOnly = [JobStatus.Queued];
    private readonly PostgresJobStore _store;
    private readonly IProofJobRunner _runner;
    private readonly JobSignals _signals;
    private readonly ApiOptions _options;
    private readonly ClusterSettings _settings;
    private readonly ApiMetrics _metrics;
    private readonly LocalNode _local;
    private readonly ClusterLoad _load;
    private readonly ClusterMembers _members;
    private readonly IGrainFactory _grains;
    private readonly IClusterMembershipService _membership;
    private readonly ILogger<ClusterJobScheduler> _logger;
    private readonly ConcurrentDictionary<string, Run> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private CancellationToken _stopping = new(canceled: true);
    private int _reserved;
    private int _queued;

    public ClusterJobScheduler(
        PostgresJobStore store, IProofJobRunner runner, JobSignals signals, ApiOptions options, ClusterSettings settings, ApiMetrics metrics,
        LocalNode local, ClusterLoad load, ClusterMembers members, IGrainFactory grains, IClusterMembershipService membership, ILogger<ClusterJobScheduler> logger)
    {
        _store = store;
        _runner = runner;
        _signals = signals;
        _options = options;
        _settings = settings;
        _metrics = metrics;
        _local = local;
        _load = load;
        _members = members;
        _grains = grains;
        _membership = membership;
        _logger = logger;
        local.CountJobsWith(() => Volatile.Read(ref _reserved));
        metrics.JobGauges(() => _running.Count, () => Volatile.Read(ref _queued));
    }

    public int Running => _running.Count;

    public int Queued => Volatile.Read(ref _queued);

    public async Task<SubmitAnswer> SubmitAsync(ProofJobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        if (await _store.InsertIfRoomAsync(new JobRecord(id, JobStatus.Queued, request.Language, ApiJson.Serialize(request), null, null, 0, now, now), _options.MaxPendingJobs, cancellationToken) is { } pending)
        {
            return new SubmitAnswer.Saturated(pending, _options.MaxPendingJobs);
        }

        await _store.AppendEventAsync(id, "status", ApiJson.Serialize(new { status = JobStatus.Queued.Name() }), CancellationToken.None);
        _logger.LogInformation("job {JobId} accepted ({Language})", id, request.Language);
        await PlaceAsync(id, CancellationToken.None);
        return new SubmitAnswer.Accepted(id);
    }

    public async Task<CancelAnswer> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (await _store.GetJobAsync(id, cancellationToken) is null)
        {
            return new CancelAnswer.NotFound();
        }

        if (await _store.TransitionAsync(id, QueuedOnly, JobStatus.Cancelled, error: "cancelled by the client", cancellationToken: cancellationToken))
        {
            await _store.AppendEventAsync(id, "status", ApiJson.Serialize(new { status = JobStatus.Cancelled.Name(), reason = "cancelled by the client" }), CancellationToken.None);
            _signals.Notify(id);
            _metrics.Jobs.Add(1, new KeyValuePair<string, object?>("status", JobStatus.Cancelled.Name()));
            return new CancelAnswer.Cancelled();
        }

        // Running (or being claimed this instant): the flag reaches whichever node runs it, now or after a fail-over.
        var requested = await _store.RequestCancelAsync(id, cancellationToken);
        if (requested is not { } state)
        {
            return new CancelAnswer.NotFound();
        }

        if (state.Status.IsTerminal())
        {
            return new CancelAnswer.Unchanged(state.Status);
        }

        if (state.Owner is { } owner && !CancelLocal(id) && owner != _local.Address)
        {
            try
            {
                await _grains.GetGrain<INodeGrain>(owner).CancelJobAsync(id).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(exception, "node {Node} did not take the cancellation of job {JobId}; the flag stops it there or after a fail-over", owner, id);
            }
        }

        return new CancelAnswer.Cancelling();
    }

    /// <summary>Cancels the job if it runs on this node.</summary>
    public bool CancelLocal(string id)
    {
        if (_running.TryGetValue(id, out var run))
        {
            run.CancelledByClient = true;
            run.Cancellation.Cancel();
            return true;
        }

        return false;
    }

    /// <summary>Starts a queued job here (<paramref name="id"/>, or the oldest when null) if a worker is free; true when it did.</summary>
    public async Task<bool> TryStartAsync(string? id, CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested || Interlocked.Increment(ref _reserved) > _options.ConcurrentJobs)
        {
            if (!_stopping.IsCancellationRequested)
            {
                Interlocked.Decrement(ref _reserved);
            }

            return false;
        }

        JobClaim? claim;
        try
        {
            claim = await _store.ClaimAsync(id, _local.Address, cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _reserved);
            throw;
        }

        if (claim is null)
        {
            Interlocked.Decrement(ref _reserved);
            return false;
        }

        var run = new Run(claim, CancellationTokenSource.CreateLinkedTokenSource(_stopping));
        _running[claim.Id] = run;
        run.Task = Task.Run(() => RunAsync(run), CancellationToken.None);
        return true;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecoverOrphansAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Running jobs go back to the queue (the attempt does not count) before the node leaves the cluster.
        await Task.WhenAll(_running.Values.Select(r => r.Task ?? Task.CompletedTask)).WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        return Task.WhenAll(PullAsync(stoppingToken), WatchOrphansAsync(stoppingToken), WatchMembershipAsync(stoppingToken));
    }

    /// <summary>Offers a queued job to the nodes with free workers, most free first; it stays queued when none takes it.</summary>
    private async Task PlaceAsync(string id, CancellationToken cancellationToken)
    {
        var local = _local.Address;
        foreach (var node in _load.Nodes.Where(n => n.FreeJobSlots > 0).OrderByDescending(n => n.FreeJobSlots).ThenBy(n => n.Address == local ? 0 : 1).ThenBy(n => n.Address, StringComparer.Ordinal))
        {
            try
            {
                var taken = node.Address == local
                    ? await TryStartAsync(id, cancellationToken)
                    : await _grains.GetGrain<INodeGrain>(node.Address).OfferJobAsync(id).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                if (taken)
                {
                    return;
                }
            }
#pragma warning disable CA1031 // An offer that fails leaves the job queued: a free worker anywhere takes it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _logger.LogDebug(exception, "offering job {JobId} to {Node} failed", id, node.Address);
            }
        }
    }

    /// <summary>While this node has a free worker, it takes the oldest queued job (every second, and whenever a run ends).</summary>
    private async Task PullAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (Volatile.Read(ref _reserved) < _options.ConcurrentJobs && await TryStartAsync(null, stoppingToken))
                {
                }

                Volatile.Write(ref _queued, await _store.CountQueuedAsync(stoppingToken));
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The store may be briefly unreachable: try again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _logger.LogWarning(exception, "taking queued jobs failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Scans for orphans every <see cref="ClusterSettings.OrphanScan"/> (the first scan ran at start).</summary>
    private Task WatchOrphansAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync(_settings.OrphanScan, waitFirst: true, RecoverOrphansAsync, exception => _logger.LogWarning(exception, "looking for jobs of dead nodes failed"), stoppingToken);

    /// <summary>Scans for orphans as soon as Orleans tells this node that a member was declared dead (the periodic scan is the fallback).</summary>
    private async Task WatchMembershipAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                if (newlyDead.Count > 0)
                {
                    _logger.LogWarning("cluster members declared dead: {Nodes}", string.Join(", ", newlyDead.Select(m => m.SiloAddress.ToParsableString())));
                    try
                    {
                        await RecoverOrphansAsync(stoppingToken);
                    }
#pragma warning disable CA1031 // The periodic scan tries again.
                    catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
                    {
                        _logger.LogWarning(exception, "looking for jobs of dead nodes failed");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Takes back the running jobs whose owner the membership table no longer counts as alive.</summary>
    private async Task RecoverOrphansAsync(CancellationToken cancellationToken)
    {
        var live = await _members.LiveAsync(cancellationToken);
        foreach (var orphan in await _store.OrphansAsync([.. live, _local.Address], cancellationToken))
        {
            var node = orphan.Owner.Length == 0 ? "an unknown node" : orphan.Owner;
            var status = await _store.RecoverAsync(orphan, _options.MaxJobAttempts, s => ApiJson.Serialize(s switch
            {
                JobStatus.Queued => new { status = s.Name(), reason = $"the node running it ({node}) died; it runs again", node = _local.Address, deadNode = node },
                JobStatus.Cancelled => new { status = s.Name(), reason = "cancelled by the client", node = _local.Address, deadNode = node },
                _ => (object)new { status = s.Name(), reason = $"the node running it ({node}) died, {orphan.Attempts} time(s); not started again", node = _local.Address, deadNode = node },
            }), cancellationToken);
            if (status is null)
            {
                continue; // another node took it back first
            }

            _logger.LogWarning("job {JobId} of dead node {Node}: {Status}", orphan.Id, node, status.Value.Name());
            _signals.Notify(orphan.Id);
            if (status == JobStatus.Queued)
            {
                await PlaceAsync(orphan.Id, cancellationToken);
            }
            else
            {
                _metrics.Jobs.Add(1, new KeyValuePair<string, object?>("status", status.Value.Name()));
            }
        }
    }

    private async Task RunAsync(Run run)
    {
        var claim = run.Claim;
        var id = claim.Id;
        var cts = run.Cancellation;
        try
        {
            if (claim.CancelRequested)
            {
                run.CancelledByClient = true;
                await cts.CancelAsync();
            }

            cts.Token.ThrowIfCancellationRequested();
            if (await _store.AppendFencedAsync(claim, "status", ApiJson.Serialize(new { status = JobStatus.Running.Name(), attempt = claim.Attempt, node = _local.Address }), CancellationToken.None) is null)
            {
                run.Lost = true;
                return;
            }

            _signals.Notify(id);
            _logger.LogInformation("job {JobId} running here (attempt {Attempt})", id, claim.Attempt);
            var request = JsonSerializer.Deserialize<ProofJobRequest>(claim.Request, ApiJson.Options)!;
            var result = await _runner.RunAsync(request, async e =>
            {
                if (await _store.AppendFencedAsync(claim, e.Type, e.Json, CancellationToken.None) is null && !run.Lost)
                {
                    // Another node owns the job now (this one was declared dead): stop, write nothing more.
                    run.Lost = true;
                    await cts.CancelAsync();
                }

                _signals.Notify(id);
            }, cts.Token);
            cts.Token.ThrowIfCancellationRequested(); // the runner stopped early and answered anyway

            var resultJson = ApiJson.Serialize(result);
            if (await _store.FinishAsync(claim, JobStatus.Completed, resultJson, null, 0, "result", resultJson, CancellationToken.None))
            {
                _metrics.Jobs.Add(1, new KeyValuePair<string, object?>("status", JobStatus.Completed.Name()));
                _logger.LogInformation("job {JobId} completed: {Verdict}", id, result.Verdict);
            }
            else
            {
                _logger.LogWarning("job {JobId} finished here but another node owns it now; this result is dropped", id);
            }
        }
        catch (OperationCanceledException) when (run.Lost)
        {
            _logger.LogWarning("job {JobId} was taken over by another node; stopped here", id);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested && !run.CancelledByClient)
        {
            // This node is stopping: the job goes back to the queue for another node (this attempt does not count).
            await _store.FinishAsync(claim, JobStatus.Queued, null, null, -1, "status", ApiJson.Serialize(new { status = JobStatus.Queued.Name(), reason = "the node running it is stopping; the job runs again", node = _local.Address }), CancellationToken.None);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            if (await _store.FinishAsync(claim, JobStatus.Cancelled, null, "cancelled by the client", 0, "status", ApiJson.Serialize(new { status = JobStatus.Cancelled.Name(), reason = "cancelled by the client" }), CancellationToken.None))
            {
                _metrics.Jobs.Add(1, new KeyValuePair<string, object?>("status", JobStatus.Cancelled.Name()));
                _logger.LogInformation("job {JobId} cancelled while running", id);
            }
        }
#pragma warning disable CA1031 // A failing job must become a failed job, never take the worker down.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (await _store.FinishAsync(claim, JobStatus.Failed, null, exception.Message, 0, "status", ApiJson.Serialize(new { status = JobStatus.Failed.Name(), reason = exception.Message }), CancellationToken.None))
            {
                _metrics.Jobs.Add(1, new KeyValuePair<string, object?>("status", JobStatus.Failed.Name()));
            }

            _logger.LogError(exception, "job {JobId} failed", id);
        }
        finally
        {
            _running.TryRemove(id, out _);
            cts.Dispose();
            Interlocked.Decrement(ref _reserved);
            _signals.Notify(id);
            _wake.Release();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private sealed class Run(JobClaim claim, CancellationTokenSource cancellation)
    {
        public JobClaim Claim { get; } = claim;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public Task? Task { get; set; }

        public volatile bool CancelledByClient;

        public volatile bool Lost;
    }
}
