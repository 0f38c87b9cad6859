using Npgsql;
using ProofAgent.Api.Storage;
using ProofAgent.Cluster.Store;

namespace ProofAgent.Cluster.Tests;

/// <summary>The PostgreSQL store on a real server: schema, claims, fencing, recovery of a dead owner's job, cache.</summary>
public sealed class StoreTests
{
    [RequiresPostgresFact(Timeout = 60_000)]
    public async Task Should_create_the_schema_idempotently_even_when_nodes_start_at_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = database.OpenDataSource();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StoreSchema.MigrateAsync(dataSource, CancellationToken.None)));
        await StoreSchema.MigrateAsync(dataSource, CancellationToken.None);

        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT COUNT(*) FROM proofagent_schema), (SELECT COUNT(*) FROM OrleansQuery),
                   (SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'jobs' AND column_name IN ('owner', 'event_seq', 'cancel_requested'))
            """);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2L, reader.GetInt64(0));
        Assert.Equal(10L, reader.GetInt64(1)); // every query Orleans.Clustering.AdoNet 10.4.2 reads
        Assert.Equal(3L, reader.GetInt64(2));
    }

    [RequiresPostgresFact(Timeout = 60_000)]
    public async Task Should_let_only_the_current_owner_write_and_finish_a_job()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = database.OpenDataSource();
        await StoreSchema.MigrateAsync(dataSource, CancellationToken.None);
        var store = new PostgresJobStore(dataSource);
        var now = DateTimeOffset.UtcNow;
        await store.InsertJobAsync(new JobRecord("j1", JobStatus.Queued, "coq", "{}", null, null, 0, now, now));
        Assert.Equal(1, await store.AppendEventAsync("j1", "status", "{\"status\":\"queued\"}"));

        // Two nodes race for the job: exactly one claims it.
        var claims = await Task.WhenAll(store.ClaimAsync("j1", "node-a", default), store.ClaimAsync(null, "node-b", default));
        var first = Assert.Single(claims, c => c is not null)!;
        Assert.Equal(1, first.Attempt);
        Assert.Equal(2, await store.AppendFencedAsync(first, "note", "{}"));

        // Its owner dies: one recovery wins (the second finds nothing to take), the job is queued again with the reason.
        var orphan = Assert.Single(await store.OrphansAsync(["node-c"], default));
        Assert.Equal(first.Owner, orphan.Owner);
        var recovered = await Task.WhenAll(
            store.RecoverAsync(orphan, 2, s => $"{{\"status\":\"{s.Name()}\",\"reason\":\"dead\"}}", default),
            store.RecoverAsync(orphan, 2, s => $"{{\"status\":\"{s.Name()}\",\"reason\":\"dead\"}}", default));
        Assert.Equal(JobStatus.Queued, Assert.Single(recovered, r => r is not null));

        var second = await store.ClaimAsync(null, "node-c", default);
        Assert.NotNull(second);
        Assert.Equal(2, second.Attempt);

        // The first owner comes back to life (a slow node): it can neither write an event nor finish the job.
        Assert.Null(await store.AppendFencedAsync(first, "note", "{\"zombie\":true}"));
        Assert.False(await store.FinishAsync(first, JobStatus.Completed, "{\"verdict\":\"zombie\"}", null, 0, "result", "{}"));
        Assert.True(await store.FinishAsync(second, JobStatus.Completed, "{\"verdict\":\"proved\"}", null, 0, "result", "{\"verdict\":\"proved\"}"));
        Assert.False(await store.FinishAsync(second, JobStatus.Completed, "{\"verdict\":\"again\"}", null, 0, "result", "{}"));

        var job = await store.GetJobAsync("j1");
        Assert.Equal((JobStatus.Completed, "{\"verdict\":\"proved\"}", 2), (job!.Status, job.Result, job.Attempts));
        var events = await store.EventsAfterAsync("j1", 0, 100);
        Assert.Equal([1L, 2, 3, 4], events.Select(e => e.Seq));
        Assert.Equal(["status", "note", "status", "result"], events.Select(e => e.Type));
        Assert.DoesNotContain(events, e => e.Data.Contains("zombie", StringComparison.Ordinal));
    }

    [RequiresPostgresFact(Timeout = 60_000)]
    public async Task Should_interrupt_a_job_after_its_last_attempt_and_cancel_one_its_client_cancelled()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = database.OpenDataSource();
        await StoreSchema.MigrateAsync(dataSource, CancellationToken.None);
        var store = new PostgresJobStore(dataSource);
        var now = DateTimeOffset.UtcNow;
        foreach (var id in new[] { "last", "cancelled" })
        {
            await store.InsertJobAsync(new JobRecord(id, JobStatus.Queued, "coq", "{}", null, null, 1, now, now));
            Assert.NotNull(await store.ClaimAsync(id, "dead-node", default));
        }

        Assert.Equal((JobStatus.Running, "dead-node"), await store.RequestCancelAsync("cancelled", default));
        var statuses = new Dictionary<string, JobStatus?>(StringComparer.Ordinal);
        foreach (var orphan in await store.OrphansAsync([], default))
        {
            statuses[orphan.Id] = await store.RecoverAsync(orphan, 2, s => $"{{\"status\":\"{s.Name()}\"}}", default);
        }

        Assert.Equal(JobStatus.Interrupted, statuses["last"]);
        Assert.Equal(JobStatus.Cancelled, statuses["cancelled"]);
        Assert.Contains("died, 2 time(s)", (await store.GetJobAsync("last"))!.Error, StringComparison.Ordinal);
    }

    [RequiresPostgresFact(Timeout = 60_000)]
    public async Task Should_share_the_verification_cache_and_count_pending_jobs_cluster_wide()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = database.OpenDataSource();
        await StoreSchema.MigrateAsync(dataSource, CancellationToken.None);
        var a = new PostgresJobStore(dataSource);
        await using var otherSource = NpgsqlDataSource.Create(database.ConnectionString);
        var b = new PostgresJobStore(otherSource);
        await a.PutCachedAsync(new CachedReport("k", "coq", "8.16.1", "coq", "{\"verdict\":\"proved\"}"));
        await a.PutCachedAsync(new CachedReport("k", "coq", "8.16.1", "coq", "{\"verdict\":\"proved\"}"));
        Assert.Equal("{\"verdict\":\"proved\"}", (await b.GetCachedAsync("k"))?.Report);
        Assert.Equal(1, await b.CountCachedAsync());

        var now = DateTimeOffset.UtcNow;
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? a : b).InsertIfRoomAsync(new JobRecord($"p{i}", JobStatus.Queued, "coq", "{}", null, null, 0, now, now), 4, default)));
        Assert.Equal(4, answers.Count(r => r is null));
        Assert.Equal(4, await b.CountPendingAsync());
    }
}
