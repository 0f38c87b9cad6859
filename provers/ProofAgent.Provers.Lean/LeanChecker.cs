using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ProofAgent.Provers.Lean;

/// <summary>
/// Checks Lean 4 files through <see cref="LeanSoundnessGate"/>: whole-file <c>lake env lean FILE</c> (or <c>lean FILE</c>), or,
/// when a Lean REPL is configured and found, a command in a warm REPL process leased from <see cref="LeanReplPool"/> by import
/// header. Also opens interactive sessions (<see cref="IInteractiveProver"/>) on the REPL. Reports <c>unavailable</c> with
/// install guidance when Lean is missing.
/// </summary>
public sealed partial class LeanChecker : IProofChecker, IInteractiveProver, IAsyncDisposable
{
    internal const string InstallHint =
        "install the Lean toolchain manager elan (`curl https://raw.githubusercontent.com/leanprover/elan/master/elan-init.sh -sSf | sh`, " +
        "then `elan default stable`); for Mathlib create a project (`lake new proj math && cd proj && lake exe cache get`) and set " +
        "PROOFAGENT_LEAN_PROJECT to it; for the warm pool build leanprover-community/repl and set PROOFAGENT_LEAN_REPL";

    private readonly LeanOptions _options;
    private readonly IProcessRunner _runner;
    private readonly ILogger _logger;
    private readonly ProbeCache _probe = new();
    private readonly Lazy<LeanReplPool?> _pool;

    public LeanChecker(LeanOptions options, IProcessRunner runner, ILogger<LeanChecker>? logger = null)
    {
        _options = options;
        _runner = runner;
        _logger = logger ?? NullLogger<LeanChecker>.Instance;
        _pool = new Lazy<LeanReplPool?>(CreatePool);
    }

    public ProofLanguage Language => ProofLanguage.Lean4;

    public LeanOptions Options => _options;

    /// <summary>The REPL executable, when one is configured and found.</summary>
    public string? ReplPath => ExecutableLocator.Find(_options.Repl);

    /// <summary>Probed again whenever lean or the REPL changes on disk, so a result names the binaries that ran.</summary>
    public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) =>
        _probe.GetAsync([_options.Lean, _options.Repl], ProbeCoreAsync, cancellationToken);

    /// <summary>The path every checker follows (<see cref="CheckPipeline"/>): the gate's plan, the probe, then Lean and the gate's verdict.</summary>
    public Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default) =>
        CheckPipeline.RunAsync("lean4", task, Scan, ProbeAsync, RunAsync, cancellationToken);

    /// <summary>
    /// The static gate speaks first: an escape hatch is reported as such even without Lean. Other early answers of the
    /// plan (a statement that does not parse, ...) come after the probe, with the prover's identity.
    /// </summary>
    private GateScan<LeanGatePlan> Scan(ProofTask task)
    {
        var plan = LeanSoundnessGate.Prepare(task, _options, Nonce());
        return GateScan.From(plan, (plan.Early is Verdict.Unsound or Verdict.Incomplete ? plan.Early : null, plan.Diagnostics));
    }

    private async Task<CheckResult> RunAsync(CheckRun<LeanGatePlan> check, CancellationToken cancellationToken)
    {
        var plan = check.Reading;
        if (plan.Early is not null || plan.Assembly is null)
        {
            return check.Result(plan.Early ?? new Verdict.Error("nothing to check"), plan.Diagnostics);
        }

        var run = await RunLeanAsync(plan.Assembly, check.Task.Budget, cancellationToken);
        if (run.Failure is { } failure)
        {
            return check.Result(failure, [.. run.Messages.Select(plan.Assembly.ToDiagnostic)], processRuns: 1, peakRssBytes: run.PeakRssBytes);
        }

        var outcome = LeanSoundnessGate.Evaluate(plan.Assembly, run.Messages, run.SorryCount, _options);
        return check.Result(outcome.Verdict, outcome.Diagnostics, outcome.Theorems, processRuns: 1, peakRssBytes: run.PeakRssBytes);
    }

    /// <summary>Opens an interactive session on a fresh REPL process (not pooled: the session owns its process).</summary>
    public async Task<IProverSession> OpenAsync(string header, ResourceBudget budget, CancellationToken cancellationToken = default)
    {
        var availability = await ProbeAsync(cancellationToken);
        if (availability is not ProverAvailability.Available available || ReplPath is null)
        {
            throw new InvalidOperationException($"Lean REPL unavailable: '{_options.Repl}' was not found; {InstallHint}");
        }

        return await StartReplAsync(header, available.Identity, MemoryCap(budget), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_pool.IsValueCreated && _pool.Value is { } pool)
        {
            await pool.DisposeAsync();
        }
    }

    internal sealed record LeanRun(IReadOnlyList<LeanMessage> Messages, int SorryCount, Verdict? Failure, long? PeakRssBytes);

    private async Task<LeanRun> RunLeanAsync(LeanAssembly assembly, ResourceBudget budget, CancellationToken cancellationToken)
    {
        if (_options.PreferRepl && _pool.Value is { } pool)
        {
            return await RunInReplAsync(pool, assembly, budget, cancellationToken);
        }

        return await RunFileAsync(assembly, budget, cancellationToken);
    }

    private async Task<LeanRun> RunFileAsync(LeanAssembly assembly, ResourceBudget budget, CancellationToken cancellationToken)
    {
        using var job = JobFolder.Create("proofagent-lean-", _logger);
        var path = Path.Combine(job.FullName, "Candidate.lean");
        await File.WriteAllTextAsync(path, assembly.Text, cancellationToken);
        var spec = _options.ProjectDirectory is { } project
            ? new ProcessSpec(_options.Lake, ["env", _options.Lean, .. _options.ExtraArguments, path]) { WorkingDirectory = project }
            : new ProcessSpec(_options.Lean, [.. _options.ExtraArguments, path]) { WorkingDirectory = job.FullName };
        // `import Mathlib` maps several GiB of .olean files: the options' cap is a floor under the (Coq-sized) default budget.
        var limits = ProcessLimits.FromBudget(budget) with { MemoryBytes = MemoryCap(budget) };
        var outcome = await _runner.RunAsync(spec, limits, cancellationToken);
        var messages = LeanCliOutput.Parse(outcome.StandardOutput, path).Concat(LeanCliOutput.Parse(outcome.StandardError, path)).ToList();
        Verdict? failure = outcome.TimedOut ? new Verdict.Timeout(budget.WallClock)
            : outcome.Cancelled ? new Verdict.Error("cancelled")
            : outcome.OutOfMemory ? new Verdict.Error("lean ran out of memory", outcome.ExitCode, OutOfMemory: true)
            : outcome.ExitCode is null ? new Verdict.Error($"lean could not be started: {outcome.StandardError.Trim()}")
            : outcome.ExitCode != 0 && !messages.Any(m => m.IsError) ? new Verdict.Error($"lean exited with code {outcome.ExitCode} without an error message: {LeanReplReader.Preview(outcome.StandardError)}", outcome.ExitCode)
            : null;
        return new LeanRun(messages, 0, failure, outcome.PeakRssBytes);
    }

    private async Task<LeanRun> RunInReplAsync(LeanReplPool pool, LeanAssembly assembly, ResourceBudget budget, CancellationToken cancellationToken)
    {
        LeanReplPool.Lease lease;
        try
        {
            lease = await pool.AcquireAsync(assembly.Header, cancellationToken);
        }
        catch (InvalidOperationException exception)
        {
            return new LeanRun([], 0, new Verdict.Failed(exception.Message), null);
        }
        catch (ProverTimeoutException exception)
        {
            return new LeanRun([], 0, new Verdict.Timeout(exception.Limit), null);
        }
        catch (ProverCrashedException exception)
        {
            return new LeanRun([], 0, new Verdict.Error(exception.Message, exception.ExitCode, exception.IsOutOfMemory), null);
        }

        await using (lease)
        {
            if (!string.Equals(lease.Session.Header, LeanText.NormalizeHeader(assembly.Header), StringComparison.Ordinal))
            {
                return new LeanRun([], 0, new Verdict.Error("the pooled REPL's header differs from the request's"), null);
            }

            try
            {
                var response = await lease.Session.RunCommandAsync(assembly.Body, budget.WallClock, cancellationToken);
                var rss = lease.Session.ResidentBytes();
                if (response is LeanReplResponse.Error error)
                {
                    return new LeanRun([], 0, new Verdict.Error($"the Lean REPL refused the command: {error.Message}"), rss);
                }

                // The REPL numbers lines from the start of the command; the header is its own command (kimina's correction).
                var shifted = response.Messages.Select(m => m with
                {
                    Pos = m.Pos.IsKnown ? m.Pos with { Line = m.Pos.Line + assembly.HeaderLines } : m.Pos,
                    EndPos = m.EndPos is { IsKnown: true } e ? e with { Line = e.Line + assembly.HeaderLines } : m.EndPos,
                }).ToList();
                return new LeanRun(shifted, response.Sorries.Count, null, rss);
            }
            catch (ProverTimeoutException exception)
            {
                return new LeanRun([], 0, new Verdict.Timeout(exception.Limit), null);
            }
            catch (ProverCrashedException exception)
            {
                return new LeanRun([], 0, new Verdict.Error(exception.Message, exception.ExitCode, exception.IsOutOfMemory), null);
            }
        }
    }

    private LeanReplPool? CreatePool()
    {
        if (ReplPath is null)
        {
            return null;
        }

        return new LeanReplPool(_options, async (header, ct) =>
        {
            var availability = await ProbeAsync(ct);
            var identity = availability is ProverAvailability.Available a ? a.Identity : ProverIdentity.Unknown("lean4");
            return await StartReplAsync(header, identity, _options.MemoryBytes, ct);
        });
    }

    private Task<LeanReplSession> StartReplAsync(string header, ProverIdentity identity, long? memory, CancellationToken cancellationToken)
    {
        var repl = ReplPath ?? _options.Repl;
        var spec = _options.ProjectDirectory is { } project
            ? new ProcessSpec(_options.Lake, ["env", repl]) { WorkingDirectory = project }
            : new ProcessSpec(repl, []);
        var limits = new ProcessLimits(_options.HeaderTimeout) { MemoryBytes = memory, GracePeriod = TimeSpan.FromSeconds(2) };
        return LeanReplSession.StartAsync(spec, limits, _runner.Isolation, header, identity, _options.TacticTimeout, _logger, cancellationToken);
    }

    private Task<ProverAvailability> ProbeCoreAsync()
    {
        var probe = new VersionProbe("lean4", _options.Lean, ["--version"], InstallHint);

        // A configured Lake project must be there too (a missing lean itself is said first, by the probe).
        if (_options.ProjectDirectory is { } project && ExecutableLocator.Find(_options.Lean) is not null
            && (ExecutableLocator.Find(_options.Lake) is null || !Directory.Exists(project)))
        {
            return Task.FromResult<ProverAvailability>(probe.Missing($"the Lake project '{project}' or '{_options.Lake}' was not found"));
        }

        return probe.RunAsync(_runner, output => VersionLine().Match(output) is { Success: true } match ? match.Groups["version"].Value : null, _ => ToolchainHash());
    }

    /// <summary>Hash of the project's <c>lean-toolchain</c> and <c>lake-manifest.json</c>: an upgrade must not reuse old verdicts.</summary>
    private string? ToolchainHash()
    {
        if (_options.ProjectDirectory is not { } project)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var name in new[] { "lean-toolchain", "lake-manifest.json" })
        {
            var path = Path.Combine(project, name);
            text.Append(name).Append('\0').Append(File.Exists(path) ? File.ReadAllText(path) : string.Empty).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private long? MemoryCap(ResourceBudget budget) =>
        budget.MemoryBytes is { } asked && _options.MemoryBytes is { } floor ? Math.Max(asked, floor) : null;

    /// <summary>A name suffix the candidate cannot predict (it does not depend on the candidate's text).</summary>
    private static string Nonce() => Guid.NewGuid().ToString("N")[..12];

    [GeneratedRegex(@"version (?<version>\d+\.\d+\.\d+[^\s,]*)")]
    private static partial Regex VersionLine();
}
