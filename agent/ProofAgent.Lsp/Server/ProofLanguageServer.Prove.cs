using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using ProofAgent.Lsp.Backends;
using ProofAgent.Lsp.Documents;
using ProofAgent.Lsp.Outline;
using ProofAgent.Lsp.Proving;
using ProofAgent.Provers;
using StreamJsonRpc;

namespace ProofAgent.Lsp.Server;

/// <summary>
/// The Prove command (<c>proofagent.prove</c>, from a code lens, a code action or a client command): a proof attempt with
/// progress the editor shows and can cancel; the proof found is put into the file, in the editor, only after the whole
/// edited file passed the checker (the soundness gate), and with ONE <c>workspace/applyEdit</c> made for the document
/// version that was proved. A failure is a message with the reason (and the counterexample when the statement is false).
/// </summary>
public sealed partial class ProofLanguageServer
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _progressCancellation = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _proving = new(StringComparer.Ordinal);
    private int _progressCounter;

    /// <summary>Arguments: <c>[{"uri": U, "theorem": NAME}]</c> or <c>[{"uri": U, "position": {"line", "character"}}]</c>.</summary>
    [JsonRpcMethod("workspace/executeCommand", UseSingleObjectParameterDeserialization = true)]
    public async Task<ProveResult> ExecuteCommandAsync(ExecuteCommandParams parameters, CancellationToken cancellationToken)
    {
        var command = Required(parameters?.Command, "command");
        if (command != ProveCommandName)
        {
            throw new LocalRpcException($"unknown command '{command}'; this server has '{ProveCommandName}'") { ErrorCode = -32602 };
        }

        if (parameters!.Arguments is not [JObject argument, ..] || argument["uri"] is not JValue { Type: JTokenType.String } uriToken)
        {
            throw new LocalRpcException($"'{ProveCommandName}' takes one argument {{\"uri\": ..., \"theorem\": ...}} or {{\"uri\": ..., \"position\": ...}}") { ErrorCode = -32602 };
        }

        var uri = (string)uriToken!;
        if (_documents.Get(uri) is not { } document)
        {
            return new ProveResult(ProveStatus.Error, $"'{uri}' is not open here (or is not a proof file)");
        }

        if (!CanProve(document.Language))
        {
            return new ProveResult(ProveStatus.Error, $"proof search is not available for {document.Language.Id()} files");
        }

        var outline = SourceOutline.Of(document.Language, document.Text);
        TheoremSpan? theorem;
        if (argument["theorem"] is JValue { Type: JTokenType.String } name)
        {
            theorem = outline.Theorem((string)name!);
        }
        else if (argument["position"] is JObject position && position.ToObject<LspPosition>() is { } at)
        {
            var offset = document.Lines.OffsetOf(at);
            theorem = outline.TheoremNamedAt(offset) ?? outline.TheoremAt(offset);
        }
        else
        {
            throw new LocalRpcException("the argument needs 'theorem' (a name) or 'position'") { ErrorCode = -32602 };
        }

        if (theorem is null)
        {
            return new ProveResult(ProveStatus.Error, "no theorem there");
        }

        if (!theorem.HasHole)
        {
            return new ProveResult(ProveStatus.Error, $"'{theorem.Name}' has no hole to fill (its proof does not end in Admitted/sorry/oops)") { Theorem = theorem.Name };
        }

        var key = uri + "#" + theorem.Name;
        if (!_proving.TryAdd(key, 0))
        {
            return new ProveResult(ProveStatus.Error, $"a proof of '{theorem.Name}' is already running") { Theorem = theorem.Name };
        }

        try
        {
            var work = ProveAsync(document, theorem, parameters.WorkDoneToken, cancellationToken);
            Track(work);
            return await work;
        }
        finally
        {
            _proving.TryRemove(key, out _);
        }
    }

    [JsonRpcMethod("window/workDoneProgress/cancel", UseSingleObjectParameterDeserialization = true)]
    public void CancelProgress(WorkDoneProgressCancelParams parameters)
    {
        if (parameters?.Token is { } token && _progressCancellation.TryGetValue(token.ToString(Newtonsoft.Json.Formatting.None), out var cancellation))
        {
            CancelQuietly(cancellation);
        }
    }

    private async Task<ProveResult> ProveAsync(DocumentSnapshot document, TheoremSpan theorem, JToken? clientToken, CancellationToken requestCancelled)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(requestCancelled, _lifetime.Token);
        var settings = _settings;
        var backend = Backend;
        var progress = await StartProgressAsync(clientToken, cancellation, $"Proving {theorem.Name}", $"searching ({backend.Description}, budget {Seconds(settings.BudgetSeconds)} s)");
        try
        {
            var goal = new ProofGoal(
                document.Language,
                document.Text,
                document.FileName,
                theorem,
                new ProofOptions(TimeSpan.FromSeconds(settings.BudgetSeconds), TimeSpan.FromSeconds(settings.TacticTimeoutSeconds), settings.Model));
            var attempt = await backend.ProveAsync(goal, new SyncProgress(p => progress.Report($"{p.Message} — {p.ProverCalls} prover calls")), cancellation.Token);
            ProveResult result;
            switch (attempt)
            {
                case ProofAttempt.NotFound notFound:
                    result = NotProved(theorem, notFound);
                    break;
                case ProofAttempt.Found found:
                    progress.Report($"{found.How}; final check of the edited file");
                    result = await FinalCheckAndApplyAsync(document, theorem, found, backend, settings, cancellation.Token);
                    break;
                default:
                    throw new InvalidOperationException("unknown proof attempt");
            }

            await progress.EndAsync(result.Message);
            if (result.Verdict != ProveStatus.Proved)
            {
                await ShowMessageAsync(MessageType.Warning, $"ProofAgent: '{theorem.Name}' not proved: {result.Message}");
            }

            return result;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            var reason = _lifetime.IsCancellationRequested ? "the server is shutting down" : "cancelled";
            await progress.EndAsync(reason);
            return new ProveResult(ProveStatus.Cancelled, reason) { Theorem = theorem.Name };
        }
#pragma warning disable CA1031 // A proof attempt that fails unexpectedly is reported to the user, not turned into a dead request.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.LogError(exception, "The proof of {Theorem} failed", theorem.Name);
            await progress.EndAsync("error: " + exception.Message);
            await ShowMessageAsync(MessageType.Error, $"ProofAgent: the proof attempt of '{theorem.Name}' failed: {exception.Message}");
            return new ProveResult(ProveStatus.Error, exception.Message) { Theorem = theorem.Name };
        }
        finally
        {
            progress.Dispose();
        }
    }

    private static ProveResult NotProved(TheoremSpan theorem, ProofAttempt.NotFound notFound)
    {
        var message = notFound.Verdict.Summary;
        if (notFound.Counterexample is { } counterexample)
        {
            message = $"the statement is false: counterexample {counterexample}";
        }

        return new ProveResult(ProveStatuses.Of(notFound.Verdict), message) { Theorem = theorem.Name, Counterexample = notFound.Counterexample };
    }

    private async Task<ProveResult> FinalCheckAndApplyAsync(
        DocumentSnapshot document, TheoremSpan theorem, ProofAttempt.Found found, IProofBackend backend, LspSettings settings, CancellationToken cancellationToken)
    {
        var edited = TextDiff.Apply(document.Text, found.Edits);
        var check = await backend.CheckAsync(new FileCheck(document.Language, edited, document.FileName, TimeSpan.FromSeconds(settings.CheckTimeoutSeconds)), cancellationToken);
        if (FinalCheckProblem(document.Language, edited, theorem.Name, check) is { } problem)
        {
            return new ProveResult(check.Verdict.IsProved ? ProveStatus.Failed : ProveStatuses.Of(check.Verdict), "the proof found did not pass the final check of the edited file: " + problem) { Theorem = theorem.Name };
        }

        // The check was of the version the proof was made for; the edit is made for that version only.
        var current = _documents.Get(document.Uri);
        if (current is null || current.Text != document.Text)
        {
            return new ProveResult(ProveStatus.Stale, $"the document changed during the proof of '{theorem.Name}'; nothing was edited: run Prove again") { Theorem = theorem.Name };
        }

        if (!_client.ApplyEdit)
        {
            return new ProveResult(ProveStatus.Proved, $"'{theorem.Name}' is proved, but this client cannot apply edits (workspace.applyEdit); the proof:\n{edited}") { Theorem = theorem.Name };
        }

        var edits = found.Edits.Select(e => new TextEdit(current.Lines.RangeOf(e.Start, e.End), e.NewText)).ToList();
        var workspaceEdit = _client.DocumentChanges
            ? new WorkspaceEdit { DocumentChanges = [new TextDocumentEdit(new OptionalVersionedTextDocumentIdentifier(current.Uri, current.Version), edits)] }
            : new WorkspaceEdit { Changes = new Dictionary<string, IReadOnlyList<TextEdit>>(StringComparer.Ordinal) { [current.Uri] = edits } };
        var applied = await _rpc.InvokeWithParameterObjectAsync<ApplyWorkspaceEditResult>(
            "workspace/applyEdit", new ApplyWorkspaceEditParams($"ProofAgent: prove {theorem.Name}", workspaceEdit), cancellationToken);
        if (applied is not { Applied: true })
        {
            return new ProveResult(ProveStatus.NotApplied, $"'{theorem.Name}' is proved, but the editor did not apply the edit{(applied?.FailureReason is { } why ? ": " + why : string.Empty)}") { Theorem = theorem.Name };
        }

        var axioms = check.Theorems.FirstOrDefault(t => t.Name == theorem.Name || t.Name.EndsWith("." + theorem.Name, StringComparison.Ordinal))?.Axioms ?? [];
        return new ProveResult(ProveStatus.Proved, $"'{theorem.Name}' proved ({found.How}); the edited file passed the final check{(axioms.Count == 0 ? string.Empty : ", axioms: " + string.Join(", ", axioms))}") { Theorem = theorem.Name };
    }

    /// <summary>
    /// Why the edited file does not prove the theorem, or null when it does: the file checks (proved, or incomplete only
    /// because of other holes), the theorem itself is proved by the kernel (or rests only on other theorems that are holes),
    /// and nothing of the theorem is a hole any more.
    /// </summary>
    internal static string? FinalCheckProblem(ProofLanguage language, string edited, string theorem, CheckResult check)
    {
        if (check.Verdict.IsProved)
        {
            return null;
        }

        if (check.Verdict is not Verdict.Incomplete)
        {
            return check.Verdict.Summary;
        }

        var outline = SourceOutline.Of(language, edited);
        var span = outline.Theorem(theorem);
        if (span is null || span.HasHole || outline.Holes.Any(h => h.Theorem == theorem))
        {
            return $"'{theorem}' still has a hole in the edited file";
        }

        var report = check.Theorems.FirstOrDefault(t => t.Name == theorem || t.Name.EndsWith("." + theorem, StringComparison.Ordinal));
        return report?.Verdict switch
        {
            Verdict.Proved or Verdict.Incomplete => null,
            null => $"the checker did not report on '{theorem}' ({check.Verdict.Summary})",
            var other => other.Summary,
        };
    }

    private async Task<ProgressReporter> StartProgressAsync(JToken? clientToken, CancellationTokenSource cancellation, string title, string message)
    {
        var token = clientToken;
        if (token is null && _client.WorkDoneProgress)
        {
            token = new JValue("proofagent-prove-" + Interlocked.Increment(ref _progressCounter).ToString(CultureInfo.InvariantCulture));
            try
            {
                await _rpc.InvokeWithParameterObjectAsync("window/workDoneProgress/create", new WorkDoneProgressCreateParams(token), cancellation.Token);
            }
            catch (RemoteInvocationException exception)
            {
                _logger.LogDebug(exception, "The client refused a progress token");
                token = null;
            }
        }

        var reporter = new ProgressReporter(this, token, cancellation);
        await reporter.BeginAsync(title, message);
        return reporter;
    }

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>$/progress for one proof attempt; reports are sent in order, without waiting for the client.</summary>
    private sealed class ProgressReporter(ProofLanguageServer server, JToken? token, CancellationTokenSource cancellation) : IDisposable
    {
        private readonly string? _key = token?.ToString(Newtonsoft.Json.Formatting.None);
        private readonly Lock _gate = new();
        private Task _last = Task.CompletedTask;

        public async Task BeginAsync(string title, string message)
        {
            if (_key is not null)
            {
                server._progressCancellation[_key] = cancellation;
            }

            await SendAsync(new JObject { ["kind"] = "begin", ["title"] = title, ["cancellable"] = true, ["message"] = message });
        }

        public void Report(string message)
        {
            if (token is null)
            {
                return;
            }

            lock (_gate)
            {
                var previous = _last;
                _last = previous.ContinueWith(_ => SendAsync(new JObject { ["kind"] = "report", ["message"] = message }), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
        }

        public async Task EndAsync(string message)
        {
            Task last;
            lock (_gate)
            {
                last = _last;
            }

            await last;
            await SendAsync(new JObject { ["kind"] = "end", ["message"] = message });
        }

        public void Dispose()
        {
            if (_key is not null)
            {
                server._progressCancellation.TryRemove(_key, out _);
            }
        }

        private async Task SendAsync(JObject value)
        {
            if (token is null)
            {
                return;
            }

            try
            {
                await server._rpc.NotifyWithParameterObjectAsync("$/progress", new ProgressParams(token, value));
            }
            catch (Exception exception) when (exception is ConnectionLostException or ObjectDisposedException)
            {
                server._logger.LogDebug(exception, "Progress not sent");
            }
        }
    }

    private sealed class SyncProgress(Action<ProofProgress> report) : IProgress<ProofProgress>
    {
        public void Report(ProofProgress value) => report(value);
    }
}
