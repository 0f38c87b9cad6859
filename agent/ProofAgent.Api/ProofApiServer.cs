using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using ProofAgent.Agent;
using ProofAgent.Api.Checking;
using ProofAgent.Api.Http;
using ProofAgent.Api.Jobs;
using ProofAgent.Api.Playground;
using ProofAgent.Api.Storage;
using ProofAgent.Api.Tactics;
using ProofAgent.Hosting;
using ProofAgent.Models;
using ProofAgent.Provers;
using ProofAgent.Provers.Processes.Sandbox;
using ProofAgent.Provers.Smt;
using ProofAgent.SmtBridge;
using Scalar.AspNetCore;

namespace ProofAgent.Api;

/// <summary>The configuration cannot run (keys missing on a public address, bad URL, ...): bad usage, not a crash.</summary>
public sealed class ApiConfigurationException(string message) : Exception(message);

/// <summary>
/// The service: builds the ASP.NET Core minimal-API application from <see cref="ApiOptions"/>, starts it, and reports the
/// addresses it listens on. <c>agent serve</c> and the integration tests both start it this way.
/// </summary>
public sealed class ProofApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProofApiServer(WebApplication app) => _app = app;

    /// <summary>The bound addresses (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<string> Urls =>
        [.. _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    public IServiceProvider Services => _app.Services;

    /// <summary>Where the service keeps its state (the embedded SQLite file, or the cluster's store).</summary>
    public IApiBackend Backend => _app.Services.GetRequiredService<IApiBackend>();

    /// <summary>Builds and starts the server. <paramref name="runner"/> replaces the agent loop (tests use the real one).</summary>
    public static async Task<ProofApiServer> StartAsync(ApiOptions options, IProofJobRunner? runner = null, CancellationToken cancellationToken = default)
    {
        var app = await BuildAsync(options, runner, cancellationToken);
        await app.StartAsync(cancellationToken);
        return new ProofApiServer(app);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
    }

    public static async Task<WebApplication> BuildAsync(ApiOptions options, IProofJobRunner? runner = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Urls.Count == 0)
        {
            throw new ApiConfigurationException("no URL to listen on (--urls)");
        }

        if (options.ApiKeys.Count == 0 && !ApiKeyRing.AllLoopback(options.Urls))
        {
            throw new ApiConfigurationException(
                $"refusing to serve {string.Join(", ", options.Urls)} without an API key: give --api-key KEY (or bind 127.0.0.1 / [::1] / localhost only)");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "ProofAgent.Api", Args = [] });
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole(json => json.UseUtcTimestamp = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(simple =>
            {
                simple.SingleLine = true;
                simple.UseUtcTimestamp = true;
                simple.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        // Logs go to stderr: stdout belongs to the CLI's --json contract.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

        var backend = options.Backend ?? new EmbeddedBackend();
        var settings = options.Provers ?? ProverSettings.FromEnvironment();
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(backend);
        var metrics = new ApiMetrics(options);
        services.AddSingleton(metrics);
        services.AddSingleton(new ApiKeyRing(options.ApiKeys));
        services.AddSingleton(TimeProvider.System);
        // The composition root: the sandbox is created once, and every prover of the service comes from this host,
        // which the container disposes (with the Lean REPL pool and loaded models) when the service stops.
        services.AddSingleton(sp =>
        {
            try
            {
                return options.Host ?? ProverHost.Create(settings, sp.GetRequiredService<ILoggerFactory>());
            }
            catch (SandboxUnavailableException exception)
            {
                throw new ApiConfigurationException(exception.Message);
            }
        });
        services.AddSingleton(sp => sp.GetRequiredService<ProverHost>().Checkers);
        services.AddSingleton(sp => sp.GetRequiredService<ProverHost>().AgentProvers);
        if (options.SmtOracle)
        {
            services.AddSingleton(sp => sp.GetRequiredService<ProverHost>().GoalOracle);
        }

        services.AddSingleton<ProverDirectory>();
        var pools = new ProverPools(pool => pool == "model"
            ? new PoolLimits(options.ConcurrentModelRequests, 0)
            : new PoolLimits(options.ChecksPerProver, options.MaxQueuedChecks));
        services.AddSingleton(pools);
        metrics.Gauge("proofagent.pool.in_use", () => pools.Stats().Select(p => new Measurement<long>(p.InUse, new KeyValuePair<string, object?>("pool", p.Name))), "Slots in use, by pool.");
        metrics.Gauge("proofagent.pool.queued", () => pools.Stats().Select(p => new Measurement<long>(p.Queued, new KeyValuePair<string, object?>("pool", p.Name))), "Requests waiting for a slot, by pool.");
        services.AddSingleton<CheckService>();
        services.AddSingleton<ModelHub>();
        services.AddSingleton<TacticService>();
        services.AddSingleton(new JobSignals());
        if (runner is null)
        {
            services.AddSingleton<IProofJobRunner, AgentProofJobRunner>();
        }
        else
        {
            services.AddSingleton(runner);
        }

        await backend.ConfigureAsync(builder, options, cancellationToken);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Routing answers a body that is not JSON with a bare 415; say what was expected.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail = $"the body must be JSON (Content-Type: application/json), got '{context.HttpContext.Request.ContentType ?? "none"}'";
                context.ProblemDetails.Extensions["field"] = "Content-Type";
            }
        });
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ProofAgent API";
            document.Info.Description = "Machine-checked proofs as a service: checks, proof jobs with progress streams, tactic suggestions.";
            return Task.CompletedTask;
        }));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ApiMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // bodiless 4xx/5xx from routing (404, 405, 415) become problem documents too
        app.Use(LogRequestsAsync);
        app.Use(BadInputAsProblemsAsync);
        app.UsePlayground(); // the page at / is public (agent/ProofAgent.Api/Playground); its API calls are not
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapPrometheusScrapingEndpoint();
        Endpoints.Map(app);
        return app;
    }

    /// <summary>One structured line per request: method, path (never the query or headers: no secrets), status, time.</summary>
    private static async Task LogRequestsAsync(HttpContext context, RequestDelegate next)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await next(context);
        }
        finally
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ProofAgent.Api.Requests");
            logger.LogInformation("{Method} {Path} {Status} {ElapsedMs} ms {RequestId}", context.Request.Method, context.Request.Path.Value, context.Response.StatusCode, clock.ElapsedMilliseconds, context.TraceIdentifier);
        }
    }

    /// <summary>Bad bodies and unusable requests become 400 problem details that name the field.</summary>
    private static async Task BadInputAsProblemsAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && exception is BadBodyException or TacticRequestException or ModelException { IsUserError: true })
        {
            var field = exception switch
            {
                BadBodyException bad => bad.Field,
                TacticRequestException tactic => tactic.Field,
                _ => "model",
            };
            context.RequestServices.GetRequiredService<ApiMetrics>().Rejected.Add(1, new KeyValuePair<string, object?>("reason", "bad_request"));
            await Problems.BadRequest(field, exception.Message).ExecuteAsync(context);
        }
    }
}
