using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using ProofAgent.Core.Provers;
using ProofAgent.Provers;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Agent.Tests;

/// <summary>Where the repository and <c>../shared</c> are, found from the test binary.</summary>
public static class TestPaths
{
    private static readonly Lazy<string?> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agent.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    });

    public static string? Shared =>
        Root.Value is { } root && Directory.Exists(Path.Combine(root, "..", "shared")) ? Path.GetFullPath(Path.Combine(root, "..", "shared")) : null;

    public static string SharedPath(params string[] parts) => Path.Combine([Shared ?? throw new InvalidOperationException("../shared is absent"), .. parts]);
}

/// <summary>Runs only when the named executables are on PATH (and, when asked, <c>../shared</c> exists); says what is missing otherwise.</summary>
public sealed class RequiresFactAttribute : FactAttribute
{
    public RequiresFactAttribute(bool shared, params string[] tools)
    {
        var missing = tools.Where(t => ExecutableLocator.Find(t) is null).ToList();
        if (shared && TestPaths.Shared is null)
        {
            missing.Add("../shared (the team's data folder beside the repository)");
        }

        if (missing.Count > 0)
        {
            Skip = $"not available here: {string.Join(", ", missing)}";
        }
    }
}

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
