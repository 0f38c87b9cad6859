using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Provers.Smt;

/// <summary>Settings of a long-lived solver session.</summary>
public sealed record SmtSessionOptions
{
    public static SmtSessionOptions Default { get; } = new();

    /// <summary>
    /// The command that asks the question, e.g. <c>(check-sat-using (then simplify solve-eqs bit-blast sat))</c> for z3;
    /// null sends <c>(check-sat)</c>.
    /// </summary>
    public string? CheckSatCommand { get; init; }

    /// <summary>Address-space cap of the solver process (it lives for many queries).</summary>
    public long MemoryBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Time the solver may run past its own soft timeout before its process tree is killed (and restarted on the next query).</summary>
    public TimeSpan HardTimeoutGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The process is replaced after this many queries, bounding whatever state a solver accumulates.</summary>
    public int QueriesPerProcess { get; init; } = 5_000;

    public SmtSessionOptions WithCheckSatCommand(string? command) => this with { CheckSatCommand = command };
}

/// <summary>
/// One long-lived z3 (<c>-in</c>) or cvc5 (<c>--incremental</c>) process answering queries on stdin/stdout: each query
/// runs between <c>(push 1)</c> and <c>(pop 1)</c>, its answer delimited by an <c>(echo)</c> marker, so the cost of
/// starting a solver is paid once instead of per query. Every query keeps a soft timeout (the solver's own option) and
/// a hard one (<see cref="InteractiveProcess{TFrame}"/> kills the process tree); the process runs under the kernel
/// memory cap of <see cref="ResourceLimitIsolation"/>. A killed or crashed process is restarted on the next query.
/// Queries are serialized (one process, one conversation); whole scripts run in their own process per call.
/// </summary>
public sealed class SmtSession : ISmtSolver, IAsyncDisposable
{
    private readonly SmtOptions _options;
    private readonly SmtSessionOptions _session;
    private readonly bool _z3;
    private readonly IProcessIsolation _isolation;
    private readonly ProcessSmtSolver _scripts;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lazy<Task<ProverAvailability>> _probe;
    private InteractiveProcess<string>? _process;
    private string? _logic;
    private int _queries;
    private long _marker;

    private SmtSession(bool z3, IProcessRunner runner, SmtOptions? options, SmtSessionOptions? session, IProcessIsolation? isolation, ILogger? logger)
    {
        _z3 = z3;
        _options = options ?? SmtOptions.Default;
        _session = session ?? SmtSessionOptions.Default;
        _isolation = isolation ?? new ResourceLimitIsolation();
        _logger = logger ?? NullLogger.Instance;
        _scripts = z3 ? ProcessSmtSolver.Z3(runner, _options) : ProcessSmtSolver.Cvc5(runner, _options);
        _probe = new Lazy<Task<ProverAvailability>>(() => _scripts.ProbeAsync());
    }

    public string Name => _z3 ? "z3" : "cvc5";

    /// <summary>Processes started so far (1 unless queries timed out, crashed or the process was recycled).</summary>
    public int ProcessesStarted { get; private set; }

    public static SmtSession Z3(IProcessRunner runner, SmtOptions? options = null, SmtSessionOptions? session = null, IProcessIsolation? isolation = null, ILogger? logger = null) =>
        new(true, runner, options, session, isolation, logger);

    public static SmtSession Cvc5(IProcessRunner runner, SmtOptions? options = null, SmtSessionOptions? session = null, IProcessIsolation? isolation = null, ILogger? logger = null) =>
        new(false, runner, options, session, isolation, logger);

    public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) => _probe.Value;

    public Task<SmtScriptResult> RunScriptAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _scripts.RunScriptAsync(script, timeout, cancellationToken);

    public async Task<SmtAnswer> CheckSatAsync(SmtQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (await ProbeAsync(cancellationToken) is ProverAvailability.Missing missing)
        {
            return new SmtAnswer.Unavailable(missing.Prover, missing.Reason, missing.InstallHint);
        }

        await _turn.WaitAsync(cancellationToken);
        try
        {
            return await AskAsync(query, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _turn.WaitAsync();
        try
        {
            await StopAsync();
        }
        finally
        {
            _turn.Release();
            _turn.Dispose();
        }
    }

    private async Task<SmtAnswer> AskAsync(SmtQuery query, CancellationToken cancellationToken)
    {
        // A (set-logic) belongs to the process, not to a push scope: it is taken out of the script, and a process
        // started under another logic is replaced.
        var (logic, script) = SplitLogic(query);
        if (logic is not null && !logic.All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            return new SmtAnswer.Error($"bad logic name '{logic}'");
        }

        if (_process is { HasExited: true } || _queries >= _session.QueriesPerProcess || (_process is not null && _logic != logic))
        {
            await StopAsync();
        }

        var process = _process ??= await StartAsync(logic, query.Seed, query.Timeout, cancellationToken);
        _queries++;
        var ms = (long)Math.Max(1, query.Timeout.TotalMilliseconds);
        var request = new StringBuilder();
        request.AppendLine("(push 1)");
        request.AppendLine(_z3
            ? string.Create(CultureInfo.InvariantCulture, $"(set-option :timeout {ms})")
            : string.Create(CultureInfo.InvariantCulture, $"(set-option :tlimit-per {ms})"));
        request.AppendLine(script);
        request.AppendLine(_session.CheckSatCommand ?? "(check-sat)");
        try
        {
            var text = await ConverseAsync(process, request, query.Timeout + _session.HardTimeoutGrace, cancellationToken);
            var reading = SmtOutputReader.Read(text);
            if (reading.Errors.Count > 0)
            {
                // A rejected command means the question asked is not the one meant: no answer counts.
                return await AfterErrorAsync(string.Join("; ", reading.Errors));
            }

            var answer = reading.Answers.FirstOrDefault();
            SmtModel? model = null;
            var reason = "the solver answered unknown";
            if (answer == "sat" && query.ProduceModel)
            {
                model = SmtOutputReader.Read(await ConverseAsync(process, new StringBuilder("(get-model)\n"), _session.HardTimeoutGrace + TimeSpan.FromSeconds(10), cancellationToken)).Models.FirstOrDefault();
            }
            else if (answer == "unknown")
            {
                var why = SmtOutputReader.Read(await ConverseAsync(process, new StringBuilder("(get-info :reason-unknown)\n"), _session.HardTimeoutGrace + TimeSpan.FromSeconds(10), cancellationToken)).ReasonUnknown;
                reason = string.IsNullOrEmpty(why) ? reason : why;
            }

            // No reply: the next request's reply follows this one in order.
            await process.SendAsync("(pop 1)\n", cancellationToken);
            return answer switch
            {
                "unsat" => SmtAnswer.Unsat.Instance,
                "sat" => new SmtAnswer.Sat(model),
                "unknown" when reason.Contains("timeout", StringComparison.OrdinalIgnoreCase) || reason.Contains("canceled", StringComparison.OrdinalIgnoreCase) => new SmtAnswer.Timeout(query.Timeout),
                "unknown" => new SmtAnswer.Unknown(reason),
                "timeout" => new SmtAnswer.Timeout(query.Timeout),
                _ => await AfterErrorAsync(reading.Errors.Count > 0 ? string.Join("; ", reading.Errors) : $"{Name} gave no answer: {text.Trim()}"),
            };
        }
        catch (ProverTimeoutException)
        {
            _logger.LogInformation("{Solver} session: query outlived {Limit}; the process was killed", Name, query.Timeout + _session.HardTimeoutGrace);
            await StopAsync();
            return new SmtAnswer.Timeout(query.Timeout);
        }
        catch (ProverCrashedException crashed)
        {
            await StopAsync();
            return new SmtAnswer.Error(crashed.IsOutOfMemory ? $"{Name} ran out of memory" : crashed.Message);
        }
        catch (OperationCanceledException)
        {
            // The reply may still be on its way: a later query must not read it.
            await StopAsync();
            throw;
        }
    }

    /// <summary>After an error the solver's assertion stack is in doubt: start afresh on the next query.</summary>
    private async Task<SmtAnswer> AfterErrorAsync(string message)
    {
        await StopAsync();
        return new SmtAnswer.Error(message);
    }

    /// <summary>Sends the request followed by an echo marker and returns everything printed before the marker.</summary>
    private async Task<string> ConverseAsync(InteractiveProcess<string> process, StringBuilder request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var marker = string.Create(CultureInfo.InvariantCulture, $"@@proofagent-{++_marker}");
        request.Append("(echo \"").Append(marker).AppendLine("\")");
        var frames = await process.RequestAsync(request.ToString(), line => line.Trim().Trim('"') == marker, timeout, cancellationToken);
        return string.Join("\n", frames.Take(frames.Count - 1));
    }

    private static (string? Logic, string Script) SplitLogic(SmtQuery query)
    {
        var logic = query.Logic;
        var kept = new StringBuilder();
        foreach (var line in query.Script.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("(set-logic ", StringComparison.Ordinal) && trimmed.EndsWith(')'))
            {
                logic ??= trimmed["(set-logic ".Length..^1].Trim();
                continue;
            }

            kept.Append(line).Append('\n');
        }

        return (logic, kept.ToString());
    }

    private async Task<InteractiveProcess<string>> StartAsync(string? logic, int seed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var executable = _z3 ? _options.Z3 : _options.Cvc5;
        IReadOnlyList<string> arguments = _z3
            ? ["-smt2", "-in"]
            : ["--lang", "smt2", "--incremental", "--produce-models", "-"];
        var spec = new ProcessSpec(ExecutableLocator.Find(executable) ?? executable, arguments);
        var limits = new ProcessLimits(timeout + _session.HardTimeoutGrace) { MemoryBytes = _session.MemoryBytes };
        var process = InteractiveProcess<string>.Start(spec, limits, new LineFrameDecoder(), _isolation, _logger);
        ProcessesStarted++;
        _queries = 0;
        _logic = logic;
        var header = new StringBuilder();
        if (_z3)
        {
            header.AppendLine("(set-option :produce-models true)");
        }

        header.AppendLine(_z3
            ? string.Create(CultureInfo.InvariantCulture, $"(set-option :smt.random_seed {seed})")
            : string.Create(CultureInfo.InvariantCulture, $"(set-option :seed {seed})"));
        header.AppendLine(logic is null ? (_z3 ? string.Empty : "(set-logic ALL)") : $"(set-logic {logic})");
        await process.SendAsync(header.ToString(), cancellationToken);
        return process;
    }

    private async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }
}
