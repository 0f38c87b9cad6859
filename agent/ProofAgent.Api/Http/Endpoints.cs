using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProofAgent.Api.Checking;
using ProofAgent.Api.Jobs;
using ProofAgent.Api.Storage;
using ProofAgent.Api.Tactics;
using ProofAgent.Hosting.Reporting;
using ProofAgent.Models;
using ProofAgent.Provers;

namespace ProofAgent.Api.Http;

/// <summary>The routes of the service (documented in README.md and the OpenAPI document).</summary>
public static class Endpoints
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v1/check", CheckAsync)
            .WithName("Check").WithSummary("Check a proof of exactly header + statement with the real prover (synchronous, cached).")
            .Accepts<CheckRequestBody>("application/json")
            .Produces<CheckReport>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(429);
        app.MapPost("/v1/proofs", SubmitAsync)
            .WithName("SubmitProof").WithSummary("Start a proof job; 202 with its id.")
            .Accepts<ProofRequestBody>("application/json")
            .Produces<JobAccepted>(202).ProducesProblem(400).ProducesProblem(429);
        app.MapGet("/v1/proofs/{id}", GetJobAsync)
            .WithName("GetProof").WithSummary("Status and result of a proof job.")
            .Produces<JobView>().ProducesProblem(404);
        app.MapGet("/v1/proofs/{id}/events", StreamEventsAsync)
            .WithName("ProofEvents").WithSummary("Server-Sent Events of the job's trace (replayed from the start or from Last-Event-ID), ending with 'end'.")
            .Produces(200, contentType: "text/event-stream").ProducesProblem(404);
        app.MapDelete("/v1/proofs/{id}", CancelAsync)
            .WithName("CancelProof").WithSummary("Cancel a queued or running job.")
            .Produces<JobAccepted>().Produces<JobAccepted>(202).ProducesProblem(404).ProducesProblem(409);
        app.MapPost("/generate", GenerateAsync)
            .WithName("Generate").WithSummary("LeanCopilot external generator: {name,input,prefix} -> {outputs:[{output,score}]}.")
            .Accepts<GenerateRequestBody>("application/json")
            .Produces<GenerateResponse>().ProducesProblem(400).ProducesProblem(429);
        app.MapPost("/v1/suggest", SuggestAsync)
            .WithName("Suggest").WithSummary("Ranked next tactics for a goal, each run in a Coq session when a statement is given.")
            .Accepts<SuggestRequestBody>("application/json")
            .Produces<SuggestResponse>().ProducesProblem(400).ProducesProblem(429);
        app.MapGet("/health", HealthAsync)
            .WithName("Health").WithSummary("Prover versions, pools, jobs and cache size.");
    }

    private static async Task<IResult> CheckAsync(HttpContext context, ICheckDispatcher checks, ApiOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestReader.ReadAsync<CheckRequestBody>(context.Request, options.Limits.MaxBodyBytes, ApiJson.Strict, cancellationToken);
        var input = Validation.Check(body, options.Limits);
        return await checks.CheckAsync(input, cancellationToken) switch
        {
            CheckAnswer.Report report => RawJson(context, report.Json, report.CacheHit ? "hit" : "miss"),
            CheckAnswer.Saturated saturated => Problems.Saturated(context, saturated.Detail, options.RetryAfterSeconds),
            _ => throw new InvalidOperationException("unknown answer"),
        };
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, IJobService scheduler, ModelHub models, ApiOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestReader.ReadAsync<ProofRequestBody>(context.Request, options.Limits.MaxBodyBytes, ApiJson.Strict, cancellationToken);
        var request = Validation.Prove(body, options.Limits, models.Problem);
        return await scheduler.SubmitAsync(request, cancellationToken) switch
        {
            SubmitAnswer.Accepted accepted => Results.Accepted($"/v1/proofs/{accepted.Id}", Accepted(accepted.Id, JobStatus.Queued.Name())),
            SubmitAnswer.Saturated s => Problems.Saturated(context, $"{s.Pending} jobs are unfinished; the limit is {s.Limit}", options.RetryAfterSeconds),
            _ => throw new InvalidOperationException("unknown answer"),
        };
    }

    private static async Task<IResult> GetJobAsync(string id, IJobStore store, CancellationToken cancellationToken) =>
        await store.GetJobAsync(id, cancellationToken) is { } job ? Results.Json(View(job), ApiJson.Options) : Problems.NotFound($"no proof job '{id}'");

    private static async Task<IResult> CancelAsync(string id, IJobService scheduler, CancellationToken cancellationToken)
    {
        return await scheduler.CancelAsync(id, cancellationToken) switch
        {
            CancelAnswer.NotFound => Problems.NotFound($"no proof job '{id}'"),
            CancelAnswer.Cancelled or CancelAnswer.Unchanged { Status: JobStatus.Cancelled } => Results.Json(Accepted(id, JobStatus.Cancelled.Name()), ApiJson.Options),
            CancelAnswer.Cancelling => Results.Json(Accepted(id, "cancelling"), ApiJson.Options, statusCode: StatusCodes.Status202Accepted),
            CancelAnswer.Unchanged unchanged => Problems.Conflict($"proof job '{id}' is already {unchanged.Status.Name()}"),
            var other => throw new InvalidOperationException($"unknown cancel answer {other}"),
        };
    }

    private static async Task StreamEventsAsync(string id, HttpContext context, IJobStore store, JobSignals signals, CancellationToken cancellationToken)
    {
        if (await store.GetJobAsync(id, cancellationToken) is null)
        {
            await Problems.NotFound($"no proof job '{id}'").ExecuteAsync(context);
            return;
        }

        var last = long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var from) ? from : 0;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(cancellationToken);
        var lastWrite = DateTime.UtcNow;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var signal = signals.NextAsync(id);
                var job = await store.GetJobAsync(id, cancellationToken);
                var events = await store.EventsAfterAsync(id, last, 500, cancellationToken);
                foreach (var e in events)
                {
                    await WriteEventAsync(context, e.Seq.ToString(CultureInfo.InvariantCulture), e.Type, e.Data, cancellationToken);
                    last = e.Seq;
                }

                if (events.Count > 0)
                {
                    await context.Response.Body.FlushAsync(cancellationToken);
                    lastWrite = DateTime.UtcNow;
                    continue;
                }

                if (job is not null && job.Status.IsTerminal())
                {
                    await WriteEventAsync(context, null, "end", ApiJson.Serialize(View(job)), cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                    return;
                }

                // Another node may write the job's events (cluster): re-read the store at the poll interval, and send a
                // keep-alive comment when nothing was written for 15 s.
                var wait = signals.PollInterval is { } poll && poll < KeepAlive ? poll : KeepAlive;
                if (await Task.WhenAny(signal, Task.Delay(wait, cancellationToken)) != signal && DateTime.UtcNow - lastWrite >= KeepAlive)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                    lastWrite = DateTime.UtcNow;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task<IResult> GenerateAsync(HttpContext context, TacticService tactics, ProverPools pools, ApiOptions options, CancellationToken cancellationToken)
    {
        // LeanCopilot sends exactly {name, input, prefix}; unknown fields are tolerated for its future versions.
        var body = await RequestReader.ReadAsync<GenerateRequestBody>(context.Request, options.Limits.MaxBodyBytes, ApiJson.Options, cancellationToken);
        var name = Validation.Required("name", body.Name, 256);
        var input = Validation.Required("input", body.Input, options.Limits.MaxStatementChars);
        var prefix = Validation.Text("prefix", body.Prefix ?? "", options.Limits.MaxStatementChars);
        using var lease = pools.TryAcquire("model");
        if (lease is null)
        {
            return Problems.Saturated(context, $"every model slot ({options.ConcurrentModelRequests}) is busy", options.RetryAfterSeconds);
        }

        var outputs = await tactics.GenerateAsync(name, input, prefix, options.GenerateSamples, cancellationToken);
        return Results.Json(new GenerateResponse(outputs), ApiJson.Options);
    }

    private static async Task<IResult> SuggestAsync(HttpContext context, TacticService tactics, ProverPools pools, ApiOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestReader.ReadAsync<SuggestRequestBody>(context.Request, options.Limits.MaxBodyBytes, ApiJson.Strict, cancellationToken);
        var limits = options.Limits;
        var language = Validation.Language(body.Language);
        var header = Validation.Text("header", body.Header ?? "", limits.MaxStatementChars);
        var statement = body.Statement is null ? null : Validation.Required("statement", body.Statement, limits.MaxStatementChars);
        var goal = body.Goal is null ? null : Validation.Required("goal", body.Goal, limits.MaxStatementChars);
        if (statement is null && goal is null)
        {
            throw new BadBodyException("statement", "send 'statement' (and the 'tactics' applied so far) to get checked suggestions, or 'goal' with a 'model'");
        }

        var prefix = body.Tactics ?? [];
        if (prefix.Count > limits.MaxTactics)
        {
            throw new BadBodyException("tactics", $"'tactics' has {prefix.Count} entries; the limit is {limits.MaxTactics}");
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            Validation.Required($"tactics[{i}]", prefix[i], limits.MaxStatementChars);
        }

        var samples = body.Samples ?? 8;
        if (samples < 1 || samples > limits.MaxSamples)
        {
            throw new BadBodyException("samples", $"'samples' must be in [1, {limits.MaxSamples}], got {samples}");
        }

        var tacticTimeout = body.TacticTimeout ?? 5;
        if (!(tacticTimeout > 0 && tacticTimeout <= 60))
        {
            throw new BadBodyException("tacticTimeout", $"'tacticTimeout' must be in (0, 60] seconds, got {tacticTimeout.ToString(CultureInfo.InvariantCulture)}");
        }

        using var prover = statement is null ? null : pools.TryAcquire(CheckService.PoolName(language));
        if (statement is not null && prover is null)
        {
            return Problems.Saturated(context, $"every slot of the 'check:{language.Id()}' pool is busy", options.RetryAfterSeconds);
        }

        using var model = body.Model is null ? null : pools.TryAcquire("model");
        if (body.Model is not null && model is null)
        {
            return Problems.Saturated(context, $"every model slot ({options.ConcurrentModelRequests}) is busy", options.RetryAfterSeconds);
        }

        var answer = await tactics.SuggestAsync(language, header, statement, prefix, goal, body.Model, samples, TimeSpan.FromSeconds(tacticTimeout), limits.MaxTactics, cancellationToken);
        return Results.Json(answer, ApiJson.Options);
    }

    private static async Task<IResult> HealthAsync(ProverDirectory provers, ProverPools pools, IJobService scheduler, IJobStore store, ModelHub models, ApiOptions options, ApiKeyRing keys, IEnumerable<IHealthSection> sections, CancellationToken cancellationToken)
    {
        var entries = new List<object>();
        foreach (var language in ProofLanguages.All)
        {
            entries.Add(await provers.ProbeAsync(language, cancellationToken) switch
            {
                ProverAvailability.Available a => new { language = language.Id(), available = true, name = a.Identity.Name, version = a.Identity.Version, reason = (string?)null },
                ProverAvailability.Missing m => new { language = language.Id(), available = false, name = m.Prover, version = (string?)null!, reason = (string?)m.Reason },
                _ => new { language = language.Id(), available = false, name = language.Id(), version = (string?)null!, reason = (string?)"unknown" },
            });
        }

        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["status"] = "ok",
            ["version"] = typeof(Endpoints).Assembly.GetName().Version?.ToString() ?? "0",
            ["node"] = options.NodeName,
            ["provers"] = entries,
            ["pools"] = pools.Stats(),
            ["checksPerProver"] = options.ChecksPerProver,
            ["checkQueue"] = new { maxQueued = options.MaxQueuedChecks, maxWaitSeconds = options.MaxCheckWait.TotalSeconds },
            ["jobs"] = new { running = scheduler.Running, queued = scheduler.Queued, workers = options.ConcurrentJobs, maxPending = options.MaxPendingJobs },
            ["cache"] = new { entries = await store.CountCachedAsync(cancellationToken) },
            ["models"] = models.Names,
            ["auth"] = keys.Enabled ? "api-key" : "none (loopback only)",
        };
        foreach (var section in sections)
        {
            body[section.Name] = await section.DescribeAsync(cancellationToken);
        }

        return Results.Json(body, ApiJson.Options);
    }

    private static JobAccepted Accepted(string id, string status) => new(id, status, $"/v1/proofs/{id}", $"/v1/proofs/{id}/events");

    internal static JobView View(JobRecord job) => new(
        job.Id,
        job.Status.Name(),
        job.Language,
        job.Attempts,
        job.CreatedAt,
        job.UpdatedAt,
        job.Result is null ? null : Element(job.Result),
        job.Error);

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static IResult RawJson(HttpContext context, string json, string cache)
    {
        context.Response.Headers["X-Cache"] = cache;
        return Results.Text(json, "application/json", Encoding.UTF8);
    }

    private static async Task WriteEventAsync(HttpContext context, string? id, string type, string data, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        if (id is not null)
        {
            builder.Append("id: ").Append(id).Append('\n');
        }

        builder.Append("event: ").Append(type).Append('\n');
        foreach (var line in data.Split('\n'))
        {
            builder.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }

        builder.Append('\n');
        await context.Response.WriteAsync(builder.ToString(), cancellationToken);
    }
}
