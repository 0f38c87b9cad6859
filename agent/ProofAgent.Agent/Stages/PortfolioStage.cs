using ProofAgent.Agent.Documents;

namespace ProofAgent.Agent.Stages;

/// <summary>
/// Automation for languages checked file by file (Lean 4, Isabelle): each tactic of <see cref="LanguagePortfolios"/>
/// fills the hole and the file is checked. Coq uses the interactive search instead.
/// </summary>
public sealed class PortfolioStage(CandidateChecker checker)
{
    public async Task<GenerationResult> RunAsync(ProofRequest request, ProofDocument document, AttemptContext context, CancellationToken cancellationToken)
    {
        var target = document.Targets[0];
        foreach (var tactic in LanguagePortfolios.Tactics(document.Language))
        {
            if (context.Exhausted || context.Unavailable is not null)
            {
                break;
            }

            var candidate = document.Fill([tactic]);
            var result = await checker.CheckAsync(document.Language, candidate, request.ExpectedStatement ?? request.Source, request.FileName,
                ProofStage.Portfolio, target.Name, tactic, context, cancellationToken);
            if (result.Verdict.IsProved)
            {
                return new GenerationResult(tactic, null, []);
            }
        }

        return GenerationResult.None;
    }
}
