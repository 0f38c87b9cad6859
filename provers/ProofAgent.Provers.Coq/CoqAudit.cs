using Microsoft.Extensions.Logging;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Processes.Sandbox;

namespace ProofAgent.Provers.Coq;

/// <summary>What the audit asks about a compiled candidate.</summary>
/// <param name="Job">The job folder; each audit run gets a fresh subfolder of it.</param>
/// <param name="LoadPaths">(folder, logical root) of every compiled library the audit reads (candidate, statement, shared header).</param>
/// <param name="Scan">The candidate's scan: the theorems to audit.</param>
/// <param name="StatementScan">The statement's scan when the proof must prove a given statement; null otherwise.</param>
/// <param name="CheckRecursion">Whether <c>fix</c>/<c>cofix</c> in the submitter's own constants must be found (untrusted on this Coq).</param>
internal sealed record CoqAuditRequest(
    DirectoryInfo Job,
    IReadOnlyList<(string Directory, string Root)> LoadPaths,
    CoqScan Scan,
    CoqScan? StatementScan,
    bool CheckRecursion);

/// <summary>The audit's findings about one theorem.</summary>
internal sealed record CoqTheoremAudit(CoqTheorem Theorem, TheoremReport Report, IReadOnlyList<string> OwnRecursive);

/// <summary>The audit's answer: a verdict when the audit itself decided (error, mismatch), and the per-theorem findings.</summary>
internal sealed record CoqAuditOutcome(Verdict? Verdict, IReadOnlyList<CoqTheoremAudit> Theorems, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Missing);

/// <summary>
/// The audit of a compiled candidate, in a separate file the candidate cannot see or influence (it is compiled after,
/// requires the candidate without importing it, and resets the printing options a candidate could set globally):
/// <list type="bullet">
/// <item><c>Print Assumptions</c> of every theorem, each printed axiom resolved to its full name by <c>Locate</c> and checked
/// against the allow-list;</item>
/// <item>with a statement, a check that the candidate's theorem has exactly the statement's type: both sides are taken
/// with <c>@</c> (no implicit argument inserted, no instance resolved), unified (conversion, no coercion) and placed with
/// <c>exact_no_check</c> before the definition's kernel type check, and the check's own assumptions are audited too;</item>
/// <item>when recursion is untrusted, every constant of the submitter's that a theorem depends on (<c>Print All
/// Dependencies</c>) is printed in full (<c>Printing All</c>, no depth limit) and searched for <c>fix</c>/<c>cofix</c>;</item>
/// <item>last, each theorem's type printed with <c>Check @name</c>, outside the file, with the notations of the
/// libraries it imports (imported after the checks, so their coercions cannot help a mismatched theorem through).</item>
/// </list>
/// </summary>
internal sealed class CoqAudit(CoqOptions options, IProcessRunner runner, ILogger logger)
{
    private const string Candidate = "Job.Candidate";

    public async Task<CoqAuditOutcome> RunAsync(CoqAuditRequest request, CancellationToken cancellationToken)
    {
        var audited = request.Scan.Theorems.Where(t => t.Ending is not "Abort").DistinctBy(t => t.QualifiedSuffix).ToList();
        var missing = new List<string>();
        var printStatements = true;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var script = new AuditScript(options, audited, request.StatementScan, request.Scan, request.CheckRecursion, printStatements);
            var run = await RunScriptAsync(request, script.Lines, cancellationToken);
            if (run.Outcome.TimedOut)
            {
                return Decided(new Verdict.Timeout(options.AuditTimeout), Diagnostic.Error("the axiom audit timed out"));
            }

            var errors = CoqDiagnostics.Parse(run.Outcome.StandardError, string.Join('\n', script.Lines)).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (run.Outcome.ExitCode != 0)
            {
                var error = errors.FirstOrDefault();
                if (printStatements && error is not null && error.Line >= script.PrintingFrom)
                {
                    // Printing is a courtesy: an import that fails here must not fail the check. Audit again without it.
                    logger.LogWarning("Printing the statements failed, audited without them: {Error}", error.Message);
                    printStatements = false;
                    continue;
                }

                if (error is not null && script.TheoremAt(error.Line) is { } undefined)
                {
                    // Declared in the text but not in the compiled library (aborted, or inside a construct the scan cannot see).
                    missing.Add(undefined.QualifiedSuffix);
                    audited.Remove(undefined);
                    continue;
                }

                if (error is not null && script.StatementCheckAt(error.Line) is { } mismatch)
                {
                    return Decided(
                        new Verdict.Unsound([$"theorem '{mismatch.QualifiedSuffix}' does not have the statement's type: {CoqChecker.FirstLine(error.Message)}"]),
                        Diagnostic.Error($"statement mismatch for '{mismatch.QualifiedSuffix}': {error.Message}", mismatch.Line));
                }

                logger.LogWarning("Coq audit failed: {Error}", run.Outcome.StandardError);
                return Decided(new Verdict.Error($"the axiom audit failed: {(error is null ? CoqChecker.FirstError(run.Outcome) : CoqChecker.FirstLine(error.Message))}"));
            }

            if (audited.Count == 0)
            {
                return new CoqAuditOutcome(new Verdict.Failed($"none of the declared theorems is defined after compilation ({string.Join(", ", missing)})"), [], [], missing);
            }

            var theorems = Read(run.Directory, script, request.Scan);
            if (request.CheckRecursion)
            {
                theorems = await FindOwnRecursionAsync(request, run.Directory, script, theorems, cancellationToken);
            }

            return new CoqAuditOutcome(null, theorems, [], missing);
        }

        return Decided(new Verdict.Error("the axiom audit could not locate the declared theorems"));

        CoqAuditOutcome Decided(Verdict verdict, params Diagnostic[] diagnostics) => new(verdict, [], diagnostics, missing);
    }

    private List<CoqTheoremAudit> Read(string directory, AuditScript script, CoqScan scan)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in script.LocateOutputs)
        {
            foreach (var (shortName, full) in CoqAuditReader.ParseLocate(ReadRedirect(directory, output)))
            {
                names[shortName] = full;
            }
        }

        var allowed = options.AllowedAxioms.ToHashSet(StringComparer.Ordinal);
        var admitted = scan.Theorems.Where(t => t.Ending == "Admitted").Select(t => t.QualifiedSuffix).ToHashSet(StringComparer.Ordinal);
        var result = new List<CoqTheoremAudit>();
        foreach (var (theorem, i) in script.Audited.Select((t, i) => (t, i)))
        {
            // With a statement check, the check's assumptions are the theorem's (its body is the theorem) plus whatever the
            // check itself rests on: both are audited. Without one, the theorem's own.
            var assumptions = CoqAuditReader.ParsePrintAssumptions(ReadRedirect(directory, script.StatementCheckIndex(theorem) is { } k
                ? script.CheckAssumptionsOutput(k)
                : script.AssumptionsOutput(i)));

            var holes = new List<string>();
            var violations = new List<string>(assumptions.UnsafeFlags);
            var axioms = new List<string>();
            foreach (var axiom in assumptions.Axioms)
            {
                var own = OwnName(axiom.PrintedName);
                if (own is not null && admitted.Contains(own))
                {
                    holes.Add($"depends on '{own}', which is Admitted");
                    axioms.Add($"{Candidate}.{own}");
                }
                else if (names.TryGetValue(axiom.PrintedName, out var full) && allowed.Contains(full))
                {
                    axioms.Add(full);
                }
                else if (IsPrimitive(axiom.PrintedName))
                {
                    violations.Add($"uses the primitive {axiom.PrintedName} : {axiom.Type}; primitive integers, floats and arrays are not accepted on this Coq version (VM and module subtyping bugs: rocq#19402, rocq#18503)");
                    axioms.Add(axiom.PrintedName);
                }
                else
                {
                    violations.Add($"depends on axiom {axiom.PrintedName} : {axiom.Type}");
                    axioms.Add(FullOwnName(axiom.PrintedName) ?? axiom.PrintedName);
                }
            }

            var recursive = new List<string>();
            if (script.CheckRecursion && CoqAuditReader.ShowsRecursion(ReadRedirect(directory, script.BodyOutput(i))))
            {
                recursive.Add($"{Candidate}.{theorem.QualifiedSuffix}");
            }

            Verdict verdict = violations.Count > 0 ? new Verdict.Unsound(violations)
                : holes.Count > 0 ? new Verdict.Incomplete(holes)
                : Verdict.Proved.Instance;
            var statement = script.PrintsStatements ? CoqAuditReader.ParseCheck(ReadRedirect(directory, script.TypeOutput(i))) : null;
            result.Add(new CoqTheoremAudit(theorem, new TheoremReport(theorem.QualifiedSuffix, verdict, axioms, statement), recursive));
        }

        return result;
    }

    /// <summary>
    /// Prints, in a second run, every constant of the submitter's that the theorems depend on and the first run did not
    /// print already, and records the theorems whose dependencies show <c>fix</c>/<c>cofix</c>.
    /// </summary>
    private async Task<List<CoqTheoremAudit>> FindOwnRecursionAsync(
        CoqAuditRequest request,
        string directory,
        AuditScript script,
        List<CoqTheoremAudit> theorems,
        CancellationToken cancellationToken)
    {
        var dependencies = new Dictionary<CoqTheorem, IReadOnlyList<string>>();
        foreach (var (theorem, i) in script.Audited.Select((t, i) => (t, i)))
        {
            var printed = CoqAuditReader.ParseDependencies(ReadRedirect(directory, script.DependenciesOutput(i)));
            if (printed is null)
            {
                // Unreadable dependencies: what the theorem rests on cannot be known, so it cannot be trusted.
                dependencies[theorem] = ["(unreadable Print All Dependencies output)"];
                continue;
            }

            var printedHere = $"{Candidate}.{theorem.QualifiedSuffix}";
            dependencies[theorem] = [.. printed.Select(FullOwnName).OfType<string>().Where(n => n != printedHere).Distinct(StringComparer.Ordinal)];
        }

        var others = dependencies.Values.SelectMany(d => d).Where(n => !n.StartsWith('(')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var recursive = new HashSet<string>(StringComparer.Ordinal) { "(unreadable Print All Dependencies output)" };
        if (others.Count > 0)
        {
            var lines = new List<string>(AuditScript.Preamble(request.StatementScan is not null)) { "Set Printing All." };
            lines.AddRange(others.Select((name, j) => $"Redirect \"dep_body_{j}\" Print {name}."));
            var run = await RunScriptAsync(request, lines, cancellationToken);
            if (run.Outcome.ExitCode != 0 || run.Outcome.TimedOut)
            {
                recursive.UnionWith(others);
                logger.LogWarning("Printing the dependencies failed: {Error}", run.Outcome.StandardError);
            }
            else
            {
                recursive.UnionWith(others.Where((_, j) => CoqAuditReader.ShowsRecursion(ReadRedirect(run.Directory, $"dep_body_{j}"))));
            }
        }

        return
        [
            .. theorems.Select(t => t with
            {
                OwnRecursive = [.. t.OwnRecursive, .. dependencies[t.Theorem].Where(recursive.Contains)],
            }),
        ];
    }

    private async Task<(ProcessOutcome Outcome, string Directory)> RunScriptAsync(CoqAuditRequest request, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        var auditDir = request.Job.CreateSubdirectory("audit-" + Guid.NewGuid().ToString("N")[..12]).FullName;
        await File.WriteAllTextAsync(Path.Combine(auditDir, "Audit.v"), string.Join('\n', lines) + "\n", cancellationToken);
        var arguments = new List<string> { "-q" };
        arguments.AddRange(options.ExtraArguments);
        foreach (var (directory, root) in request.LoadPaths)
        {
            arguments.AddRange(["-Q", directory, root]);
        }

        arguments.Add("Audit.v");
        var spec = new ProcessSpec(options.Coqc, arguments)
        {
            WorkingDirectory = auditDir,
            PathGrants = [.. request.LoadPaths.Select(p => PathGrant.ReadOnly(p.Directory))],
        };
        return (await runner.RunAsync(spec, new ProcessLimits(options.AuditTimeout), cancellationToken), auditDir);
    }

    /// <summary>The candidate-relative name of a constant printed as <c>Candidate.x</c> or <c>Job.Candidate.x</c>, else null.</summary>
    private static string? OwnName(string printed) =>
        printed.StartsWith("Job.Candidate.", StringComparison.Ordinal) ? printed["Job.Candidate.".Length..]
        : printed.StartsWith("Candidate.", StringComparison.Ordinal) ? printed["Candidate.".Length..]
        : null;

    private static bool IsPrimitive(string printed) =>
        new[] { "PrimInt63.", "PrimFloat.", "PArray.", "Uint63." }.Any(p => printed.StartsWith(p, StringComparison.Ordinal) || printed.Contains("." + p, StringComparison.Ordinal));

    /// <summary>The full name of a constant of the submitter's (the candidate's or the shared header's), else null.</summary>
    private static string? FullOwnName(string printed)
    {
        if (OwnName(printed) is { } own)
        {
            return $"{Candidate}.{own}";
        }

        const string Header = "ProofAgentHeader.";
        return printed.StartsWith(CoqSharedHeader.Root + "." + Header, StringComparison.Ordinal) ? printed
            : printed.StartsWith(Header, StringComparison.Ordinal) ? CoqSharedHeader.Root + "." + printed
            : null;
    }

    private static string ReadRedirect(string directory, string name)
    {
        var path = Path.Combine(directory, name + ".out");
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    /// <summary>The audit file: which line asks what, and where each answer is redirected.</summary>
    private sealed class AuditScript
    {
        private readonly string _nonce = Guid.NewGuid().ToString("N")[..12];
        private readonly Dictionary<int, CoqTheorem> _assumptionLines = [];
        private readonly Dictionary<int, CoqTheorem> _statementLines = [];
        private readonly Dictionary<string, int> _statementChecks = new(StringComparer.Ordinal);
        private readonly List<string> _lines = [];

        public AuditScript(CoqOptions options, IReadOnlyList<CoqTheorem> audited, CoqScan? statementScan, CoqScan scan, bool checkRecursion, bool printStatements)
        {
            Audited = audited;
            CheckRecursion = checkRecursion;
            PrintsStatements = printStatements;
            _lines.AddRange(Preamble(statementScan is not null));
            var checkedNames = (statementScan?.Theorems ?? []).Select(t => t.QualifiedSuffix).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < audited.Count; i++)
            {
                _assumptionLines[_lines.Count + 1] = audited[i];
                // A theorem the statement check covers is audited through the check, whose body is the theorem: the same
                // closure, walked once (the walk is most of an audit's time on a Reals proof). Here it only has to exist.
                _lines.Add(checkedNames.Contains(audited[i].QualifiedSuffix)
                    ? $"Redirect \"{AssumptionsOutput(i)}\" Check @{Candidate}.{audited[i].QualifiedSuffix}."
                    : $"Redirect \"{AssumptionsOutput(i)}\" Print Assumptions {Candidate}.{audited[i].QualifiedSuffix}.");
                if (checkRecursion)
                {
                    _lines.Add($"Redirect \"{DependenciesOutput(i)}\" Print All Dependencies {Candidate}.{audited[i].QualifiedSuffix}.");
                }
            }

            var baseNames = options.AllowedAxioms.Select(a => a[(a.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            LocateOutputs = [.. baseNames.Select((_, i) => $"loc_{_nonce}_{i}")];
            _lines.AddRange(baseNames.Select((name, i) => $"Redirect \"{LocateOutputs[i]}\" Locate {name}."));

            foreach (var (expected, k) in (statementScan?.Theorems ?? []).Select((t, k) => (t, k)))
            {
                // Both sides with `@`: no implicit argument is inserted and no instance is resolved on either side. The types
                // are unified (conversion only, which also equates their universes), and the body is placed without
                // elaboration (exact_no_check), so no coercion can be inserted; the kernel checks the definition last.
                _statementLines[_lines.Count + 1] = expected;
                _statementChecks[expected.QualifiedSuffix] = k;
                var stated = $"@Expected.Statement.{expected.QualifiedSuffix}";
                var proved = $"@{Candidate}.{expected.QualifiedSuffix}";
                _lines.Add($"Definition proofagent_statement_check_{k} : ltac:(let t := type of {stated} in exact t) := ltac:(let u := type of {proved} in let t := type of {stated} in unify u t; exact_no_check ({proved})).");
                _lines.Add($"Redirect \"{CheckAssumptionsOutput(k)}\" Print Assumptions proofagent_statement_check_{k}.");
            }

            if (checkRecursion)
            {
                _lines.Add("Set Printing All.");
                _lines.AddRange(audited.Select((t, i) => $"Redirect \"{BodyOutput(i)}\" Print {Candidate}.{t.QualifiedSuffix}."));
                _lines.Add("Unset Printing All.");
            }

            // Last, after every check above: the kernel's statement of each theorem, printed outside the file (without its
            // own notations, after its sections), with the notations of the libraries it imports. The imports come after
            // the statement checks on purpose: their coercions must not help a mismatched theorem through.
            PrintingFrom = _lines.Count + 1;
            if (printStatements)
            {
                _lines.AddRange(CoqSourceScan.PrintingPrelude(scan));
                _lines.AddRange(audited.Select((t, i) => $"Redirect \"{TypeOutput(i)}\" Check @{Candidate}.{t.QualifiedSuffix}."));
            }
        }

        public IReadOnlyList<string> Lines => _lines;

        public IReadOnlyList<CoqTheorem> Audited { get; }

        public bool CheckRecursion { get; }

        public bool PrintsStatements { get; }

        public int PrintingFrom { get; }

        public IReadOnlyList<string> LocateOutputs { get; }

        /// <summary>
        /// The start of every audit file: the libraries, then the printing options the readers rely on, set again because
        /// a candidate's <c>Global Set</c> options reach every file that requires it (a depth limit would elide a <c>fix</c>).
        /// </summary>
        public static IReadOnlyList<string> Preamble(bool statement) =>
        [
            .. statement ? ["Require Expected.Statement."] : Array.Empty<string>(),
            $"Require {Candidate}.",
            "Set Printing Depth 2147483647.",
            "Set Printing Width 1000.",
            "Unset Printing All.",
            "Unset Printing Implicit.",
            "Set Printing Notations.",
        ];

        public string AssumptionsOutput(int i) => $"pa_{_nonce}_{i}";

        public string DependenciesOutput(int i) => $"dep_{_nonce}_{i}";

        public string BodyOutput(int i) => $"body_{_nonce}_{i}";

        public string TypeOutput(int i) => $"ty_{_nonce}_{i}";

        public string CheckAssumptionsOutput(int k) => $"pc_{_nonce}_{k}";

        public CoqTheorem? TheoremAt(int line) => _assumptionLines.GetValueOrDefault(line);

        public CoqTheorem? StatementCheckAt(int line) => _statementLines.GetValueOrDefault(line);

        public int? StatementCheckIndex(CoqTheorem theorem) => _statementChecks.TryGetValue(theorem.QualifiedSuffix, out var k) ? k : null;
    }
}
