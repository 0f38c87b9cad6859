using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ProofAgent.Web.Tests.Support;

/// <summary>
/// The real <c>agent serve</c> (agent.dll next to the tests) on 127.0.0.1 and a free port, with a fresh database in a
/// folder of its own. Disposing kills its process tree and deletes the folder.
/// </summary>
public sealed class AgentServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private AgentServer(Process process, string folder)
    {
        _process = process;
        Folder = folder;
    }

    public Uri Url { get; private set; } = null!;

    public string Folder { get; }

    /// <summary>What the server wrote on stderr so far (its request log), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server with extra <c>serve</c> options and waits until it says where it listens.</summary>
    public static async Task<AgentServer> StartAsync(params string[] options)
    {
        var folder = Path.Combine(Path.GetTempPath(), "proofagent-web-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "agent.dll"), "serve", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(folder, "service.db"), "--json", .. options])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new AgentServer(process, folder);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (server._log)
                {
                    server._log.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        try
        {
            // With --json the first stdout line is {"urls":[...],...}, written once the server listens.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"agent serve exited ({(process.HasExited ? process.ExitCode : -1)}) before listening:\n{server.Log}");
            using var document = JsonDocument.Parse(line);
            server.Url = new Uri(document.RootElement.GetProperty("urls")[0].GetString()!);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying child: the temporary folder is left behind, the test result stands.
        }
    }
}
