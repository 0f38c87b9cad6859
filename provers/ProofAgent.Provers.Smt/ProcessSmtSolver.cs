using System.Globalization;
using System.Text;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Provers.Smt;

/// <summary>
/// An SMT-LIB solver run as a process per query (z3 or cvc5). The solver's own soft timeout gives a clean
/// <c>unknown</c>; the process layer's hard timeout (soft + grace) kills it if the soft one is ignored.
/// </summary>
public sealed class ProcessSmtSolver : ISmtSolver
{
    private readonly IProcessRunner _runner;
    private readonly SmtOptions _options;
    private readonly Dialect _dialect;
    private readonly ProbeCache _probe = new();

    private ProcessSmtSolver(IProcessRunner runner, SmtOptions options, Dialect dialect)
    {
        _runner = runner;
        _options = options;
        _dialect = dialect;
    }

    private enum Dialect
    {
        Z3,
        Cvc5,
    }

    public string Name => _dialect == Dialect.Z3 ? "z3" : "cvc5";

    private string Executable => _dialect == Dialect.Z3 ? _options.Z3 : _options.Cvc5;

    public static ProcessSmtSolver Z3(IProcessRunner runner, SmtOptions? options = null) => new(runner, options ?? SmtOptions.Default, Dialect.Z3);

    public static ProcessSmtSolver Cvc5(IProcessRunner runner, SmtOptions? options = null) => new(runner, options ?? SmtOptions.Default, Dialect.Cvc5);

    /// <summary>The solver's identity, re-probed whenever its binary changes on disk (version and content hash).</summary>
    public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) =>
        _probe.GetAsync([Executable], ProbeCoreAsync, cancellationToken);

    public async Task<SmtAnswer> CheckSatAsync(SmtQuery query, CancellationToken cancellationToken = default)
    {
        if (await ProbeAsync(cancellationToken) is ProverAvailability.Missing missing)
        {
            return new SmtAnswer.Unavailable(missing.Prover, missing.Reason, missing.InstallHint);
        }

        var script = new StringBuilder();
        if (query.ProduceModel)
        {
            script.AppendLine("(set-option :produce-models true)");
        }

        script.AppendLine(_dialect == Dialect.Z3
            ? string.Create(CultureInfo.InvariantCulture, $"(set-option :smt.random_seed {query.Seed})")
            : string.Create(CultureInfo.InvariantCulture, $"(set-option :seed {query.Seed})"));
        script.AppendLine(query.Logic is null ? (_dialect == Dialect.Cvc5 ? "(set-logic ALL)" : string.Empty) : $"(set-logic {query.Logic})");
        script.AppendLine(query.Script);
        script.AppendLine("(check-sat)");
        if (_dialect == Dialect.Z3)
        {
            // cvc5 treats get-info after sat/unsat as an error; z3 answers it harmlessly.
            script.AppendLine("(get-info :reason-unknown)");
        }

        if (query.ProduceModel)
        {
            script.AppendLine("(get-model)");
        }

        var outcome = await RunAsync(script.ToString(), query.Timeout, query.MemoryBytes, cancellationToken);
        if (outcome.TimedOut)
        {
            return new SmtAnswer.Timeout(query.Timeout);
        }

        if (outcome.Cancelled)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        var reading = SmtOutputReader.Read(outcome.StandardOutput);
        var first = reading.Answers.FirstOrDefault();
        return first switch
        {
            "unsat" => SmtAnswer.Unsat.Instance,
            "sat" => new SmtAnswer.Sat(reading.Models.FirstOrDefault()),
            "unknown" => new SmtAnswer.Unknown(string.IsNullOrEmpty(reading.ReasonUnknown) ? "the solver answered unknown" : reading.ReasonUnknown),
            "timeout" => new SmtAnswer.Timeout(query.Timeout),
            _ when outcome.StandardError.Contains("interrupted by timeout", StringComparison.Ordinal) => new SmtAnswer.Timeout(query.Timeout),
            _ when outcome.OutOfMemory => new SmtAnswer.Error($"{Name} ran out of memory"),
            _ => new SmtAnswer.Error(Describe(reading, outcome)),
        };
    }

    public async Task<SmtScriptResult> RunScriptAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (await ProbeAsync(cancellationToken) is ProverAvailability.Missing missing)
        {
            return new SmtScriptResult([], string.Empty, TimeSpan.Zero) { Failure = new SmtAnswer.Unavailable(missing.Prover, missing.Reason, missing.InstallHint) };
        }

        var outcome = await RunAsync(script, timeout, SmtQuery.Default.MemoryBytes, cancellationToken);
        var reading = SmtOutputReader.Read(outcome.StandardOutput);
        var answers = reading.Answers.Select<string, SmtAnswer>(a => a switch
        {
            "sat" => new SmtAnswer.Sat(null),
            "unsat" => SmtAnswer.Unsat.Instance,
            "timeout" => new SmtAnswer.Timeout(timeout),
            _ => new SmtAnswer.Unknown("the solver answered unknown"),
        }).ToList();
        SmtAnswer? failure = outcome switch
        {
            { TimedOut: true } => new SmtAnswer.Timeout(timeout),
            { OutOfMemory: true } => new SmtAnswer.Error($"{Name} ran out of memory"),
            _ when outcome.StandardError.Contains("interrupted by timeout", StringComparison.Ordinal) => new SmtAnswer.Timeout(timeout),
            _ when reading.Errors.Count > 0 => new SmtAnswer.Error(string.Join("; ", reading.Errors)),
            { ExitCode: not 0 } => new SmtAnswer.Error(Describe(reading, outcome)),
            _ => null,
        };
        return new SmtScriptResult(answers, outcome.StandardOutput, outcome.Elapsed) { Failure = failure };
    }

    private async Task<ProcessOutcome> RunAsync(string script, TimeSpan timeout, long? memory, CancellationToken cancellationToken)
    {
        var ms = (long)Math.Max(1, timeout.TotalMilliseconds);
        IReadOnlyList<string> arguments = _dialect == Dialect.Z3
            ? ["-smt2", "-in", string.Create(CultureInfo.InvariantCulture, $"-t:{ms}")]
            : ["--lang", "smt2", "--incremental", string.Create(CultureInfo.InvariantCulture, $"--tlimit-per={ms}"), "-"];
        var spec = new ProcessSpec(Executable, arguments) { StandardInput = script };
        var limits = new ProcessLimits(timeout + _options.HardTimeoutGrace) { MemoryBytes = memory };
        return await _runner.RunAsync(spec, limits, cancellationToken);
    }

    private string Describe(SmtOutputReader.Reading reading, ProcessOutcome outcome)
    {
        if (reading.Errors.Count > 0)
        {
            return string.Join("; ", reading.Errors);
        }

        var stderr = outcome.StandardError.Trim();
        var exit = outcome.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none";
        return $"{Name} gave no answer (exit {exit}){(stderr.Length > 0 ? ": " + stderr : string.Empty)}";
    }

    private Task<ProverAvailability> ProbeCoreAsync()
    {
        var hint = _dialect == Dialect.Z3 ? "install it with `apt-get install z3`" : "install it with `apt-get install cvc5`";
        return new VersionProbe(Name, Executable, ["--version"], hint) { Limits = new ProcessLimits(TimeSpan.FromSeconds(10)) }
            .RunAsync(_runner, ReadVersion, path => ExecutableFingerprint.Of(path) is { } fingerprint ? ExecutableFingerprint.ContentHash([fingerprint]) : null);
    }

    /// <summary>"Z3 version 4.8.12 - 64 bit" / "This is cvc5 version 1.0.3 [git ...]": the word after "version", else the first line.</summary>
    private static string ReadVersion(string output)
    {
        var line = output.Split('\n')[0];
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindIndex(words, w => w == "version");
        return index >= 0 && index + 1 < words.Length ? words[index + 1] : line.Trim();
    }
}

