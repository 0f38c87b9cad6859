namespace ProofAgent.Provers;

/// <summary>The result of one step in an interactive session (LeanDojo's union: state, finished, or error).</summary>
public abstract record StepResult
{
    private StepResult()
    {
    }

    /// <summary>The step succeeded and goals remain.</summary>
    public sealed record Goals(ProofStateId State, IReadOnlyList<Goal> Open) : StepResult;

    /// <summary>No goals remain. A search signal only: acceptance needs a full re-check through <see cref="IProofChecker"/>.</summary>
    public sealed record ProofFinished(ProofStateId State) : StepResult;

    /// <summary>The prover rejected the step; the session stays at the previous state.</summary>
    public sealed record StepError(string Message, Diagnostic? Location = null) : StepResult;
}
