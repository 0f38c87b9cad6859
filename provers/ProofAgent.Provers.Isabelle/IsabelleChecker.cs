namespace ProofAgent.Provers.Isabelle;

/// <summary>
/// Checks an Isabelle theory through the soundness gate:
/// <list type="number">
/// <item>a static scan rejects holes (<c>sorry</c>, <c>oops</c>), axioms, embedded ML, oracles, <c>quick_and_dirty</c> and path imports;</item>
/// <item>the theory (with service-assigned names for unnamed goals) is written to a private folder and checked with <c>use_theories</c>;</item>
/// <item>an audit theory, which the candidate cannot see, imports it and runs <c>thm_oracles</c> on every goal: any oracle
/// (<c>Pure.skip_proof</c> from a sorry in an imported theory, the code generator's evaluation oracle, ...) rejects the proof;</item>
/// <item>with an expected statement, each of its named goals must appear with the same name and statement text.</item>
/// </list>
/// Positions in diagnostics are 1-based lines and code-point columns of the user's text.
/// </summary>
public sealed class IsabelleChecker(IsabelleOptions options, IProcessRunner runner, ILogger<IsabelleChecker>? logger = null) : GatedChecker<IsabelleScan>(ProofLanguage.Isabelle, "isabelle")
{
    internal const string InstallHint =
        "install Isabelle from https://isabelle.in.tum.de (unpack, put its bin/ on PATH or set PROOFAGENT_ISABELLE), then build the HOL heap once with `isabelle build -b HOL`";

    private readonly ILogger _logger = logger ?? NullLogger<IsabelleChecker>.Instance;

    public IsabelleOptions Options => options;

    protected override string Executable => options.Isabelle;

    /// <summary>The static gate alone: unsound or incomplete verdicts for the text, or null when it passes.</summary>
    public static (Verdict? Verdict, IReadOnlyList<Diagnostic> Diagnostics, IsabelleScan Scan) Gate(string source)
    {
        var scan = IsabelleSourceScan.Scan(source);
        var (verdict, diagnostics) = StaticGate.Judge(scan.Findings);
        return (verdict, diagnostics, scan);
    }

    protected override (Verdict? Verdict, IReadOnlyList<Diagnostic> Diagnostics, IsabelleScan Scan) Scan(string source) => Gate(source);

    /// <summary>After the gate and the probe: the theory on an Isabelle server, then its audit.</summary>
    protected override async Task<CheckResult> RunAsync(CheckRun<IsabelleScan> run, CancellationToken cancellationToken)
    {
        var (task, scan) = (run.Task, run.Reading);
        if (scan.TheoryName is null)
        {
            return run.Result(new Verdict.Failed("no theory header"), []);
        }

        if (scan.Theorems.Count == 0)
        {
            return run.Result(new Verdict.Failed("the theory states no lemma or theorem: nothing is proved"), []);
        }

        if (task.ExpectedStatement is { } statementText && StatementMismatch(scan, statementText) is { } mismatch)
        {
            return run.Result(mismatch, []);
        }

        // From here one Isabelle server runs (processRuns: 1), whether it answers or not.
        using var job = JobFolder.Create("proofagent-isabelle-", _logger);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(job.FullName, scan.TheoryName + ".thy"), scan.RewrittenSource, new UTF8Encoding(false), cancellationToken);
            var serverName = "proofagent-" + Guid.NewGuid().ToString("N")[..12];
            var limits = new ProcessLimits(options.StartTimeout + task.Budget.WallClock + options.AuditTimeout) { MemoryBytes = options.MemoryBytes, GracePeriod = TimeSpan.FromSeconds(3) };
            await using var server = await IsabelleServerSession.StartAsync(
                IsabelleServerSession.ConsoleSpec(run.ExecutablePath, serverName), limits, runner.Isolation, options.StartTimeout, _logger, cancellationToken);
            var session = await server.StartSessionAsync(options, cancellationToken);
            var check = await server.UseTheoriesAsync(session.SessionId, [scan.TheoryName], job.FullName, task.Budget.WallClock, cancellationToken);
            var diagnostics = Diagnostics(check, scan.TheoryName + ".thy", scan.Map);
            var verdict = Judge(check, scan.TheoryName);
            if (verdict is not Verdict.Proved)
            {
                return run.Result(verdict, diagnostics, processRuns: 1);
            }

            var (auditVerdict, reports) = await AuditAsync(server, session.SessionId, job.FullName, scan, cancellationToken);
            await server.StopSessionAsync(session.SessionId, cancellationToken);
            return run.Result(auditVerdict, diagnostics, reports, processRuns: 1);
        }
        catch (ProverTimeoutException timeout)
        {
            return run.Result(new Verdict.Timeout(timeout.Limit), [], processRuns: 1);
        }
        catch (ProverCrashedException crash)
        {
            return run.Result(new Verdict.Error(crash.Message, crash.ExitCode, crash.IsOutOfMemory), [], processRuns: 1);
        }
        catch (IsabelleCommandException refused)
        {
            return run.Result(new Verdict.Error(refused.Message), [], processRuns: 1);
        }
        catch (FormatException malformed)
        {
            return run.Result(new Verdict.Error($"unreadable isabelle server reply: {malformed.Message}"), [], processRuns: 1);
        }
    }

    /// <summary>Verdict of a <c>use_theories</c> result for the candidate theory, before the audit.</summary>
    public static Verdict Judge(UseTheoriesResult result, string theoryName)
    {
        var firstError = result.Errors.FirstOrDefault() ?? result.AllMessages.FirstOrDefault(m => m.IsError);
        if (!result.Ok || firstError is not null)
        {
            var where = firstError?.Position?.Line is { } line ? $"line {line}: " : string.Empty;
            return new Verdict.Failed(where + FirstLine(firstError?.Message ?? "use_theories reported failure without an error message"));
        }

        var node = result.Nodes.FirstOrDefault(n => n.TheoryName.EndsWith("." + theoryName, StringComparison.Ordinal) || n.TheoryName == theoryName);
        if (node is null)
        {
            return new Verdict.Error($"use_theories did not report theory {theoryName}");
        }

        if (node.Status.Failed > 0 || !node.Status.Ok)
        {
            return new Verdict.Failed($"{node.Status.Failed} command(s) of {theoryName} failed");
        }

        if (node.Status.Canceled || !node.Status.Consolidated)
        {
            return new Verdict.Error($"theory {theoryName} was not fully processed (canceled: {node.Status.Canceled}, consolidated: {node.Status.Consolidated})");
        }

        return Verdict.Proved.Instance;
    }

    /// <summary>Errors and warnings of the candidate's node, positioned in the user's text.</summary>
    public static IReadOnlyList<Diagnostic> Diagnostics(UseTheoriesResult result, string fileName, IsabelleSourceMap map)
    {
        var diagnostics = new List<Diagnostic>();
        var seen = new HashSet<(string, int?, int?)>();
        foreach (var message in result.Errors.Concat(result.AllMessages))
        {
            if (message.Kind is not ("error" or "warning") || !seen.Add((message.Message, message.Position?.Offset, message.Position?.Line)))
            {
                continue;
            }

            var ours = message.Position?.File is not { } file || Path.GetFileName(file) == fileName;
            var (line, column, endLine, endColumn) = ours ? map.Locate(message.Position) : (0, 0, null, null);
            var severity = message.IsError ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
            diagnostics.Add(new Diagnostic(severity, line, column, message.Message, endLine, endColumn));
        }

        return diagnostics;
    }

    private async Task<(Verdict, IReadOnlyList<TheoremReport>)> AuditAsync(
        IsabelleServerSession server, string sessionId, string directory, IsabelleScan scan, CancellationToken cancellationToken)
    {
        var auditName = "ProofAgent_Audit_" + Guid.NewGuid().ToString("N")[..12];
        var lines = new List<string> { $"theory {auditName}", $"  imports \"{scan.TheoryName}\"", "begin" };
        var lineOf = new Dictionary<int, IsabelleTheorem>();
        foreach (var theorem in scan.Theorems)
        {
            lineOf[lines.Count + 1] = theorem;
            lines.Add($"thm_oracles {scan.TheoryName}.{theorem.Name}");
        }

        lines.Add("end");
        await File.WriteAllTextAsync(Path.Combine(directory, auditName + ".thy"), string.Join('\n', lines) + "\n", cancellationToken);
        var audit = await server.UseTheoriesAsync(sessionId, [auditName], directory, options.AuditTimeout, cancellationToken);
        return JudgeAudit(audit, auditName, lineOf);
    }

    /// <summary>Reads the <c>thm_oracles</c> answers of the audit theory (one command per line, as in <paramref name="lineOf"/>).</summary>
    internal static (Verdict, IReadOnlyList<TheoremReport>) JudgeAudit(UseTheoriesResult audit, string auditName, IReadOnlyDictionary<int, IsabelleTheorem> lineOf)
    {
        var node = audit.Nodes.FirstOrDefault(n => n.TheoryName.EndsWith(auditName, StringComparison.Ordinal));
        var messages = node?.Messages ?? [.. audit.AllMessages];
        var reports = new List<TheoremReport>();
        var violations = new List<string>();
        foreach (var (line, theorem) in lineOf.OrderBy(p => p.Key))
        {
            var here = messages.Where(m => m.Position?.Line == line).ToList();
            var error = here.FirstOrDefault(m => m.IsError);
            var oracles = here.Where(m => !m.IsError).Select(m => IsabelleOutput.ParseOracles(m.Message)).FirstOrDefault(o => o is not null);
            Verdict verdict;
            if (error is not null || oracles is null)
            {
                verdict = new Verdict.Error($"the oracle audit of '{theorem.Name}' gave no answer{(error is null ? string.Empty : ": " + FirstLine(error.Message))}");
            }
            else if (oracles.Count > 0)
            {
                verdict = new Verdict.Unsound([.. oracles.Select(o => $"'{theorem.Name}' depends on oracle {o}")]);
                violations.AddRange(((Verdict.Unsound)verdict).Violations);
            }
            else
            {
                verdict = Verdict.Proved.Instance;
            }

            reports.Add(new TheoremReport(theorem.Name, verdict, oracles ?? []));
        }

        if (violations.Count > 0)
        {
            return (new Verdict.Unsound(violations), reports);
        }

        var failed = reports.Select(r => r.Verdict).OfType<Verdict.Error>().FirstOrDefault();
        return failed is not null ? (failed, reports) : (Verdict.Proved.Instance, reports);
    }

    /// <summary>Each named goal of the statement must be in the candidate with the same name and statement text.</summary>
    internal static Verdict? StatementMismatch(IsabelleScan candidate, string statementText)
    {
        var statement = IsabelleSourceScan.Scan(statementText);
        var expected = statement.Theorems.Where(t => !t.NameAssigned).ToList();
        if (expected.Count == 0)
        {
            return new Verdict.Error("the statement theory names no lemma or theorem to prove");
        }

        var problems = new List<string>();
        foreach (var goal in expected)
        {
            var found = candidate.Theorems.FirstOrDefault(t => !t.NameAssigned && t.Name == goal.Name);
            if (found is null)
            {
                problems.Add($"the proof does not state '{goal.Name}' of the statement");
            }
            else if (found.Statement != goal.Statement)
            {
                problems.Add($"'{goal.Name}' is stated as '{found.Statement}', not '{goal.Statement}'");
            }
        }

        return problems.Count > 0 ? new Verdict.Unsound(problems) : null;
    }

    protected override Task<ProverAvailability> ProbeCoreAsync() =>
        new VersionProbe("isabelle", options.Isabelle, ["version"], InstallHint) { Limits = new ProcessLimits(TimeSpan.FromSeconds(60)) { MemoryBytes = options.MemoryBytes } }
            .RunAsync(runner, output => output.Trim() is { Length: > 0 } version ? version.Split('\n')[0].Trim() : null);

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Replace("\\<^here>", string.Empty, StringComparison.Ordinal).Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
