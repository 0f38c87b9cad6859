using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace ProofAgent.Models;

/// <summary>
/// <see cref="IChatClient"/> over an <see cref="IGenerationEngine"/>: renders the messages with the model family's chat
/// template, maps <see cref="ChatOptions"/> onto the model's default sampling (never mutating the caller's options), and
/// draws one sample. Semantic Kernel sees it through <c>AsChatCompletionService()</c>.
/// </summary>
public sealed class GenerationChatClient(IGenerationEngine engine, PromptFormat format, SamplingOptions defaults) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new(engine.Identity.Runtime, providerUri: null, defaultModelId: engine.Identity.Name);
    private long _calls;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (prompt, sampling) = Prepare(messages, options);
        var completion = (await engine.SampleAsync(prompt, 1, sampling, cancellationToken).ConfigureAwait(false))[0];

        // With tools, the output was constrained to one JSON object: a tool call or the answer.
        var content = sampling.Grammar is null ? new TextContent(completion.Text) : ToolCallGrammar.Read(completion.Text, $"call_{Interlocked.Increment(ref _calls)}");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, [content]))
        {
            ModelId = engine.Identity.Name,
            FinishReason = completion.FinishReason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = completion.PromptTokens,
                OutputTokenCount = completion.CompletionTokens,
                TotalTokenCount = completion.PromptTokens + completion.CompletionTokens,
            },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (prompt, sampling) = Prepare(messages, options);
        await foreach (var delta in engine.StreamAsync(prompt, sampling, cancellationToken).ConfigureAwait(false))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, delta) { ModelId = engine.Identity.Name };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => ChatClientServices.Get(this, _metadata, engine, serviceType, serviceKey);

    public void Dispose()
    {
        // The engine belongs to the LanguageModel (and the registry), not to this view of it.
    }

    private (string Prompt, SamplingOptions Sampling) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var turns = messages.Select(Turn).ToList();
        if (turns.Count == 0)
        {
            throw new ModelException(ModelErrorKind.InvalidRequest, "a chat request needs at least one message");
        }

        var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        if (tools.Count > 0 && options?.ToolMode is not NoneChatToolMode)
        {
            turns.Insert(0, new ChatTurn("system", ToolCallGrammar.Describe(tools)));
        }

        var sampling = defaults;
        if (options is not null)
        {
            sampling = sampling with
            {
                Temperature = options.Temperature ?? sampling.Temperature,
                TopP = options.TopP ?? sampling.TopP,
                TopK = options.TopK ?? sampling.TopK,
                MaxTokens = options.MaxOutputTokens ?? sampling.MaxTokens,
                Seed = options.Seed ?? sampling.Seed,
                Stop = options.StopSequences is { Count: > 0 } stop ? [.. stop] : sampling.Stop,
            };
        }

        sampling = sampling.WithStop(sampling.Stop.Concat(format.StopSequences).Distinct(StringComparer.Ordinal));
        if (tools.Count > 0 && options?.ToolMode is not NoneChatToolMode)
        {
            sampling = sampling.WithGrammar(ToolCallGrammar.Build(tools.Select(t => t.Name)));
        }

        return (format.RenderChat(turns), sampling.Validate());
    }

    /// <summary>A message as a turn of the template: tool calls and tool results as the JSON the model reads and writes.</summary>
    private static ChatTurn Turn(ChatMessage message)
    {
        var calls = message.Contents.OfType<FunctionCallContent>().Select(c => System.Text.Json.JsonSerializer.Serialize(new { tool = c.Name, arguments = c.Arguments }));
        var results = message.Contents.OfType<FunctionResultContent>().Select(r => $"Tool result ({r.CallId}): {r.Result}");
        var text = string.Join("\n", new[] { message.Text }.Concat(calls).Concat(results).Where(t => t.Length > 0));
        return new ChatTurn(message.Role == ChatRole.Tool ? "user" : message.Role.Value, text);
    }
}
