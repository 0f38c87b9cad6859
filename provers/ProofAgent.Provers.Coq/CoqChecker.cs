using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Provers.Coq;

/// <summary>
/// Checks a Coq file with <c>coqc</c> and accepts it only through the soundness gate:
/// <list type="number">
/// <item>a static scan rejects axioms, disabled kernel checks, native plugins and host access, and finds holes;</item>
/// <item>the file is compiled alone in a private job folder, as library <c>Job.Candidate</c>;</item>
/// <item>a separate audit file, which the candidate cannot see or influence, requires the compiled library and runs
/// <c>Print Assumptions</c> on every theorem, <c>Locate</c> to resolve every printed axiom to its full name against the
/// allow-list, and, when a statement is given, checks by typing that the candidate's theorem has the statement's type.</item>
/// </list>
/// </summary>
public sealed partial class CoqChecker(CoqOptions options, IProcessRunner runner, ILogger<CoqChecker>? logger = null) : IProofChecker
{
    private const string InstallHint = "install Coq with `apt-get install coq` (add libcoq-coquelicot and libcoq-mathcomp-ssreflect for miniF2F)";
    private readonly ILogger _logger = logger ?? NullLogger<CoqChecker>.Instance;
    private readonly Lazy<Task<ProverAvailability>> _probe = new(() => ProbeCoreAsync(options, runner));

    public CoqChecker()
        : this(CoqOptions.Default, new ProcessRunner())
    {
    }

    public ProofLanguage Language => ProofLanguage.Coq;

    public CoqOptions Options => options;

    public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) => _probe.Value;

    public async Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var availability = await ProbeAsync(cancellationToken);
        if (availability is not ProverAvailability.Available available)
        {
            var missing = (ProverAvailability.Missing)availability;
            return CheckResult.FromVerdict(missing.ToVerdict(), ProverIdentity.Unknown("coq"), clock.Elapsed);
        }

        var identity = available.Identity;
        var source = options.MapStdlibToCoq ? CoqSyntax.MapStdlibToCoq(task.Source) : task.Source;
        var scan = CoqSourceScan.Scan(source);
        var violations = scan.Violations.ToList();
        if (violations.Count > 0)
        {
            return Result(
                new Verdict.Unsound([.. violations.Select(v => $"line {v.Line}: {v.Message}")]),
                [.. violations.Select(v => new Diagnostic(DiagnosticSeverity.Error, v.Line, v.Column, v.Message))]);
        }

        CoqScan? statementScan = null;
        string? statementSource = null;
        if (task.ExpectedStatement is { } statementText)
        {
            statementSource = options.MapStdlibToCoq ? CoqSyntax.MapStdlibToCoq(statementText) : statementText;
            statementScan = CoqSourceScan.Scan(statementSource);
            if (statementScan.Theorems.Count == 0)
            {
                return Result(new Verdict.Error("the statement file declares no Theorem/Lemma to prove"), []);
            }

            var absent = statementScan.Theorems.Where(s => !scan.Theorems.Any(t => t.QualifiedSuffix == s.QualifiedSuffix)).Select(s => s.QualifiedSuffix).ToList();
            if (absent.Count > 0)
            {
                return Result(new Verdict.Unsound([.. absent.Select(name => $"the proof does not declare theorem '{name}' of the statement")]), []);
            }
        }

        using var job = JobFolder.Create("proofagent-coq-", _logger);
        // The candidate is compiled in a folder that holds nothing else, under a logical root it cannot choose. The
        // statement (if any) compiles at the same time in its own folder, out of the candidate's reach.
        var candidateDir = job.CreateSubdirectory("candidate").FullName;
        await File.WriteAllTextAsync(Path.Combine(candidateDir, "Candidate.v"), source, cancellationToken);
        var compileTask = RunCoqcAsync(candidateDir, ["-R", candidateDir, "Job", "Candidate.v"], ProcessLimits.FromBudget(task.Budget), cancellationToken);
        string? statementDir = null;
        Task<ProcessOutcome>? statementTask = null;
        if (statementScan is not null && statementSource is not null)
        {
            statementDir = job.CreateSubdirectory("statement").FullName;
            await File.WriteAllTextAsync(Path.Combine(statementDir, "Statement.v"), CoqSourceScan.StatementOnly(statementSource, statementScan), cancellationToken);
            statementTask = RunCoqcAsync(statementDir, ["-R", statementDir, "Expected", "Statement.v"], ProcessLimits.FromBudget(task.Budget), cancellationToken);
        }

        var compile = await compileTask;
        var statementRun = statementTask is null ? null : await statementTask;
        var diagnostics = CoqDiagnostics.Parse(compile.StandardError + "\n" + compile.StandardOutput, source)
            .Where(d => d.Severity != DiagnosticSeverity.Information || d.Message.Length > 0)
            .ToList();
        if (compile.TimedOut)
        {
            return Result(new Verdict.Timeout(task.Budget.WallClock), diagnostics);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (compile.ExitCode != 0)
        {
            return Result(CompileFailure(compile, diagnostics), diagnostics);
        }

        if (scan.Theorems.Count == 0)
        {
            return Result(new Verdict.Failed("the file declares no Theorem/Lemma: nothing is proved"), diagnostics);
        }

        if (statementRun is { ExitCode: not 0 })
        {
            var detail = statementRun.TimedOut ? "timed out" : FirstError(statementRun);
            return Result(new Verdict.Error($"the statement file does not compile on its own: {detail}"), diagnostics);
        }

        var audit = await AuditAsync(job.Directory, candidateDir, statementDir, scan, statementScan, cancellationToken);
        return Result(audit.Verdict, [.. diagnostics, .. audit.Diagnostics], audit.Theorems);

        CheckResult Result(Verdict verdict, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<TheoremReport>? theorems = null) =>
            new(verdict, theorems ?? [], diagnostics, identity, new ResourceUsage(clock.Elapsed));
    }

    private Verdict CompileFailure(ProcessOutcome compile, IReadOnlyList<Diagnostic> diagnostics)
    {
        var text = compile.StandardError + compile.StandardOutput;
        if (text.Contains("Attempt to save a proof with given up goals", StringComparison.Ordinal))
        {
            return new Verdict.Incomplete(["a proof ends with given-up goals (admit)"]);
        }

        if (compile.OutOfMemory)
        {
            return new Verdict.Error("coqc ran out of memory", compile.ExitCode, OutOfMemory: true);
        }

        var first = diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (first is null)
        {
            var exit = compile.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none";
            return new Verdict.Error($"coqc exited with code {exit} without an error message");
        }

        return new Verdict.Failed(first.Line > 0 ? $"line {first.Line}: {FirstLine(first.Message)}" : FirstLine(first.Message));
    }

    private sealed record AuditOutcome(Verdict Verdict, IReadOnlyList<TheoremReport> Theorems, IReadOnlyList<Diagnostic> Diagnostics);

    private async Task<AuditOutcome> AuditAsync(
        DirectoryInfo job,
        string candidateDir,
        string? statementDir,
        CoqScan scan,
        CoqScan? statementScan,
        CancellationToken cancellationToken)
    {
        var audited = scan.Theorems.Where(t => t.Ending is not "Abort").DistinctBy(t => t.QualifiedSuffix).ToList();
        var missing = new List<string>();
        var printStatements = true;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var nonce = Guid.NewGuid().ToString("N")[..12];
            var auditDir = job.CreateSubdirectory("audit-" + nonce).FullName;
            var lines = new List<string>();
            if (statementDir is not null)
            {
                lines.Add("Require Expected.Statement.");
            }

            lines.Add("Require Job.Candidate.");
            var printLine = new Dictionary<int, CoqTheorem>();
            for (var i = 0; i < audited.Count; i++)
            {
                printLine[lines.Count + 1] = audited[i];
                lines.Add($"Redirect \"pa_{nonce}_{i}\" Print Assumptions Job.Candidate.{audited[i].QualifiedSuffix}.");
            }

            var baseNames = options.AllowedAxioms.Select(a => a[(a.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            for (var i = 0; i < baseNames.Count; i++)
            {
                lines.Add($"Redirect \"loc_{nonce}_{i}\" Locate {baseNames[i]}.");
            }

            var statementLine = new Dictionary<int, CoqTheorem>();
            foreach (var (expected, k) in (statementScan?.Theorems ?? []).Select((t, k) => (t, k)))
            {
                statementLine[lines.Count + 1] = expected;
                lines.Add($"Definition proofagent_statement_check_{k} : ltac:(let t := type of Expected.Statement.{expected.QualifiedSuffix} in exact t) := Job.Candidate.{expected.QualifiedSuffix}.");
            }

            // Last, after every check above: the kernel's statement of each theorem, printed outside the file (without its
            // own notations, after its sections), with the notations of the libraries it imports. The imports come after
            // the statement checks on purpose: their coercions must not help a mismatched theorem through.
            var printingFrom = lines.Count + 1;
            if (printStatements)
            {
                lines.AddRange(CoqSourceScan.PrintingPrelude(scan));
                for (var i = 0; i < audited.Count; i++)
                {
                    lines.Add($"Redirect \"ty_{nonce}_{i}\" Check Job.Candidate.{audited[i].QualifiedSuffix}.");
                }
            }

            await File.WriteAllTextAsync(Path.Combine(auditDir, "Audit.v"), string.Join('\n', lines) + "\n", cancellationToken);
            var arguments = new List<string> { "-R", candidateDir, "Job" };
            if (statementDir is not null)
            {
                arguments.AddRange(["-R", statementDir, "Expected"]);
            }

            arguments.Add("Audit.v");
            var run = await RunCoqcAsync(auditDir, arguments, new ProcessLimits(options.AuditTimeout), cancellationToken, candidateDir, statementDir);
            if (run.TimedOut)
            {
                return new AuditOutcome(new Verdict.Timeout(options.AuditTimeout), [], [Diagnostic.Error("the axiom audit timed out")]);
            }

            var errors = CoqDiagnostics.Parse(run.StandardError, string.Join('\n', lines)).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (run.ExitCode != 0)
            {
                var error = errors.FirstOrDefault();
                if (printStatements && error is not null && error.Line >= printingFrom)
                {
                    // Printing is a courtesy: an import that fails here must not fail the check. Audit again without it.
                    _logger.LogWarning("Printing the statements failed, audited without them: {Error}", error.Message);
                    printStatements = false;
                    continue;
                }

                if (error is not null && printLine.TryGetValue(error.Line, out var undefined))
                {
                    // Declared in the text but not in the compiled library (aborted, or inside a construct the scan cannot see).
                    missing.Add(undefined.QualifiedSuffix);
                    audited.Remove(undefined);
                    continue;
                }

                if (error is not null && statementLine.TryGetValue(error.Line, out var mismatch))
                {
                    var reports = ReadReports(auditDir, nonce, audited, baseNames.Count, scan, statements: false);
                    return new AuditOutcome(
                        new Verdict.Unsound([$"theorem '{mismatch.QualifiedSuffix}' does not have the statement's type: {FirstLine(error.Message)}"]),
                        reports,
                        [Diagnostic.Error($"statement mismatch for '{mismatch.QualifiedSuffix}': {error.Message}", mismatch.Line)]);
                }

                _logger.LogWarning("Coq audit failed: {Error}", run.StandardError);
                return new AuditOutcome(new Verdict.Error($"the axiom audit failed: {(error is null ? FirstError(run) : FirstLine(error.Message))}"), [], []);
            }

            if (audited.Count == 0)
            {
                return new AuditOutcome(new Verdict.Failed($"none of the declared theorems is defined after compilation ({string.Join(", ", missing)})"), [], []);
            }

            var theorems = ReadReports(auditDir, nonce, audited, baseNames.Count, scan, printStatements);
            var relevant = statementScan is null
                ? theorems
                : theorems.Where(r => statementScan.Theorems.Any(s => s.QualifiedSuffix == r.Name)).ToList();
            var notDefined = statementScan is null ? [] : missing.Where(m => statementScan.Theorems.Any(s => s.QualifiedSuffix == m)).ToList();
            if (notDefined.Count > 0)
            {
                return new AuditOutcome(new Verdict.Unsound([.. notDefined.Select(m => $"theorem '{m}' of the statement is not defined by the proof")]), theorems, []);
            }

            return new AuditOutcome(Combine(relevant, statementScan is null ? scan.Holes.ToList() : []), theorems, []);
        }

        return new AuditOutcome(new Verdict.Error("the axiom audit could not locate the declared theorems"), [], []);
    }

    private List<TheoremReport> ReadReports(string auditDir, string nonce, IReadOnlyList<CoqTheorem> audited, int locateCount, CoqScan scan, bool statements)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < locateCount; i++)
        {
            foreach (var (shortName, full) in CoqAuditReader.ParseLocate(ReadRedirect(auditDir, $"loc_{nonce}_{i}")))
            {
                names[shortName] = full;
            }
        }

        var allowed = options.AllowedAxioms.ToHashSet(StringComparer.Ordinal);
        var admitted = scan.Theorems.Where(t => t.Ending == "Admitted").Select(t => t.QualifiedSuffix).ToHashSet(StringComparer.Ordinal);
        var reports = new List<TheoremReport>();
        for (var i = 0; i < audited.Count; i++)
        {
            var assumptions = CoqAuditReader.ParsePrintAssumptions(ReadRedirect(auditDir, $"pa_{nonce}_{i}"));
            var holes = new List<string>();
            var violations = new List<string>(assumptions.UnsafeFlags);
            var axioms = new List<string>();
            foreach (var axiom in assumptions.Axioms)
            {
                var own = OwnName(axiom.PrintedName);
                if (own is not null && admitted.Contains(own))
                {
                    holes.Add($"depends on '{own}', which is Admitted");
                    axioms.Add("Job.Candidate." + own);
                }
                else if (names.TryGetValue(axiom.PrintedName, out var full) && allowed.Contains(full))
                {
                    axioms.Add(full);
                }
                else
                {
                    violations.Add($"depends on axiom {axiom.PrintedName} : {axiom.Type}");
                    axioms.Add(own is null ? axiom.PrintedName : "Job.Candidate." + own);
                }
            }

            Verdict verdict = violations.Count > 0 ? new Verdict.Unsound(violations)
                : holes.Count > 0 ? new Verdict.Incomplete(holes)
                : Verdict.Proved.Instance;
            reports.Add(new TheoremReport(audited[i].QualifiedSuffix, verdict, axioms, statements ? CoqAuditReader.ParseCheck(ReadRedirect(auditDir, $"ty_{nonce}_{i}")) : null));
        }

        return reports;
    }

    private static Verdict Combine(IReadOnlyList<TheoremReport> theorems, IReadOnlyList<CoqFinding> staticHoles)
    {
        var violations = theorems.Select(t => t.Verdict).OfType<Verdict.Unsound>().SelectMany(u => u.Violations).Distinct(StringComparer.Ordinal).ToList();
        if (violations.Count > 0)
        {
            return new Verdict.Unsound(violations);
        }

        var holes = theorems.Select(t => t.Verdict).OfType<Verdict.Incomplete>().SelectMany(i => i.Holes)
            .Concat(staticHoles.Select(h => $"line {h.Line}: {h.Message}"))
            .Distinct(StringComparer.Ordinal).ToList();
        return holes.Count > 0 ? new Verdict.Incomplete(holes) : Verdict.Proved.Instance;
    }

    /// <summary>The candidate-relative name of an axiom printed as <c>Candidate.x</c> or <c>Job.Candidate.x</c>, else null.</summary>
    private static string? OwnName(string printed) =>
        printed.StartsWith("Job.Candidate.", StringComparison.Ordinal) ? printed["Job.Candidate.".Length..]
        : printed.StartsWith("Candidate.", StringComparison.Ordinal) ? printed["Candidate.".Length..]
        : null;

    private static string ReadRedirect(string directory, string name)
    {
        var path = Path.Combine(directory, name + ".out");
        return File.Exists(path) ? File.ReadAllText(path) : throw new InvalidOperationException($"the audit produced no {name}.out");
    }

    private Task<ProcessOutcome> RunCoqcAsync(string workingDirectory, IEnumerable<string> arguments, ProcessLimits limits, CancellationToken cancellationToken, params IEnumerable<string?> readOnly)
    {
        // The working folder is the run's only writable place in a sandbox; the compiled libraries it reads are granted read-only.
        var spec = new ProcessSpec(options.Coqc, ["-q", .. options.ExtraArguments, .. arguments])
        {
            WorkingDirectory = workingDirectory,
            PathGrants = [.. readOnly.OfType<string>().Select(ProofAgent.Provers.Processes.Sandbox.PathGrant.ReadOnly)],
        };
        return runner.RunAsync(spec, limits, cancellationToken);
    }

    private static async Task<ProverAvailability> ProbeCoreAsync(CoqOptions options, IProcessRunner runner)
    {
        var path = ExecutableLocator.Find(options.Coqc);
        if (path is null)
        {
            return new ProverAvailability.Missing("coq", $"'{options.Coqc}' was not found on PATH", InstallHint);
        }

        var outcome = await runner.RunAsync(new ProcessSpec(path, ["--version"]), new ProcessLimits(TimeSpan.FromSeconds(20)));
        var match = VersionLine().Match(outcome.StandardOutput);
        if (outcome.ExitCode != 0 || !match.Success)
        {
            return new ProverAvailability.Missing("coq", $"'{path} --version' did not report a version: {outcome.StandardError.Trim()}", InstallHint);
        }

        return new ProverAvailability.Available(new ProverIdentity("coq", match.Groups["version"].Value), path);
    }

    private static string FirstError(ProcessOutcome outcome)
    {
        var text = (outcome.StandardError + "\n" + outcome.StandardOutput).Trim();
        var index = text.IndexOf("Error:", StringComparison.Ordinal);
        return FirstLine(index >= 0 ? text[index..] : text);
    }

    private static string FirstLine(string text)
    {
        var builder = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (builder.Length > 0 && line.Length == 0)
            {
                break;
            }

            builder.Append(builder.Length > 0 ? " " : string.Empty).Append(line.Trim());
        }

        var result = builder.ToString();
        return result.Length > 500 ? result[..500] + "…" : result;
    }

    [GeneratedRegex(@"version (?<version>\d+(\.\d+)+)")]
    private static partial Regex VersionLine();
}
