using System.Net;
using System.Text.Json;

namespace ProofAgent.Cluster.Tests;

/// <summary>Two real `agent serve` nodes on one PostgreSQL store: every node serves the whole API.</summary>
public sealed class TwoNodeTests
{
    private const string Lia = "Require Import Lia.";

    [RequiresPostgresFact("coqc", "coqidetop.opt", Timeout = 300_000)]
    public async Task Should_show_stream_cancel_and_cache_work_submitted_to_the_other_node()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var a = await AgentNode.StartAsync(database.ConnectionString, "two");
        await using var b = await AgentNode.StartAsync(database.ConnectionString, "two");
        await a.WaitForMembersAsync(2, TimeSpan.FromMinutes(1));
        await b.WaitForMembersAsync(2, TimeSpan.FromMinutes(1));

        // A job submitted to A is visible, streamable and finished on B.
        var id = await a.SubmitAsync(Lia, "Theorem two_nodes : forall n : nat, n + 3 = 3 + n.", 120);
        using var streaming = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var events = await Sse.ReadAllAsync(b.Client, $"/v1/proofs/{id}/events", null, streaming.Token);
        Assert.Equal("end", events[^1].Type);
        Assert.Single(events, e => e.Type == "result");
        var ids = events.Where(e => e.Id is not null).Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long)i), ids);
        var onB = await b.GetJsonAsync($"/v1/proofs/{id}");
        Assert.Equal("completed", onB.GetProperty("status").GetString());
        Assert.Equal("proved", onB.GetProperty("result").GetProperty("verdict").GetString());
        Assert.Equal(onB.GetProperty("result").GetRawText(), (await a.GetJsonAsync($"/v1/proofs/{id}")).GetProperty("result").GetRawText());

        // Last-Event-ID resumes on either node.
        var resumed = await Sse.ReadAllAsync(a.Client, $"/v1/proofs/{id}/events", ids[^3].ToString(System.Globalization.CultureInfo.InvariantCulture), streaming.Token);
        Assert.Equal(ids[^2..], resumed.Where(e => e.Id is not null).Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)));

        // A job that would run to its budget, submitted to B, is cancelled through A.
        var busy = await b.SubmitAsync("", "Theorem busy_two : forall n : nat, n * n * n + n < 2 ^ (n + 5).", 600);
        await WaitUntilAsync(async () => (await a.GetJsonAsync($"/v1/proofs/{busy}")).GetProperty("status").GetString() == "running", TimeSpan.FromMinutes(2));
        using (var cancel = await a.Client.DeleteAsync($"/v1/proofs/{busy}"))
        {
            Assert.True(cancel.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{cancel.StatusCode}: {await cancel.Content.ReadAsStringAsync()}");
        }

        var cancelled = await b.WaitForFinalAsync(busy, TimeSpan.FromMinutes(1));
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("cancelled by the client", cancelled.GetProperty("error").GetString());

        // A check answered on one node is a cache hit on the other.
        var check = new { language = "coq", header = Lia, statement = "Theorem cached_two : forall n : nat, n + 4 = 4 + n.", proof = "Proof. intros; lia. Qed." };
        using (var first = await a.PostJsonAsync("/v1/check", check))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("miss", first.Headers.GetValues("X-Cache").Single());
        }

        using (var second = await b.PostJsonAsync("/v1/check", check))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal("hit", second.Headers.GetValues("X-Cache").Single());
            using var report = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
            Assert.Equal("proved", report.RootElement.GetProperty("verdict").GetString());
        }

        // /health shows both nodes with their slots and queues; /metrics labels by node.
        var cluster = (await b.GetJsonAsync("/health")).GetProperty("cluster");
        Assert.Equal("two", cluster.GetProperty("name").GetString());
        var members = cluster.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(2, members.Count);
        Assert.Equal(new[] { a.Url, b.Url }.Order(StringComparer.Ordinal), members.Select(m => m.GetProperty("url").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(members, m => Assert.Equal(2, m.GetProperty("checks").GetProperty("slots").GetInt32()));
        Assert.All(members, m => Assert.Equal(1, m.GetProperty("jobs").GetProperty("slots").GetInt32()));
        Assert.True(cluster.GetProperty("sameApiKeys").GetBoolean());

        string metrics = "";
        await WaitUntilAsync(async () => (metrics = await a.MetricsAsync()).Contains("proofagent_checks_total{", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Contains($"node=\"127.0.0.1:{a.SiloPort}\"", metrics, StringComparison.Ordinal);

        // One cluster per store: a node of another cluster name is refused, naming the running one.
        var (code, stderr) = await StartupTests.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--store", database.ConnectionString, "--cluster", "intruder", "--silo-port", "1");
        Assert.Equal(2, code);
        Assert.Contains("already serves the running cluster 'two'", stderr, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met after {limit}");
            await Task.Delay(250);
        }
    }
}
