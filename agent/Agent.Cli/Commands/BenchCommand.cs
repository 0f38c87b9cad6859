using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Cli.Commands;

/// <summary>
/// <c>agent bench check FILE</c>: the cost of the soundness gate against the cost of one <c>coqc</c>, measured in one run
/// (issue 20's benchmark): the median wall time of plain <c>coqc FILE</c>, of the whole gate cold (a new <c>agent check</c>
/// process per run: .NET start, probes, scan, compilation, statement check, audit, coqchk) and warm (the same checker
/// again in this process: caches of compiled statements and headers filled), and their ratios. It also times
/// <c>coqc</c> followed by <c>coqchk -norec</c> on the same file: no gate that re-checks with Coq's second kernel can end
/// before that, since <c>coqchk</c> reads the <c>.vo</c> that <c>coqc</c> writes, so it is the floor of the ratios.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A Coq proof file (.v)." };
        var runs = new Option<int>("--runs") { Description = "Runs of each measurement (the median is reported).", DefaultValueFactory = _ => 7 };
        var logLevel = LogOption.Create("Least severe log level written to stderr; Debug adds where each check's time goes (the gate's stages).");
        var check = new Command("check", "Median wall time of coqc FILE, of the whole gate cold (new process) and warm (same process), and their ratios.")
        {
            file, StatementOption.Statement, runs, logLevel, SandboxOption.UnsafeNoSandbox, SandboxOption.TrustRecursion, SandboxOption.TrustModules,
        };
        check.SetHandler(async (parse, output, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            var count = parse.Between(runs, 1, 100);

            var source = CommandRunner.ReadUserFile(path, "proof file");
            var (statementPath, expected) = StatementOption.Read(parse);
            using var loggers = LogOption.Loggers(parse, logLevel);
            await using var host = SandboxOption.CreateHost(parse, output, SandboxOption.WithTrust(parse, ProverSettings.FromEnvironment()), loggers);
            var checker = host.Checker(ProofLanguage.Coq);
            if (await checker.ProbeAsync(cancellationToken) is ProverAvailability.Missing missing)
            {
                throw new UsageException($"Coq is not available here: {missing.Reason}");
            }

            // Baseline: plain coqc on the file, in the same sandbox the gate's coqc runs in, in a folder of its own.
            var coqc = await MeasureAsync(count, async () =>
            {
                using var folder = JobFolder.Create("proofagent-bench-");
                File.Copy(path, folder.PathOf("Bench.v"));
                var outcome = await host.Runner.RunAsync(new ProcessSpec(host.Settings.Coq.Coqc, ["-q", "Bench.v"]) { WorkingDirectory = folder.FullName }, new ProcessLimits(TimeSpan.FromMinutes(5)), cancellationToken);
                return outcome.ExitCode == 0 ? null : $"coqc failed: {outcome.StandardError.Trim()}";
            });

            // The floor: coqc, then coqchk on what it wrote (coqchk cannot start before the .vo exists).
            var floor = await MeasureAsync(count, async () =>
            {
                using var folder = JobFolder.Create("proofagent-bench-");
                File.Copy(path, folder.PathOf("Bench.v"));
                var limits = new ProcessLimits(TimeSpan.FromMinutes(5));
                var compiled = await host.Runner.RunAsync(new ProcessSpec(host.Settings.Coq.Coqc, ["-q", "-R", ".", "Bench", "Bench.v"]) { WorkingDirectory = folder.FullName }, limits, cancellationToken);
                if (compiled.ExitCode != 0)
                {
                    return $"coqc failed: {compiled.StandardError.Trim()}";
                }

                var rechecked = await host.Runner.RunAsync(new ProcessSpec(host.Settings.Coq.Coqchk, ["-silent", "-o", "-R", ".", "Bench", "-norec", "Bench.Bench"]) { WorkingDirectory = folder.FullName }, limits, cancellationToken);
                return rechecked.ExitCode == 0 ? null : $"coqchk failed: {(rechecked.StandardError + rechecked.StandardOutput).Trim()}";
            });

            // Cold: a new agent process per run, as a user runs `agent check FILE`.
            var arguments = new List<string> { "check", path, "--json" };
            if (statementPath is not null)
            {
                arguments.AddRange(["--statement", statementPath]);
            }

            arguments.AddRange(parse.GetValue(SandboxOption.UnsafeNoSandbox) ? ["--unsafe-no-sandbox"] : []);
            arguments.AddRange(parse.GetValue(SandboxOption.TrustRecursion) ? ["--trust-recursion"] : []);
            var (self, prefix) = SelfCommand();
            var ownRunner = new ProcessRunner(new ResourceLimitIsolation());
            var cold = await MeasureAsync(count, async () =>
            {
                // The agent itself runs outside the sandbox (it creates its own for the provers it starts).
                var outcome = await ownRunner.RunAsync(new ProcessSpec(self, [.. prefix, .. arguments]), new ProcessLimits(TimeSpan.FromMinutes(5)), cancellationToken);
                return outcome.ExitCode == 0 ? null : $"agent check did not prove the file (exit {outcome.ExitCode}): {outcome.StandardOutput.Trim()}";
            });

            // Warm: the same checker again in this process.
            var task = new ProofTask(ProofLanguage.Coq, source).WithFileName(Path.GetFileName(path)).WithExpectedStatement(expected);
            _ = await checker.CheckAsync(task, cancellationToken);
            var warm = await MeasureAsync(count, async () =>
            {
                var result = await checker.CheckAsync(task, cancellationToken);
                return result.Verdict.IsProved ? null : $"the gate did not prove the file: {result.Verdict.Summary}";
            });

            var report = new BenchReport(path, count, coqc, floor, cold, warm, Ratio(floor, coqc), Ratio(cold, coqc), Ratio(warm, coqc));
            if (output.Json)
            {
                output.WriteJson(report);
            }

            output.Line($"{Path.GetFileName(path)}: median of {count} runs");
            output.Line($"  coqc FILE        {coqc:0.000} s");
            output.Line($"  coqc + coqchk    {floor:0.000} s   {report.FloorRatio:0.00}x coqc   (the floor of any gate that re-checks with coqchk)");
            output.Line($"  gate, cold       {cold:0.000} s   {report.ColdRatio:0.00}x coqc   (new `agent check` process)");
            output.Line($"  gate, warm       {warm:0.000} s   {report.WarmRatio:0.00}x coqc   (same checker, caches filled)");
            return ExitCodes.Success;
        });

        return new Command("bench", "Benchmarks that print ratios against a baseline measured in the same run.") { check };
    }

    private sealed record BenchReport(
        string File,
        int Runs,
        double CoqcSeconds,
        double CoqcThenCoqchkSeconds,
        double ColdSeconds,
        double WarmSeconds,
        double FloorRatio,
        double ColdRatio,
        double WarmRatio);

    private static double Ratio(double value, double baseline) => baseline > 0 ? Math.Round(value / baseline, 2) : double.NaN;

    /// <summary>The median of <paramref name="count"/> timed runs; a run that reports a problem ends the benchmark.</summary>
    private static async Task<double> MeasureAsync(int count, Func<Task<string?>> run)
    {
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            if (await run() is { } problem)
            {
                throw new UsageException(problem);
            }

            times.Add(clock.Elapsed.TotalSeconds);
        }

        times.Sort();
        return Math.Round(times.Count % 2 == 1 ? times[times.Count / 2] : (times[(times.Count / 2) - 1] + times[times.Count / 2]) / 2, 3);
    }

    /// <summary>How to start this very executable again: the apphost, or <c>dotnet agent.dll</c>.</summary>
    private static (string Executable, IReadOnlyList<string> Prefix) SelfCommand()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this process's executable");
        var assembly = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && assembly is { Length: > 0 }
            ? (process, [assembly])
            : (process, []);
    }
}
