namespace ProofAgent.Agent.Sessions;

/// <summary>
/// The interactive session of one target, opened on first use: a session lost to a tactic (a crash, a flood of output, a
/// hang) is replaced on the next <see cref="AcquireAsync"/>, at most <see cref="MaxOpens"/> times, and the lease closes
/// whatever it opened. The tactic that lost a session is remembered by the search (<see cref="AttemptContext.SessionKillers"/>).
/// </summary>
public sealed class SessionLease(IInteractiveProver? prover, string header, string language, AttemptContext context) : IAsyncDisposable
{
    /// <summary>A session, and one replacement after a loss: one flood of output does not end the attempt, a prover that keeps dying does.</summary>
    public const int MaxOpens = 2;

    private IProverSession? _session;
    private bool _failed;

    /// <summary>How many sessions this lease opened.</summary>
    public int Opened { get; private set; }

    /// <summary>True when the last session acquired was lost.</summary>
    public bool Lost => _session is { IsHealthy: false };

    /// <summary>The current healthy session, a replacement for a lost one, or null (no interactive prover, it cannot start, or too many losses).</summary>
    public async Task<IProverSession?> AcquireAsync(CancellationToken cancellationToken)
    {
        if (_session is { IsHealthy: true } healthy)
        {
            return healthy;
        }

        if (prover is null || _failed || Opened >= MaxOpens)
        {
            return null;
        }

        if (_session is not null)
        {
            await _session.DisposeAsync();
            _session = null;
        }

        try
        {
            Opened++;
            var perRequest = context.Budget.TacticTimeout + TimeSpan.FromSeconds(30);
            _session = await prover.OpenAsync(header, ResourceBudget.Default.WithWallClock(perRequest), cancellationToken);
            return _session;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or ProverCrashedException or ProverTimeoutException or FileNotFoundException)
        {
            _failed = true;
            context.Note($"the {language} session could not start: {exception.Message}");
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
            _session = null;
        }
    }
}
