using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ProofAgent.Lsp.Outline;
using ProofAgent.Lsp.Proving;
using ProofAgent.Provers;

namespace ProofAgent.Lsp.Backends;

/// <summary>
/// Checks, proofs and suggestions forwarded to a running ProofAgent service (agent/ProofAgent.Api/README.md), so a team
/// shares one prover host: <c>POST /v1/check</c>, <c>POST /v1/proofs</c> followed over SSE
/// (<c>GET /v1/proofs/{id}/events</c>, cancelled with <c>DELETE</c>), and <c>POST /v1/suggest</c>. Every failure to reach or
/// use the service becomes a verdict (<c>error</c>) the editor shows, never an exception that ends the session.
/// </summary>
public sealed class ServiceBackend : IProofBackend
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;

    public ServiceBackend(Uri baseAddress, string? apiKey, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        BaseAddress = baseAddress;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = baseAddress;
        _http.Timeout = Timeout.InfiniteTimeSpan; // each call carries its own limit (an SSE stream lasts as long as the job)
        if (apiKey is { Length: > 0 })
        {
            _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("proofagent-lsp", "1"));
    }

    public Uri BaseAddress { get; }

    public string Description => "service " + BaseAddress;

    public async Task<CheckResult> CheckAsync(FileCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var started = DateTime.UtcNow;
        var body = CheckBody(check);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(check.Timeout + TimeSpan.FromSeconds(60));
            using var response = await _http.PostAsJsonAsync("v1/check", body, Json, limit.Token);
            var text = await response.Content.ReadAsStringAsync(limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Failure($"the service answered {(int)response.StatusCode}: {ProblemDetail(text)}", started);
            }

            using var report = JsonDocument.Parse(text);
            return FromReport(report.RootElement, DateTime.UtcNow - started);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Failure($"cannot use the service at {BaseAddress}: {exception.Message}", started);
        }
    }

    public async Task<ProofAttempt> ProveAsync(ProofGoal goal, IProgress<ProofProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(goal);
        ArgumentNullException.ThrowIfNull(progress);
        var (header, statement) = ProofBody(goal);
        var body = new
        {
            language = goal.Language.Id(),
            header,
            statement,
            budget = new { seconds = Math.Ceiling(goal.Options.Budget.TotalSeconds) },
            model = goal.Options.Model,
        };
        string id;
        try
        {
            using var response = await _http.PostAsJsonAsync("v1/proofs", body, Json, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new ProofAttempt.NotFound(new Verdict.Error($"the service refused the proof job ({(int)response.StatusCode}): {ProblemDetail(text)}"), null);
            }

            using var accepted = JsonDocument.Parse(text);
            id = accepted.RootElement.GetProperty("id").GetString() ?? throw new JsonException("the job has no id");
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new ProofAttempt.NotFound(new Verdict.Error($"cannot use the service at {BaseAddress}: {exception.Message}"), null);
        }

        try
        {
            var job = await FollowAsync(id, goal.Options.Budget + TimeSpan.FromMinutes(5), progress, cancellationToken);
            return job is null
                ? new ProofAttempt.NotFound(new Verdict.Error($"the event stream of job {id} ended without the job's result"), null)
                : ReadJob(goal, job.Value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The editor cancelled: cancel the job too, so the service stops spending provers on it.
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                using var _ = await _http.DeleteAsync($"v1/proofs/{Uri.EscapeDataString(id)}", cleanup.Token);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                // Best effort: the service bounds the job by its budget anyway.
            }

            throw;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or IOException)
        {
            return new ProofAttempt.NotFound(new Verdict.Error($"lost the service's event stream of job {id}: {exception.Message}"), null);
        }
    }

    public async Task<SuggestionList> SuggestAsync(SuggestionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new
        {
            language = request.Language.Id(),
            header = request.Header,
            statement = request.Statement,
            tactics = request.Tactics,
            model = request.Model,
            tacticTimeout = request.TacticTimeout.TotalSeconds,
        };
        try
        {
            using var response = await _http.PostAsJsonAsync("v1/suggest", body, Json, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return SuggestionList.None;
            }

            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = answer.RootElement;
            var suggestions = root.GetProperty("suggestions").EnumerateArray().Select(s => new TacticSuggestion(
                s.GetProperty("tactic").GetString() ?? string.Empty,
                EffectOf(s.GetProperty("status").GetString()),
                s.TryGetProperty("goalsAfter", out var after) && after.ValueKind == JsonValueKind.Number ? after.GetInt32() : null,
                s.TryGetProperty("source", out var source) ? source.GetString() ?? "service" : "service",
                s.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null)).ToList();
            return new SuggestionList(root.GetProperty("goals").GetArrayLength(), suggestions);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return SuggestionList.None;
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A whole file as a <c>/v1/check</c> body. The service checks <c>header + statement + proof</c> against
    /// <c>header + statement</c>; a file checked as it is states and proves its own theorems, so the file is the statement
    /// and the proof is a comment (the service requires one), which keeps every line where the editor has it.
    /// </summary>
    internal static object CheckBody(FileCheck check) => new
    {
        language = check.Language.Id(),
        file = check.Source,
        timeout = Math.Min(300, check.Timeout.TotalSeconds),
    };

    /// <summary>
    /// The job's <c>header</c> and <c>statement</c>: for Coq, the file before the theorem (earlier holes restated as in the
    /// in-process search) and the theorem's statement; for the other languages, the whole file.
    /// </summary>
    internal static (string Header, string Statement) ProofBody(ProofGoal goal)
    {
        if (goal.Language != ProofLanguage.Coq)
        {
            return (string.Empty, goal.Source);
        }

        var context = CoqProofEdits.SearchContext(goal.Source, SourceOutline.Of(goal.Language, goal.Source), goal.Theorem);
        var header = context[..(context.Length - (goal.Theorem.ProofEnd - goal.Theorem.Start))];
        return (header, goal.Source[goal.Theorem.Start..goal.Theorem.StatementEnd]);
    }

    private async Task<JsonElement?> FollowAsync(string id, TimeSpan limit, IProgress<ProofProgress> progress, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/proofs/{Uri.EscapeDataString(id)}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token), Encoding.UTF8);
        var text = new ProgressText();
        string? eventName = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    using var document = JsonDocument.Parse(data.ToString());
                    if (eventName == "end")
                    {
                        return document.RootElement.Clone();
                    }

                    if (text.Describe(document.RootElement) is { } message)
                    {
                        progress.Report(new ProofProgress(message, text.ProverCalls));
                    }
                }

                eventName = null;
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventName = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(data.Length > 0 ? "\n" : string.Empty).Append(line[5..].TrimStart());
            }
        }

        return null;
    }

    private static ProofAttempt ReadJob(ProofGoal goal, JsonElement job)
    {
        var status = job.TryGetProperty("status", out var s) ? s.GetString() : null;
        if (status != "completed" || !job.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            var error = job.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return new ProofAttempt.NotFound(new Verdict.Error($"the proof job ended {status ?? "without a status"}{(error is null ? string.Empty : ": " + error)}"), null);
        }

        var theorems = result.TryGetProperty("theorems", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
        var counterexample = theorems.Select(t => t.TryGetProperty("counterexample", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null).FirstOrDefault(c => c is not null);
        var verdict = VerdictOf(result.GetProperty("verdict").GetString(), result.TryGetProperty("reason", out var r) ? r.GetString() : null);
        if (goal.Language == ProofLanguage.Coq)
        {
            var found = theorems.FirstOrDefault(t =>
                t.TryGetProperty("name", out var n) && n.GetString() == goal.Theorem.Name && t.TryGetProperty("found", out var f) && f.ValueKind == JsonValueKind.True
                && t.TryGetProperty("script", out var sc) && sc.ValueKind == JsonValueKind.String);
            return found.ValueKind == JsonValueKind.Object
                ? new ProofAttempt.Found(CoqProofEdits.ForScript(goal.Source, goal.Theorem, found.GetProperty("script").GetString()!, ProofAgentAdapter.CoqImports), "found by the service")
                : new ProofAttempt.NotFound(verdict.IsProved ? new Verdict.Failed("the service returned no script for the theorem") : verdict, counterexample);
        }

        return verdict.IsProved && result.TryGetProperty("proof", out var proof) && proof.ValueKind == JsonValueKind.String
            ? new ProofAttempt.Found(TextDiff.Replacements(goal.Source, proof.GetString()!), "found by the service")
            : new ProofAttempt.NotFound(verdict.IsProved ? new Verdict.Failed("the service returned no proof") : verdict, counterexample);
    }

    /// <summary>A <c>/v1/check</c> report (the JSON of <c>agent check --json</c>) as the provers' own result record.</summary>
    internal static CheckResult FromReport(JsonElement report, TimeSpan elapsed)
    {
        var verdict = VerdictOf(report.GetProperty("verdict").GetString(), report.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
        var theorems = report.TryGetProperty("theorems", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(x => new TheoremReport(
                x.GetProperty("name").GetString() ?? string.Empty,
                VerdictOf(x.GetProperty("verdict").GetString(), null),
                x.TryGetProperty("axioms", out var axioms) && axioms.ValueKind == JsonValueKind.Array ? [.. axioms.EnumerateArray().Select(a => a.GetString() ?? string.Empty)] : [],
                x.TryGetProperty("statement", out var statement) && statement.ValueKind == JsonValueKind.String ? statement.GetString() : null)).ToList()
            : [];
        var diagnostics = report.TryGetProperty("diagnostics", out var d) && d.ValueKind == JsonValueKind.Array
            ? d.EnumerateArray().Select(x => new Diagnostic(
                x.GetProperty("severity").GetString() switch { "error" => DiagnosticSeverity.Error, "warning" => DiagnosticSeverity.Warning, _ => DiagnosticSeverity.Information },
                x.GetProperty("line").GetInt32(),
                x.GetProperty("column").GetInt32(),
                x.GetProperty("message").GetString() ?? string.Empty)).ToList()
            : [];
        var prover = report.TryGetProperty("prover", out var p) && p.ValueKind == JsonValueKind.Object
            ? new ProverIdentity(p.GetProperty("name").GetString() ?? "service", p.GetProperty("version").GetString() ?? "unknown")
            : ProverIdentity.Unknown("service");
        var smt = report.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array ? results.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList() : null;
        return new CheckResult(verdict, theorems, diagnostics, prover, new ResourceUsage(elapsed)) { SmtResults = smt };
    }

    /// <summary>A suggestion's effect from its JSON <c>status</c>; an unknown status is an error, never a proof.</summary>
    internal static SuggestionEffect EffectOf(string? status) => status switch
    {
        "proved" => SuggestionEffect.Proved,
        "progress" => SuggestionEffect.Progress,
        "unchecked" => SuggestionEffect.Unchecked,
        _ => SuggestionEffect.Error,
    };

    /// <summary>A verdict from its JSON name and reason; an unknown name is an error, never a proof.</summary>
    internal static Verdict VerdictOf(string? name, string? reason)
    {
        var detail = reason is null ? null : reason.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0 ? reason[(colon + 2)..] : reason;
        return name switch
        {
            "proved" => Verdict.Proved.Instance,
            "failed" => new Verdict.Failed(detail ?? "rejected by the prover"),
            "incomplete" => new Verdict.Incomplete([detail ?? "a hole remains"]),
            "unsound" => new Verdict.Unsound([detail ?? "an escape hatch was used"]),
            "timeout" => new Verdict.Timeout(TimeSpan.Zero),
            "unavailable" => new Verdict.Unavailable("service", detail ?? "the prover is not available on the service", string.Empty),
            _ => new Verdict.Error(detail ?? $"the service answered the verdict '{name}'"),
        };
    }

    private static CheckResult Failure(string reason, DateTime started) =>
        CheckResult.FromVerdict(new Verdict.Error(reason), ProverIdentity.Unknown("service"), DateTime.UtcNow - started);

    private static string ProblemDetail(string text)
    {
        try
        {
            using var problem = JsonDocument.Parse(text);
            var detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var field = problem.RootElement.TryGetProperty("field", out var f) ? f.GetString() : null;
            return (detail ?? text) + (field is null ? string.Empty : $" (field '{field}')");
        }
        catch (JsonException)
        {
            return text.Length > 300 ? text[..300] + "…" : text;
        }
    }
}
