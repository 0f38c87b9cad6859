using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ProofAgent.Agent;
using ProofAgent.Api.Checking;
using ProofAgent.Api.Tactics;
using ProofAgent.Models;
using ProofAgent.Provers;

namespace ProofAgent.Api.Jobs;

/// <summary>
/// <see cref="IProofJobRunner"/> over the agent loop (<see cref="ProofAgentRunner"/>): the pipeline's stages (whole proofs,
/// repairs and tactic hints when a model is named, the search with the SMT goal oracle when one is registered), or, with
/// <c>"mode": "agent"</c>, the model driving the provers as tools; always the final re-check against the original
/// statement in a fresh process. The events (tool calls included) go to the job's SSE stream.
/// </summary>
public sealed class AgentProofJobRunner(ProverAccess provers, ModelHub models, ILoggerFactory loggers, IGoalOracle? oracle = null) : IProofJobRunner
{
    public async Task<ProofJobResult> RunAsync(ProofJobRequest request, Func<ProofJobEvent, Task> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onEvent);
        var language = request.ParsedLanguage;
        LanguageModel? model = null;
        if (request.Model is { } name)
        {
            model = await models.GetAsync(name, cancellationToken);
        }

        var runner = new ProofAgentRunner(provers, model, oracle, loggers);
        var statement = CheckInput.Join(request.Header, request.Statement);
        var proofRequest = new ProofRequest(language, WithHole(language, statement))
        {
            InformalHint = request.InformalStatement,
        }
            .WithExpectedStatement(statement)
            .WithBudget(ProofBudget.Default
                .WithWallClock(TimeSpan.FromSeconds(request.BudgetSeconds))
                .WithSamples(model is null ? 0 : request.Samples)
                .WithMaxProverCalls(request.MaxProverCalls))
            .WithMode(request.Mode);

        // The loop reports synchronously; events are persisted in order by one consumer.
        var channel = Channel.CreateUnbounded<ProofEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        var consumer = Task.Run(
            async () =>
            {
                await foreach (var e in channel.Reader.ReadAllAsync(CancellationToken.None))
                {
                    var json = JsonSerializer.Serialize(e, ApiJson.Options);
                    await onEvent(new ProofJobEvent(TypeOf(json), json));
                }
            },
            CancellationToken.None);
        ProofOutcome outcome;
        try
        {
            outcome = await runner.ProveAsync(proofRequest, new ChannelProgress(channel.Writer), cancellationToken);
        }
        finally
        {
            channel.Writer.TryComplete();
            await consumer;
        }

        return new ProofJobResult(
            outcome.Verdict.Name,
            outcome.IsProved ? null : outcome.Verdict.Summary,
            outcome.IsProved ? outcome.Proof : null,
            [.. outcome.Theorems.Select(t => new ProofJobTheorem(t.Name, t.Found, t.FoundBy?.ToString(), t.Script, t.Counterexample))],
            outcome.ProverCalls,
            outcome.Samples,
            (long)outcome.Elapsed.TotalMilliseconds);
    }

    /// <summary>The file the loop completes: the statement followed by a hole, unless it already ends in one.</summary>
    internal static string WithHole(ProofLanguage language, string statement)
    {
        var trimmed = statement.TrimEnd();
        return language switch
        {
            ProofLanguage.Coq when !trimmed.EndsWith("Admitted.", StringComparison.Ordinal) => trimmed + "\nProof.\nAdmitted.\n",
            ProofLanguage.Lean4 when !trimmed.EndsWith("sorry", StringComparison.Ordinal) => trimmed + (trimmed.EndsWith(":=", StringComparison.Ordinal) ? " by\n  sorry\n" : " := by\n  sorry\n"),
            _ => statement,
        };
    }

    private static string TypeOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("type", out var type) && type.GetString() is { } name ? name : "event";
    }

    private sealed class ChannelProgress(ChannelWriter<ProofEvent> writer) : IProgress<ProofEvent>
    {
        public void Report(ProofEvent value) => writer.TryWrite(value);
    }
}
