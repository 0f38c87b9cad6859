namespace ProofAgent.Provers;

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

/// <summary>A session that also answers queries about its libraries at a state (Coq: <c>Search</c>, <c>Check</c>, <c>Print</c>).</summary>
public interface IQueryableProverSession : IProverSession
{
    /// <summary>Runs a query at a state and returns its messages; the state is unchanged.</summary>
    Task<string> QueryAsync(ProofStateId state, string query, CancellationToken cancellationToken = default);
}
