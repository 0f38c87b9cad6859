using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ProofAgent.Benchmarks.Eval;

/// <summary>Rates of one category.</summary>
public sealed record CategoryRate(string Category, int Total, int Proved, double PassRate, int? BaselineProved = null);

/// <summary>The content of <c>summary.json</c>.</summary>
public sealed record EvalSummary(
    string Benchmark,
    string Language,
    string Split,
    int Total,
    int Proved,
    double PassRate,
    IReadOnlyList<CategoryRate> Categories,
    IReadOnlyDictionary<string, double>? PassAtK,
    int? BaselineProved,
    double? BaselinePassRate,
    string? BaselineName,
    int Errors,
    long TotalElapsedMs,
    IReadOnlyDictionary<string, string> Run)
{
    /// <summary>
    /// Proofs whose whole attempt, final check included, ended within the per-problem budget: the figure a budget claim
    /// ("N% in 20 s") may use. The agent's final check gets its own limit (a found proof is always checked), so under load
    /// a proof can end past the budget; it is still proved, but not within it. Null when no budget was given.
    /// </summary>
    public int? ProvedWithinBudget { get; init; }

    /// <summary>The budget <see cref="ProvedWithinBudget"/> counts against, in seconds.</summary>
    public double? BudgetSeconds { get; init; }

    /// <summary>The final line of the CLI: <c>proved N/M (P%)</c>, and how many of them within the budget.</summary>
    public string Line => string.Create(
        CultureInfo.InvariantCulture,
        $"proved {Proved}/{Total} ({PassRate * 100:0.0}%)") + (ProvedWithinBudget is { } within && BudgetSeconds is { } seconds && Total > 0
            ? string.Create(CultureInfo.InvariantCulture, $", {within}/{Total} ({within * 100.0 / Total:0.0}%) within the {seconds:0.#} s budget")
            : string.Empty);

    /// <summary>Whether <paramref name="result"/> ended past the budget (null budget: never).</summary>
    public bool OverBudget(ProblemResult result) => BudgetSeconds is { } seconds && result.ElapsedMs > seconds * 1000;
}

/// <summary>Computes the summary and writes <c>summary.json</c>, <c>summary.md</c> and <c>report.html</c>.</summary>
public static class EvalReport
{
    public static EvalSummary Summarize(
        IReadOnlyList<ProblemResult> results, string language, string split, string? baselineName, IReadOnlyDictionary<string, string> run, double? budgetSeconds = null)
    {
        var total = results.Count;
        var proved = results.Count(r => r.Proved);
        var categories = results.GroupBy(r => r.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CategoryRate(
                g.Key,
                g.Count(),
                g.Count(r => r.Proved),
                g.Count(r => r.Proved) / (double)g.Count(),
                results.Any(r => r.Baseline is not null) ? g.Count(r => r.Baseline?.Proved == true) : null))
            .ToList();
        Dictionary<string, double>? passAtK = null;
        var sampled = results.Where(r => r.Attempts > 0).ToList();
        if (sampled.Count == total && total > 0)
        {
            var n = sampled.Min(r => r.Attempts);
            passAtK = [];
            foreach (var k in Enumerable.Range(1, n))
            {
                passAtK["pass@" + k.ToString(CultureInfo.InvariantCulture)] = PassAtK.Mean(sampled.Select(r => (r.Attempts, Math.Min(r.SamplesCorrect, r.Attempts))), k);
            }
        }

        int? baselineProved = results.Any(r => r.Baseline is not null) ? results.Count(r => r.Baseline?.Proved == true) : null;
        return new EvalSummary(
            "miniF2F",
            language,
            split,
            total,
            proved,
            total == 0 ? 0 : proved / (double)total,
            categories,
            passAtK,
            baselineProved,
            baselineProved is { } b && total > 0 ? b / (double)total : null,
            baselineProved is null ? null : baselineName,
            results.Count(r => r.Verdict is ProofAgent.Provers.Verdict.Error),
            results.Sum(r => r.ElapsedMs + (r.Baseline?.ElapsedMs ?? 0)),
            run)
        {
            BudgetSeconds = budgetSeconds,
            ProvedWithinBudget = budgetSeconds is { } seconds ? results.Count(r => r.Proved && r.ElapsedMs <= seconds * 1000) : null,
        };
    }

    /// <summary>Writes the three report files into <paramref name="directory"/>.</summary>
    public static void Write(string directory, EvalSummary summary, IReadOnlyList<ProblemResult> results)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions(EvalRunner.Json) { WriteIndented = true }) + "\n");
        File.WriteAllText(Path.Combine(directory, "summary.md"), Markdown(summary, results));
        File.WriteAllText(Path.Combine(directory, "report.html"), Html(summary));
    }

    public static string Markdown(EvalSummary summary, IReadOnlyList<ProblemResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        var builder = new StringBuilder();
        builder.Append(c, $"# {summary.Benchmark} ({summary.Language}, {summary.Split})\n\n");
        builder.Append(c, $"**{summary.Line}**");
        if (summary.BaselineProved is { } baseline)
        {
            var ratio = baseline == 0 ? "∞" : (summary.Proved / (double)baseline).ToString("0.00", c);
            builder.Append(c, $" — baseline `{summary.BaselineName}`: {baseline}/{summary.Total} ({summary.BaselinePassRate * 100:0.0}%), ratio {ratio}×");
        }

        builder.Append("\n\n");
        foreach (var (key, value) in summary.Run.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append(c, $"- {key}: `{value}`\n");
        }

        if (summary.PassAtK is { } passAtK)
        {
            builder.Append('\n');
            foreach (var (key, value) in passAtK)
            {
                builder.Append(c, $"- {key}: {value * 100:0.0}%\n");
            }
        }

        builder.Append("\n| category | total | proved | rate |").Append(summary.BaselineProved is null ? "\n|---|---:|---:|---:|\n" : " baseline |\n|---|---:|---:|---:|---:|\n");
        foreach (var category in summary.Categories)
        {
            builder.Append(c, $"| {category.Category} | {category.Total} | {category.Proved} | {category.PassRate * 100:0.0}% |");
            builder.Append(category.BaselineProved is { } b ? string.Create(c, $" {b} |\n") : "\n");
        }

        builder.Append("\n## Proved\n\n");
        foreach (var result in results.Where(r => r.Proved).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var baselineMark = result.Baseline is null ? string.Empty : result.Baseline.Proved ? " (baseline too)" : " (not by the baseline)";
            var overBudget = summary.OverBudget(result) ? " — **past the budget**" : string.Empty;
            builder.Append(c, $"- `{result.Name}` in {result.ElapsedMs / 1000.0:0.0} s, {result.ProverCalls} prover calls{baselineMark}{overBudget}\n");
        }

        var onlyBaseline = results.Where(r => !r.Proved && r.Baseline?.Proved == true).ToList();
        if (onlyBaseline.Count > 0)
        {
            builder.Append("\n## Proved by the baseline only\n\n");
            foreach (var result in onlyBaseline)
            {
                builder.Append(c, $"- `{result.Name}`\n");
            }
        }

        return builder.ToString();
    }

    private const string Css = "body{font-family:sans-serif;margin:2em}";

    public static string Html(EvalSummary summary)
    {
        var c = CultureInfo.InvariantCulture;
        const int barHeight = 18;
        const int labelWidth = 170;
        const int chartWidth = 420;
        var rows = summary.Categories;
        var height = (rows.Count * (barHeight + 8)) + 30;
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + chartWidth + 120}\" height=\"{height}\" role=\"img\" aria-label=\"pass rate per category\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = 10 + (i * (barHeight + 8));
            var width = row.PassRate * chartWidth;
            svg.Append(c, $"<text x=\"0\" y=\"{y + 13}\" font-size=\"12\">{WebUtility.HtmlEncode(row.Category)}</text>");
            svg.Append(c, $"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{chartWidth}\" height=\"{barHeight}\" fill=\"#eee\"/>");
            svg.Append(c, $"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{width:0.#}\" height=\"{barHeight}\" fill=\"#3a7\"/>");
            if (row.BaselineProved is { } b)
            {
                var bw = row.Total == 0 ? 0 : b / (double)row.Total * chartWidth;
                svg.Append(c, $"<rect x=\"{labelWidth}\" y=\"{y + barHeight - 5}\" width=\"{bw:0.#}\" height=\"5\" fill=\"#c53\"/>");
            }

            svg.Append(c, $"<text x=\"{labelWidth + chartWidth + 6}\" y=\"{y + 13}\" font-size=\"12\">{row.Proved}/{row.Total} ({row.PassRate * 100:0}%)</text>");
        }

        svg.Append("</svg>");
        var baseline = summary.BaselineProved is { } bp
            ? string.Create(c, $"<p>Baseline <code>{WebUtility.HtmlEncode(summary.BaselineName ?? "")}</code> (thin red bars): {bp}/{summary.Total}</p>")
            : string.Empty;
        var run = string.Concat(summary.Run.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"<li>{WebUtility.HtmlEncode(p.Key)}: <code>{WebUtility.HtmlEncode(p.Value)}</code></li>"));
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(summary.Benchmark)} {WebUtility.HtmlEncode(summary.Language)} {WebUtility.HtmlEncode(summary.Split)}</title>
            <style>{Css}</style></head>
            <body><h1>{WebUtility.HtmlEncode(summary.Benchmark)} ({WebUtility.HtmlEncode(summary.Language)}, {WebUtility.HtmlEncode(summary.Split)})</h1>
            <p><strong>{WebUtility.HtmlEncode(summary.Line)}</strong></p>{baseline}
            <h2>Pass rate per category</h2>{svg}
            <ul>{run}</ul></body></html>

            """;
    }
}
