using System.Globalization;
using System.Runtime.InteropServices;
using ProofAgent.Agent;
using ProofAgent.Agent.Coq;
using ProofAgent.Provers;

namespace ProofAgent.Benchmarks.Eval;

/// <summary>What solves each problem: the agent, or only the fixed tactic portfolio (a baseline run).</summary>
public enum EvalStrategy
{
    Agent,
    Portfolio,
}

/// <summary>The settings of one miniF2F run, as <c>agent eval minif2f</c> takes them.</summary>
/// <param name="Language">The language of the problems.</param>
/// <param name="Split">test, valid or all.</param>
/// <param name="Options">Output folder, jobs, limit, resume.</param>
public sealed record MiniF2FRunSettings(ProofLanguage Language, string Split, EvalOptions Options)
{
    public EvalStrategy Strategy { get; init; } = EvalStrategy.Agent;

    /// <summary>Also run the fixed portfolio on each problem (Coq and the agent strategy only).</summary>
    public bool WithBaseline { get; init; }

    /// <summary>The imports the fixed portfolio gets (<see cref="BaselinePortfolio.Imports"/> or its Zify variant).</summary>
    public string BaselineImports { get; init; } = BaselinePortfolio.Imports;

    public TimeSpan BaselineLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The wall-clock budget per problem, in seconds as given (the metadata prints it as it is).</summary>
    public double BudgetSeconds { get; init; } = 60;

    public TimeSpan TacticTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Whole proofs sampled per problem (0: none); all are checked for pass@k.</summary>
    public int Samples { get; init; }

    public bool InformalProofs { get; init; }

    /// <summary>The model's name in the run metadata (null: automation only).</summary>
    public string? Model { get; init; }

    /// <summary>True when the fixed portfolio also runs beside the agent.</summary>
    public bool RunsBaseline => WithBaseline && Language == ProofLanguage.Coq && Strategy == EvalStrategy.Agent;
}

/// <summary>The fixed tactic portfolio the agent is compared with: one whole-proof check per problem, through the same checker.</summary>
public static class BaselinePortfolio
{
    /// <summary>The script put in every hole.</summary>
    public const string Script = "intros; first [lia | nia | lra | nra | field | (simpl; lia) | (simpl; nia) | ring | (compute; lra)].";

    /// <summary>The imports of the fixed portfolio, as the issue states it.</summary>
    public const string Imports = "From Coq Require Import Lia Lra Psatz Reals.";

    /// <summary>The same with the Zify instances the agent's automation loads (for a like-for-like comparison).</summary>
    public const string ImportsWithZify = "From Coq Require Import Lia Lra Psatz Reals ZifyNat ZifyN ZifyPow.";

    /// <summary>Fills every hole of the problem with <see cref="Script"/> and checks the file once.</summary>
    public static async Task<AttemptResult> RunAsync(BenchmarkProblem problem, ProverAccess provers, string imports, TimeSpan limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(provers);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scanner = provers.Scanner(ProofLanguage.Coq) ?? throw new NotSupportedException("no Coq scanner: the fixed portfolio needs Coq");
        var gaps = CoqProofFile.FindGaps(scanner, problem.Source);
        var filled = CoqProofFile.Fill(problem.Source, gaps, [.. gaps.Select(_ => Script)], imports);
        var task = new ProofTask(ProofLanguage.Coq, filled).WithFileName(problem.Name + ".v").WithExpectedStatement(problem.Source)
            .WithBudget(ResourceBudget.Default.WithWallClock(limit));
        var result = await provers.Checker(ProofLanguage.Coq).CheckAsync(task, cancellationToken);
        return new AttemptResult(result.Verdict, result.Verdict.IsProved ? filled : null, 0, 0, 1, clock.ElapsedMilliseconds, result.Verdict.IsProved ? null : result.Verdict.Summary);
    }
}

/// <summary>The <c>run</c> block of summary.json: what ran, where, with what, so that a figure can be reproduced.</summary>
public static class EvalRunMetadata
{
    public static Dictionary<string, string> Describe(MiniF2FRunSettings settings, string commandLine, ProverAvailability coq)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["command"] = commandLine,
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            ["machine"] = $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, {RuntimeInformation.ProcessArchitecture}",
            ["prover"] = coq is ProverAvailability.Available available ? available.Identity.ToString() : "unavailable",
            ["model"] = settings.Model ?? "none (automation only)",
            ["strategy"] = settings.Strategy == EvalStrategy.Portfolio ? "portfolio" : "agent",
            ["baselineImports"] = settings.BaselineImports,
            ["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown",
            ["budgetSecondsPerProblem"] = settings.BudgetSeconds.ToString(CultureInfo.InvariantCulture),
            ["jobs"] = settings.Options.Jobs.ToString(CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>
/// One miniF2F run: the agent (or the fixed portfolio) on every problem in parallel with resume and crash isolation,
/// the fixed portfolio beside it when asked, then the summary and the reports written to the output folder.
/// </summary>
public sealed class MiniF2FEvaluation(MiniF2FRunSettings settings, ProofAgentRunner runner)
{
    /// <summary>Runs every problem not done yet; <paramref name="onResult"/> sees each new result as it comes.</summary>
    public Task<IReadOnlyList<ProblemResult>> RunAsync(IReadOnlyList<BenchmarkProblem> problems, Action<ProblemResult>? onResult, CancellationToken cancellationToken) =>
        new EvalRunner(settings.Options).RunAsync(
            problems,
            settings.Strategy == EvalStrategy.Portfolio ? BaselineAsync : SolveAsync,
            settings.RunsBaseline ? BaselineAsync : null,
            onResult,
            cancellationToken);

    /// <summary>Summarizes the results with the run's metadata and writes results.jsonl's companions (summary.json, summary.md, report.html).</summary>
    public async Task<EvalSummary> ReportAsync(IReadOnlyList<ProblemResult> results, string commandLine, CancellationToken cancellationToken)
    {
        var run = EvalRunMetadata.Describe(settings, commandLine, await runner.Provers.Checker(ProofLanguage.Coq).ProbeAsync(cancellationToken));
        var summary = EvalReport.Summarize(results, settings.Language.Id(), settings.Split, settings.WithBaseline && settings.Strategy == EvalStrategy.Agent ? BaselinePortfolio.Script : null, run, settings.BudgetSeconds);
        EvalReport.Write(settings.Options.OutputDirectory, summary, results);
        return summary;
    }

    private Task<AttemptResult> BaselineAsync(BenchmarkProblem problem, CancellationToken cancellationToken) =>
        BaselinePortfolio.RunAsync(problem, runner.Provers, settings.BaselineImports, settings.BaselineLimit, cancellationToken);

    private async Task<AttemptResult> SolveAsync(BenchmarkProblem problem, CancellationToken cancellationToken)
    {
        // pass@k needs every sample checked: no early stop at the first accepted one.
        var request = new ProofRequest(problem.Language, problem.Source)
        {
            InformalHint = settings.InformalProofs ? problem.InformalProof : null,
            CheckAllSamples = settings.Samples > 0,
        }
            .WithFileName(problem.Name + problem.Language.Extensions()[0])
            .WithBudget(ProofBudget.Default.WithWallClock(TimeSpan.FromSeconds(settings.BudgetSeconds)).WithSamples(settings.Samples).WithTacticTimeout(settings.TacticTimeout));
        var outcome = await runner.ProveAsync(request, null, cancellationToken);
        return new AttemptResult(
            outcome.Verdict,
            outcome.IsProved ? outcome.Proof : null,
            outcome.SampleResults.Count,
            outcome.SampleResults.Count(proved => proved),
            outcome.ProverCalls,
            (long)outcome.Elapsed.TotalMilliseconds,
            outcome.IsProved ? string.Join("; ", outcome.Theorems.Select(t => $"{t.Name}: {t.FoundBy}")) : outcome.Verdict.Summary);
    }
}

/// <summary>Keeps the problems named by a selection (<c>--only</c>, <c>--only-file</c>), in the benchmark's order.</summary>
public static class ProblemSelection
{
    /// <summary>The named problems; <see cref="ArgumentException"/> naming <paramref name="option"/> when none is given or one is unknown.</summary>
    public static IReadOnlyList<BenchmarkProblem> Select(IReadOnlyList<BenchmarkProblem> problems, string option, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(names);
        var wanted = names.Select(n => n.Trim()).Where(n => n.Length > 0 && !n.StartsWith('#')).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            throw new ArgumentException($"{option}: no problem names given");
        }

        var known = problems.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"{option}: no problem named {string.Join(", ", unknown.Take(5).Select(n => $"'{n}'"))} in this split");
        }

        return [.. problems.Where(p => wanted.Contains(p.Name))];
    }
}
