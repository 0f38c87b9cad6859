using ProofAgent.Provers;

namespace ProofAgent.Agent.Tests;

/// <summary>A checker for control-flow tests: proves exactly the candidates <paramref name="proves"/> accepts; otherwise fails at the line of the first <paramref name="failingText"/>.</summary>
public sealed class FakeChecker(ProofLanguage language, Func<string, bool> proves, string failingText = "", string message = "Error: the fake checker rejects this") : IProofChecker
{
    public List<string> Checked { get; } = [];

    public ProofLanguage Language => language;

    public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<ProverAvailability>(new ProverAvailability.Available(new ProverIdentity("fake", "1"), "/fake"));

    public Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default)
    {
        Checked.Add(task.Source);
        if (proves(task.Source))
        {
            return Task.FromResult(CheckResult.FromVerdict(Verdict.Proved.Instance, new ProverIdentity("fake", "1"), TimeSpan.Zero));
        }

        var lines = task.Source.Split('\n');
        var line = failingText.Length == 0 ? 0 : Array.FindIndex(lines, l => l.Contains(failingText, StringComparison.Ordinal)) + 1;
        return Task.FromResult(CheckResult.FromVerdict(new Verdict.Failed(message), new ProverIdentity("fake", "1"), TimeSpan.Zero, Diagnostic.Error(message, line, 1)));
    }
}

/// <summary>
/// A session whose steps are given by the test: <paramref name="step"/> maps (state, tactic) to a result; null means the
/// prover rejects the step. States are numbered from the start state 0.
/// </summary>
public sealed class FakeSession(IReadOnlyList<Goal> start, Func<long, string, StepResult?> step) : IProverSession
{
    public List<string> Tactics { get; } = [];

    public bool Crashed { get; set; }

    public ProverIdentity Identity { get; } = new("fake-session", "1");

    public bool IsHealthy => !Crashed;

    public int Uses => Tactics.Count;

    public Task<StepResult> StartProofAsync(string statement, CancellationToken cancellationToken = default) =>
        Crashed ? throw new ProverCrashedException("crashed before") : Task.FromResult<StepResult>(new StepResult.Goals(new ProofStateId(0), start));

    public Task<StepResult> RunTacticAsync(ProofStateId state, string tactic, CancellationToken cancellationToken = default)
    {
        if (Crashed)
        {
            throw new ProverCrashedException("crashed before");
        }

        Tactics.Add(tactic);
        return Task.FromResult(step(state.Value, tactic) ?? new StepResult.StepError($"rejected: {tactic}"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Opens the sessions a test makes, in order.</summary>
public sealed class FakeProver(ProofLanguage language, Func<int, IProverSession> open) : IInteractiveProver
{
    public int Opened { get; private set; }

    public ProofLanguage Language => language;

    public Task<IProverSession> OpenAsync(string header, ResourceBudget budget, CancellationToken cancellationToken = default) =>
        Task.FromResult(open(Opened++));
}
