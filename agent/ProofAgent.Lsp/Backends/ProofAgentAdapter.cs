using System.Text.Json;
using Microsoft.Extensions.Logging;
using ProofAgent.Agent;
using ProofAgent.Agent.Coq;
using ProofAgent.Hosting;
using ProofAgent.Lsp.Outline;
using ProofAgent.Lsp.Proving;
using ProofAgent.Provers;

namespace ProofAgent.Lsp.Backends;

/// <summary>
/// The language server's only contact with the proof loop (<c>ProofAgent.Agent</c>): it builds the runner over the
/// catalog's provers, gives it the part of the document to prove, and turns its events and outcome into the server's own
/// records. When the loop's API changes, this file is the one to change.
/// </summary>
internal sealed class ProofAgentAdapter(ProverHost host)
{
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

    /// <summary>The provers as the agent (and the tactic service) reaches them: the checkers, and Coq sessions in the sandbox.</summary>
    public ProverAccess Access => host.AgentProvers;

    /// <summary>The imports a Coq search session starts with; a proof it finds may need them.</summary>
    public static string CoqImports => CoqProofFile.AutomationImports;

    public async Task<ProofAttempt> ProveAsync(ProofGoal goal, ProofAgent.Models.LanguageModel? model, IProgress<ProofProgress> progress, CancellationToken cancellationToken)
    {
        var runner = host.Agent(model);
        var outline = SourceOutline.Of(goal.Language, goal.Source);
        var source = goal.Language == ProofLanguage.Coq ? CoqProofEdits.SearchContext(goal.Source, outline, goal.Theorem) : goal.Source;
        var request = new ProofRequest(goal.Language, source)
            .WithFileName(goal.FileName)
            .WithBudget(ProofBudget.Default
                .WithWallClock(goal.Options.Budget)
                .WithTacticTimeout(goal.Options.TacticTimeout)
                .WithSamples(model is null ? 0 : ProofBudget.Default.Samples));
        var text = new ProgressText();
        var events = new EventProgress(e =>
        {
            using var json = JsonDocument.Parse(JsonSerializer.Serialize(e, EventJson));
            if (text.Describe(json.RootElement) is { } line)
            {
                progress.Report(new ProofProgress(line, text.ProverCalls));
            }
        });
        var outcome = await runner.ProveAsync(request, events, cancellationToken);
        if (goal.Language == ProofLanguage.Coq)
        {
            var found = outcome.Theorems.FirstOrDefault(t => t.Found && t.Script is not null && t.Name == goal.Theorem.Name);
            return found is not null
                ? new ProofAttempt.Found(CoqProofEdits.ForScript(goal.Source, goal.Theorem, found.Script!, CoqImports), $"found by {Describe(found.FoundBy)}")
                : new ProofAttempt.NotFound(outcome.IsProved ? new Verdict.Failed("the search returned no script for the theorem") : outcome.Verdict, outcome.Counterexample);
        }

        return outcome is { IsProved: true, Proof: { } proof }
            ? new ProofAttempt.Found(TextDiff.Replacements(goal.Source, proof), "found by the portfolio")
            : new ProofAttempt.NotFound(outcome.IsProved ? new Verdict.Failed("the search returned no file") : outcome.Verdict, outcome.Counterexample);
    }

    private static string Describe(ProofStage? stage) => stage switch
    {
        ProofStage.WholeProof => "the model (whole proof)",
        ProofStage.Sketch => "a sketch of the model's proof",
        ProofStage.Refinement => "tactic search",
        ProofStage.Portfolio => "the automation portfolio",
        _ => "the agent",
    };

    private sealed class EventProgress(Action<ProofEvent> report) : IProgress<ProofEvent>
    {
        public void Report(ProofEvent value) => report(value);
    }
}
