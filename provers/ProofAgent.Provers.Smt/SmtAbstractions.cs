namespace ProofAgent.Provers.Smt;

/// <summary>A solver's answer to one satisfiability question. Closed: switch on the type.</summary>
public abstract record SmtAnswer
{
    private SmtAnswer()
    {
    }

    /// <summary>The SMT-LIB spelling: <c>sat</c>, <c>unsat</c>, <c>unknown</c>, <c>timeout</c>, <c>error</c>, <c>unavailable</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Satisfiable; <see cref="Model"/> holds the witness when models were requested.</summary>
    public sealed record Sat(SmtModel? Model) : SmtAnswer
    {
        public override string Name => "sat";
    }

    public sealed record Unsat : SmtAnswer
    {
        public static Unsat Instance { get; } = new();

        public override string Name => "unsat";
    }

    /// <summary>The solver gave up; <see cref="Reason"/> is its <c>:reason-unknown</c> when it said one.</summary>
    public sealed record Unknown(string Reason) : SmtAnswer
    {
        public override string Name => "unknown";
    }

    public sealed record Timeout(TimeSpan Limit) : SmtAnswer
    {
        public override string Name => "timeout";
    }

    public sealed record Error(string Message) : SmtAnswer
    {
        public override string Name => "error";
    }

    public sealed record Unavailable(string Solver, string Reason, string InstallHint) : SmtAnswer
    {
        public override string Name => "unavailable";
    }

    /// <summary>True for <c>sat</c> and <c>unsat</c>, the answers a portfolio may stop on.</summary>
    public bool IsDefinite => this is Sat or Unsat;
}

/// <summary>A model: each declared constant's value as SMT-LIB text (<c>x</c> → <c>3</c>, <c>y</c> → <c>(- 1)</c>, <c>r</c> → <c>(/ 1 2)</c>).</summary>
public sealed record SmtModel(IReadOnlyDictionary<string, string> Values, string Raw)
{
    public override string ToString() => string.Join(", ", Values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} = {kv.Value}"));
}

/// <summary>
/// One satisfiability question in SMT-LIB 2: declarations and assertions, without <c>(check-sat)</c> (the solver adds it).
/// </summary>
public sealed record SmtQuery(string Script)
{
    /// <summary>Defaults for queries built without explicit limits.</summary>
    public static SmtQuery Default { get; } = new(string.Empty);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Ask for a model when the answer is sat.</summary>
    public bool ProduceModel { get; init; } = true;

    /// <summary>Random seed for the solver, for reproducible runs.</summary>
    public int Seed { get; init; }

    /// <summary>Optional <c>(set-logic ...)</c>; null lets the solver pick.</summary>
    public string? Logic { get; init; }

    /// <summary>Memory cap for the solver process (bytes).</summary>
    public long? MemoryBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    public SmtQuery WithTimeout(TimeSpan timeout) => this with { Timeout = timeout };

    public SmtQuery WithLogic(string? logic) => this with { Logic = logic };

    public SmtQuery WithSeed(int seed) => this with { Seed = seed };
}

/// <summary>The answers of a whole SMT-LIB script, one per <c>(check-sat)</c>, in order.</summary>
public sealed record SmtScriptResult(IReadOnlyList<SmtAnswer> Answers, string Output, TimeSpan Elapsed)
{
    /// <summary>Set when the run as a whole failed (timeout, crash, unavailable, solver error).</summary>
    public SmtAnswer? Failure { get; init; }
}

/// <summary>Any SMT solver: a process (z3, cvc5), a portfolio of them, or Z3 in-process.</summary>
public interface ISmtSolver
{
    /// <summary>Short name: <c>z3</c>, <c>cvc5</c>, <c>portfolio(z3,cvc5)</c>, <c>z3-inprocess</c>.</summary>
    string Name { get; }

    Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default);

    /// <summary>Decides satisfiability of the query's assertions.</summary>
    Task<SmtAnswer> CheckSatAsync(SmtQuery query, CancellationToken cancellationToken = default);

    /// <summary>Runs a complete SMT-LIB script as a file, collecting every <c>(check-sat)</c> answer.</summary>
    Task<SmtScriptResult> RunScriptAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>The answer to "is this formula valid?".</summary>
public abstract record ValidityAnswer
{
    private ValidityAnswer()
    {
    }

    /// <summary>The negation is unsat: the formula holds for all values.</summary>
    public sealed record Valid(string Solver) : ValidityAnswer;

    /// <summary>The negation is sat: <see cref="Model"/> falsifies the formula.</summary>
    public sealed record Counterexample(SmtModel Model, string Solver) : ValidityAnswer;

    /// <summary>No definite answer (unknown, timeout, error, unavailable), with the solver's reason.</summary>
    public sealed record Unknown(string Reason, SmtAnswer Answer) : ValidityAnswer;
}

public static class SmtSolverExtensions
{
    /// <summary>
    /// Asks whether <paramref name="formula"/> (an SMT-LIB Bool term) is valid under <paramref name="declarations"/>
    /// (declarations and background assertions): asserts its negation and reads the answer.
    /// </summary>
    public static async Task<ValidityAnswer> ProveValidAsync(
        this ISmtSolver solver,
        string declarations,
        string formula,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var query = new SmtQuery($"{declarations}\n(assert (not {formula}))\n") { Timeout = timeout, ProduceModel = true };
        var answer = await solver.CheckSatAsync(query, cancellationToken);
        return answer switch
        {
            SmtAnswer.Unsat => new ValidityAnswer.Valid(solver.Name),
            SmtAnswer.Sat { Model: { } model } => new ValidityAnswer.Counterexample(model, solver.Name),
            SmtAnswer.Sat => new ValidityAnswer.Counterexample(new SmtModel(new Dictionary<string, string>(), string.Empty), solver.Name),
            SmtAnswer.Unknown unknown => new ValidityAnswer.Unknown(unknown.Reason, answer),
            SmtAnswer.Timeout t => new ValidityAnswer.Unknown($"timeout after {t.Limit.TotalSeconds:0.###} s", answer),
            SmtAnswer.Error e => new ValidityAnswer.Unknown($"solver error: {e.Message}", answer),
            SmtAnswer.Unavailable u => new ValidityAnswer.Unknown($"{u.Solver} unavailable: {u.Reason}", answer),
            _ => new ValidityAnswer.Unknown(answer.Name, answer),
        };
    }
}
