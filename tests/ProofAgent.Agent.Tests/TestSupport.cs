using System.Runtime.CompilerServices;
using ProofAgent.Hosting;
using ProofAgent.Models;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Agent.Tests;

/// <summary>
/// A generation engine whose answers are fixed in the test: each call's samples take the next answers in order, cycling.
/// It records every prompt, so a test can assert what the model was shown.
/// </summary>
public sealed class ScriptedEngine(params string[] answers) : IGenerationEngine
{
    private int _next;

    public List<string> Prompts { get; } = [];

    public ModelIdentity Identity { get; } = new("scripted", "test", "memory");

    public int ContextLength => 1 << 20;

    public Task<IReadOnlyList<Completion>> SampleAsync(string prompt, int n, SamplingOptions options, CancellationToken cancellationToken)
    {
        lock (Prompts)
        {
            Prompts.Add(prompt);
            return Task.FromResult<IReadOnlyList<Completion>>(
                [.. Enumerable.Range(0, n).Select(i => new Completion(i, answers[_next++ % answers.Length], FinishReason.EndOfSequence, options.SeedFor(i), 10, 10, TimeSpan.Zero))]);
        }
    }

    public async IAsyncEnumerable<string> StreamAsync(string prompt, SamplingOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return (await SampleAsync(prompt, 1, options, cancellationToken))[0].Text;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The engine as a registry model with a prompt format (default: the general chat format).</summary>
    public LanguageModel Model(string format = PromptFormat.ChatId) =>
        new(new ModelSpec { Name = "scripted", Runtime = "test", PromptFormat = format, Sampling = PromptFormat.Get(format).DefaultSampling }, this);
}

public static class Agents
{
    public static ProverCatalog Catalog() => new(ProverSettings.FromEnvironment(), new ProcessRunner(new ResourceLimitIsolation()));

    /// <summary>The real checkers, and coqidetop sessions (as the CLI builds them, without the sandbox).</summary>
    public static ProverAccess Access()
    {
        var catalog = Catalog();
        var coq = new CoqInteractiveProver(catalog.Settings.Coq, new ResourceLimitIsolation());
        return new ProverAccess(catalog.Checker, language => language == ProofLanguage.Coq ? coq : null, SourceScanners.For);
    }

    public static ProofAgentRunner Runner(LanguageModel? model = null, IGoalOracle? oracle = null) => new(Access(), model, oracle);

    public static ProofBudget Budget(double seconds = 90, int samples = 0) => ProofBudget.Default
        .WithWallClock(TimeSpan.FromSeconds(seconds))
        .WithSamples(samples)
        .WithTacticTimeout(TimeSpan.FromSeconds(10))
        .WithCheckTimeout(TimeSpan.FromSeconds(90));
}

/// <summary>Collects the events of an attempt.</summary>
public sealed class Collect(List<ProofEvent> events) : IProgress<ProofEvent>
{
    public void Report(ProofEvent value) => events.Add(value);
}
