using System.Globalization;
using System.Text;

namespace ProofAgent.Agent.Stages;

/// <summary>
/// Every whole-file check of the loop: through the language's <see cref="IProofChecker"/> (its soundness gate) against
/// the original statement, counted in the budget and traced. Nothing else in the agent can accept a proof.
/// </summary>
public sealed class CandidateChecker(ProverAccess provers)
{
    /// <summary>Checks <paramref name="candidate"/> against <paramref name="statement"/> with the time left (or <paramref name="task"/> as given).</summary>
    public async Task<CheckResult> CheckAsync(
        ProofLanguage language,
        string candidate,
        string statement,
        string fileName,
        ProofStage stage,
        string theorem,
        string label,
        AttemptContext context,
        CancellationToken cancellationToken,
        ProofTask? task = null)
    {
        var started = context.NowMs;
        context.CountProverCall();
        task ??= new ProofTask(language, candidate).WithFileName(fileName).WithExpectedStatement(statement).WithBudget(context.CheckBudget());
        var result = await provers.Checker(language).CheckAsync(task, cancellationToken);
        if (result.Verdict is Verdict.Unavailable unavailable)
        {
            context.Unavailable = unavailable;
        }

        context.Emit(new ProofEvent.CandidateChecked(
            context.NowMs, stage, theorem, label, result.Verdict.Name, result.Verdict.IsProved ? null : Truncate(result.Verdict.Summary), context.NowMs - started));
        return result;
    }

    /// <summary>True when the check proved the whole file, or the theorem <paramref name="theorem"/> in it (other holes may remain).</summary>
    public static bool Proves(CheckResult result, string theorem) =>
        result.Verdict.IsProved || result.Theorems.Any(t => t.Name == theorem && t.Verdict.IsProved);

    /// <summary>
    /// The prover's first errors on a candidate, as a model reads them: line, the text of that line, the message (and the
    /// goal before the failing step when a session found it). Used by the repair prompt and by the agent's check_proof tool.
    /// </summary>
    public static string DescribeErrors(CheckResult result, string candidate, string? goalAtError = null, int maxErrors = 3)
    {
        var lines = candidate.Split('\n');
        var builder = new StringBuilder();
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(maxErrors).ToList();
        foreach (var error in errors)
        {
            if (error.Line > 0 && error.Line <= lines.Length)
            {
                builder.Append(CultureInfo.InvariantCulture, $"line {error.Line}: `{lines[error.Line - 1].Trim()}`\n");
            }

            builder.Append("error: ").Append(error.Message.Trim()).Append('\n');
        }

        if (errors.Count == 0)
        {
            builder.Append(result.Verdict.Summary).Append('\n');
        }

        if (goalAtError is { Length: > 0 })
        {
            builder.Append("goal before the failing step:\n").Append(goalAtError.Trim()).Append('\n');
        }

        return builder.ToString().TrimEnd();
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
