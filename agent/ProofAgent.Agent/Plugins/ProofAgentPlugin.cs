using System.ComponentModel;
using System.Text;
using Microsoft.SemanticKernel;
using ProofAgent.Agent.Coq;
using ProofAgent.Provers;

namespace ProofAgent.Agent.Plugins;

/// <summary>
/// Semantic Kernel functions over the loop's stages and tools, so that a model with tool calling can drive them ("agent
/// mode"). They call the same <see cref="ProofStages"/> and <see cref="ProofAgentRunner"/> as the deterministic loop, and every
/// answer that says "proved" comes from the checker with the original statement.
/// Register with <c>kernel.Plugins.AddFromObject(new ProofAgentPlugin(runner), "prover")</c>.
/// </summary>
public sealed class ProofAgentPlugin(ProofAgentRunner runner)
{
    [KernelFunction("check_proof")]
    [Description("Checks a complete proof file with the real prover and the soundness gate, against the statement file. Returns the verdict and the first errors.")]
    public async Task<string> CheckProofAsync(
        [Description("coq, lean4 or isabelle")] string language,
        [Description("the complete candidate file")] string candidate,
        [Description("the original file stating the theorem (with its hole)")] string statement,
        CancellationToken cancellationToken = default)
    {
        var lang = Parse(language);
        var context = new AttemptContext(ProofBudget.Default, null);
        var result = await runner.Stages.CheckAsync(lang, candidate, statement, "Candidate" + lang.Extensions()[0], ProofStage.WholeProof, "(tool)", "check_proof", context, cancellationToken);
        var builder = new StringBuilder(result.Verdict.Summary);
        foreach (var diagnostic in result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3))
        {
            builder.Append('\n').Append(diagnostic);
        }

        return builder.ToString();
    }

    [KernelFunction("goals_after")]
    [Description("Runs Coq tactics on the first Admitted theorem of a file and returns the goals that remain (or the error).")]
    public async Task<string> GoalsAfterAsync(
        [Description("the Coq file with an Admitted theorem")] string source,
        [Description("tactic sentences, each ending with a period")] string tactics,
        CancellationToken cancellationToken = default)
    {
        var gap = CoqProofFile.FindGaps(source).FirstOrDefault() ?? throw new ArgumentException("the file has no Admitted theorem", nameof(source));
        var context = new AttemptContext(ProofBudget.Default, null);
        await using var session = await runner.Stages.OpenCoqSessionAsync(CoqProofFile.Header(source, gap), context, cancellationToken)
            ?? throw new InvalidOperationException("no interactive Coq session is available");
        var step = await session.StartProofAsync(gap.Statement, cancellationToken);
        foreach (var sentence in Provers.Coq.CoqSyntax.SplitSentences(tactics).Select(s => s.Text.Trim()))
        {
            if (step is not StepResult.Goals goals)
            {
                break;
            }

            step = await session.RunTacticAsync(goals.State, sentence, cancellationToken);
        }

        return step switch
        {
            StepResult.Goals goals => string.Join("\n\n", goals.Open.Select(g => g.ToString())),
            StepResult.ProofFinished => "no goals (a search signal only: call check_proof on the assembled file)",
            StepResult.StepError error => "error: " + error.Message,
            _ => step.ToString(),
        };
    }

    [KernelFunction("prove_with_automation")]
    [Description("Runs the automation (tactic portfolio, premise selection, search, goal oracle) on a file with holes and returns the checked proof, or why not.")]
    public async Task<string> ProveWithAutomationAsync(
        [Description("coq, lean4 or isabelle")] string language,
        [Description("the file whose theorem(s) end in Admitted / sorry / oops")] string source,
        [Description("seconds to spend")] int budgetSeconds = 60,
        CancellationToken cancellationToken = default)
    {
        var request = new ProofRequest(Parse(language), source)
            .WithBudget(ProofBudget.Default.WithWallClock(TimeSpan.FromSeconds(Math.Clamp(budgetSeconds, 1, 3600))).WithSamples(0));
        var outcome = await runner.ProveAsync(request, null, cancellationToken);
        return outcome.IsProved ? "proved (checked):\n" + outcome.Proof : outcome.Verdict.Summary + (outcome.Counterexample is { } c ? "\ncounterexample: " + c : string.Empty);
    }

    private static ProofLanguage Parse(string language) =>
        ProofLanguages.TryParse(language, out var parsed) ? parsed : throw new ArgumentException($"unknown language '{language}'", nameof(language));
}
