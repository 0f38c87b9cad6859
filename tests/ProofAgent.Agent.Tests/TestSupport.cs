using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using ProofAgent.Core.Provers;
using ProofAgent.Provers;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Agent.Tests;

/// <summary>A chat client whose answers are fixed in the test: it returns them in order, cycling.</summary>
public sealed class ScriptedChatClient(params string[] answers) : IChatClient
{
    private int _next;

    public List<string> Prompts { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Prompts.Add(string.Join("\n", messages.Select(m => m.Text)));
        var answer = answers[_next++ % answers.Length];
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, response.Text);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

public static class Agents
{
    public static ProverCatalog Catalog() => new(ProverSettings.FromEnvironment(), new ProcessRunner(new ResourceLimitIsolation()));

    public static ProofAgentRunner Runner(IChatClient? chat = null, IGoalOracle? oracle = null) =>
        new(ProofAgentRunner.Access(Catalog()), chat, oracle);

    public static ProofBudget Budget(double seconds = 90, int samples = 0) => ProofBudget.Default
        .WithWallClock(TimeSpan.FromSeconds(seconds))
        .WithSamples(samples)
        .WithTacticTimeout(TimeSpan.FromSeconds(10))
        .WithCheckTimeout(TimeSpan.FromSeconds(90));
}
