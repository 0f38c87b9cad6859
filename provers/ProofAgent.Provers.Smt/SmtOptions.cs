namespace ProofAgent.Provers.Smt;

/// <summary>Which SMT solvers to use and where they are.</summary>
public sealed record SmtOptions
{
    public static SmtOptions Default { get; } = new();

    /// <summary>z3 executable (a name looked up on PATH, or a path).</summary>
    public string Z3 { get; init; } = "z3";

    /// <summary>cvc5 executable.</summary>
    public string Cvc5 { get; init; } = "cvc5";

    /// <summary>The solver for whole-script checks and validity questions: <c>z3</c>, <c>cvc5</c>, <c>portfolio</c> or <c>z3-inprocess</c>.</summary>
    public string Solver { get; init; } = "z3";

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
