using System.Text.Json;

namespace ProofAgent.Cluster.Tests;

/// <summary>
/// Issue 22's fault test: three real nodes on loopback, forty proof jobs, one node killed with SIGKILL while it runs a
/// job. Every job reaches a final state exactly once, the dead node's jobs run again elsewhere (an event says so), the
/// node restarted on its ports joins again, and the results equal those of one lone `agent serve` (embedded SQLite) on
/// the same jobs.
/// </summary>
public sealed class FailoverTests
{
    private const string Lia = "Require Import Lia.";

    /// <summary>
    /// 40 jobs: three of four are proved by the automation in seconds; every fourth is true but beyond the automation and
    /// outside the SMT fragment, so it runs to its (short) budget and ends "failed".
    /// </summary>
    private static readonly IReadOnlyList<(string Key, string Header, string Statement, double Budget)> Jobs =
        [.. Enumerable.Range(0, 40).Select(i => i % 4 == 3
            ? ($"hard{i}", "", $"Theorem hard{i} : forall n : nat, n * n * n + n < 2 ^ (n + {5 + i}).", 3.0)
            : ($"easy{i}", Lia, $"Theorem easy{i} : forall n : nat, n + {i} = {i} + n.", 240.0))];

    [RequiresPostgresFact("coqc", "coqidetop.opt", Timeout = 900_000)]
    public async Task Should_finish_every_job_exactly_once_with_the_lone_node_results_when_a_node_is_killed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var nodes = new List<AgentNode>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await AgentNode.StartAsync(database.ConnectionString, "failover"));
            }

            foreach (var node in nodes)
            {
                await node.WaitForMembersAsync(3, TimeSpan.FromMinutes(1));
            }

            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < Jobs.Count; i++)
            {
                var (key, header, statement, budget) = Jobs[i];
                ids[key] = await nodes[i % 3].SubmitAsync(header, statement, budget);
            }

            // Kill the second node while it runs a job: no chance to hand anything back.
            var victim = nodes[1];
            await WaitUntilAsync(async () => (await victim.GetJsonAsync("/health")).GetProperty("jobs").GetProperty("running").GetInt32() > 0, TimeSpan.FromMinutes(2));
            var deadAddress = (await victim.GetJsonAsync("/health")).GetProperty("cluster").GetProperty("node").GetString()!;
            victim.KillHard();
            var survivors = new[] { nodes[0], nodes[2] };

            var cluster = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var (key, id) in ids)
            {
                cluster[key] = await survivors[cluster.Count % 2].WaitForFinalAsync(id, TimeSpan.FromMinutes(8));
            }

            // Exactly once: one final state, one result event, no status after it; the dead node's jobs say why they ran again.
            var failedOver = 0;
            foreach (var (key, id) in ids)
            {
                Assert.Equal("completed", cluster[key].GetProperty("status").GetString());
                using var streaming = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                var events = await Sse.ReadAllAsync(survivors[0].Client, $"/v1/proofs/{id}/events", null, streaming.Token);
                Assert.Single(events, e => e.Type == "result");
                Assert.Equal(["result", "end"], events.TakeLast(2).Select(e => e.Type));
                var resumed = events.Where(e => e.Type == "status" && e.Data.Contains("\"deadNode\"", StringComparison.Ordinal)).ToList();
                if (resumed.Count > 0)
                {
                    failedOver++;
                    Assert.Contains(deadAddress, resumed[0].Data, StringComparison.Ordinal);
                    Assert.Equal(2, cluster[key].GetProperty("attempts").GetInt32());
                    Assert.Single(events, e => e.Type == "status" && e.Data.Contains("\"attempt\":2", StringComparison.Ordinal));
                }
                else
                {
                    Assert.Equal(1, cluster[key].GetProperty("attempts").GetInt32());
                }
            }

            Assert.True(failedOver >= 1, "the killed node ran a job: it must have been picked up by another node");

            // The node comes back on the same ports: a new generation joins the cluster and takes work again.
            await victim.DisposeAsync();
            var back = await AgentNode.StartAsync(database.ConnectionString, "failover", ports: (victim.HttpPort, victim.SiloPort));
            nodes[1] = back;
            await nodes[0].WaitForMembersAsync(3, TimeSpan.FromMinutes(2));
            var health = await back.GetJsonAsync("/health");
            Assert.NotEqual(deadAddress, health.GetProperty("cluster").GetProperty("node").GetString());
            Assert.True(health.GetProperty("cluster").GetProperty("deadMembers").GetInt32() >= 1);
            var again = await back.SubmitAsync(Lia, "Theorem back_again : forall n : nat, n + 41 = 41 + n.", 240);
            Assert.Equal("completed", (await nodes[2].WaitForFinalAsync(again, TimeSpan.FromMinutes(4))).GetProperty("status").GetString());

            // The same jobs on one lone node (the embedded default) give the same verdicts and proofs.
            await using var lone = await AgentNode.StartAsync(store: null, cluster: null, jobs: 2);
            var loneIds = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, header, statement, budget) in Jobs)
            {
                loneIds[key] = await lone.SubmitAsync(header, statement, budget);
            }

            foreach (var (key, id) in loneIds)
            {
                var alone = await lone.WaitForFinalAsync(id, TimeSpan.FromMinutes(8));
                Assert.Equal("completed", alone.GetProperty("status").GetString());
                Assert.Equal(Outcome(alone), Outcome(cluster[key]));
            }

            Assert.Equal(30, cluster.Values.Count(j => j.GetProperty("result").GetProperty("verdict").GetString() == "proved"));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>What must not depend on where a job ran: its verdict and its checked proof.</summary>
    private static (string? Verdict, string? Proof) Outcome(JsonElement job)
    {
        var result = job.GetProperty("result");
        return (result.GetProperty("verdict").GetString(), result.TryGetProperty("proof", out var proof) ? proof.GetString() : null);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met after {limit}");
            await Task.Delay(100);
        }
    }
}
