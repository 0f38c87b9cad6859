namespace ProofAgent.Cluster.Nodes;

/// <summary>The loop of the cluster's background readers: a round every period until the node stops.</summary>
internal static class Periodic
{
    /// <summary>
    /// Runs <paramref name="round"/> every <paramref name="period"/> (the first one at once, or after a period when
    /// <paramref name="waitFirst"/>) until <paramref name="stoppingToken"/> is cancelled. A failed round is handed to
    /// <paramref name="failed"/> and the next round tries again: a background reader must not stop on one failure.
    /// </summary>
    public static async Task RunAsync(TimeSpan period, bool waitFirst, Func<CancellationToken, Task> round, Action<Exception> failed, CancellationToken stoppingToken)
    {
        try
        {
            if (waitFirst)
            {
                await Task.Delay(period, stoppingToken);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await round(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed round is retried at the next one.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    failed(exception);
                }

                await Task.Delay(period, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
