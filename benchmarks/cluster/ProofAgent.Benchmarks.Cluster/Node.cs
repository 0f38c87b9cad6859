using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ProofAgent.Benchmarks.Cluster;

/// <summary>A real `agent serve` process on loopback (a cluster node with a store, or a lone SQLite service).</summary>
internal sealed class Node(Process process, string url) : IAsyncDisposable
{
    public string Url { get; } = url;

    public HttpClient Client { get; } = new() { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };

    public static async Task<Node> StartAsync(string agent, string? store, string cluster, params string[] extra)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(agent);
        foreach (var argument in new[] { "serve", "--json", "--urls", $"http://127.0.0.1:{port}" }.Concat(store is null
            ? ["--db", Path.Combine(Path.GetTempPath(), $"cluster-bench-{Guid.NewGuid():N}.db")]
            : ["--store", store, "--cluster", cluster, "--silo-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)]).Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (line is null)
        {
            throw new InvalidOperationException($"agent serve exited with {process.ExitCode} before listening");
        }

        return new Node(process, $"http://127.0.0.1:{port}");
    }

    public void KillHard() => process.Kill(entireProcessTree: false);

    public async Task<JsonElement> GetAsync(string path)
    {
        var text = await Client.GetStringAsync(path);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, string? Cache)> PostAsync(string path, object body)
    {
        using var response = await Client.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone(), response.Headers.TryGetValues("X-Cache", out var cache) ? cache.First() : null);
    }

    public async Task WaitForMembersAsync(int count)
    {
        for (var i = 0; i < 600; i++)
        {
            var health = await GetAsync("/health");
            if (health.GetProperty("cluster").GetProperty("members").EnumerateArray().Count(m => m.GetProperty("status").GetString() == "active" && m.TryGetProperty("url", out _)) == count)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Url} never saw {count} active members");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
