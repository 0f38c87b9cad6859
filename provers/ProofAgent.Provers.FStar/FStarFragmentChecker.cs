using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ProofAgent.Provers.FStar;

/// <summary>One program-fragment task: a module, the definition to replace, the type it must have, and the candidate.</summary>
public sealed record FStarFragmentTask(string ModuleSource, string Definition, string Candidate)
{
    /// <summary>
    /// The type the candidate must have. When null, the module must declare <c>val Definition : type</c> before the
    /// definition, so the candidate cannot choose its own (weaker) type.
    /// </summary>
    public string? ExpectedType { get; init; }

    public ResourceBudget Budget { get; init; } = ResourceBudget.Default;
}

/// <summary>
/// Program-fragment checking as in the F* dataset work: <c>fstar.exe --ide Module.fst --report_assumes error</c>,
/// <c>push-partial-checked-file</c> up to the definition, then (when a type is given) <c>push</c> of
/// <c>val name : type</c>, then a <c>full</c> push of the candidate. The candidate is accepted only when every push
/// answers success with no error issue (a lax answer never counts).
/// </summary>
public sealed partial class FStarFragmentChecker(FStarOptions options, IProcessIsolation isolation, ILogger<FStarFragmentChecker>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<FStarFragmentChecker>.Instance;

    public async Task<CheckResult> CheckAsync(FStarFragmentTask task, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var identity = ProverIdentity.Unknown("fstar");

        // The gate's order (CheckPipeline's): the text is judged before the prover is looked for, so an escape hatch is
        // unsound whether or not F* is installed here.
        var (gate, gateDiagnostics, candidate) = FStarChecker.Gate(task.Candidate);
        if (gate is not null)
        {
            return Result(gate, gateDiagnostics);
        }

        if (!candidate.Definitions.Contains(task.Definition, StringComparer.Ordinal))
        {
            return Result(new Verdict.Failed($"the candidate does not define '{task.Definition}'"), []);
        }

        var module = FStarSourceScan.Scan(task.ModuleSource);
        if (module.ModuleName is null)
        {
            return Result(new Verdict.Error("the module has no 'module Name' header"), []);
        }

        if (task.ExpectedType is null && !module.Vals.Contains(task.Definition, StringComparer.Ordinal))
        {
            return Result(new Verdict.Error($"no type to check '{task.Definition}' against: give ExpectedType or declare 'val {task.Definition}' in the module"), []);
        }

        var path = ExecutableLocator.Find(options.FStar);
        if (path is null)
        {
            return CheckResult.FromVerdict(new Verdict.Unavailable("fstar", $"'{options.FStar}' was not found on PATH", FStarChecker.InstallHint), identity, clock.Elapsed);
        }

        using var job = JobFolder.Create("proofagent-fstar-ide-", _logger);
        try
        {
            var file = Path.Combine(job.FullName, module.ModuleName + ".fst");
            await File.WriteAllTextAsync(file, task.ModuleSource, new UTF8Encoding(false), cancellationToken);
            var limits = new ProcessLimits(task.Budget.WallClock + options.StartTimeout) { MemoryBytes = task.Budget.MemoryBytes ?? options.MemoryBytes };
            await using var ide = await FStarIdeSession.StartAsync(FStarIdeSession.Spec(path, file, options), limits, isolation, options.StartTimeout, _logger, cancellationToken);
            var deadline = DateTime.UtcNow + task.Budget.WallClock;
            TimeSpan Left() => deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);

            var prefix = await ide.PushPartialCheckedFileAsync(module.ModuleName + "." + task.Definition, Left(), cancellationToken);
            if (!prefix.Response.IsCleanSuccess)
            {
                return Result(new Verdict.Error("the module does not load up to the definition: " + Describe(prefix.Response)), Diagnostics(prefix.Response));
            }

            var line = 1;
            if (task.ExpectedType is { } type)
            {
                var val = $"val {task.Definition} : {type}";
                var declared = await ide.PushAsync(val, full: true, line, 0, Left(), cancellationToken);
                if (!declared.Response.IsCleanSuccess)
                {
                    return Result(new Verdict.Error("the expected type does not check: " + Describe(declared.Response)), Diagnostics(declared.Response));
                }

                line = 2;
            }

            var pushed = await ide.PushAsync(task.Candidate, full: true, line, 0, Left(), cancellationToken);
            var diagnostics = Diagnostics(pushed.Response, line - 1);
            return pushed.Response.IsCleanSuccess
                ? Result(Verdict.Proved.Instance, diagnostics)
                : Result(new Verdict.Failed(Describe(pushed.Response)), diagnostics);
        }
        catch (ProverTimeoutException timeout)
        {
            return Result(new Verdict.Timeout(timeout.Limit), []);
        }
        catch (ProverCrashedException crash)
        {
            return Result(new Verdict.Error(crash.Message, crash.ExitCode, crash.IsOutOfMemory), []);
        }

        CheckResult Result(Verdict verdict, IReadOnlyList<Diagnostic> diagnostics) =>
            new(verdict, [], diagnostics, identity, new ResourceUsage(clock.Elapsed, ProcessRuns: 1));
    }

    /// <summary>Issues of a response as diagnostics in the pushed fragment's own lines (<paramref name="lineShift"/> lines were pushed before it).</summary>
    public static IReadOnlyList<Diagnostic> Diagnostics(FStarIdeFrame.Response response, int lineShift = 0) =>
    [
        .. response.Issues.Select(issue => issue.Ranges.FirstOrDefault(r => r.FileName == "<input>") is { } range
            ? (range with { BeginLine = range.BeginLine - lineShift, EndLine = range.EndLine - lineShift }).ToDiagnostic(issue.Severity, issue.Message.Trim())
            : new Diagnostic(issue.Severity, 0, 0, issue.Message.Trim())),
    ];

    internal static string Describe(FStarIdeFrame.Response response)
    {
        var error = response.Issues.FirstOrDefault(i => i.IsError);
        if (error is not null)
        {
            return $"error {error.Number}: {Bullets().Replace(error.Message.Trim(), string.Empty).Split('\n')[0]}";
        }

        return response.IsProtocolViolation ? $"protocol violation: {response.Body}" : $"status {response.Status}";
    }

    [GeneratedRegex(@"^- ", RegexOptions.Multiline)]
    private static partial Regex Bullets();
}
