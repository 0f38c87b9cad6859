namespace ProofAgent.Agent;

/// <summary>
/// Closes the first goal of a proof state with a language's own automation (Isabelle: sledgehammer), returning the
/// tactics it suggests; each suggestion is still run in the session and the final file re-checked.
/// </summary>
public interface IGoalAutomation
{
    Task<IReadOnlyList<string>> SuggestAsync(IProverSession session, ProofStateId state, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// How the agent reaches the provers, through abstractions only: a checker per language, an interactive prover where
/// the language has one, the language's static scanner (the one its checker's gate uses), and a language's own goal
/// automation where it has one. The caller (the CLI, the service) builds
/// it from its prover catalog; the agent never constructs a prover or a process.
/// </summary>
public sealed record ProverAccess(
    Func<ProofLanguage, IProofChecker> Checker,
    Func<ProofLanguage, IInteractiveProver?> Interactive,
    Func<ProofLanguage, ISourceScanner?> Scanner)
{
    /// <summary>Per language: automation that suggests tactics for a goal (none by default).</summary>
    public Func<ProofLanguage, IGoalAutomation?> Automation { get; init; } = _ => null;

    public ProverAccess WithAutomation(Func<ProofLanguage, IGoalAutomation?> automation) => this with { Automation = automation };
}
