using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProofAgent.Web.Tests.Support;

/// <summary>
/// A model server on 127.0.0.1 that takes every request and never answers, like a model busy with a long generation:
/// a proof job that samples from it stays running, without using the CPU, until it is cancelled. It records the
/// request lines it received, and writes the registry (<c>--models</c>) that names it <see cref="ModelName"/>.
/// </summary>
public sealed class HeldModelServer : IAsyncDisposable
{
    public const string ModelName = "held-model";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly List<string> _requests = [];
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;

    public HeldModelServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        RegistryPath = Path.Combine(Path.GetTempPath(), "proofagent-web-models-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(RegistryPath, $$"""
            {"models": [{"name": "{{ModelName}}", "runtime": "openai", "baseUrl": "http://127.0.0.1:{{Port}}/v1", "model": "held",
                         "timeoutSeconds": 900, "retries": 0}]}
            """);
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string RegistryPath { get; }

    /// <summary>The request lines received so far (<c>POST /v1/completions HTTP/1.1</c>, ...).</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>
    /// Completes when the first request line has arrived: a job's trace can show its stage started before the model's
    /// HTTP request has reached this server.
    /// </summary>
    public Task WaitForRequestAsync(TimeSpan timeout) => _firstRequest.Task.WaitAsync(timeout);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_clients)
            {
                _clients.Add(client);
            }

            _ = RecordRequestLineAsync(client);
        }
    }

    private async Task RecordRequestLineAsync(TcpClient client)
    {
        try
        {
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII, leaveOpen: true);
            if (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                lock (_requests)
                {
                    _requests.Add(line);
                }

                _firstRequest.TrySetResult();
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away (the job was cancelled) or the server is stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        _listener.Dispose();
        _stop.Dispose();
        File.Delete(RegistryPath);
    }
}
