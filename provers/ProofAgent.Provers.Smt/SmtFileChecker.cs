using System.Diagnostics;

namespace ProofAgent.Provers.Smt;

/// <summary>
/// Checks an SMT-LIB script as a proof: it is proved iff every <c>(check-sat)</c> is answered <c>unsat</c>
/// (each one refutes the negation of what it states). A script is its own statement.
/// </summary>
public sealed class SmtFileChecker(ISmtSolver solver) : IProofChecker
{
    public ProofLanguage Language => ProofLanguage.Smt;

    public ISmtSolver Solver => solver;

    public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) => solver.ProbeAsync(cancellationToken);

    public async Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var availability = await solver.ProbeAsync(cancellationToken);
        if (availability is ProverAvailability.Missing missing)
        {
            return CheckResult.FromVerdict(missing.ToVerdict(), ProverIdentity.Unknown(solver.Name), clock.Elapsed);
        }

        var identity = ((ProverAvailability.Available)availability).Identity;
        int expected;
        try
        {
            expected = SmtOutputReader.CountCheckSats(task.Source);
        }
        catch (FormatException exception)
        {
            return CheckResult.FromVerdict(new Verdict.Failed("the script is not well-formed SMT-LIB"), identity, clock.Elapsed, Diagnostic.Error(exception.Message));
        }

        if (expected == 0)
        {
            return CheckResult.FromVerdict(new Verdict.Failed("the script has no (check-sat): nothing is proved"), identity, clock.Elapsed);
        }

        var run = await solver.RunScriptAsync(task.Source, task.Budget.WallClock, cancellationToken);
        var names = run.Answers.Select(a => a.Name).ToList();
        var diagnostics = new List<Diagnostic>();
        Verdict verdict = run.Failure switch
        {
            SmtAnswer.Timeout t => new Verdict.Timeout(t.Limit),
            SmtAnswer.Unavailable u => new Verdict.Unavailable(u.Solver, u.Reason, u.InstallHint),
            SmtAnswer.Error e when run.Answers.Count < expected => new Verdict.Failed($"solver error: {e.Message}"),
            _ when run.Answers.Count < expected => new Verdict.Error($"expected {expected} answers, the solver gave {run.Answers.Count}"),
            _ when run.Answers.All(a => a is SmtAnswer.Unsat) => Verdict.Proved.Instance,
            _ => new Verdict.Failed($"not every (check-sat) is unsat: {string.Join(", ", names)}"),
        };
        if (run.Failure is SmtAnswer.Error error)
        {
            diagnostics.Add(Diagnostic.Error(error.Message));
            if (verdict is Verdict.Proved)
            {
                // An error anywhere (e.g. an undeclared symbol after the last check-sat) means the script is not what it claims.
                verdict = new Verdict.Failed($"solver error: {error.Message}");
            }
        }

        return new CheckResult(verdict, [], diagnostics, identity, new ResourceUsage(clock.Elapsed, ProcessRuns: 1)) { SmtResults = names };
    }
}
