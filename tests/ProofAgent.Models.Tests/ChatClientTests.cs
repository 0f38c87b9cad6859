using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ProofAgent.Models.LlamaCpp;
using ProofAgent.Models.SemanticKernel;

namespace ProofAgent.Models.Tests;

[Collection(TinyModelCollection.Name)]
public sealed class ChatClientTests(TinyModelFixture tiny)
{
    [Fact(Timeout = 60_000)]
    public async Task The_chat_client_samples_the_rendered_chat_with_the_callers_options()
    {
        await using var registry = Registry(PromptFormat.KiminaProverId);
        var model = await registry.GetAsync("tiny-chat");
        var options = new ChatOptions { Temperature = 1.3f, TopP = 1f, MaxOutputTokens = 10, Seed = 77 };
        var messages = new[] { new ChatMessage(ChatRole.User, "Prove 1 + 1 = 2 in Lean 4.") };

        var response = await model.ChatClient.GetResponseAsync(messages, options);

        var expected = (await model.SampleAsync(model.Format.RenderChat([new ChatTurn("user", "Prove 1 + 1 = 2 in Lean 4.")]), 1,
            SamplingOptions.Default.WithTemperature(1.3f).WithTopP(1).WithMaxTokens(10).WithSeed(77).WithStop("<|im_end|>")))[0];
        Assert.Equal(expected.Text, response.Text);
        Assert.Equal(expected.CompletionTokens, (int?)response.Usage!.OutputTokenCount);
        Assert.Equal(10, options.MaxOutputTokens);
        Assert.Null(options.StopSequences);

        var streamed = new List<string>();
        await foreach (var update in model.ChatClient.GetStreamingResponseAsync(messages, options))
        {
            streamed.Add(update.Text);
        }

        Assert.Equal(expected.Text, string.Concat(streamed));
    }

    [Fact(Timeout = 60_000)]
    public async Task Semantic_Kernel_sees_the_model_as_a_chat_completion_service()
    {
        await using var registry = Registry(PromptFormat.GoedelProverV2Id);
        var builder = Kernel.CreateBuilder();
        await builder.AddProofModelAsync(registry, "tiny-chat");
        var kernel = builder.Build();

        var service = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage("theorem t : 2 = 2 := by");
        var answer = await service.GetChatMessageContentAsync(history, new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 6, ["seed"] = 1 } }, kernel);

        Assert.Equal(AuthorRole.Assistant, answer.Role);
        Assert.NotNull(answer.Content);
        Assert.Same(kernel.GetRequiredService<IChatClient>("tiny-chat"), kernel.GetRequiredService<LanguageModel>().ChatClient);
    }

    private ModelRegistry Registry(string format)
    {
        var configuration = new ModelConfiguration("test", [tiny.NewSpec("tiny-chat") with { PromptFormat = format, Parallel = 1 }]);
        return new ModelRegistry(configuration, [new LlamaCppRuntime(), new OpenAICompatibleRuntime()], NullLoggerFactory.Instance);
    }
}
