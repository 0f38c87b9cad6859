using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProofAgent.Testing.Models;

/// <summary>One request the scripted server received: which endpoint, and the JSON body as sent.</summary>
public sealed record ScriptedRequest(string Endpoint, JsonObject Body)
{
    public bool IsChat => Endpoint == "chat/completions";

    /// <summary>The prompt text (completions) or every message's content joined (chat), for assertions.</summary>
    public string Text => IsChat
        ? string.Join("\n", (Body["messages"] as JsonArray ?? []).Select(m => m?["content"]?.GetValue<string>() ?? m?["tool_calls"]?.ToJsonString() ?? ""))
        : Body["prompt"]?.GetValue<string>() ?? "";

    public int N => Body["n"]?.GetValue<int>() ?? 1;

    /// <summary>The tool results sent back to the model (chat messages with role <c>tool</c>).</summary>
    public IReadOnlyList<string> ToolResults =>
        [.. (Body["messages"] as JsonArray ?? []).Where(m => m?["role"]?.GetValue<string>() == "tool").Select(m => m!["content"]?.GetValue<string>() ?? "")];
}

/// <summary>What the scripted model answers: one text per choice, or tool calls, or a raw HTTP failure.</summary>
public sealed record ScriptedAnswer
{
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Per choice: true when the text was cut by the token budget (finish_reason "length").</summary>
    public IReadOnlyList<bool> Truncated { get; init; } = [];

    /// <summary>Tool calls (name, JSON arguments) of a chat answer.</summary>
    public IReadOnlyList<(string Name, JsonObject Arguments)> ToolCalls { get; init; } = [];

    /// <summary>A raw failure instead of an answer: status code and body as they are.</summary>
    public (int Status, string Body)? Failure { get; init; }

    public static ScriptedAnswer Text(params string[] choices) => new() { Choices = choices };

    public static ScriptedAnswer Tool(string name, JsonObject arguments) => new() { ToolCalls = [(name, arguments)] };
}

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 (ASP.NET Core, port 0) whose answers the test scripts: <c>/v1/completions</c>
/// and <c>/v1/chat/completions</c>, <c>n</c> choices, streaming (server-sent events), tool calls, and raw failures. It
/// records every request, so a test can assert what the model was shown.
/// </summary>
public sealed class ScriptedOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<ScriptedRequest, int, ScriptedAnswer> _script;
    private readonly ConcurrentQueue<ScriptedRequest> _requests = new();
    private int _count;

    private ScriptedOpenAIServer(WebApplication app, Func<ScriptedRequest, int, ScriptedAnswer> script)
    {
        _app = app;
        _script = script;
    }

    /// <summary>The base URL a model registry names: http://127.0.0.1:PORT/v1/.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<ScriptedRequest> Requests => [.. _requests];

    /// <summary>Starts a server; <paramref name="script"/> gets each request and its 0-based number.</summary>
    public static async Task<ScriptedOpenAIServer> StartAsync(Func<ScriptedRequest, int, ScriptedAnswer> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedOpenAIServer(app, script);
        app.MapPost("/v1/completions", context => server.AnswerAsync(context, "completions"));
        app.MapPost("/v1/chat/completions", context => server.AnswerAsync(context, "chat/completions"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address + "/v1/");
        return server;
    }

    /// <summary>A model registry file naming this server (runtime openai).</summary>
    public string WriteRegistry(string folder, string name, string format, string batching = "parallel", string? endpoint = null)
    {
        var path = Path.Combine(folder, "models.json");
        var model = new JsonObject
        {
            ["name"] = name,
            ["runtime"] = "openai",
            ["baseUrl"] = BaseUrl.ToString(),
            ["model"] = "scripted/" + format,
            ["promptFormat"] = format,
            ["batching"] = batching,
            ["retries"] = 0,
            ["timeoutSeconds"] = 60,
        };
        if (endpoint is not null)
        {
            model["endpoint"] = endpoint;
        }

        File.WriteAllText(path, new JsonObject { ["models"] = new JsonArray(model) }.ToJsonString());
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context, string endpoint)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
        var request = new ScriptedRequest(endpoint, body);
        _requests.Enqueue(request);
        var answer = _script(request, Interlocked.Increment(ref _count) - 1);
        if (answer.Failure is { } failure)
        {
            context.Response.StatusCode = failure.Status;
            await context.Response.WriteAsync(failure.Body, context.RequestAborted);
            return;
        }

        if (body["stream"]?.GetValue<bool>() == true)
        {
            context.Response.ContentType = "text/event-stream";
            var text = answer.Choices.FirstOrDefault() ?? "";
            for (var at = 0; at < text.Length; at += 7)
            {
                var piece = text.Substring(at, Math.Min(7, text.Length - at));
                var chunk = new JsonObject { ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["text"] = piece }) };
                await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
            return;
        }

        var choices = new JsonArray();
        if (answer.ToolCalls.Count > 0)
        {
            var calls = new JsonArray([.. answer.ToolCalls.Select((c, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"call_{_count}_{i}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments.ToJsonString() },
            })]);
            choices.Add(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = calls }, ["finish_reason"] = "tool_calls" });
        }
        else
        {
            for (var i = 0; i < answer.Choices.Count; i++)
            {
                var finish = i < answer.Truncated.Count && answer.Truncated[i] ? "length" : "stop";
                choices.Add(request.IsChat
                    ? new JsonObject { ["index"] = i, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer.Choices[i] }, ["finish_reason"] = finish }
                    : new JsonObject { ["index"] = i, ["text"] = answer.Choices[i], ["finish_reason"] = finish });
            }
        }

        var response = new JsonObject
        {
            ["object"] = request.IsChat ? "chat.completion" : "text_completion",
            ["model"] = body["model"]?.GetValue<string>(),
            ["choices"] = choices,
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = answer.Choices.Sum(c => c.Length / 4) + 1 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }
}
