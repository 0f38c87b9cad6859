using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ProofAgent.Cluster.Tests;

/// <summary>A real <c>agent serve</c> process (agent.dll next to the tests) on loopback: a cluster node, or a lone service.</summary>
public sealed class AgentNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private AgentNode(Process process, string url, int siloPort)
    {
        _process = process;
        Url = url;
        SiloPort = siloPort;
        Client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(3) };
    }

    public string Url { get; }

    public int SiloPort { get; }

    public int HttpPort => new Uri(Url).Port;

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public bool Exited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts a node of <paramref name="cluster"/> on <paramref name="store"/> (a lone SQLite service when null) and waits until it listens.</summary>
    public static async Task<AgentNode> StartAsync(string? store, string? cluster, string? database = null, int jobs = 1, (int Http, int Silo)? ports = null)
    {
        var port = ports?.Http ?? FreePort();
        var siloPort = ports?.Silo ?? FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        var arguments = new List<string> { AgentBinary.Path, "serve", "--json", "--urls", $"http://127.0.0.1:{port}", "--jobs", jobs.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (store is not null)
        {
            arguments.AddRange(["--store", store, "--cluster", cluster ?? "test", "--silo-port", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        else
        {
            arguments.AddRange(["--db", database ?? Path.Combine(Path.GetTempPath(), "pa-cluster-test-" + Guid.NewGuid().ToString("N") + ".db")]);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var node = new AgentNode(process, $"http://127.0.0.1:{port}", siloPort);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (node._stderr)
                {
                    node._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var line = await process.StandardOutput.ReadLineAsync(ready.Token);
        Assert.True(line is not null, $"agent serve exited ({(process.HasExited ? process.ExitCode : -1)}) before listening:\n{node.Log}");
        using var json = JsonDocument.Parse(line);
        Assert.Equal(node.Url, json.RootElement.GetProperty("urls")[0].GetString());
        return node;
    }

    /// <summary>kill -9: the process gets no chance to hand anything back.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) =>
        Client.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {Url}{path}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Submits a Coq proof job and returns its id (asserting 202).</summary>
    public async Task<string> SubmitAsync(string header, string statement, double seconds)
    {
        using var response = await PostJsonAsync("/v1/proofs", new { language = "coq", header, statement, budget = new { seconds } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST {Url}/v1/proofs: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls until the cluster this node sees has <paramref name="count"/> active members with a load reading.</summary>
    public async Task WaitForMembersAsync(int count, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var health = await GetJsonAsync("/health");
            var active = health.GetProperty("cluster").GetProperty("members").EnumerateArray()
                .Count(m => m.GetProperty("status").GetString() == "active" && m.TryGetProperty("url", out _));
            if (active == count)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{Url} sees {active} active members, not {count}, after {limit}: {health}");
            await Task.Delay(250);
        }
    }

    /// <summary>Polls a job until it is final (completed, failed, cancelled, interrupted).</summary>
    public async Task<JsonElement> WaitForFinalAsync(string id, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var job = await GetJsonAsync($"/v1/proofs/{id}");
            if (job.GetProperty("status").GetString() is "completed" or "failed" or "cancelled" or "interrupted")
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} still {job.GetProperty("status").GetString()} after {limit}");
            await Task.Delay(250);
        }
    }

    public async Task<string> MetricsAsync() => await Client.GetStringAsync("/metrics");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
