using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using ProofAgent.Agent;
using ProofAgent.Agent.Coq;
using ProofAgent.Benchmarks.Eval;
using ProofAgent.Cli.Infrastructure;
using ProofAgent.Hosting;
using ProofAgent.Provers;
using ProofAgent.Provers.Processes;
using Spectre.Console;

namespace ProofAgent.Cli.Commands;

/// <summary>
/// <c>agent eval minif2f</c>: runs the agent over a miniF2F split in parallel, with resume and crash isolation, and writes
/// results.jsonl, summary.json, summary.md and report.html. With <c>--baseline</c> (the default for Coq), the fixed tactic
/// portfolio runs on every problem in the same run, through the same checker.
/// </summary>
internal static class EvalCommand
{
    /// <summary>The fixed portfolio the agent is compared with (one whole-proof check per problem).</summary>
    public const string BaselineScript = "intros; first [lia | nia | lra | nra | field | (simpl; lia) | (simpl; nia) | ring | (compute; lra)].";

    /// <summary>The imports of the fixed portfolio, as the issue states it.</summary>
    public const string BaselineImports = "From Coq Require Import Lia Lra Psatz Reals.";

    /// <summary>The same with the Zify instances the agent's automation loads (for a like-for-like comparison).</summary>
    public const string BaselineImportsWithZify = "From Coq Require Import Lia Lra Psatz Reals ZifyNat ZifyN ZifyPow.";

    public static Command Create()
    {
        var minif2f = new Command("minif2f", "Evaluate the agent on miniF2F (Rocq folder, Lean 4 or Isabelle JSONL).");
        var language = new Option<string>("--lang") { Description = "coq | lean4 | isabelle.", Required = true };
        var data = new Option<string>("--data") { Description = "The Rocq folder (with test/ and valid/) or the .jsonl file.", Required = true };
        var split = new Option<string>("--split") { Description = "test | valid | all.", DefaultValueFactory = _ => "test" };
        var limit = new Option<int?>("--limit") { Description = "Only the first N problems (ordinal order)." };
        var jobs = new Option<int>("--jobs") { Description = "Problems run in parallel.", DefaultValueFactory = _ => 1 };
        var samples = new Option<int>("--samples") { Description = "Whole proofs sampled per problem (needs --model); all n are drawn and checked, and the report gives pass@1..n.", DefaultValueFactory = _ => 0 };
        var budget = new Option<double>("--budget-seconds") { Description = "Budget per problem.", DefaultValueFactory = _ => 60 };
        var tacticTimeout = new Option<double>("--tactic-timeout") { Description = "Seconds one tactic may take in the search.", DefaultValueFactory = _ => 4 };
        var model = new Option<string?>("--model") { Description = "A model from the model registry (none: automation only)." };
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "eval-out" };
        var resume = new Option<bool>("--resume") { Description = "Keep the results already in --out and run only the missing problems." };
        var baseline = new Option<bool?>("--baseline") { Description = "Also run the fixed tactic portfolio on each problem (default: on for coq)." };
        var baselineTimeout = new Option<double>("--baseline-seconds") { Description = "Time limit of the baseline check.", DefaultValueFactory = _ => 20 };
        var strategy = new Option<string>("--strategy") { Description = "agent (default) | portfolio (only the fixed tactic portfolio, for a baseline run).", DefaultValueFactory = _ => "agent" };
        var only = new Option<string?>("--only") { Description = "Only these problems (comma-separated names)." };
        var onlyFile = new Option<string?>("--only-file") { Description = "Only the problems named in this file (one per line, # comments)." };
        var baselineZify = new Option<bool>("--baseline-zify") { Description = "Give the fixed portfolio the agent's Zify imports too (nat/N div and mod for lia)." };
        var informal = new Option<bool>("--informal-proofs") { Description = "Put the dataset's informal proofs in prompts (not comparable with published numbers)." };
        minif2f.Add(language);
        minif2f.Add(data);
        minif2f.Add(split);
        minif2f.Add(limit);
        minif2f.Add(only);
        minif2f.Add(onlyFile);
        minif2f.Add(jobs);
        minif2f.Add(samples);
        minif2f.Add(budget);
        minif2f.Add(tacticTimeout);
        minif2f.Add(model);
        minif2f.Add(AgentFactory.ModelsFile);
        minif2f.Add(AgentFactory.NoSmt);
        minif2f.Add(SandboxOption.UnsafeNoSandbox);
        minif2f.Add(SandboxOption.TrustRecursion);
        minif2f.Add(SandboxOption.TrustModules);
        minif2f.Add(outDir);
        minif2f.Add(resume);
        minif2f.Add(baseline);
        minif2f.Add(baselineTimeout);
        minif2f.Add(baselineZify);
        minif2f.Add(informal);
        minif2f.Add(strategy);

        minif2f.SetHandler(async (parse, output, cancellationToken) =>
        {
            var langText = parse.GetValue(language)!;
            if (!ProofLanguages.TryParse(langText, out var lang) || lang is not (ProofLanguage.Coq or ProofLanguage.Lean4 or ProofLanguage.Isabelle))
            {
                throw new UsageException($"--lang must be coq, lean4 or isabelle, got '{langText}'");
            }

            var splitName = parse.GetValue(split)!;
            if (!MiniF2F.Splits.Contains(splitName))
            {
                throw new UsageException($"--split must be test, valid or all, got '{splitName}'");
            }

            var jobCount = parse.GetValue(jobs);
            if (jobCount is < 1 or > 256)
            {
                throw new UsageException($"--jobs must be between 1 and 256, got {jobCount}");
            }

            var seconds = parse.GetValue(budget);
            if (!(seconds > 0 && seconds <= 86_400))
            {
                throw new UsageException($"--budget-seconds must be between 0 and 86400, got {seconds.ToString(CultureInfo.InvariantCulture)}");
            }

            var limitCount = parse.GetValue(limit);
            if (limitCount is < 1)
            {
                throw new UsageException($"--limit must be at least 1, got {limitCount}");
            }

            var sampleCount = parse.GetValue(samples);
            if (sampleCount is < 0 or > 1024)
            {
                throw new UsageException($"--samples must be between 0 and 1024, got {sampleCount}");
            }

            if (sampleCount > 0 && parse.GetValue(model) is null)
            {
                throw new UsageException("--samples needs --model: without a model no whole proof can be sampled");
            }

            IReadOnlyList<BenchmarkProblem> problems;
            try
            {
                problems = MiniF2F.Load(lang, parse.GetValue(data)!, splitName);
            }
            catch (InvalidDataException exception)
            {
                throw new UsageException(exception.Message);
            }

            if (parse.GetValue(only) is { } selection)
            {
                problems = SelectProblems(problems, "--only", selection.Split(','));
            }

            if (parse.GetValue(onlyFile) is { } selectionFile)
            {
                if (!File.Exists(selectionFile))
                {
                    throw new UsageException($"--only-file: the file '{selectionFile}' does not exist");
                }

                problems = SelectProblems(problems, "--only-file", File.ReadAllLines(selectionFile));
            }

            var strategyName = parse.GetValue(strategy)!;
            if (strategyName is not ("agent" or "portfolio") || (strategyName == "portfolio" && lang != ProofLanguage.Coq))
            {
                throw new UsageException($"--strategy must be agent, or portfolio (coq only), got '{strategyName}'");
            }

            var directory = parse.GetValue(outDir)!;
            var withBaseline = parse.GetValue(baseline) ?? lang == ProofLanguage.Coq;
            var perTactic = TimeSpan.FromSeconds(parse.GetValue(tacticTimeout));
            var baselineLimit = TimeSpan.FromSeconds(parse.GetValue(baselineTimeout));
            var useInformal = parse.GetValue(informal);
            var baselineImports = parse.GetValue(baselineZify) ? BaselineImportsWithZify : BaselineImports;
            await using var agent = await AgentFactory.CreateAsync(parse, output, parse.GetValue(model), cancellationToken);
            var runner = agent.Runner;
            var catalog = agent.Catalog;
            var options = new EvalOptions(directory) { Jobs = jobCount, Limit = limitCount, Resume = parse.GetValue(resume) };

            async Task<AttemptResult> Solve(BenchmarkProblem problem, CancellationToken ct)
            {
                // pass@k needs every sample checked: no early stop at the first accepted one.
                var request = new ProofRequest(problem.Language, problem.Source)
                {
                    InformalHint = useInformal ? problem.InformalProof : null,
                    CheckAllSamples = sampleCount > 0,
                }
                    .WithFileName(problem.Name + problem.Language.Extensions()[0])
                    .WithBudget(ProofBudget.Default.WithWallClock(TimeSpan.FromSeconds(seconds)).WithSamples(sampleCount).WithTacticTimeout(perTactic));
                var outcome = await runner.ProveAsync(request, null, ct);
                return new AttemptResult(
                    outcome.Verdict,
                    outcome.IsProved ? outcome.Proof : null,
                    outcome.SampleResults.Count,
                    outcome.SampleResults.Count(proved => proved),
                    outcome.ProverCalls,
                    (long)outcome.Elapsed.TotalMilliseconds,
                    outcome.IsProved ? string.Join("; ", outcome.Theorems.Select(t => $"{t.Name}: {t.FoundBy}")) : outcome.Verdict.Summary);
            }

            async Task<AttemptResult> Baseline(BenchmarkProblem problem, CancellationToken ct)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var gaps = CoqProofFile.FindGaps(problem.Source);
                var filled = CoqProofFile.Fill(problem.Source, gaps, [.. gaps.Select(_ => BaselineScript)], baselineImports);
                var task = new ProofTask(ProofLanguage.Coq, filled).WithFileName(problem.Name + ".v").WithExpectedStatement(problem.Source)
                    .WithBudget(ResourceBudget.Default.WithWallClock(baselineLimit));
                var result = await catalog.Checker(ProofLanguage.Coq).CheckAsync(task, ct);
                return new AttemptResult(result.Verdict, result.Verdict.IsProved ? filled : null, 0, 0, 1, clock.ElapsedMilliseconds, result.Verdict.IsProved ? null : result.Verdict.Summary);
            }

            var eval = new EvalRunner(options);
            IReadOnlyList<ProblemResult> results = [];
            var total = limitCount is { } l ? Math.Min(l, problems.Count) : problems.Count;
            var provedSoFar = 0;
            await output.Error.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async progressContext =>
                {
                    var bar = progressContext.AddTask($"miniF2F {lang.Id()} {splitName}", maxValue: total);
                    results = await eval.RunAsync(
                        problems,
                        strategyName == "portfolio" ? Baseline : Solve,
                        withBaseline && lang == ProofLanguage.Coq && strategyName == "agent" ? Baseline : null,
                        result =>
                        {
                            if (result.Proved)
                            {
                                Interlocked.Increment(ref provedSoFar);
                            }

                            bar.Increment(1);
                            bar.Description = $"miniF2F {lang.Id()} {splitName}: {Volatile.Read(ref provedSoFar)} proved";
                        },
                        cancellationToken);
                    bar.Value = bar.MaxValue;
                });

            var coq = await catalog.Checker(ProofLanguage.Coq).ProbeAsync(cancellationToken);
            var run = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["command"] = "agent " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1)),
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                ["machine"] = $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, {RuntimeInformation.ProcessArchitecture}",
                ["prover"] = coq is ProverAvailability.Available available ? available.Identity.ToString() : "unavailable",
                ["model"] = parse.GetValue(model) ?? "none (automation only)",
                ["strategy"] = strategyName,
                ["baselineImports"] = baselineImports,
                ["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown",
                ["budgetSecondsPerProblem"] = seconds.ToString(CultureInfo.InvariantCulture),
                ["jobs"] = jobCount.ToString(CultureInfo.InvariantCulture),
            };
            var summary = EvalReport.Summarize(results, lang.Id(), splitName, withBaseline && strategyName == "agent" ? BaselineScript : null, run);
            EvalReport.Write(directory, summary, results);
            if (output.Json)
            {
                output.WriteJson(summary);
            }
            else
            {
                output.Line($"results in {Path.GetFullPath(directory)} (results.jsonl, summary.json, summary.md, report.html)");
                if (summary.BaselineProved is { } b)
                {
                    output.Line($"baseline {b}/{summary.Total}");
                }

                output.Line(summary.Line);
            }

            return ExitCodes.Success;
        });

        var eval = new Command("eval", "Batch evaluation on benchmarks.") { minif2f };
        return eval;
    }

    /// <summary>Keeps the problems named by <c>--only</c> or <c>--only-file</c>, in the benchmark's order.</summary>
    private static IReadOnlyList<BenchmarkProblem> SelectProblems(IReadOnlyList<BenchmarkProblem> problems, string option, IEnumerable<string> names)
    {
        var wanted = names.Select(n => n.Trim()).Where(n => n.Length > 0 && !n.StartsWith('#')).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            throw new UsageException($"{option}: no problem names given");
        }

        var known = problems.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"{option}: no problem named {string.Join(", ", unknown.Take(5).Select(n => $"'{n}'"))} in this split");
        }

        return [.. problems.Where(p => wanted.Contains(p.Name))];
    }
}
