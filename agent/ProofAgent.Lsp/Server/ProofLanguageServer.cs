using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using ProofAgent.Lsp.Backends;
using ProofAgent.Lsp.Documents;
using ProofAgent.Lsp.Outline;
using ProofAgent.Provers;
using StreamJsonRpc;

namespace ProofAgent.Lsp.Server;

/// <summary>
/// The JSON-RPC target of the language server: lifecycle, document synchronization (full text), diagnostics on open and on
/// save, settings. Features (lenses, actions, hover, completion, the Prove command) are in the other parts of this class.
/// Every prover runs under <see cref="_lifetime"/>: <c>shutdown</c> cancels it and waits for the work to end, which kills
/// every prover process tree (the process layer kills a tree when its call is cancelled).
/// </summary>
public sealed partial class ProofLanguageServer : IAsyncDisposable
{
    public const string ProveCommandName = "proofagent.prove";

    private readonly JsonRpc _rpc;
    private readonly ILogger _logger;
    private readonly BackendSelector _backends;
    private readonly DocumentStore _documents = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _checks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Version, CheckResult Result)> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _work = new();
    private readonly SemaphoreSlim _checkSlots = new(2, 2);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LspSettings _settings;
    private ClientCapabilities _client = ClientCapabilities.None;

    public ProofLanguageServer(JsonRpc rpc, LspSettings settings, Func<IProofBackend> createLocalBackend, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(createLocalBackend);
        ArgumentNullException.ThrowIfNull(loggers);
        _rpc = rpc;
        _settings = settings;
        _backends = new BackendSelector(createLocalBackend);
        _logger = loggers.CreateLogger<ProofLanguageServer>();
    }

    /// <summary>Completes when the client sends <c>exit</c>.</summary>
    public Task Exited => _exited.Task;

    public bool ShutdownRequested { get; private set; }

    public LspSettings Settings => _settings;

    private IProofBackend Backend => _backends.For(_settings);

    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public object Initialize(InitializeParams parameters)
    {
        _client = ClientCapabilities.From(parameters?.Capabilities);
        ApplySettings(parameters?.InitializationOptions);
        return new
        {
            capabilities = new
            {
                positionEncoding = "utf-16",
                textDocumentSync = new { openClose = true, change = 1, save = new { includeText = false } },
                hoverProvider = true,
                completionProvider = new { resolveProvider = false, triggerCharacters = Array.Empty<string>() },
                codeLensProvider = new { resolveProvider = false },
                codeActionProvider = new { codeActionKinds = new[] { "quickfix" } },
                executeCommandProvider = new { commands = new[] { ProveCommandName }, workDoneProgress = true },
            },
            serverInfo = new { name = "proofagent", version = typeof(ProofLanguageServer).Assembly.GetName().Version?.ToString() ?? "0" },
        };
    }

    [JsonRpcMethod("initialized", UseSingleObjectParameterDeserialization = true)]
    public void Initialized(JToken? parameters) => _logger.LogInformation("Client initialized; checks and proofs run {Where}", DescribeBackend());

    [JsonRpcMethod("shutdown")]
    public async Task<object?> ShutdownAsync()
    {
        ShutdownRequested = true;
        await StopWorkAsync();
        return null;
    }

    [JsonRpcMethod("exit")]
    public void Exit() => _exited.TrySetResult();

    [JsonRpcMethod("workspace/didChangeConfiguration", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeConfiguration(DidChangeConfigurationParams parameters)
    {
        var before = _settings;
        ApplySettings(parameters?.Settings);
        if (before.ServiceUrl != _settings.ServiceUrl || before.ApiKey != _settings.ApiKey)
        {
            // Another backend may judge differently (another prover version): check the open documents again.
            foreach (var uri in _results.Keys)
            {
                if (_documents.Get(uri) is { } document)
                {
                    ScheduleCheck(document);
                }
            }
        }
    }

    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(DidOpenParams parameters)
    {
        var item = Required(parameters?.TextDocument, "textDocument");
        if (_documents.Open(Required(item.Uri, "textDocument.uri"), item.Version, item.Text ?? string.Empty) is { } document)
        {
            ScheduleCheck(document);
        }
    }

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(DidChangeParams parameters)
    {
        var id = Required(parameters?.TextDocument, "textDocument");
        var changes = Required(parameters!.ContentChanges, "contentChanges");
        if (changes.Count == 0 || _documents.Get(Required(id.Uri, "textDocument.uri")) is null)
        {
            return;
        }

        // Full synchronization: the last change is the whole text. No check here: a check per keystroke would keep a
        // prover busy on text nobody has finished; the check runs on save. A running check of an older version is cancelled.
        var last = changes[^1];
        if (last.Range is not null)
        {
            throw new LocalRpcException("this server asked for full-text synchronization (change = 1), got a ranged change") { ErrorCode = -32602 };
        }

        _documents.Change(id.Uri, id.Version ?? 0, last.Text ?? string.Empty);
        if (_checks.TryRemove(id.Uri, out var running))
        {
            CancelQuietly(running);
        }
    }

    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void DidSave(DidSaveParams parameters)
    {
        var id = Required(parameters?.TextDocument, "textDocument");
        if (_documents.Get(Required(id.Uri, "textDocument.uri")) is { } document)
        {
            ScheduleCheck(document);
        }
    }

    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(DidCloseParams parameters)
    {
        var uri = Required(Required(parameters?.TextDocument, "textDocument").Uri, "textDocument.uri");
        var known = _documents.Get(uri) is not null;
        _documents.Close(uri);
        _results.TryRemove(uri, out _);
        if (_checks.TryRemove(uri, out var running))
        {
            CancelQuietly(running);
        }

        if (known)
        {
            Track(PublishAsync(uri, null, []));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkAsync();
        await _backends.DisposeAsync();
        _lifetime.Dispose();
        _checkSlots.Dispose();
    }

    /// <summary>Cancels everything running (checks, proofs, completions) and waits for it to end: no prover outlives this.</summary>
    internal async Task StopWorkAsync()
    {
        await _lifetime.CancelAsync();
        var running = _work.Keys.ToArray();
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60))) != all)
        {
            _logger.LogWarning("{Count} operations did not end within 60 s of the cancellation", running.Count(t => !t.IsCompleted));
        }
    }

    private void ScheduleCheck(DocumentSnapshot document)
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }

        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        var previous = _checks.GetValueOrDefault(document.Uri);
        _checks[document.Uri] = cancellation;
        if (previous is not null)
        {
            CancelQuietly(previous);
        }

        Track(Task.Run(() => CheckAndPublishAsync(document, cancellation), CancellationToken.None));
    }

    private async Task CheckAndPublishAsync(DocumentSnapshot document, CancellationTokenSource cancellation)
    {
        var outline = SourceOutline.Of(document.Language, document.Text);
        IReadOnlyList<LspDiagnostic> diagnostics;
        CheckResult? result = null;
        try
        {
            await _checkSlots.WaitAsync(cancellation.Token);
            try
            {
                var check = new FileCheck(document.Language, document.Text, document.FileName, TimeSpan.FromSeconds(_settings.CheckTimeoutSeconds));
                result = await Backend.CheckAsync(check, cancellation.Token);
            }
            finally
            {
                _checkSlots.Release();
            }

            diagnostics = DiagnosticMapper.Map(document, outline, result);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return; // a newer version, a close or the shutdown: this result would be stale
        }
#pragma warning disable CA1031 // A checker that throws (a prover crash, a missing sandbox) becomes a diagnostic, not a dead server.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.LogError(exception, "The check of {Uri} failed", document.Uri);
            diagnostics = DiagnosticMapper.Crash(document, outline, exception.Message);
        }
        finally
        {
            _checks.TryRemove(new KeyValuePair<string, CancellationTokenSource>(document.Uri, cancellation));
            cancellation.Dispose();
        }

        // Never publish for a version the client has moved past.
        if (!_documents.IsCurrent(document))
        {
            return;
        }

        if (result is not null)
        {
            _results[document.Uri] = (document.Version, result);
        }

        await PublishAsync(document.Uri, document.Version, diagnostics);
    }

    private async Task PublishAsync(string uri, int? version, IReadOnlyList<LspDiagnostic> diagnostics)
    {
        try
        {
            await _rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", new PublishDiagnosticsParams(uri, version, diagnostics));
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException)
        {
            _logger.LogDebug(exception, "Diagnostics for {Uri} not sent: the connection is closed", uri);
        }
    }

    private void ApplySettings(JToken? settings)
    {
        var problems = new List<string>();
        _settings = _settings.Merge(settings, problems);
        foreach (var problem in problems)
        {
            _logger.LogWarning("Setting ignored: {Problem}", problem);
            Track(ShowMessageAsync(MessageType.Warning, "ProofAgent: setting ignored: " + problem));
        }
    }

    private string DescribeBackend() => _settings.ServiceUrl is { } url ? "through the service " + url : "in process";

    /// <summary>Keeps a task in the set that shutdown waits for.</summary>
    private void Track(Task task)
    {
        _work[task] = 0;
        _ = task.ContinueWith(t => _work.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task ShowMessageAsync(int type, string message)
    {
        try
        {
            await _rpc.NotifyWithParameterObjectAsync("window/showMessage", new ShowMessageParams(type, message));
        }
        catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException)
        {
            _logger.LogDebug(exception, "Message not sent: {Message}", message);
        }
    }

    /// <summary>Cancels a check that may have just ended (and disposed its source).</summary>
    private static void CancelQuietly(CancellationTokenSource cancellation)
    {
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended first: nothing left to cancel.
        }
    }

    private static T Required<T>(T? value, string name)
        where T : class =>
        value ?? throw new LocalRpcException($"'{name}' is required") { ErrorCode = -32602 };

    /// <summary>window/showMessage types.</summary>
    private static class MessageType
    {
        public const int Error = 1;
        public const int Warning = 2;
        public const int Info = 3;
    }
}

/// <summary>What the client said it can do, as far as the server cares.</summary>
internal sealed record ClientCapabilities(bool WorkDoneProgress, bool ApplyEdit, bool DocumentChanges, bool MarkdownHover)
{
    public static ClientCapabilities None { get; } = new(false, false, false, false);

    public static ClientCapabilities From(JObject? capabilities)
    {
        if (capabilities is null)
        {
            return None;
        }

        static bool Flag(JToken? token) => token is JValue { Type: JTokenType.Boolean } value && (bool)value;
        var hoverFormats = capabilities.SelectToken("textDocument.hover.contentFormat") as JArray;
        return new ClientCapabilities(
            Flag(capabilities.SelectToken("window.workDoneProgress")),
            Flag(capabilities.SelectToken("workspace.applyEdit")),
            Flag(capabilities.SelectToken("workspace.workspaceEdit.documentChanges")),
            hoverFormats?.Any(f => (string?)f == "markdown") ?? false);
    }
}
