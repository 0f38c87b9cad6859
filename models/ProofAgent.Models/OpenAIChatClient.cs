using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace ProofAgent.Models;

/// <summary>
/// <see cref="IChatClient"/> over an OpenAI-compatible <c>chat/completions</c> endpoint, with tool calls: the options'
/// tools go out as <c>tools</c>, the answer's <c>tool_calls</c> come back as <see cref="FunctionCallContent"/>, and
/// function results go back as <c>tool</c> messages. Semantic Kernel's automatic function calling runs on top of it.
/// Retries and timeouts are the engine's.
/// </summary>
public sealed class OpenAIChatClient(OpenAICompatibleEngine engine, SamplingOptions defaults) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new(RuntimeNames.OpenAI, engine.Spec.BaseUrl, engine.Spec.ServedModel);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = Body(messages, options);
        var response = await engine.PostChatAsync(body, cancellationToken).ConfigureAwait(false);
        return Read(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Tool calls arrive whole: one update per answer.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => ChatClientServices.Get(this, _metadata, engine, serviceType, serviceKey);

    public void Dispose()
    {
        // The engine belongs to the LanguageModel.
    }

    internal JsonObject Body(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var sampling = defaults with
        {
            Temperature = options?.Temperature ?? defaults.Temperature,
            TopP = options?.TopP ?? defaults.TopP,
            MaxTokens = options?.MaxOutputTokens ?? defaults.MaxTokens,
            Seed = options?.Seed ?? defaults.Seed,
            Stop = options?.StopSequences is { Count: > 0 } stop ? [.. stop] : defaults.Stop,
        };
        sampling.Validate();
        var body = new JsonObject
        {
            ["messages"] = new JsonArray([.. messages.SelectMany(Message)]),
            ["max_tokens"] = sampling.MaxTokens,
            ["temperature"] = sampling.Temperature,
            ["top_p"] = sampling.TopP,
            ["seed"] = sampling.Seed,
        };
        if (sampling.Stop.Count > 0)
        {
            body["stop"] = new JsonArray([.. sampling.Stop.Select(s => (JsonNode)JsonValue.Create(s))]);
        }

        var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        if (tools.Count > 0)
        {
            body["tools"] = new JsonArray([.. tools.Select(t => (JsonNode)new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = t.Name,
                    ["description"] = t.Description,
                    ["parameters"] = JsonNode.Parse(t.JsonSchema.GetRawText()),
                },
            })]);
            body["tool_choice"] = options?.ToolMode switch
            {
                NoneChatToolMode => "none",
                RequiredChatToolMode => "required",
                _ => "auto",
            };
        }

        return body;
    }

    private static IEnumerable<JsonNode> Message(ChatMessage message)
    {
        var results = message.Contents.OfType<FunctionResultContent>().ToList();
        foreach (var result in results)
        {
            yield return new JsonObject
            {
                ["role"] = "tool",
                ["tool_call_id"] = result.CallId,
                ["content"] = result.Result switch
                {
                    null => "",
                    string text => text,
                    JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText(),
                    var other => JsonSerializer.Serialize(other),
                },
            };
        }

        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        var said = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
        if (results.Count > 0 && calls.Count == 0 && said.Length == 0)
        {
            yield break;
        }

        var json = new JsonObject { ["role"] = message.Role.Value, ["content"] = calls.Count > 0 && said.Length == 0 ? null : said };
        if (calls.Count > 0)
        {
            json["tool_calls"] = new JsonArray([.. calls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.CallId,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>()) },
            })]);
        }

        yield return json;
    }

    private ChatResponse Read(JsonNode response)
    {
        var choice = response["choices"]?[0] ?? throw new ModelException(ModelErrorKind.ServerError, $"model '{engine.Identity.Name}': the chat answer has no choices: {Preview(response)}");
        var message = choice["message"] ?? throw new ModelException(ModelErrorKind.ServerError, $"model '{engine.Identity.Name}': the chat answer has no message: {Preview(response)}");
        var contents = new List<AIContent>();
        if (message["content"] is JsonValue content && content.TryGetValue<string>(out var text) && text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }

        if (message["tool_calls"] is JsonArray calls)
        {
            foreach (var call in calls)
            {
                var name = call?["function"]?["name"]?.GetValue<string>()
                    ?? throw new ModelException(ModelErrorKind.ServerError, $"model '{engine.Identity.Name}': a tool call without a function name: {Preview(call)}");
                var id = call["id"]?.GetValue<string>() ?? $"call_{contents.Count}";
                contents.Add(new FunctionCallContent(id, name, Arguments(call["function"]?["arguments"])));
            }
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = engine.Identity.Name,
            FinishReason = choice["finish_reason"]?.GetValue<string>() switch
            {
                "length" => ChatFinishReason.Length,
                "tool_calls" => ChatFinishReason.ToolCalls,
                _ => ChatFinishReason.Stop,
            },
            Usage = new UsageDetails
            {
                InputTokenCount = response["usage"]?["prompt_tokens"]?.GetValue<long>(),
                OutputTokenCount = response["usage"]?["completion_tokens"]?.GetValue<long>(),
            },
        };
    }

    /// <summary>Tool arguments: a JSON object, or a string holding one (the OpenAI wire format); anything else is no arguments.</summary>
    private static Dictionary<string, object?> Arguments(JsonNode? node)
    {
        var json = node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)?.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal) ?? [];
        }
        catch (JsonException)
        {
            // A model's malformed arguments reach the function as none; the function says what it missed.
            return [];
        }
    }

    private static string Preview(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 300 ? text[..300] + "..." : text;
    }
}
