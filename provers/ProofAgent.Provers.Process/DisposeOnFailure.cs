namespace ProofAgent.Provers.Processes;

/// <summary>
/// Starting an interactive prover takes several steps after the process exists (its greeting, the import header, a
/// session on the server). If one fails, the owner of the process is disposed (its process tree killed) before the
/// failure propagates, so a failed start never leaks a prover.
/// </summary>
public static class DisposeOnFailure
{
    /// <summary>Runs <paramref name="steps"/>; when they throw (or are cancelled), disposes <paramref name="owner"/> and rethrows.</summary>
    public static async Task<TResult> DisposeOnFailureAsync<TResult>(this IAsyncDisposable owner, Func<Task<TResult>> steps)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(steps);
        try
        {
            return await steps();
        }
        catch
        {
            await owner.DisposeAsync();
            throw;
        }
    }
}
