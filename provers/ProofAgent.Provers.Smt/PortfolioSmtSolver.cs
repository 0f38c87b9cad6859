namespace ProofAgent.Provers.Smt;

/// <summary>
/// Runs several solvers on the same question at once and takes the first definite answer (sat or unsat); the others
/// are cancelled, which kills their processes. When none is definite, the first solver's answer is returned.
/// </summary>
public sealed class PortfolioSmtSolver(IReadOnlyList<ISmtSolver> solvers) : ISmtSolver
{
    public string Name { get; } = $"portfolio({string.Join(",", solvers.Select(s => s.Name))})";

    /// <summary>Which member gave the last definite answer (for traces).</summary>
    public string? LastWinner { get; private set; }

    public async Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var probes = await Task.WhenAll(solvers.Select(s => s.ProbeAsync(cancellationToken)));
        var available = probes.OfType<ProverAvailability.Available>().ToList();
        if (available.Count == 0)
        {
            var missing = probes.OfType<ProverAvailability.Missing>().ToList();
            return new ProverAvailability.Missing(Name, string.Join("; ", missing.Select(m => m.Reason)), string.Join("; ", missing.Select(m => m.InstallHint)));
        }

        var version = string.Join(",", available.Select(a => a.Identity.ToString()));
        return new ProverAvailability.Available(new ProverIdentity(Name, version), available[0].ExecutablePath);
    }

    public async Task<SmtAnswer> CheckSatAsync(SmtQuery query, CancellationToken cancellationToken = default)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = solvers.Select(s => (Solver: s, Task: s.CheckSatAsync(query, race.Token))).ToList();
        var all = pending.ToList();
        while (pending.Count > 0)
        {
            var finished = await Task.WhenAny(pending.Select(p => p.Task));
            var entry = pending.First(p => p.Task == finished);
            pending.Remove(entry);
            if (finished.IsCompletedSuccessfully && finished.Result.IsDefinite)
            {
                LastWinner = entry.Solver.Name;
                await race.CancelAsync();
                await DrainAsync(pending.Select(p => p.Task));
                return finished.Result;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var first = all[0].Task;
        return first.IsCompletedSuccessfully ? first.Result : new SmtAnswer.Error(first.Exception?.GetBaseException().Message ?? "solver failed");
    }

    public async Task<SmtScriptResult> RunScriptAsync(string script, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var expected = SmtOutputReader.CountCheckSats(script);
        var pending = solvers.Select(s => s.RunScriptAsync(script, timeout, race.Token)).ToList();
        var all = pending.ToList();
        while (pending.Count > 0)
        {
            var finished = await Task.WhenAny(pending);
            pending.Remove(finished);
            if (finished.IsCompletedSuccessfully && finished.Result.Failure is null &&
                finished.Result.Answers.Count == expected && finished.Result.Answers.All(a => a.IsDefinite))
            {
                await race.CancelAsync();
                await DrainAsync(pending);
                return finished.Result;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return await all[0];
    }

    private static async Task DrainAsync(IEnumerable<Task> tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
            // The losers were cancelled on purpose.
        }
    }
}
