using System.Collections.Concurrent;
using System.Diagnostics;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace ProofAgent.Lsp.Tests.Support;

/// <summary>
/// The real <c>agent lsp</c> (agent.dll next to the tests) as a child process, driven by a real JSON-RPC client
/// (StreamJsonRpc over the process's stdin/stdout with LSP framing). Everything the server sends is recorded: diagnostics,
/// progress, messages, and its <c>workspace/applyEdit</c> requests, which this client applies to its copy of the text.
/// </summary>
public sealed class LspServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientSide _client = new();
    private readonly Task<string> _stderr;

    private LspServerProcess(Process process, JsonRpc rpc)
    {
        _process = process;
        Rpc = rpc;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public JsonRpc Rpc { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public ConcurrentQueue<JObject> Progress => _client.Progress;

    public ConcurrentQueue<JObject> Messages => _client.Messages;

    public ConcurrentQueue<JObject> AppliedEdits => _client.Edits;

    /// <summary>What the client answers to <c>workspace/applyEdit</c> (true: applied).</summary>
    public bool AcceptEdits { get => _client.AcceptEdits; set => _client.AcceptEdits = value; }

    public static Task<LspServerProcess> StartAsync(params string[] arguments) => StartAsync(null, arguments);

    public static async Task<LspServerProcess> StartAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agent.dll"));
        start.ArgumentList.Add("lsp");
        start.ArgumentList.Add("--log-level");
        start.ArgumentList.Add("Information");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var formatter = new JsonMessageFormatter();
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(process.StandardInput.BaseStream, process.StandardOutput.BaseStream, formatter));
        var server = new LspServerProcess(process, rpc);
        rpc.AddLocalRpcTarget(server._client, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        rpc.StartListening();
        await Task.CompletedTask;
        return server;
    }

    /// <summary>initialize (with the capabilities of a full client unless given) then initialized.</summary>
    public async Task<JObject> InitializeAsync(JObject? initializationOptions = null, JObject? capabilities = null)
    {
        capabilities ??= JObject.Parse("""
            {"window":{"workDoneProgress":true},
             "workspace":{"applyEdit":true,"workspaceEdit":{"documentChanges":true},"configuration":true},
             "textDocument":{"hover":{"contentFormat":["markdown","plaintext"]},"publishDiagnostics":{"versionSupport":true}}}
            """);
        var result = await Rpc.InvokeWithParameterObjectAsync<JObject>("initialize", new JObject
        {
            ["processId"] = Environment.ProcessId,
            ["rootUri"] = null,
            ["capabilities"] = capabilities,
            ["initializationOptions"] = initializationOptions,
        });
        await Rpc.NotifyWithParameterObjectAsync("initialized", new JObject());
        return result;
    }

    public Task OpenAsync(string uri, string text, int version = 1) =>
        Rpc.NotifyWithParameterObjectAsync("textDocument/didOpen", new JObject
        {
            ["textDocument"] = new JObject { ["uri"] = uri, ["languageId"] = "coq", ["version"] = version, ["text"] = text },
        });

    public async Task ChangeAndSaveAsync(string uri, string text, int version)
    {
        await Rpc.NotifyWithParameterObjectAsync("textDocument/didChange", new JObject
        {
            ["textDocument"] = new JObject { ["uri"] = uri, ["version"] = version },
            ["contentChanges"] = new JArray(new JObject { ["text"] = text }),
        });
        await Rpc.NotifyWithParameterObjectAsync("textDocument/didSave", new JObject { ["textDocument"] = new JObject { ["uri"] = uri } });
    }

    /// <summary>The next diagnostics published for a URI (optionally for one version), waiting up to the timeout.</summary>
    public async Task<JObject> DiagnosticsAsync(string uri, int? version = null, int timeoutSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_client.Diagnostics.TryGetValue(uri, out var list))
            {
                lock (list)
                {
                    var match = list.LastOrDefault(d => version is null || (int?)d["version"] == version);
                    if (match is not null)
                    {
                        return match;
                    }
                }
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException("the server exited: " + await _stderr);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no diagnostics for {uri} (version {version}) within {timeoutSeconds} s; stderr so far is in the server's log");
    }

    public IReadOnlyList<JObject> AllDiagnostics(string uri) =>
        _client.Diagnostics.TryGetValue(uri, out var list) ? [.. list] : [];

    /// <summary>Waits until a condition on the recorded traffic holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, int timeoutSeconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not within {timeoutSeconds} s");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>shutdown, exit, and the process's exit code (it must end on its own).</summary>
    public async Task<int> ShutdownAsync(int timeoutSeconds = 60)
    {
        await Rpc.InvokeWithCancellationAsync<object?>("shutdown", null, CancellationToken.None);
        await Rpc.NotifyAsync("exit");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async Task<string> StderrAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        return await _stderr;
    }

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The client's side of the protocol: what the server may call or notify.</summary>
    public sealed class ClientSide
    {
        public ConcurrentDictionary<string, List<JObject>> Diagnostics { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<JObject> Progress { get; } = new();

        public ConcurrentQueue<JObject> Messages { get; } = new();

        public ConcurrentQueue<JObject> Edits { get; } = new();

        public bool AcceptEdits { get; set; } = true;

        [JsonRpcMethod("textDocument/publishDiagnostics", UseSingleObjectParameterDeserialization = true)]
        public void PublishDiagnostics(JObject parameters)
        {
            var list = Diagnostics.GetOrAdd((string)parameters["uri"]!, _ => []);
            lock (list)
            {
                list.Add(parameters);
            }
        }

        [JsonRpcMethod("$/progress", UseSingleObjectParameterDeserialization = true)]
        public void OnProgress(JObject parameters) => Progress.Enqueue(parameters);

        [JsonRpcMethod("window/showMessage", UseSingleObjectParameterDeserialization = true)]
        public void ShowMessage(JObject parameters) => Messages.Enqueue(parameters);

        [JsonRpcMethod("window/logMessage", UseSingleObjectParameterDeserialization = true)]
        public void LogMessage(JObject parameters) => Messages.Enqueue(parameters);

        [JsonRpcMethod("window/workDoneProgress/create", UseSingleObjectParameterDeserialization = true)]
        public object? CreateProgress(JObject parameters) => null;

        [JsonRpcMethod("workspace/applyEdit", UseSingleObjectParameterDeserialization = true)]
        public JObject ApplyEdit(JObject parameters)
        {
            Edits.Enqueue(parameters);
            return new JObject { ["applied"] = AcceptEdits };
        }
    }
}
