using System.Text.RegularExpressions;

namespace ProofAgent.Provers.FStar;

/// <summary>
/// Checks an F* module in batch mode through the soundness gate: a static scan (admit, assume, magic, expect_failure,
/// lax and admit flags in pragmas), then <c>fstar.exe --report_assumes error</c> in a private folder. With an expected
/// statement (an interface: <c>module M</c> and <c>val</c> declarations), the statement is written as <c>M.fsti</c>, so
/// F* itself checks that the module implements every <c>val</c> at its declared type.
/// </summary>
public sealed partial class FStarChecker(FStarOptions options, IProcessRunner runner, ILogger<FStarChecker>? logger = null) : GatedChecker<FStarScan>(ProofLanguage.FStar, "fstar")
{
    internal const string InstallHint =
        "install F* from https://github.com/FStarLang/FStar/releases (with its z3), put fstar.exe on PATH or set PROOFAGENT_FSTAR";

    private readonly ILogger _logger = logger ?? NullLogger<FStarChecker>.Instance;

    public FStarOptions Options => options;

    protected override string Executable => options.FStar;

    protected override (Verdict? Verdict, IReadOnlyList<Diagnostic> Diagnostics, FStarScan Scan) Scan(string source) => Gate(source);

    /// <summary>After the gate and the probe: <c>fstar.exe</c> on the module (and its interface) in a private folder.</summary>
    protected override async Task<CheckResult> RunAsync(CheckRun<FStarScan> run, CancellationToken cancellationToken)
    {
        var (task, scan) = (run.Task, run.Reading);
        if (scan.ModuleName is null)
        {
            return run.Result(new Verdict.Failed("the text has no 'module Name' header"), []);
        }

        string? interfaceText = null;
        if (task.ExpectedStatement is { } statement)
        {
            var expected = FStarSourceScan.Scan(statement);
            if (expected.Violations.Any() || expected.Holes.Any())
            {
                return run.Result(new Verdict.Error("the statement uses an escape hatch: " + string.Join("; ", expected.Findings.Select(f => f.Message))), []);
            }

            if (expected.ModuleName != scan.ModuleName)
            {
                return run.Result(new Verdict.Unsound([$"the proof is module '{scan.ModuleName}', the statement is module '{expected.ModuleName}'"]), []);
            }

            var missing = expected.Vals.Where(v => !scan.Definitions.Contains(v, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                return run.Result(new Verdict.Unsound([.. missing.Select(m => $"the proof does not define '{m}' of the statement")]), []);
            }

            interfaceText = statement;
        }

        using var job = JobFolder.Create("proofagent-fstar-", _logger);
        var file = scan.ModuleName + ".fst";
        await File.WriteAllTextAsync(Path.Combine(job.FullName, file), task.Source, new UTF8Encoding(false), cancellationToken);
        if (interfaceText is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(job.FullName, scan.ModuleName + ".fsti"), interfaceText, new UTF8Encoding(false), cancellationToken);
        }

        var spec = new ProcessSpec(run.ExecutablePath, [.. FStarOptions.GateArguments, "--cache_off", .. options.ExtraArguments, file]) { WorkingDirectory = job.FullName };
        var outcome = await runner.RunAsync(spec, ProcessLimits.FromBudget(task.Budget) with { MemoryBytes = task.Budget.MemoryBytes ?? options.MemoryBytes }, cancellationToken);
        var text = outcome.StandardOutput + "\n" + outcome.StandardError;
        var messages = FStarBatchOutput.Parse(text);
        var diagnostics = messages.Where(m => m.File is null || Path.GetFileName(m.File) == file).Select(m => m.Diagnostic).ToList();
        if (outcome.TimedOut)
        {
            return run.Result(new Verdict.Timeout(task.Budget.WallClock), diagnostics, processRuns: 1);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return run.Result(Judge(outcome.ExitCode, text, messages, outcome.OutOfMemory), diagnostics, processRuns: 1);
    }

    /// <summary>The static gate alone: an unsound or incomplete verdict, or null when the text passes.</summary>
    public static (Verdict? Verdict, IReadOnlyList<Diagnostic> Diagnostics, FStarScan Scan) Gate(string source)
    {
        var scan = FStarSourceScan.Scan(source);
        var (verdict, diagnostics) = StaticGate.Judge(scan.Findings);
        return (verdict, diagnostics, scan);
    }

    /// <summary>The verdict of a batch run: proved only on exit 0, no error message, and F*'s own success line.</summary>
    public static Verdict Judge(int? exitCode, string output, IReadOnlyList<FStarBatchOutput.Message> messages, bool outOfMemory = false)
    {
        var error = messages.FirstOrDefault(m => m.IsError);
        if (error is not null)
        {
            // --report_assumes error turns every assume into an error that names it.
            var assumption = error.Diagnostic.Message.Contains("assume", StringComparison.OrdinalIgnoreCase);
            var text = FirstLine(error.Diagnostic.Message);
            return assumption
                ? new Verdict.Unsound([$"line {error.Diagnostic.Line}: {text}"])
                : new Verdict.Failed(error.Diagnostic.Line > 0 ? $"line {error.Diagnostic.Line}: {text}" : text);
        }

        if (outOfMemory)
        {
            return new Verdict.Error("fstar.exe ran out of memory", exitCode, OutOfMemory: true);
        }

        if (exitCode != 0)
        {
            return new Verdict.Failed($"fstar.exe exited with code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {FirstLine(output.Trim())}");
        }

        return FStarBatchOutput.ReportsSuccess(output)
            ? Verdict.Proved.Instance
            : new Verdict.Error("fstar.exe exited 0 without reporting verified modules");
    }

    protected override Task<ProverAvailability> ProbeCoreAsync() =>
        new VersionProbe("fstar", options.FStar, ["--version"], InstallHint) { Limits = new ProcessLimits(TimeSpan.FromSeconds(30)) { MemoryBytes = options.MemoryBytes } }
            .RunAsync(runner, output => VersionLine().Match(output) is { Success: true } match ? match.Groups["version"].Value : null);

    internal static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    [GeneratedRegex(@"F\* (?<version>[^\s]+)")]
    private static partial Regex VersionLine();
}
