using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Models.LlamaCpp;

namespace ProofAgent.Models.Tests;

/// <summary>Tool calls in process: the tiny GGUF model's output constrained by llama.cpp to the tool-call JSON grammar.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class ToolCallGrammarTests(TinyModelFixture tiny)
{
    [Fact(Timeout = 120_000)]
    public async Task The_in_process_model_is_constrained_to_a_tool_call_or_an_answer()
    {
        var double_ = AIFunctionFactory.Create((int value) => value * 2, "double", "Doubles a number.");
        var options = new ChatOptions { Tools = [double_], MaxOutputTokens = 160, Temperature = 1.2f, TopP = 1f };
        await using var registry = new ModelRegistry(new ModelConfiguration("test", [tiny.NewSpec("tiny-tools") with { Parallel = 1, ContextLength = 2048 }]),
            [new LlamaCppRuntime()], NullLoggerFactory.Instance);
        var model = await registry.GetAsync("tiny-tools");

        // A random model, but llama.cpp constrains every sample to the grammar's shape: a call of the one tool, or an answer.
        var grammar = ToolCallGrammar.Build(["double"]);
        var samples = await model.SampleAsync("Double 21.\n", 4, SamplingOptions.Default.WithTemperature(1.2).WithTopP(1).WithMaxTokens(400).WithSeed(3).WithGrammar(grammar));
        foreach (var sample in samples)
        {
            Assert.True(
                sample.Text.StartsWith("{\"tool\": \"double\", \"arguments\": {", StringComparison.Ordinal) || sample.Text.StartsWith("{\"answer\": \"", StringComparison.Ordinal),
                $"not the grammar's shape: {sample.Text}");
            if (sample.FinishReason != FinishReason.Length)
            {
                using var json = System.Text.Json.JsonDocument.Parse(sample.Text);
            }
        }

        // Through the chat client: the tools become the grammar, and the answer a tool call or text.
        var response = await model.ChatClient.GetResponseAsync([new ChatMessage(ChatRole.User, "Double 21.")], options);
        var content = Assert.Single(response.Messages[0].Contents);
        Assert.True(content is FunctionCallContent { Name: "double" } or TextContent, content.GetType().Name);
    }

    [Fact]
    public void A_constrained_completion_reads_as_a_call_or_an_answer()
    {
        var call = Assert.IsType<FunctionCallContent>(ToolCallGrammar.Read("{\"tool\": \"check_proof\", \"arguments\": {\"proof\": \"lia.\"}}", "c1"));
        Assert.Equal(("check_proof", "c1"), (call.Name, call.CallId));
        Assert.Equal("lia.", call.Arguments!["proof"]!.ToString());
        Assert.Equal("done", Assert.IsType<TextContent>(ToolCallGrammar.Read("{\"answer\": \"done\"}", "c2")).Text);
        Assert.Equal("{\"tool\": \"chec", Assert.IsType<TextContent>(ToolCallGrammar.Read("{\"tool\": \"chec", "c3")).Text);
        Assert.Contains("name ::= \"\\\"check_proof\\\"\" | \"\\\"goals_after\\\"\"", ToolCallGrammar.Build(["check_proof", "goals_after"]), StringComparison.Ordinal);
    }
}
