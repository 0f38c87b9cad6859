namespace ProofAgent.Provers;

/// <summary>Whether a prover can run here, and which one it is.</summary>
public abstract record ProverAvailability
{
    private ProverAvailability()
    {
    }

    public sealed record Available(ProverIdentity Identity, string ExecutablePath) : ProverAvailability;

    public sealed record Missing(string Prover, string Reason, string InstallHint) : ProverAvailability
    {
        public Verdict.Unavailable ToVerdict() => new(Prover, Reason, InstallHint);
    }
}

/// <summary>One-shot, stateless checking of a whole artifact ("does this file check, soundly?").</summary>
public interface IProofChecker
{
    ProofLanguage Language { get; }

    /// <summary>Finds the prover and its version without checking anything.</summary>
    Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks the artifact through the soundness gate of its language.</summary>
    Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default);
}

/// <summary>Identifies a proof state inside one session.</summary>
public readonly record struct ProofStateId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A named hypothesis in a goal (<c>x y : R</c> has two names).</summary>
public sealed record Hypothesis(IReadOnlyList<string> Names, string Type, string? Body = null)
{
    public override string ToString() => $"{string.Join(" ", Names)} : {Type}";
}

/// <summary>One open goal: hypotheses above the line, the conclusion below.</summary>
public sealed record Goal(IReadOnlyList<Hypothesis> Hypotheses, string Conclusion, string? Id = null)
{
    public override string ToString() =>
        string.Join("\n", Hypotheses.Select(h => h.ToString())) + (Hypotheses.Count > 0 ? "\n" : string.Empty) + "⊢ " + Conclusion;
}

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

/// <summary>Opens interactive sessions for one language.</summary>
public interface IInteractiveProver
{
    ProofLanguage Language { get; }

    /// <summary>Starts a session whose environment is the given header (imports, options).</summary>
    Task<IProverSession> OpenAsync(string header, ResourceBudget budget, CancellationToken cancellationToken = default);
}

/// <summary>
/// A live prover process: goals in, tactic applied, goals out. One request in flight at a time.
/// A timeout or crash surfaces as <see cref="ProverTimeoutException"/> / <see cref="ProverCrashedException"/> and leaves the session unhealthy.
/// </summary>
public interface IProverSession : IAsyncDisposable
{
    ProverIdentity Identity { get; }

    /// <summary>False after a timeout or crash; a pool must replace the session.</summary>
    bool IsHealthy { get; }

    /// <summary>How many requests this session has served (pools recycle after a maximum).</summary>
    int Uses { get; }

    /// <summary>States a theorem and returns its initial goals.</summary>
    Task<StepResult> StartProofAsync(string statement, CancellationToken cancellationToken = default);

    /// <summary>Runs one tactic on the given state. The state stays valid, so a search can branch from it.</summary>
    Task<StepResult> RunTacticAsync(ProofStateId state, string tactic, CancellationToken cancellationToken = default);
}

/// <summary>The prover did not answer within its limit; its process was killed.</summary>
public sealed class ProverTimeoutException(string message, TimeSpan limit) : Exception(message)
{
    public TimeSpan Limit { get; } = limit;
}

/// <summary>The prover process died or spoke garbage.</summary>
public sealed class ProverCrashedException(string message, int? exitCode = null, bool isOutOfMemory = false, Exception? inner = null)
    : Exception(message, inner)
{
    public int? ExitCode { get; } = exitCode;

    public bool IsOutOfMemory { get; } = isOutOfMemory;
}
