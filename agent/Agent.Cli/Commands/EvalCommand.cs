using ProofAgent.Benchmarks.Eval;
using Spectre.Console;

namespace ProofAgent.Cli.Commands;

/// <summary>
/// <c>agent eval minif2f</c>: runs the agent over a miniF2F split in parallel, with resume and crash isolation, and writes
/// results.jsonl, summary.json, summary.md and report.html. With <c>--baseline</c> (the default for Coq), the fixed tactic
/// portfolio runs on every problem in the same run, through the same checker. The run itself is
/// <see cref="MiniF2FEvaluation"/>; this command parses the options and prints.
/// </summary>
internal static class EvalCommand
{
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

            var jobCount = parse.Between(jobs, 1, 256);

            var seconds = parse.Seconds(budget, 86_400);

            var limitCount = parse.GetValue(limit);
            if (limitCount is < 1)
            {
                throw new UsageException($"--limit must be at least 1, got {limitCount}");
            }

            var sampleCount = parse.Between(samples, 0, 1024);

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

            var settings = new MiniF2FRunSettings(lang, splitName, new EvalOptions(parse.GetValue(outDir)!) { Jobs = jobCount, Limit = limitCount, Resume = parse.GetValue(resume) })
            {
                Strategy = strategyName == "portfolio" ? EvalStrategy.Portfolio : EvalStrategy.Agent,
                WithBaseline = parse.GetValue(baseline) ?? lang == ProofLanguage.Coq,
                BaselineImports = parse.GetValue(baselineZify) ? BaselinePortfolio.ImportsWithZify : BaselinePortfolio.Imports,
                BaselineLimit = TimeSpan.FromSeconds(parse.GetValue(baselineTimeout)),
                BudgetSeconds = seconds,
                TacticTimeout = TimeSpan.FromSeconds(parse.GetValue(tacticTimeout)),
                Samples = sampleCount,
                InformalProofs = parse.GetValue(informal),
                Model = parse.GetValue(model),
            };
            await using var agent = await AgentFactory.CreateAsync(parse, output, settings.Model, cancellationToken);
            var evaluation = new MiniF2FEvaluation(settings, agent.Runner);
            IReadOnlyList<ProblemResult> results = [];
            var total = limitCount is { } l ? Math.Min(l, problems.Count) : problems.Count;
            var provedSoFar = 0;
            await output.Error.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async progressContext =>
                {
                    var bar = progressContext.AddTask($"miniF2F {lang.Id()} {splitName}", maxValue: total);
                    results = await evaluation.RunAsync(
                        problems,
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

            var summary = await evaluation.ReportAsync(results, "agent " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1)), cancellationToken);
            if (output.Json)
            {
                output.WriteJson(summary);
            }
            else
            {
                output.Line($"results in {Path.GetFullPath(settings.Options.OutputDirectory)} (results.jsonl, summary.json, summary.md, report.html)");
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

    /// <summary>Keeps the problems named by <c>--only</c> or <c>--only-file</c>; a bad selection is a usage error.</summary>
    private static IReadOnlyList<BenchmarkProblem> SelectProblems(IReadOnlyList<BenchmarkProblem> problems, string option, IEnumerable<string> names)
    {
        try
        {
            return ProblemSelection.Select(problems, option, names);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(exception.Message);
        }
    }
}
