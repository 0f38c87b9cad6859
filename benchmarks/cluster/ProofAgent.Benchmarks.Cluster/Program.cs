using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using ProofAgent.Benchmarks.Cluster;

// cluster-bench: measurements of `agent serve` over HTTP on this machine (benchmarks/cluster/README.md).
//   cluster-bench jobs     --agent PATH --store ADMIN_CONNECTION [--nodes 1,2,3] [--jobs 24] [--jobs-per-node 1]
//   cluster-bench failover --agent PATH --store ADMIN_CONNECTION [--jobs 12]
//   cluster-bench checks   --agent PATH [--clients 2,8] [--checks 24] [--checks-per-prover 2]
// Every run makes its own database (dropped after) or SQLite file; nothing is reused between runs.
var mode = args.FirstOrDefault() ?? "help";
string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

var agent = Path.GetFullPath(Option("--agent", "agent/Agent.Cli/bin/Release/net10.0/agent.dll"));
var admin = Option("--store", Environment.GetEnvironmentVariable("PROOFAGENT_TEST_POSTGRES") ?? "");
var invariant = CultureInfo.InvariantCulture;
switch (mode)
{
    case "jobs":
        Console.WriteLine("nodes | jobs | proved | wall s | jobs/min | vs 1 node");
        double? baseline = null;
        foreach (var n in Option("--nodes", "1,2,3").Split(',').Select(s => int.Parse(s, invariant)))
        {
            var (wall, proved, count) = await Workloads.JobsAsync(agent, admin, n, int.Parse(Option("--jobs", "24"), invariant), Option("--jobs-per-node", "1"));
            var perMinute = count / wall.TotalMinutes;
            baseline ??= perMinute;
            Console.WriteLine(string.Create(invariant, $"{n} | {count} | {proved} | {wall.TotalSeconds:0.0} | {perMinute:0.0} | {perMinute / baseline:0.00}x"));
        }

        break;
    case "failover":
        var failover = await Workloads.FailoverAsync(agent, admin, int.Parse(Option("--jobs", "12"), invariant));
        Console.WriteLine(failover);
        break;
    case "checks":
        Console.WriteLine("clients | checks | 200 | 429 | p50 s | p99 s | max s | checks/s");
        foreach (var clients in Option("--clients", "2,8").Split(',').Select(s => int.Parse(s, invariant)))
        {
            var r = await Workloads.ChecksAsync(agent, clients, int.Parse(Option("--checks", "24"), invariant), Option("--checks-per-prover", "2"));
            Console.WriteLine(string.Create(invariant, $"{clients} | {r.Count} | {r.Ok} | {r.Refused} | {r.P50:0.00} | {r.P99:0.00} | {r.Max:0.00} | {r.PerSecond:0.00}"));
        }

        break;
    default:
        Console.Error.WriteLine("usage: cluster-bench jobs|failover|checks --agent PATH/agent.dll [--store ADMIN_CONNECTION] (see benchmarks/cluster/README.md)");
        return 2;
}

return 0;

internal static class Workloads
{
    private const string Lia = "Require Import Lia.";

    /// <summary>Three in four jobs are proved by the automation in seconds; every fourth runs to a 3 s budget.</summary>
    public static (string Header, string Statement, double Budget) Job(int i) => i % 4 == 3
        ? ("", $"Theorem hard{i} : forall n : nat, n * n * n + n < 2 ^ (n + {5 + i}).", 3)
        : (Lia, $"Theorem easy{i} : forall n : nat, n + {i} = {i} + n.", 240);

    /// <summary>Submits <paramref name="count"/> jobs round-robin to <paramref name="nodes"/> fresh nodes and times them to the last final state.</summary>
    public static async Task<(TimeSpan Wall, int Proved, int Count)> JobsAsync(string agent, string admin, int nodes, int count, string workers)
    {
        await using var database = await Database.CreateAsync(admin);
        var cluster = new List<Node>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                cluster.Add(await Node.StartAsync(agent, database.ConnectionString, "bench", "--jobs", workers));
            }

            foreach (var node in cluster)
            {
                await node.WaitForMembersAsync(nodes);
            }

            var clock = Stopwatch.StartNew();
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var (header, statement, budget) = Job(i);
                var (status, body, _) = await cluster[i % nodes].PostAsync("/v1/proofs", new { language = "coq", header, statement, budget = new { seconds = budget } });
                ids.Add(status == HttpStatusCode.Accepted ? body.GetProperty("id").GetString()! : throw new InvalidOperationException($"submit: {status} {body}"));
            }

            var proved = 0;
            foreach (var id in ids)
            {
                while (true)
                {
                    var job = await cluster[0].GetAsync($"/v1/proofs/{id}");
                    if (job.GetProperty("status").GetString() is "completed" or "failed" or "cancelled" or "interrupted")
                    {
                        proved += job.TryGetProperty("result", out var result) && result.GetProperty("verdict").GetString() == "proved" ? 1 : 0;
                        break;
                    }

                    await Task.Delay(200);
                }
            }

            return (clock.Elapsed, proved, count);
        }
        finally
        {
            foreach (var node in cluster)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Three nodes; jobs submitted; the second node killed with SIGKILL while it runs one. Reports, from the store's event
    /// times: death to the job being queued again by a survivor (failure detection), and death to it running elsewhere.
    /// </summary>
    public static async Task<string> FailoverAsync(string agent, string admin, int count)
    {
        await using var database = await Database.CreateAsync(admin);
        var cluster = new List<Node>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                cluster.Add(await Node.StartAsync(agent, database.ConnectionString, "bench"));
            }

            foreach (var node in cluster)
            {
                await node.WaitForMembersAsync(3);
            }

            for (var i = 0; i < count; i++)
            {
                var (header, statement, budget) = Job(i);
                await cluster[i % 3].PostAsync("/v1/proofs", new { language = "coq", header, statement, budget = new { seconds = budget } });
            }

            while ((await cluster[1].GetAsync("/health")).GetProperty("jobs").GetProperty("running").GetInt32() == 0)
            {
                await Task.Delay(50);
            }

            await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
            cluster[1].KillHard();
            DateTimeOffset killed;
            await using (var now = dataSource.CreateCommand("SELECT now()"))
            {
                killed = new DateTimeOffset((DateTime)(await now.ExecuteScalarAsync())!, TimeSpan.Zero); // the store's clock (UTC), as the event times
            }

            while (true)
            {
                await using var query = dataSource.CreateCommand("""
                    SELECT r.at, (SELECT MIN(e.at) FROM job_events e WHERE e.job_id = r.job_id AND e.seq > r.seq AND e.data LIKE '%"status":"running"%')
                    FROM job_events r WHERE r.data LIKE '%"deadNode"%' ORDER BY r.at LIMIT 1
                    """);
                await using var reader = await query.ExecuteReaderAsync();
                if (await reader.ReadAsync() && !reader.IsDBNull(1))
                {
                    var requeued = reader.GetFieldValue<DateTimeOffset>(0) - killed;
                    var running = reader.GetFieldValue<DateTimeOffset>(1) - killed;
                    return string.Create(CultureInfo.InvariantCulture, $"killed a node running a job: queued again by a survivor after {requeued.TotalSeconds:0.0} s, running on another node after {running.TotalSeconds:0.0} s");
                }

                await Task.Delay(100);
            }
        }
        finally
        {
            foreach (var node in cluster)
            {
                await node.DisposeAsync();
            }
        }
    }

    public sealed record CheckRun(int Count, int Ok, int Refused, double P50, double P99, double Max, double PerSecond);

    /// <summary>
    /// A lone `agent serve` with a fresh database: <paramref name="clients"/> concurrent clients send <paramref name="count"/>
    /// distinct trivial checks in all (no cache hits), each client one at a time; a 429 is retried after its Retry-After
    /// and its wait counts in that check's latency.
    /// </summary>
    public static async Task<CheckRun> ChecksAsync(string agent, int clients, int count, string slots)
    {
        await using var node = await Node.StartAsync(agent, null, "", "--checks-per-prover", slots);
        var warm = await node.PostAsync("/v1/check", Check(-1)); // the first check of a process loads more than the others
        if (warm.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"warm-up check: {warm.Status} {warm.Body}");
        }

        var next = -1;
        var latencies = new List<double>();
        var refused = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                var started = Stopwatch.StartNew();
                while (true)
                {
                    var (status, body, cache) = await node.PostAsync("/v1/check", Check(i));
                    if (status == HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref refused);
                        await Task.Delay(TimeSpan.FromSeconds(body.GetProperty("retryAfterSeconds").GetInt32()));
                        continue;
                    }

                    if (status != HttpStatusCode.OK || body.GetProperty("verdict").GetString() != "proved" || cache != "miss")
                    {
                        throw new InvalidOperationException($"check {i}: {status} {cache} {body}");
                    }

                    break;
                }

                lock (latencies)
                {
                    latencies.Add(started.Elapsed.TotalSeconds);
                }
            }
        }));
        var wall = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        return new CheckRun(count, latencies.Count, refused, Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies[^1], count / wall);
    }

    private static object Check(int i) => new
    {
        language = "coq",
        header = Lia,
        statement = $"Theorem load_{(i < 0 ? "warm" : i.ToString(CultureInfo.InvariantCulture))}_{Guid.NewGuid():N} : forall n : nat, n + {Math.Max(i, 0)} = {Math.Max(i, 0)} + n.",
        proof = "Proof. intros; lia. Qed.",
    };

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>A fresh database for one measurement, dropped afterwards.</summary>
internal sealed class Database(string admin, string name) : IAsyncDisposable
{
    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;

    public static async Task<Database> CreateAsync(string admin)
    {
        if (admin.Length == 0)
        {
            throw new InvalidOperationException("--store ADMIN_CONNECTION (or $PROOFAGENT_TEST_POSTGRES): a PostgreSQL role that may create databases");
        }

        var name = "pa_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new Database(admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
