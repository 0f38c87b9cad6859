using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProofAgent.Models.Tests;

/// <summary>
/// A real OpenAI-compatible <c>/v1/completions</c> endpoint on 127.0.0.1 (ASP.NET Core, port 0) that serves the tiny GGUF
/// model through the same LLamaSharp engine. Prefixes inject faults: <c>/flaky/</c> answers 503 to the first two requests,
/// <c>/slow/</c> never answers in time.
/// </summary>
public sealed class LoopbackOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _flakyRequests;

    private LoopbackOpenAIServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The server root, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUrl { get; }

    public int FlakyRequests => Volatile.Read(ref _flakyRequests);

    public int RequestCount => Volatile.Read(ref _requests);

    private int _requests;

    public static async Task<LoopbackOpenAIServer> StartAsync(IGenerationEngine engine)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LoopbackOpenAIServer? self = null;
        app.MapGet("/v1/models", () => Results.Json(new { data = new[] { new { id = engine.Identity.Name, @object = "model" } } }));
        app.MapPost("/v1/completions", (HttpContext context) => self!.CompleteAsync(context, engine));
        app.MapPost("/flaky/v1/completions", async (HttpContext context) =>
        {
            if (Interlocked.Increment(ref self!._flakyRequests) <= 2)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsJsonAsync(new { error = new { message = "warming up", type = "server_error" } });
                return;
            }

            await self.CompleteAsync(context, engine);
        });
        app.MapPost("/slow/v1/completions", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new LoopbackOpenAIServer(app, new Uri(address + "/"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task CompleteAsync(HttpContext context, IGenerationEngine engine)
    {
        Interlocked.Increment(ref _requests);
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
        var prompt = body["prompt"]!.GetValue<string>();
        var n = body["n"]?.GetValue<int>() ?? 1;
        var options = SamplingOptions.Default with
        {
            MaxTokens = body["max_tokens"]?.GetValue<int>() ?? 16,
            Temperature = body["temperature"]?.GetValue<double>() ?? 1.0,
            TopP = body["top_p"]?.GetValue<double>() ?? 1.0,
            TopK = body["top_k"]?.GetValue<int>() ?? 0,
            Seed = body["seed"]?.GetValue<long>() ?? 0,
            Stop = body["stop"] is JsonArray stop ? [.. stop.Select(s => s!.GetValue<string>())] : [],
        };
        try
        {
            if (body["stream"]?.GetValue<bool>() == true)
            {
                context.Response.ContentType = "text/event-stream";
                await foreach (var text in engine.StreamAsync(prompt, options, context.RequestAborted))
                {
                    var chunk = new JsonObject { ["object"] = "text_completion", ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["text"] = text }) };
                    await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }

                await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
                return;
            }

            var completions = await engine.SampleAsync(prompt, n, options, context.RequestAborted);
            var choices = new JsonArray([.. completions.Select(c => (JsonNode)new JsonObject
            {
                ["index"] = c.Index,
                ["text"] = c.Text,
                ["finish_reason"] = c.FinishReason == FinishReason.Length ? "length" : "stop",
                ["stop_reason"] = c.FinishReason == FinishReason.Stop ? "(stop sequence)" : null,
            })]);
            var response = new JsonObject
            {
                ["object"] = "text_completion",
                ["model"] = engine.Identity.Name,
                ["choices"] = choices,
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = completions[0].PromptTokens,
                    ["completion_tokens"] = completions.Sum(c => c.CompletionTokens ?? 0),
                },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
        }
        catch (ModelException exception) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = new { message = exception.Message, type = "invalid_request_error" } }, JsonSerializerOptions.Web);
        }
    }
}
