namespace ProofAgent.Provers;

/// <summary>Opens interactive sessions for one language.</summary>
public interface IInteractiveProver
{
    ProofLanguage Language { get; }

    /// <summary>Starts a session whose environment is the given header (imports, options).</summary>
    Task<IProverSession> OpenAsync(string header, ResourceBudget budget, CancellationToken cancellationToken = default);
}
