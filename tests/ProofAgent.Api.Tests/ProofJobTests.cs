using System.Net;
using System.Text.Json;
using ProofAgent.Api.Jobs;
using ProofAgent.Api.Storage;

namespace ProofAgent.Api.Tests;

public sealed class ProofJobTests
{
    [RequiresToolsFact("coqc", Timeout = 180_000)]
    public async Task I_can_prove_with_Coq_and_no_model_and_follow_the_events()
    {
        await using var host = await ApiHost.StartAsync();
        var id = await host.SubmitAsync(Coq.Commutativity, seconds: 90, header: Coq.LiaHeader);

        // The stream replays from the start and ends with 'end' once the job is done.
        using var stream = await host.Client.GetAsync($"/v1/proofs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var events = await Sse.ReadAllAsync(await stream.Content.ReadAsStreamAsync(), reading.Token);

        var types = events.Select(e => e.Type).ToList();
        Assert.Equal("status", types[0]);
        Assert.Contains("stageStarted", types);
        Assert.Contains("result", types);
        Assert.Equal("end", types[^1]);
        var ids = events.Where(e => e.Id is not null).Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);

        var job = await host.GetJsonAsync($"/v1/proofs/{id}");
        Assert.Equal("completed", job.GetProperty("status").GetString());
        var result = job.GetProperty("result");
        Assert.Equal("proved", result.GetProperty("verdict").GetString());
        var proof = result.GetProperty("proof").GetString()!;
        Assert.Contains("add_comm_api", proof, StringComparison.Ordinal);
        Assert.DoesNotContain("Admitted", proof, StringComparison.Ordinal);

        // The proof the job found passes the synchronous check of the same statement (a fresh coqc, the soundness gate).
        var start = proof.IndexOf(Coq.Commutativity, StringComparison.Ordinal);
        Assert.True(start >= 0, proof);
        using var check = await host.PostJsonAsync("/v1/check", new
        {
            language = "coq",
            header = proof[..start],
            statement = Coq.Commutativity,
            proof = proof[(start + Coq.Commutativity.Length)..],
        });
        Assert.Equal("proved", (await host.JsonAsync(check)).GetProperty("verdict").GetString());

        // A client that reconnects with Last-Event-ID gets only what follows.
        using var resume = new HttpRequestMessage(HttpMethod.Get, $"/v1/proofs/{id}/events");
        resume.Headers.Add("Last-Event-ID", (ids[^1] - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var resumed = await host.Client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        var tail = await Sse.ReadAllAsync(await resumed.Content.ReadAsStreamAsync(), reading.Token);
        Assert.Equal([ids[^1].ToString(System.Globalization.CultureInfo.InvariantCulture), null], tail.Select(e => e.Id));
    }

    [RequiresToolsFact("coqc", "z3", Timeout = 180_000)]
    public async Task A_false_statement_ends_the_job_with_its_counterexample()
    {
        await using var host = await ApiHost.StartAsync();
        var id = await host.SubmitAsync(Coq.False, seconds: 60);

        var job = await host.WaitForJobAsync(id, JobStatuses.IsTerminal, TimeSpan.FromSeconds(120));

        Assert.Equal("completed", job.GetProperty("status").GetString());
        var result = job.GetProperty("result");
        Assert.Equal("failed", result.GetProperty("verdict").GetString());
        Assert.Contains("the statement is false", result.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var n = int.Parse(Assert.Single(result.GetProperty("theorems").EnumerateArray()).GetProperty("counterexample").GetString()!["n = ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(n + 1, 2 * n);
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task I_can_cancel_a_running_job_and_a_full_queue_answers_429()
    {
        await using var host = await ApiHost.StartAsync(o => o with { MaxPendingJobs = 2, RetryAfterSeconds = 3 });
        var running = await host.SubmitAsync(Coq.Unprovable, seconds: 300);
        var queued = await host.SubmitAsync(Coq.Unprovable, seconds: 300);

        using var refused = await host.PostJsonAsync("/v1/proofs", new { language = "coq", statement = Coq.Unprovable });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("3", refused.Headers.GetValues("Retry-After").Single());

        await host.WaitForJobAsync(running, s => s == JobStatus.Running, TimeSpan.FromSeconds(30));
        using var cancelQueued = await host.Client.DeleteAsync($"/v1/proofs/{queued}");
        Assert.Equal(HttpStatusCode.OK, cancelQueued.StatusCode);
        Assert.Equal("cancelled", (await host.GetJsonAsync($"/v1/proofs/{queued}")).GetProperty("status").GetString());

        using var cancelRunning = await host.Client.DeleteAsync($"/v1/proofs/{running}");
        Assert.Equal(HttpStatusCode.Accepted, cancelRunning.StatusCode);
        var job = await host.WaitForJobAsync(running, JobStatuses.IsTerminal, TimeSpan.FromSeconds(30));
        Assert.Equal("cancelled", job.GetProperty("status").GetString());

        using var again = await host.Client.DeleteAsync($"/v1/proofs/{running}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using var unknown = await host.Client.DeleteAsync("/v1/proofs/does-not-exist");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // Room again: a new job is accepted.
        var next = await host.SubmitAsync(Coq.Unprovable, seconds: 1);
        await host.WaitForJobAsync(next, JobStatuses.IsTerminal, TimeSpan.FromSeconds(60));
    }

    [RequiresToolsFact("coqc", Timeout = 180_000)]
    public async Task A_restart_loses_no_accepted_job()
    {
        var folder = ApiHost.NewFolder();
        string queuedId;
        string[] busy;
        await using (var first = await ApiHost.StartAsync(o => o with { ConcurrentJobs = 1 }, folder))
        {
            // Two jobs keep the only worker busy; the third is still queued when the server stops.
            busy = [await first.SubmitAsync(Coq.Unprovable, seconds: 300), await first.SubmitAsync(Coq.Unprovable.Replace("hard_api", "hard_api2", StringComparison.Ordinal), seconds: 300)];
            queuedId = await first.SubmitAsync(Coq.Commutativity, seconds: 90, header: Coq.LiaHeader);
            await first.WaitForJobAsync(busy[0], s => s == JobStatus.Running, TimeSpan.FromSeconds(30));
        }

        // What a kill -9 leaves behind: a job marked running (attempt 1 and attempt 2 of 2) that no process runs.
        var store = await SqliteJobStore.OpenAsync(Path.Combine(folder, "service.db"));
        var request = JsonSerializer.Serialize(new ProofJobRequest("coq", Coq.LiaHeader, Coq.Commutativity.Replace("add_comm_api", "crashed_once", StringComparison.Ordinal), null, 90, 0, 2000, null), ProofAgent.Api.ApiJson.Options);
        var now = DateTimeOffset.UtcNow;
        await store.InsertJobAsync(new JobRecord("crashed-once", JobStatus.Running, "coq", request, null, null, 1, now, now));
        await store.InsertJobAsync(new JobRecord("crashed-twice", JobStatus.Running, "coq", request, null, null, 2, now, now));

        // A graceful stop leaves no job running: unfinished ones went back to the queue. Cancel the busy ones still there.
        Assert.Equal(JobStatus.Queued, (await store.GetJobAsync(queuedId))!.Status);
        foreach (var id in busy)
        {
            var status = (await store.GetJobAsync(id))!.Status;
            Assert.True(status is JobStatus.Queued or JobStatus.Completed, $"{id} is {status} after a graceful stop");
            await store.TransitionAsync(id, [JobStatus.Queued], JobStatus.Cancelled);
        }

        await using var second = await ApiHost.StartAsync(o => o with { ConcurrentJobs = 1 }, folder, deleteFolder: true);
        var resumed = await second.WaitForJobAsync(queuedId, JobStatuses.IsTerminal, TimeSpan.FromSeconds(120));
        Assert.Equal("proved", resumed.GetProperty("result").GetProperty("verdict").GetString());

        var once = await second.WaitForJobAsync("crashed-once", JobStatuses.IsTerminal, TimeSpan.FromSeconds(120));
        Assert.Equal("completed", once.GetProperty("status").GetString());
        Assert.Equal(2, once.GetProperty("attempts").GetInt32());
        Assert.Equal("proved", once.GetProperty("result").GetProperty("verdict").GetString());

        var twice = await second.GetJsonAsync("/v1/proofs/crashed-twice");
        Assert.Equal("interrupted", twice.GetProperty("status").GetString());
        Assert.Contains("stopped while the job ran", twice.GetProperty("error").GetString(), StringComparison.Ordinal);

        // The restart is visible in the trace of the resumed job.
        using var stream = await second.Client.GetAsync("/v1/proofs/crashed-once/events", HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAllAsync(await stream.Content.ReadAsStreamAsync(), CancellationToken.None);
        Assert.Contains(events, e => e.Type == "status" && e.Data.Contains("restarted", StringComparison.Ordinal));
    }
}
