using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Processes.Sandbox;

namespace ProofAgent.Provers.Coq;

/// <summary>
/// Checks a Coq file and accepts it only through the soundness gate, in the order every checker follows
/// (scan, probe, prover, audit, second checker):
/// <list type="number">
/// <item>the static scan (<see cref="CoqSourceScan"/>, on Coq's own lexer) rejects axioms, disabled kernel checks, native
/// plugins, host access and the kernel features the installed Coq cannot be trusted with, and finds holes;</item>
/// <item>the file is compiled alone in a private job folder, as library <c>Job.Candidate</c> (with a statement whose header
/// declares types, that header is compiled once as a library both sides import: <see cref="CoqSharedHeader"/>);</item>
/// <item>a separate audit (<see cref="CoqAudit"/>) checks axioms, the statement (kernel-only comparison of the full types)
/// and, where recursion is untrusted, the submitter's own <c>fix</c>/<c>cofix</c>;</item>
/// <item><c>coqchk</c> re-checks the compiled candidate with Coq's independent kernel (<see cref="CoqKernelRecheck"/>): a
/// proof is <c>proved</c> only when both kernels accept it and their axiom reports agree.</item>
/// </list>
/// </summary>
public sealed partial class CoqChecker(CoqOptions options, IProcessRunner runner, ILogger<CoqChecker>? logger = null) : IProofChecker, IAsyncDisposable
{
    private const string InstallHint = "install Coq with `apt-get install coq` (add libcoq-coquelicot and libcoq-mathcomp-ssreflect for miniF2F)";
    private readonly ILogger _logger = logger ?? NullLogger<CoqChecker>.Instance;
    private readonly ProbeCache _probe = new(options.ProbeCacheFile is { } file ? new PersistentProbes(file) : null, ProbeKey(options));
    private readonly Lazy<CoqLibraryCache> _libraries = new(() => new CoqLibraryCache(logger ?? (ILogger)NullLogger.Instance));

    public ProofLanguage Language => ProofLanguage.Coq;

    public CoqOptions Options => options;

    /// <summary>
    /// The installed Coq: re-probed whenever <c>coqc</c>, <c>coqchk</c> or the audit's <c>coqidetop</c> changes on disk, so
    /// the identity every result carries (version and a hash of the binaries) is that of the binaries that ran.
    /// </summary>
    public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) =>
        _probe.GetAsync(Toolchain(options), () => ProbeCoreAsync(options, runner), cancellationToken);

    /// <summary>The features untrusted on the probed Coq version and not opted in: their uses are rejected.</summary>
    public static IReadOnlySet<KernelFeature> Untrusted(CoqOptions options, ProverIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        var version = CoqKernelBugs.ParseVersion(identity.Version);
        var untrusted = version is null ? Enum.GetValues<KernelFeature>().ToHashSet() : CoqKernelBugs.UntrustedFeatures(version).ToHashSet();
        untrusted.ExceptWith(options.TrustedFeatures.Where(f => f != KernelFeature.Primitives));
        return untrusted;
    }

    /// <summary>The path every checker follows (<see cref="CheckPipeline"/>): the scan, the probe, then the steps above.</summary>
    public Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default) =>
        CheckPipeline.RunAsync("coq", task, Read, ProbeAsync, RunAsync, cancellationToken);

    /// <summary>
    /// 1. The scan, before the probe: a textual escape hatch is unsound whether or not Coq is installed. Holes wait for
    /// the prover (its audit reports them theorem by theorem); without it they are the answer.
    /// </summary>
    private GateScan<CoqReading> Read(ProofTask task)
    {
        var (source, shifts) = options.MapStdlibToCoq ? CoqSyntax.MapStdlibToCoqWithShifts(task.Source) : (task.Source, []);
        var statementSource = task.ExpectedStatement is { } text ? (options.MapStdlibToCoq ? CoqSyntax.MapStdlibToCoq(text) : text) : null;
        var scan = CoqSourceScan.Scan(source);
        var reading = new CoqReading(source, shifts, statementSource, scan);
        if (!options.StaticScan)
        {
            return new GateScan<CoqReading>.Passed(reading, []);
        }

        var (violation, violations) = StaticGate.Judge(scan.Violations);
        if (violation is not null)
        {
            return new GateScan<CoqReading>.Decided(violation, Unmapped(violations, shifts));
        }

        var (hole, holes) = StaticGate.Judge(scan.Holes);
        return new GateScan<CoqReading>.Passed(reading, [], hole is null ? null : new(hole, Unmapped(holes, shifts)));
    }

    private async Task<CheckResult> RunAsync(CheckRun<CoqReading> run, CancellationToken cancellationToken)
    {
        var (task, clock, identity) = (run.Task, run.Clock, run.Identity);
        var (source, shifts, statementSource, _) = run.Reading;
        var untrusted = Untrusted(options, identity);
        var scan = CoqSourceScan.Scan(source, untrusted);
        if (options.StaticScan && scan.Violations.Any())
        {
            var judged = StaticGate.Judge(scan.Violations);
            return Result(judged.Verdict!, judged.Diagnostics, identity);
        }

        CoqScan? statementScan = null;
        if (statementSource is not null)
        {
            statementScan = CoqSourceScan.Scan(statementSource);
            if (statementScan.Theorems.Count == 0)
            {
                return Result(new Verdict.Error("the statement file declares no Theorem/Lemma to prove"), [], identity);
            }

            var absent = statementScan.Theorems.Where(s => !scan.Theorems.Any(t => t.QualifiedSuffix == s.QualifiedSuffix)).Select(s => s.QualifiedSuffix).ToList();
            if (absent.Count > 0)
            {
                return Result(new Verdict.Unsound([.. absent.Select(name => $"the proof does not declare theorem '{name}' of the statement")]), [], identity);
            }
        }

        using var job = JobFolder.Create("proofagent-coq-", _logger);
        var shared = statementSource is null || statementScan is null ? null : CoqSharedHeader.TrySplit(source, scan, statementSource, statementScan);
        var loadPaths = new List<(string Directory, string Root)>();
        var limits = ProcessLimits.FromBudget(task.Budget);
        if (shared is not null)
        {
            // The header is compiled first, once per checker for the same text, as a library both sides import.
            var header = await _libraries.Value.GetAsync(identity, CoqSharedHeader.Root, CoqSharedHeader.FileName, shared.Header, [], dir => CompileAsync(dir, CoqSharedHeader.Root, CoqSharedHeader.FileName, [], limits, cancellationToken));
            if (header.Failure is { } failed)
            {
                var detail = failed.TimedOut ? "timed out" : FirstError(failed);
                return Result(new Verdict.Failed($"the statement's header does not compile on its own: {detail}"), [], identity);
            }

            loadPaths.Add((header.Directory, CoqSharedHeader.Root));
        }

        // 2. The candidate is compiled in a folder that holds nothing else, under a logical root it cannot choose. The
        // statement (if any) compiles at the same time in its own folder, out of the candidate's reach, or comes from the
        // cache of compiled statements when the same statement was checked before.
        var candidateDir = job.CreateSubdirectory("candidate").FullName;
        await File.WriteAllTextAsync(Path.Combine(candidateDir, "Candidate.v"), shared?.Candidate ?? source, cancellationToken);
        var compileTask = CompileAsync(candidateDir, "Job", "Candidate.v", loadPaths, limits, cancellationToken);
        Task<CoqLibraryCache.Entry>? statementTask = null;
        if (statementScan is not null && statementSource is not null)
        {
            var statementText = shared?.Statement ?? statementSource;
            var statementOnly = CoqSourceScan.StatementOnly(statementText, CoqSourceScan.Scan(statementText));
            statementTask = _libraries.Value.GetAsync(identity, "Expected", "Statement.v", statementOnly, loadPaths, dir => CompileAsync(dir, "Expected", "Statement.v", loadPaths, limits, cancellationToken));
        }

        // The audit's libraries load while the candidate compiles (in a coqidetop that serves this check only).
        using var sessionStart = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sessionTask = StartAuditSessionAsync(job, candidateDir, loadPaths, statementTask, [scan, .. statementScan is null ? [] : new[] { statementScan }], Max(task.Budget.WallClock, options.AuditTimeout), sessionStart.Token);
        try
        {
            return await CompileAndAuditAsync();
        }
        finally
        {
            await sessionStart.CancelAsync();
            if (await sessionTask is { } session)
            {
                await session.DisposeAsync();
            }
        }

        async Task<CheckResult> CompileAndAuditAsync()
        {
            var compile = await compileTask;
            var compiled = clock.Elapsed;
            var statement = statementTask is null ? null : await statementTask;
            var statementReady = clock.Elapsed;
            var statementDir = statement?.Directory;
            var diagnostics = CoqDiagnostics.Parse(compile.StandardError + "\n" + compile.StandardOutput, source)
                .Where(d => d.Severity != DiagnosticSeverity.Information || d.Message.Length > 0)
                .ToList();
            if (compile.TimedOut)
            {
                return Result(new Verdict.Timeout(task.Budget.WallClock), diagnostics, identity);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (compile.ExitCode != 0)
            {
                return Result(CompileFailure(compile, diagnostics), diagnostics, identity);
            }

            if (scan.Theorems.Count == 0)
            {
                return Result(new Verdict.Failed("the file declares no Theorem/Lemma: nothing is proved"), diagnostics, identity);
            }

            if (statement?.Failure is { } statementRun)
            {
                var detail = statementRun.TimedOut ? "timed out" : FirstError(statementRun);
                return Result(new Verdict.Error($"the statement file does not compile on its own: {detail}"), diagnostics, identity);
            }

            // 3 and 4. The audit and the independent kernel, at the same time.
            var auditPaths = new List<(string, string)>(loadPaths) { (candidateDir, "Job") };
            if (statementDir is not null)
            {
                auditPaths.Add((statementDir, "Expected"));
            }

            var checkRecursion = untrusted.Contains(KernelFeature.Recursion);
            var session = await sessionTask;
            var sessionReady = clock.Elapsed;
            var auditTask = FinishedAt(new CoqAudit(options, runner, _logger).RunAsync(new CoqAuditRequest(job.Directory, auditPaths, scan, statementScan, checkRecursion, Max(task.Budget.WallClock, options.AuditTimeout), session), cancellationToken));
            var kernelPaths = new List<(string, string)> { (candidateDir, "Job") };
            kernelPaths.AddRange(loadPaths);
            List<string> libraries = ["Job.Candidate", .. shared is null ? Array.Empty<string>() : [CoqSharedHeader.Library]];
            var kernelTask = FinishedAt(new CoqKernelRecheck(options, runner).CheckAsync(libraries, kernelPaths, Max(task.Budget.WallClock, options.AuditTimeout), cancellationToken));
            var (audit, audited) = await auditTask;
            var (kernel, rechecked) = await kernelTask;

            // Where a check's time goes (agent bench check --log-level Debug): the stages overlap, so each is the moment
            // it ended, counted from the start of the check.
            _logger.LogDebug(
                "Coq check stages, ms from start: candidate compiled {Compiled:0}, statement ready {Statement:0}, audit session ready {Session:0} ({Warm}), audit done {Audited:0}, coqchk done {Rechecked:0}",
                compiled.TotalMilliseconds, statementReady.TotalMilliseconds, sessionReady.TotalMilliseconds, session is null ? "coqc" : "coqidetop", audited.TotalMilliseconds, rechecked.TotalMilliseconds);

            var verdict = CoqVerdicts.Combine(audit, kernel, scan, statementScan, checkRecursion ? identity.Version : null);
            var theorems = audit.Theorems.Select(t => CoqVerdicts.Report(t, kernel, checkRecursion ? identity.Version : null)).ToList();
            return Result(verdict, [.. diagnostics, .. audit.Diagnostics], identity, theorems) with
            {
                CheckedBy = verdict.IsProved ? [CoqVerdicts.Compiler, CoqVerdicts.Checker] : [],
            };
        }

        async Task<(T Value, TimeSpan At)> FinishedAt<T>(Task<T> stage) => (await stage, clock.Elapsed);

        CheckResult Result(Verdict verdict, IReadOnlyList<Diagnostic> diagnostics, ProverIdentity prover, IReadOnlyList<TheoremReport>? theorems = null) =>
            new(verdict, theorems ?? [], Unmapped(diagnostics, shifts), prover, run.Usage());
    }

    /// <summary>The text the checker reads: the user's with <c>From Stdlib</c> mapped to <c>From Coq</c> (and where lines moved), the statement alike, and its scan.</summary>
    private sealed record CoqReading(string Source, IReadOnlyList<(int Line, int Column)> Shifts, string? StatementSource, CoqScan Scan);

    /// <summary>Positions come from the mapped text (From Stdlib → From Coq); the user's lines have the longer prefix.</summary>
    private static List<Diagnostic> Unmapped(IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<(int Line, int Column)> shifts) =>
        [.. diagnostics.Select(d =>
        {
            if (shifts.Count == 0 || d.Line <= 0)
            {
                return d;
            }

            var (line, column) = CoqSyntax.Unmap(d.Line, d.Column, shifts);
            return d with { Column = column, EndColumn = d.EndLine is { } endLine && d.EndColumn is { } end ? CoqSyntax.Unmap(endLine, end, shifts).Column : d.EndColumn };
        })];

    /// <summary>
    /// Starts the audit's <c>coqidetop</c> with the audit's load paths (the statement's folder once it is compiled or found
    /// in the cache) and has it load the libraries the candidate and the statement require; null when the warm audit is
    /// off, <c>coqidetop</c> is missing, or the start fails (the audit then runs in <c>coqc</c>).
    /// </summary>
    private async Task<CoqScriptSession?> StartAuditSessionAsync(
        JobFolder job,
        string candidateDir,
        IReadOnlyList<(string Directory, string Root)> loadPaths,
        Task<CoqLibraryCache.Entry>? statementTask,
        IReadOnlyList<CoqScan> scans,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        if (!options.WarmAudit || ExecutableLocator.Find(options.CoqIdeTop) is null)
        {
            return null;
        }

        try
        {
            var statement = statementTask is null ? null : await statementTask;
            if (statement?.Failure is not null)
            {
                return null;
            }

            var paths = new List<(string, string)>(loadPaths) { (candidateDir, "Job") };
            if (statement is not null)
            {
                paths.Add((statement.Directory, "Expected"));
            }

            var loads = scans.SelectMany(CoqSourceScan.LibraryLoads).Distinct(StringComparer.Ordinal).ToList();
            var directory = job.CreateSubdirectory("audit-session-" + Guid.NewGuid().ToString("N")[..12]).FullName;
            // A printed proof term comes as one Pp document on one line, about 15 times the size of its text: a large
            // lia or field term can pass the default 2 M characters (more is a lost session, and the audit runs in coqc).
            var limits = new ProcessLimits(timeout) { MaxOutputChars = 48 * 1024 * 1024 };
            return await CoqScriptSession.StartAsync(options, runner.Isolation, directory, paths, loads, limits, _logger, cancellationToken);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Whatever kept the session from starting, the audit still runs (in coqc): never a reason to fail the check.
            if (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(exception, "The audit session did not start; the audit runs in coqc");
            }

            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_libraries.IsValueCreated)
        {
            _libraries.Value.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

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
            _logger.LogWarning("coqc exited with code {Exit} without an error message", exit);
            return new Verdict.Error($"coqc exited with code {exit} without an error message");
        }

        return new Verdict.Failed(first.Line > 0 ? $"line {first.Line}: {FirstLine(first.Message)}" : FirstLine(first.Message));
    }

    private Task<ProcessOutcome> CompileAsync(string directory, string root, string file, IReadOnlyList<(string Directory, string Root)> libraries, ProcessLimits limits, CancellationToken cancellationToken)
    {
        // The working folder is the run's only writable place in a sandbox; the compiled libraries it reads are granted read-only.
        var arguments = new List<string> { "-q" };
        arguments.AddRange(options.ExtraArguments);
        foreach (var (path, logical) in libraries)
        {
            arguments.AddRange(["-Q", path, logical]);
        }

        arguments.AddRange(["-Q", directory, root, file]);
        var spec = new ProcessSpec(options.Coqc, arguments)
        {
            WorkingDirectory = directory,
            PathGrants = [.. libraries.Select(l => PathGrant.ReadOnly(l.Directory))],
        };
        return runner.RunAsync(spec, limits, cancellationToken);
    }

    /// <summary>The binaries whose verdicts a result carries: the compiler, the independent checker, and the audit's toplevel.</summary>
    private static string[] Toolchain(CoqOptions options) =>
        options.WarmAudit ? [options.Coqc, options.Coqchk, options.CoqIdeTop] : [options.Coqc, options.Coqchk];

    /// <summary>Everything a stored probe depends on besides the binaries' files: which tools, and the trusted features.</summary>
    private static string ProbeKey(CoqOptions options) =>
        "coq|" + string.Join("|", Toolchain(options)) + "|trust=" + string.Join(",", options.TrustedFeatures.Select(f => f.ToString()).Order(StringComparer.Ordinal));

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

        // The toolchain part of the identity: both binaries' contents, and the kernel features the operator trusts (they
        // change verdicts, so a verdict cached under one policy must never answer under another).
        var binaries = Toolchain(options).Select(ExecutableFingerprint.Of).OfType<ExecutableFingerprint>();
        var trusted = options.TrustedFeatures.Count == 0 ? string.Empty : "+trust:" + string.Join(",", options.TrustedFeatures.Select(f => f.ToString()).Order(StringComparer.Ordinal));
        return new ProverAvailability.Available(new ProverIdentity("coq", match.Groups["version"].Value, ExecutableFingerprint.ContentHash(binaries) + trusted), path);
    }

    internal static string FirstError(ProcessOutcome outcome)
    {
        var text = (outcome.StandardError + "\n" + outcome.StandardOutput).Trim();
        var index = text.IndexOf("Error:", StringComparison.Ordinal);
        return FirstLine(index >= 0 ? text[index..] : text);
    }

    internal static string FirstLine(string text)
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
