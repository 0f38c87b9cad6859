using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ProofAgent.Models.SemanticKernel;
using ProofAgent.Testing.Models;

namespace ProofAgent.Models.Tests;

/// <summary>
/// Prompts in every language, answers read like the reasoning provers write them, per-format defaults, and the
/// chat/completions path with n samples and tool calls, against a scripted OpenAI-compatible server on loopback.
/// </summary>
public sealed class ProverFormatTests
{
    private const string CoqStatement = "Require Import Reals.\nTheorem t (x : R) : x * x >= 0.\nProof.\nAdmitted.";

    [Fact]
    public void The_chat_format_asks_for_a_complete_coq_proof_in_a_coq_fence()
    {
        var prompt = PromptFormat.Get(PromptFormat.ChatId).ProofPrompt(new StatementPrompt(CoqStatement) { Language = TargetLanguage.Coq });

        Assert.Equal(["system", "user"], prompt.Turns.Select(t => t.Role));
        Assert.Contains("Coq (Rocq)", prompt.Turns[0].Content, StringComparison.Ordinal);
        Assert.Contains($"```coq\n{CoqStatement}\n```", prompt.Turns[1].Content, StringComparison.Ordinal);
        Assert.Contains("Do not use admit, Admitted or Axiom", prompt.Turns[1].Content, StringComparison.Ordinal);
        Assert.StartsWith("<|im_start|>system\n", prompt.Text, StringComparison.Ordinal);
        Assert.EndsWith("<|im_start|>assistant\n", prompt.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PromptFormat.DeepSeekProverV2Id, "Complete the following Isabelle/HOL code:\n\n```isabelle\n", true)]
    [InlineData(PromptFormat.DeepSeekProverV2NonCotId, "Complete the following Isabelle/HOL code:\n\n```isabelle\n", false)]
    [InlineData(PromptFormat.GoedelProverV2Id, "Complete the following Isabelle/HOL code:\n\n```isabelle\n", true)]
    [InlineData(PromptFormat.KiminaProverId, "step by step in Isabelle/HOL.", false)]
    public void The_prover_formats_name_the_requested_language(string format, string expected, bool plan)
    {
        var prompt = PromptFormat.Get(format).ProofPrompt(new StatementPrompt("lemma t: \"True\"\n  sorry") { Language = TargetLanguage.Isabelle });

        Assert.Contains(expected, prompt.Text, StringComparison.Ordinal);
        Assert.Equal(plan, prompt.Text.Contains("Before producing the Isabelle/HOL code", StringComparison.Ordinal));
        Assert.DoesNotContain("Lean", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repair_prompt_shows_the_failed_proof_and_the_provers_errors_after_the_request()
    {
        var format = PromptFormat.Get(PromptFormat.GoedelProverV2Id);
        var request = new StatementPrompt(CoqStatement) { Language = TargetLanguage.Coq };

        var prompt = format.RepairPrompt(request, "nra.", "line 3: `nra.`\nerror: Tactic failure: cannot find witness");

        Assert.Equal(["user", "assistant", "user"], prompt.Turns.Select(t => t.Role));
        Assert.Equal(format.ProofPrompt(request).Turns[0], prompt.Turns[0]);
        Assert.Equal("```coq\nnra.\n```", prompt.Turns[1].Content);
        Assert.Contains("Tactic failure: cannot find witness", prompt.Turns[2].Content, StringComparison.Ordinal);
        Assert.Contains("<|im_start|>assistant\n```coq\nnra.\n```<|im_end|>", prompt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasoning_formats_get_long_token_budgets_and_the_cards_sampling()
    {
        Assert.Equal(8192, PromptFormat.Get(PromptFormat.DeepSeekProverV2Id).DefaultSampling.MaxTokens);
        Assert.Equal(32768, PromptFormat.Get(PromptFormat.GoedelProverV2Id).DefaultSampling.MaxTokens);
        var kimina = PromptFormat.Get(PromptFormat.KiminaProverId).DefaultSampling;
        Assert.Equal((0.6, 0.95, 8096), (kimina.Temperature, kimina.TopP, kimina.MaxTokens));
        Assert.All(PromptFormat.Ids.Select(PromptFormat.Get).Where(f => f.Reasons), f => Assert.True(f.DefaultSampling.MaxTokens >= 8000 && f.DefaultContextLength > f.DefaultSampling.MaxTokens));

        var configuration = ModelConfiguration.Parse(
            """
            {"models":[{"name":"g","runtime":"openai","baseUrl":"http://127.0.0.1:1/v1","model":"m","promptFormat":"goedel-prover-v2","sampling":{"seed":3}},
                       {"name":"q","runtime":"openai","baseUrl":"http://127.0.0.1:1/v1","model":"m","promptFormat":"chat"}]}
            """, "models.json", "/");
        Assert.Equal((32768, 3L, 40960), (configuration.Models[0].Sampling.MaxTokens, configuration.Models[0].Sampling.Seed, configuration.Models[0].ContextLength));
        Assert.Equal((OpenAIEndpoint.Completions, OpenAIEndpoint.Chat), (configuration.Models[0].Endpoint, configuration.Models[1].Endpoint));
    }

    [Theory]
    [InlineData("<think>\nTry ```coq\nlia.\n``` maybe.\n</think>\nFinal:\n```coq\nnra.\n```\nAs a Lean sketch:\n```lean4\nnlinarith\n```", "nra.")]
    [InlineData("```\nnra.\n```", "nra.")]
    [InlineData("```rocq\nRequire Import Lra.\nTheorem t : True.\nProof. exact I. Qed.\n```", "Require Import Lra.\nTheorem t : True.\nProof. exact I. Qed.")]
    public void The_proof_is_the_last_block_of_the_target_language_outside_the_reasoning(string completion, string expected)
    {
        Assert.Equal(expected, ProofExtractor.ExtractProof(completion, TargetLanguage.Coq).Text);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_chat_endpoint_draws_n_samples_in_parallel_requests_or_one_request_with_n()
    {
        await using var server = await ScriptedOpenAIServer.StartAsync((request, i) =>
            ScriptedAnswer.Text([.. Enumerable.Range(0, request.N).Select(k => $"```coq\nanswer {request.Body["seed"]} {k}\n```")]));
        var parallel = await Load(server, "parallel");
        var batched = await Load(server, "n");
        var prompt = parallel.Format.ProofPrompt(new StatementPrompt(CoqStatement) { Language = TargetLanguage.Coq });

        var drawn = await parallel.SampleAsync(prompt, 3, parallel.Spec.Sampling.WithSeed(10));
        var once = await batched.SampleAsync(prompt, 3, batched.Spec.Sampling.WithSeed(10));

        Assert.Equal(["answer 10 0", "answer 11 0", "answer 12 0"], drawn.Select(c => ProofExtractor.ExtractProof(c.Text, TargetLanguage.Coq).Text));
        Assert.Equal(["answer 10 0", "answer 10 1", "answer 10 2"], once.Select(c => ProofExtractor.ExtractProof(c.Text, TargetLanguage.Coq).Text));
        Assert.Equal(4, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.True(r.IsChat));
        Assert.Equal(["system", "user"], server.Requests[0].Body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        Assert.Contains("<|im_end|>", server.Requests[0].Body["stop"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_malformed_or_truncated_answer_is_a_clear_error_or_an_unfinished_proof()
    {
        await using var server = await ScriptedOpenAIServer.StartAsync((request, i) => i switch
        {
            0 => new ScriptedAnswer { Failure = (200, "{\"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\"}}]}") },
            1 => new ScriptedAnswer { Failure = (200, "not json at all") },
            _ => new ScriptedAnswer { Choices = ["<think>long reasoning ```coq\nintros."], Truncated = [true] },
        });
        var model = await Load(server, "parallel");
        var prompt = model.Format.ProofPrompt(new StatementPrompt(CoqStatement) { Language = TargetLanguage.Coq });

        var noContent = await Assert.ThrowsAsync<ModelException>(() => model.SampleAsync(prompt, 1));
        var notJson = await Assert.ThrowsAsync<ModelException>(() => model.SampleAsync(prompt, 1));
        var cut = (await model.SampleAsync(prompt, 1))[0];

        Assert.Contains("without message content", noContent.Message, StringComparison.Ordinal);
        Assert.Equal(ModelErrorKind.ServerError, notJson.Kind);
        Assert.Equal(FinishReason.Length, cut.FinishReason);
        Assert.Contains("all reasoning", ProofExtractor.ExtractProof(cut.Text, TargetLanguage.Coq).Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Semantic_Kernel_calls_a_kernel_function_through_openai_tool_calls_and_sends_the_result_back()
    {
        await using var server = await ScriptedOpenAIServer.StartAsync((request, _) => request.ToolResults.Count == 0
            ? ScriptedAnswer.Tool(request.Body["tools"]![0]!["function"]!["name"]!.GetValue<string>(), new JsonObject { ["value"] = 21 })
            : ScriptedAnswer.Text($"The tool said {request.ToolResults[0]}."));
        var model = await Load(server, "parallel");
        var builder = Kernel.CreateBuilder();
        builder.AddProofModel(model);
        builder.Plugins.AddFromFunctions("tools", [KernelFunctionFactory.CreateFromMethod((int value) => value * 2, "double", "Doubles a number.")]);
        var kernel = builder.Build();
        var history = new ChatHistory("You use tools.");
        history.AddUserMessage("Double 21.");

        var answer = await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(
            history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("The tool said 42.", answer.Content);
        var tools = server.Requests[0].Body["tools"]!.AsArray();
        Assert.EndsWith("double", tools[0]!["function"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("integer", tools[0]!["function"]!["parameters"]!["properties"]!["value"]!["type"]!.GetValue<string>());
        var sent = server.Requests[1].Body["messages"]!.AsArray();
        Assert.Equal("tool", sent[^1]!["role"]!.GetValue<string>());
        Assert.Equal(sent[^2]!["tool_calls"]![0]!["id"]!.GetValue<string>(), sent[^1]!["tool_call_id"]!.GetValue<string>());
    }

    private static async Task<LanguageModel> Load(ScriptedOpenAIServer server, string batching)
    {
        var folder = Directory.CreateTempSubdirectory("proofagent-scripted-").FullName;
        try
        {
            var configuration = ModelConfiguration.Load(server.WriteRegistry(folder, "instruct", "chat", batching));
            var registry = new ModelRegistry(configuration, [new OpenAICompatibleRuntime()], NullLoggerFactory.Instance);
            return await registry.GetAsync("instruct");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
