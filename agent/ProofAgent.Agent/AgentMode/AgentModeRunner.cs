using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ProofAgent.Agent.Documents;
using ProofAgent.Agent.Generation;
using ProofAgent.Agent.Sessions;
using ProofAgent.Agent.Stages;

namespace ProofAgent.Agent.AgentMode;

/// <summary>
/// Agent mode: a Semantic Kernel chat-completion agent with automatic function calling over <see cref="ProverTools"/>
/// (check_proof, goals_after, run_automation, smt_counterexample, search_lemmas). The model drives; the filters enforce
/// the budget and trace every call; a proof counts only after the final check, in a fresh process, against the original
/// statement. Tool calls need a model served over a chat API with tools (an OpenAI-compatible <c>chat/completions</c>).
/// </summary>
public sealed class AgentModeRunner(ProofAgentRunner runner, LanguageModel model, ILoggerFactory loggers)
{
    public async Task<ProofOutcome> ProveAsync(ProofRequest request, AttemptContext context, CancellationToken cancellationToken)
    {
        var document = ProofDocument.For(request.Language, request.Source, runner.Provers.Scanner(request.Language));
        var stages = new List<StageSummary>();
        var checker = new CandidateChecker(runner.Provers);
        if (document.Targets.Count == 0)
        {
            var check = await new FinalCheckStage(checker).RunAsync(request, request.Source, "(file)", stages, context, cancellationToken);
            return ProofAgentRunner.Outcome(check.Verdict, check.Verdict.IsProved ? request.Source : null, [], stages, context);
        }

        var target = document.Targets[0];
        await using var lease = new SessionLease(document.HasSessions ? runner.Provers.Interactive(request.Language) : null, target.Header, request.Language.Id(), context);
        var tools = new ProverTools(request, document, lease, checker, runner.Oracle, runner.Provers.Automation(request.Language), context, loggers.CreateLogger<ProverTools>());
        var filter = new BudgetAndTraceFilter(context, tools);

        var builder = Kernel.CreateBuilder();
        // The model's chat client with Semantic Kernel's function-invoking layer: tool calls run as kernel functions,
        // through the kernel's filters.
#pragma warning disable SKEXP0001 // UseKernelFunctionInvocation is marked experimental in SK 1.82.
        var chat = model.ChatClient.AsBuilder().UseKernelFunctionInvocation().Build();
#pragma warning restore SKEXP0001
        builder.Services.AddSingleton<IChatCompletionService>(chat.AsChatCompletionService());
        builder.Services.AddSingleton<IFunctionInvocationFilter>(filter);
        builder.Services.AddSingleton<IAutoFunctionInvocationFilter>(filter);
        builder.Plugins.AddFromObject(tools, "prover");
        var kernel = builder.Build();

        var history = new ChatHistory(SystemPrompt(request.Language));
        history.AddUserMessage(UserPrompt(request, target));
        // Sampling is the model's own (its registry defaults): extension data here would replace the options Semantic
        // Kernel uses to invoke the functions automatically.
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        var answer = await ProofAgentRunner.RunStageAsync(ProofStage.Agent, target.Name, stages, context, async () =>
        {
            try
            {
                var reply = await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(history, settings, kernel, cancellationToken);
                return reply.Content;
            }
            catch (Exception exception) when (exception is ModelException or HttpOperationException or KernelException)
            {
                context.Note($"the agent's model failed: {exception.Message}");
                return null;
            }
        }, _ => tools.Accepted is not null);

        if (context.Unavailable is { } missing)
        {
            return ProofAgentRunner.Outcome(missing, null, [], stages, context);
        }

        // The model's last answer may hold a proof it did not check: it gets one check, like any candidate.
        if (tools.Accepted is null && answer is not null && ProofExtractor.ExtractProof(answer, ProofSampler.Target(request.Language)).Text is { } final && !context.Exhausted)
        {
            await tools.CheckProofAsync(final, cancellationToken);
        }

        if (tools.Accepted is not { } accepted)
        {
            var theorems = new[] { new TheoremOutcome(target.Name, false, null, null, null) };
            return ProofAgentRunner.Outcome(new Verdict.Failed("no proof found within the budget (agent mode)"), null, theorems, stages, context);
        }

        var file = accepted.File ?? document.Fill([accepted.Script, .. Enumerable.Repeat<string?>(null, document.Targets.Count - 1)]);
        var result = await new FinalCheckStage(checker).RunAsync(request, file, target.Name, stages, context, cancellationToken);
        return ProofAgentRunner.Outcome(result.Verdict, file, [new TheoremOutcome(target.Name, true, ProofStage.Agent, accepted.Script ?? accepted.File, null)], stages, context);
    }

    private static string SystemPrompt(ProofLanguage language)
    {
        var name = ProofSampler.Target(language).DisplayName;
        return $"You prove theorems in {name} with the help of tools that run the real prover. "
            + "Call check_proof with a candidate proof (the proof script, or a complete file); when it answers 'proved' you are done. "
            + "Use goals_after to see the goals after some steps, run_automation to let automation close the goals after a prefix, "
            + "smt_counterexample to test whether a goal is false, and search_lemmas to find library lemmas. "
            + "Nothing counts until check_proof says 'proved'.";
    }

    private static string UserPrompt(ProofRequest request, ProofTarget target)
    {
        var tag = ProofSampler.Target(request.Language).FenceTag;
        var hint = request.InformalHint is { Length: > 0 } informal ? $"\n\nThe problem in words: {informal.Trim()}" : "";
        return $"Prove `{target.Name}`: replace the hole with a complete proof.{hint}\n\n```{tag}\n{target.PromptStatement.Trim()}\n```";
    }
}
