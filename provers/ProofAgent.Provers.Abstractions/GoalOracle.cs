namespace ProofAgent.Provers;

/// <summary>
/// Decides a proof goal outside the prover (for example by translating it to SMT): the agent uses it to settle goals,
/// to prune false lemmas with a counterexample, and to pick tactics. Its answers are advice: only the prover's kernel
/// makes a proof count.
/// </summary>
public interface IGoalOracle
{
    /// <summary>Decides <paramref name="goal"/> (hypotheses and conclusion as the prover prints them) of a language.</summary>
    Task<GoalVerdict> DecideAsync(ProofLanguage language, Goal goal, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Decides the first theorem statement of a whole source file (<paramref name="source"/>, as the user wrote it),
    /// before any proof search: a counterexample shows the statement false. Oracles that only read goals say so.
    /// </summary>
    Task<GoalVerdict> DecideStatementAsync(ProofLanguage language, string source, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Task.FromResult<GoalVerdict>(new GoalVerdict.Untranslatable("this oracle decides printed goals only, not source statements"));
}

/// <summary>What an oracle concluded about a goal. Closed: switch on the type.</summary>
public abstract record GoalVerdict
{
    private GoalVerdict()
    {
    }

    /// <summary>The goal holds under its hypotheses (for every value of its variables).</summary>
    public sealed record Valid(string Solver) : GoalVerdict;

    /// <summary>Values of the goal's variables that satisfy the hypotheses and falsify the conclusion.</summary>
    public sealed record Counterexample(IReadOnlyDictionary<string, string> Model, string Solver) : GoalVerdict;

    /// <summary>The solver could not decide (timeout, unknown).</summary>
    public sealed record Unknown(string Reason) : GoalVerdict;

    /// <summary>The goal is outside the fragment the oracle translates; says precisely what was not understood.</summary>
    public sealed record Untranslatable(string Reason) : GoalVerdict;
}
