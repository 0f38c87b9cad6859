namespace ProofAgent.Provers.Smt;

/// <summary>Which SMT solvers to use and where they are.</summary>
/// <param name="Z3">z3 executable (a name looked up on PATH, or a path).</param>
/// <param name="Cvc5">cvc5 executable.</param>
/// <param name="Solver">The solver for whole-script checks and validity questions: <c>z3</c>, <c>cvc5</c>, <c>portfolio</c> or <c>z3-inprocess</c>.</param>
public sealed record SmtOptions(string Z3 = "z3", string Cvc5 = "cvc5", string Solver = "z3")
{
    public static SmtOptions Default { get; } = new();

    /// <summary>Seconds a solver may run past its own soft timeout before the process is killed.</summary>
    public TimeSpan HardTimeoutGrace { get; init; } = TimeSpan.FromSeconds(2);

    public SmtOptions WithSolver(string solver) => this with { Solver = solver };
}

/// <summary>Builds the configured solver.</summary>
public static class SmtSolverFactory
{
    public static IReadOnlyList<string> Names { get; } = ["z3", "cvc5", "portfolio", "z3-inprocess"];

    public static ISmtSolver Create(SmtOptions options, Processes.IProcessRunner runner) => options.Solver.ToLowerInvariant() switch
    {
        "z3" => ProcessSmtSolver.Z3(runner, options),
        "cvc5" => ProcessSmtSolver.Cvc5(runner, options),
        "portfolio" => new PortfolioSmtSolver([ProcessSmtSolver.Z3(runner, options), ProcessSmtSolver.Cvc5(runner, options)]),
        "z3-inprocess" => new InProcessZ3Solver(),
        var other => throw new ArgumentException($"unknown SMT solver '{other}'; expected one of {string.Join(", ", Names)}", nameof(options)),
    };
}
