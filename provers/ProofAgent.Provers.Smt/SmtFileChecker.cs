using System.Text;

namespace ProofAgent.Provers.Smt;

/// <summary>
/// Checks an SMT-LIB script as a proof: it is proved iff every <c>(check-sat)</c> is answered <c>unsat</c> (each refutes
/// the negation of what it states), by two independent solvers that agree. A script is its own statement.
/// <para>The script is read as data (<see cref="SmtScript"/>, <see cref="SmtScriptPolicy"/>): commands that print are
/// dropped, commands that redirect or reset output are refused. Each kept command is sent followed by an
/// <c>(echo)</c> of a marker the script cannot know, with <c>:print-success true</c>, so every line of the solver's output
/// is tied to the command that produced it; an answer is read only where a <c>(check-sat)</c> stands.</para>
/// </summary>
public sealed class SmtFileChecker : IProofChecker
{
    private readonly IReadOnlyList<ISmtSolver> _solvers;

    /// <param name="solvers">At least two independent solvers (z3 and cvc5): every one must answer <c>unsat</c>.</param>
    public SmtFileChecker(IReadOnlyList<ISmtSolver> solvers)
    {
        ArgumentNullException.ThrowIfNull(solvers);
        if (solvers.Count < 2 || solvers.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != solvers.Count)
        {
            throw new ArgumentException("an SMT-LIB proof needs two distinct solvers to agree", nameof(solvers));
        }

        _solvers = solvers;
    }

    public ProofLanguage Language => ProofLanguage.Smt;

    public IReadOnlyList<ISmtSolver> Solvers => _solvers;

    public async Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var probes = await Task.WhenAll(_solvers.Select(s => s.ProbeAsync(cancellationToken)));
        if (probes.OfType<ProverAvailability.Missing>().FirstOrDefault() is { } missing)
        {
            return missing with { Reason = $"{missing.Reason} (an SMT-LIB proof is checked by {string.Join(" and ", _solvers.Select(s => s.Name))}, which must agree)" };
        }

        var available = probes.Cast<ProverAvailability.Available>().ToList();
        var identity = new ProverIdentity(
            string.Join("+", available.Select(a => a.Identity.Name)),
            string.Join("+", available.Select(a => a.Identity.Version)),
            string.Join("+", available.Select(a => a.Identity.ToolchainHash ?? "unknown")));
        return new ProverAvailability.Available(identity, available[0].ExecutablePath);
    }

    /// <summary>The path every checker follows (<see cref="CheckPipeline"/>): the script policy, the probe, then both solvers.</summary>
    public Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default) =>
        CheckPipeline.RunAsync("smt", task, Scan, ProbeAsync, RunAsync, cancellationToken);

    /// <summary>The script read as data: a script that tries to talk to the service is refused whether or not a solver is here.</summary>
    private static GateScan<SmtPolicyOutcome> Scan(ProofTask task)
    {
        IReadOnlyList<SmtCommand> commands;
        try
        {
            commands = SmtScript.Parse(task.Source);
        }
        catch (SmtScriptException exception)
        {
            return new GateScan<SmtPolicyOutcome>.Decided(
                new Verdict.Failed("the script is not well-formed SMT-LIB"), [new Diagnostic(DiagnosticSeverity.Error, exception.Line, exception.Column, exception.Message)]);
        }

        var policy = SmtScriptPolicy.Apply(commands);
        var notes = Notes(policy);
        if (policy.Refused.Count > 0)
        {
            var refused = policy.Refused.Select(r => new Diagnostic(DiagnosticSeverity.Error, r.Command.Line, r.Command.Column, r.Why)).ToList();
            return new GateScan<SmtPolicyOutcome>.Decided(new Verdict.Unsound([.. policy.Refused.Select(r => $"line {r.Command.Line}: {r.Why}")]), [.. refused, .. notes]);
        }

        return new GateScan<SmtPolicyOutcome>.Passed(policy, notes);
    }

    private async Task<CheckResult> RunAsync(CheckRun<SmtPolicyOutcome> run, CancellationToken cancellationToken)
    {
        var policy = run.Reading;
        var notes = Notes(policy);
        if (policy.Questions.Count == 0)
        {
            return run.Result(new Verdict.Failed("the script has no (check-sat): nothing is proved"), notes);
        }

        var nonce = Guid.NewGuid().ToString("N");
        var framed = Frame(policy.Kept, nonce);
        var runs = await Task.WhenAll(_solvers.Select(s => s.RunScriptAsync(framed, run.Task.Budget.WallClock, cancellationToken)));
        var readings = _solvers.Zip(runs, (solver, answer) => Read(solver.Name, answer, policy.Kept, nonce)).ToList();
        var (verdict, results) = Judge(readings, policy.Questions, run.Task.Budget.WallClock);
        var diagnostics = notes.Concat(readings.SelectMany(r => r.Errors)).ToList();
        return run.Result(verdict, diagnostics, processRuns: _solvers.Count) with
        {
            SmtResults = results,
            CheckedBy = verdict.IsProved ? [.. _solvers.Select(s => s.Name)] : [],
        };
    }

    /// <summary>A warning for each command the policy dropped (they print, so their output is not the solver's answer).</summary>
    private static List<Diagnostic> Notes(SmtPolicyOutcome policy) =>
        [.. policy.Dropped.Select(d => new Diagnostic(DiagnosticSeverity.Warning, d.Command.Line, d.Command.Column, $"ignored: {d.Why}"))];

    /// <summary>The kept commands, each followed by an echo of its marker, under <c>:print-success true</c>.</summary>
    private static string Frame(IReadOnlyList<SmtCommand> commands, string nonce)
    {
        var builder = new StringBuilder("(set-option :print-success true)\n");
        for (var i = 0; i < commands.Count; i++)
        {
            builder.Append(commands[i].Text).Append('\n').Append($"(echo \"{Marker(nonce, i)}\")\n");
        }

        return builder.ToString();
    }

    private static string Marker(string nonce, int index) => $"proofagent-{nonce}-{index}";

    /// <summary>One solver's answers, one per question (null where it gave none), and the errors it reported, located.</summary>
    private sealed record SolverReading(string Solver, IReadOnlyList<string?> Answers, IReadOnlyList<Diagnostic> Errors, SmtAnswer? Failure);

    private static SolverReading Read(string solver, SmtScriptResult run, IReadOnlyList<SmtCommand> commands, string nonce)
    {
        var segments = new List<List<string>> { new() };
        var markers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < commands.Count; i++)
        {
            markers[Marker(nonce, i)] = i;
        }

        var closed = new List<int>();
        foreach (var raw in run.Output.Split('\n'))
        {
            var line = raw.Trim().Trim('"');
            if (markers.TryGetValue(line, out var index))
            {
                closed.Add(index);
                segments.Add([]);
            }
            else if (line.Length > 0 && line != "success")
            {
                segments[^1].Add(raw.Trim());
            }
        }

        var answers = new List<string?>();
        var errors = new List<Diagnostic>();
        for (var i = 0; i < commands.Count; i++)
        {
            // The output of command i sits between the marker before it and its own marker, which must come in order.
            var position = closed.IndexOf(i);
            var segment = position >= 0 && position == i ? segments[i] : null;
            var isQuestion = commands[i].Name is "check-sat" or "check-sat-assuming";
            if (segment is null)
            {
                if (isQuestion)
                {
                    answers.Add(null);
                }

                continue;
            }

            var errorLines = segment.Where(l => l.StartsWith("(error", StringComparison.Ordinal)).ToList();
            errors.AddRange(errorLines.Select(e => new Diagnostic(DiagnosticSeverity.Error, commands[i].Line, commands[i].Column, $"{solver}: {e}")));
            var rest = segment.Except(errorLines).ToList();
            if (isQuestion)
            {
                answers.Add(rest is [var answer] && answer is "sat" or "unsat" or "unknown" ? answer : null);
                if (rest.Count > 1)
                {
                    errors.Add(new Diagnostic(DiagnosticSeverity.Error, commands[i].Line, commands[i].Column, $"{solver} printed more than one answer for this (check-sat)"));
                }
            }
            else if (rest.Count > 0)
            {
                errors.Add(new Diagnostic(DiagnosticSeverity.Error, commands[i].Line, commands[i].Column, $"{solver} printed unexpected output for ({commands[i].Name}): {rest[0]}"));
            }
        }

        return new SolverReading(solver, answers, errors, run.Failure);
    }

    private static (Verdict Verdict, IReadOnlyList<string> Results) Judge(IReadOnlyList<SolverReading> readings, IReadOnlyList<SmtCommand> questions, TimeSpan limit)
    {
        var results = new List<string>();
        var problems = new List<string>();
        for (var q = 0; q < questions.Count; q++)
        {
            var answers = readings.Select(r => (r.Solver, Answer: q < r.Answers.Count ? r.Answers[q] : null)).ToList();
            var distinct = answers.Select(a => a.Answer).Distinct().ToList();
            results.Add(distinct is [{ } agreed] ? agreed : "unknown");
            if (answers.Any(a => a.Answer == "sat") && answers.Any(a => a.Answer == "unsat"))
            {
                return (new Verdict.Error($"the solvers disagree on the (check-sat) at line {questions[q].Line}: {Describe(answers)}"), results);
            }

            if (answers.FirstOrDefault(a => a.Answer == "sat") is { Solver: { } satSolver })
            {
                problems.Add($"line {questions[q].Line}: {satSolver} answered sat");
            }
            else if (answers.Any(a => a.Answer != "unsat"))
            {
                problems.Add($"line {questions[q].Line}: not confirmed by both solvers ({Describe(answers)})");
            }
        }

        if (problems.Count == 0)
        {
            return (readings.Any(r => r.Errors.Count > 0) ? new Verdict.Failed("a solver reported an error") : Verdict.Proved.Instance, results);
        }

        if (readings.FirstOrDefault(r => r.Failure is SmtAnswer.Timeout) is not null && !problems.Any(p => p.Contains("answered sat", StringComparison.Ordinal)))
        {
            return (new Verdict.Timeout(limit), results);
        }

        if (readings.Select(r => r.Failure).OfType<SmtAnswer.Unavailable>().FirstOrDefault() is { } unavailable)
        {
            return (new Verdict.Unavailable(unavailable.Solver, unavailable.Reason, unavailable.InstallHint), results);
        }

        return (new Verdict.Failed($"not every (check-sat) is unsat for both solvers: {string.Join("; ", problems)}"), results);

        static string Describe(IEnumerable<(string Solver, string? Answer)> answers) =>
            string.Join(", ", answers.Select(a => $"{a.Solver}: {a.Answer ?? "no answer"}"));
    }
}
