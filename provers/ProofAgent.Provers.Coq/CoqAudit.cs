using Microsoft.Extensions.Logging;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Processes.Sandbox;

namespace ProofAgent.Provers.Coq;

/// <summary>What the audit asks about a compiled candidate.</summary>
/// <param name="Job">The job folder; each audit run gets a fresh subfolder of it.</param>
/// <param name="LoadPaths">(folder, logical root) of every compiled library the audit reads (candidate, statement, shared header).</param>
/// <param name="Scan">The candidate's scan: the theorems to audit.</param>
/// <param name="StatementScan">The statement's scan when the proof must prove a given statement; null otherwise.</param>
/// <param name="CheckRecursion">Whether <c>fix</c>/<c>cofix</c> in the submitter's own constants must be found (untrusted on this Coq).</param>
/// <param name="Session">
/// A <c>coqidetop</c> started with the same load paths, its libraries already loaded, that runs the audit's scripts; null,
/// or lost mid-way, and each script runs in a fresh <c>coqc</c>.
/// </param>
/// <param name="Timeout">
/// The limit of each audit script: <see cref="CoqOptions.AuditTimeout"/>, or the check's own budget when that is longer
/// (printing the body of a large proof term for the recursion walk can take longer than compiling it).
/// </param>
internal sealed record CoqAuditRequest(
    DirectoryInfo Job,
    IReadOnlyList<(string Directory, string Root)> LoadPaths,
    CoqScan Scan,
    CoqScan? StatementScan,
    bool CheckRecursion,
    TimeSpan Timeout,
    CoqScriptSession? Session = null);

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
/// <item>when recursion is untrusted, every constant of the submitter's that a theorem depends on (found by following the
/// references between the submitter's constants, layer by layer) is printed in full (<c>Printing All</c>, no depth
/// limit) and searched for <c>fix</c>/<c>cofix</c>;</item>
/// <item>last, each theorem's type printed with <c>Check @name</c>, outside the file, with the notations of the
/// libraries it imports (imported after the checks, so their coercions cannot help a mismatched theorem through).</item>
/// </list>
/// </summary>
internal sealed class CoqAudit(CoqOptions options, IProcessRunner runner, ILogger logger)
{
    private const string Candidate = "Job.Candidate";

    /// <summary>How many layers of own constants below the theorems the audit prints (one run each) before giving up.</summary>
    private const int MaxOwnLayers = 8;

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
                return Decided(new Verdict.Timeout(request.Timeout), Diagnostic.Error("the axiom audit timed out"));
            }

            if (!run.Outcome.Succeeded)
            {
                var (line, message) = (run.Outcome.FailedLine, run.Outcome.Error ?? "no message");
                if (printStatements && line >= script.PrintingFrom)
                {
                    // Printing is a courtesy: an import that fails here must not fail the check. Audit again without it.
                    logger.LogWarning("Printing the statements failed, audited without them: {Error}", message);
                    printStatements = false;
                    continue;
                }

                if (line is { } at && script.TheoremAt(at) is { } undefined)
                {
                    // Declared in the text but not in the compiled library (aborted, or inside a construct the scan cannot see).
                    missing.Add(undefined.QualifiedSuffix);
                    audited.Remove(undefined);
                    continue;
                }

                if (line is { } checkLine && script.StatementCheckAt(checkLine) is { } mismatch)
                {
                    return Decided(
                        new Verdict.Unsound([$"theorem '{mismatch.QualifiedSuffix}' does not have the statement's type: {CoqChecker.FirstLine(message)}"]),
                        Diagnostic.Error($"statement mismatch for '{mismatch.QualifiedSuffix}': {message}", mismatch.Line));
                }

                if (line is { } bodyLine && script.BodyPrintAt(bodyLine) is { } large)
                {
                    // Not a verdict on the proof: the term is too large for this audit to read (it prints the term as a
                    // tree; a case split over a hundred values exhausts the audit's memory). Still not proved.
                    return Decided(new Verdict.Error(
                        $"the recursion audit could not print the proof term of '{large.QualifiedSuffix}' ({CoqChecker.FirstLine(message)}): " +
                        "a term this large cannot be searched for fix/cofix here; a smaller proof (fewer cases), or --trust-recursion, avoids this audit"));
                }

                logger.LogWarning("Coq audit failed at line {Line}: {Error}", line, message);
                return Decided(new Verdict.Error($"the axiom audit failed: {CoqChecker.FirstLine(message)}"));
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
    /// Finds the submitter's own constants each theorem depends on, and those whose bodies show <c>fix</c>/<c>cofix</c>, by
    /// walking the references between own constants only: a library compiled before the candidate cannot refer to it, so
    /// every own constant in a theorem's closure is reached through a chain of own constants, each printed (with
    /// <c>Printing All</c>, nothing imported: every own reference is printed qualified by <c>Candidate.</c> or
    /// <c>ProofAgentHeader.</c>). The theorems' bodies come from the first run; each further run prints the next layer of
    /// the chain. This replaces <c>Print All Dependencies</c>, which walks (and prints, a megabyte on a Reals proof) the
    /// whole library closure to find the few constants of the submitter's in it.
    /// </summary>
    private async Task<List<CoqTheoremAudit>> FindOwnRecursionAsync(
        CoqAuditRequest request,
        string directory,
        AuditScript script,
        List<CoqTheoremAudit> theorems,
        CancellationToken cancellationToken)
    {
        var references = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var recursive = new HashSet<string>(StringComparer.Ordinal);
        var unprintedTheorems = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (theorem, i) in script.Audited.Select((t, i) => (t, i)))
        {
            var printed = ReadRedirect(directory, script.BodyOutput(i));
            references[$"{Candidate}.{theorem.QualifiedSuffix}"] = OwnReferences(printed);
            if (printed.Trim().Length == 0)
            {
                // Fail closed: a body that was not printed shows neither its recursion nor its references.
                unprintedTheorems.Add(theorem.QualifiedSuffix);
            }
        }

        var frontier = Unprinted();
        for (var layer = 0; frontier.Count > 0 && layer < MaxOwnLayers; layer++)
        {
            var lines = new List<string>(AuditScript.Preamble(statement: false)) { "Set Printing All." };
            lines.AddRange(frontier.Select((name, j) => $"Redirect \"own_body_{layer}_{j}\" Print {name}."));
            var run = await RunScriptAsync(request, lines, cancellationToken);
            var failed = !run.Outcome.Succeeded;
            if (failed)
            {
                logger.LogWarning("Printing the submitter's constants failed at line {Line}: {Error}", run.Outcome.FailedLine, run.Outcome.Error);
            }

            foreach (var (name, j) in frontier.Select((n, j) => (n, j)))
            {
                var printed = failed ? string.Empty : ReadRedirect(run.Directory, $"own_body_{layer}_{j}");
                references[name] = OwnReferences(printed);

                // What could not be printed cannot be trusted.
                if (printed.Length == 0 || CoqAuditReader.ShowsRecursion(printed))
                {
                    recursive.Add(name);
                }
            }

            frontier = Unprinted();
        }

        // A chain longer than the walk follows is not audited, so it is not trusted either.
        var beyond = frontier.ToHashSet(StringComparer.Ordinal);
        recursive.UnionWith(beyond);
        return
        [
            .. theorems.Select(t => t with
            {
                OwnRecursive =
                [
                    .. t.OwnRecursive,
                    .. unprintedTheorems.Contains(t.Theorem.QualifiedSuffix) ? [$"{Candidate}.{t.Theorem.QualifiedSuffix} (its body could not be printed)"] : Array.Empty<string>(),
                    .. Closure($"{Candidate}.{t.Theorem.QualifiedSuffix}")
                        .Where(recursive.Contains)
                        .Select(n => beyond.Contains(n) ? $"{n} (beyond {MaxOwnLayers} layers of the submitter's own constants: not audited)" : n),
                ],
            }),
        ];

        List<string> Unprinted() =>
            [.. references.Values.SelectMany(r => r).Where(n => !references.ContainsKey(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

        // The own constants a theorem reaches, itself excluded (its own body is judged by the first run).
        IEnumerable<string> Closure(string root)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { root };
            var stack = new Stack<string>([root]);
            while (stack.Count > 0)
            {
                foreach (var next in references.GetValueOrDefault(stack.Pop()) ?? [])
                {
                    if (seen.Add(next))
                    {
                        stack.Push(next);
                    }
                }
            }

            seen.Remove(root);
            return seen.Order(StringComparer.Ordinal);
        }
    }

    /// <summary>The submitter's constants a printed term refers to, by their full names.</summary>
    internal static IReadOnlyList<string> OwnReferences(string printed) =>
        [.. CoqAuditReader.QualifiedNames(printed).Select(FullOwnName).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Runs an audit script: in the warm session when there is one (from its base state, libraries loaded), else, or when
    /// the session is lost, in a fresh <c>coqc</c> in a new folder of the job. Either way the answer is the first failing
    /// line and its message, and the folder that holds the <c>Redirect</c> output.
    /// </summary>
    private async Task<(CoqScriptOutcome Outcome, string Directory)> RunScriptAsync(CoqAuditRequest request, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        if (request.Session is { IsHealthy: true } session)
        {
            try
            {
                var outcome = await session.RunAsync(lines, request.Timeout, cancellationToken);
                if (outcome.TimedOut || session.IsHealthy)
                {
                    return (outcome, session.Directory);
                }
            }
            catch (ProverCrashedException exception)
            {
                logger.LogWarning(exception, "The audit session was lost; the audit goes on in coqc");
            }
        }

        var auditDir = request.Job.CreateSubdirectory("audit-" + Guid.NewGuid().ToString("N")[..12]).FullName;
        var text = string.Join('\n', lines) + "\n";
        await File.WriteAllTextAsync(Path.Combine(auditDir, "Audit.v"), text, cancellationToken);
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
        var run = await runner.RunAsync(spec, new ProcessLimits(request.Timeout), cancellationToken);
        if (run.TimedOut)
        {
            return (new CoqScriptOutcome(null, "the audit timed out", true), auditDir);
        }

        if (run.ExitCode == 0)
        {
            return (CoqScriptOutcome.Done, auditDir);
        }

        var error = CoqDiagnostics.Parse(run.StandardError, text).FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        // The message as coqidetop gives it, without coqc's "Error:" heading.
        return (error is null
            ? new CoqScriptOutcome(null, CoqChecker.FirstError(run), false)
            : new CoqScriptOutcome(error.Line, error.Message.StartsWith("Error:", StringComparison.Ordinal) ? error.Message["Error:".Length..].TrimStart() : error.Message, false), auditDir);
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
        private readonly Dictionary<int, CoqTheorem> _bodyLines = [];
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
                for (var i = 0; i < audited.Count; i++)
                {
                    _bodyLines[_lines.Count + 1] = audited[i];
                    _lines.Add($"Redirect \"{BodyOutput(i)}\" Print {Candidate}.{audited[i].QualifiedSuffix}.");
                }

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

        public string BodyOutput(int i) => $"body_{_nonce}_{i}";

        public string TypeOutput(int i) => $"ty_{_nonce}_{i}";

        public string CheckAssumptionsOutput(int k) => $"pc_{_nonce}_{k}";

        public CoqTheorem? TheoremAt(int line) => _assumptionLines.GetValueOrDefault(line);

        public CoqTheorem? StatementCheckAt(int line) => _statementLines.GetValueOrDefault(line);

        public CoqTheorem? BodyPrintAt(int line) => _bodyLines.GetValueOrDefault(line);

        public int? StatementCheckIndex(CoqTheorem theorem) => _statementChecks.TryGetValue(theorem.QualifiedSuffix, out var k) ? k : null;
    }
}
