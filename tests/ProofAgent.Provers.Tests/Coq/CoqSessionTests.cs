using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Coq;

/// <summary>Interactive sessions against the real coqidetop.</summary>
public sealed class CoqSessionTests
{
    private static readonly CoqInteractiveProver Prover = new(CoqOptions.Default, new ResourceLimitIsolation());

    [RequiresToolsFact("coqidetop.opt", Timeout = 120_000)]
    public async Task I_can_prove_step_by_step_and_see_the_goals()
    {
        await using var session = await Prover.OpenAsync("Require Import Coq.Arith.PeanoNat.", ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(30)));

        var start = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("Theorem add_0 : forall n : nat, n + 0 = n."));
        Assert.Equal("forall n : nat, n + 0 = n", Assert.Single(start.Open).Conclusion);

        var intro = Assert.IsType<StepResult.Goals>(await session.RunTacticAsync(start.State, "intro n."));
        var goal = Assert.Single(intro.Open);
        Assert.Equal("n + 0 = n", goal.Conclusion);
        Assert.Equal(["n"], Assert.Single(goal.Hypotheses).Names);

        var wrong = Assert.IsType<StepResult.StepError>(await session.RunTacticAsync(intro.State, "apply no_such_lemma."));
        Assert.Contains("no_such_lemma", wrong.Message, StringComparison.Ordinal);

        // The failed step left the state usable; a two-sentence tactic runs both sentences.
        Assert.IsType<StepResult.ProofFinished>(await session.RunTacticAsync(intro.State, "rewrite Nat.add_0_r. reflexivity."));
        Assert.True(session.IsHealthy);
    }

    [RequiresToolsFact("coqidetop.opt", Timeout = 120_000)]
    public async Task States_stay_valid_when_the_search_branches()
    {
        await using var session = await Prover.OpenAsync(string.Empty, ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(30)));
        var start = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("Theorem both : True /\\ 1 = 1."));
        var split = Assert.IsType<StepResult.Goals>(await session.RunTacticAsync(start.State, "split."));
        Assert.Equal(2, split.Open.Count);

        // Branch A goes deeper; branch B restarts from the root; then A's state is used again and must be replayed.
        var branchA = Assert.IsType<StepResult.Goals>(await session.RunTacticAsync(split.State, "exact I."));
        var branchB = Assert.IsType<StepResult.Goals>(await session.RunTacticAsync(start.State, "constructor."));
        Assert.Equal(2, branchB.Open.Count);
        Assert.IsType<StepResult.ProofFinished>(await session.RunTacticAsync(branchA.State, "reflexivity."));
    }

    [RequiresToolsFact("coqidetop.opt", Timeout = 120_000)]
    public async Task Holes_are_refused_as_search_steps()
    {
        await using var session = await Prover.OpenAsync(string.Empty, ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(30)));
        var start = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("Theorem t : 1 = 2."));

        Assert.IsType<StepResult.StepError>(await session.RunTacticAsync(start.State, "admit."));
    }

    [RequiresToolsFact("coqidetop.opt", Timeout = 120_000)]
    public async Task A_step_that_outlives_its_limit_kills_the_session()
    {
        var session = (CoqIdeTopSession)await Prover.OpenAsync(string.Empty, ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(3)));
        await using var _ = session;
        var start = Assert.IsType<StepResult.Goals>(await session.StartProofAsync(
            "Theorem slow : (fix blow (n : nat) : nat := match n with 0 => 1 | S m => blow m + blow m end) 60 = 0."));
        var pid = session.ProcessId;

        await Assert.ThrowsAsync<ProverTimeoutException>(() => session.RunTacticAsync(start.State, "vm_compute. reflexivity."));

        Assert.False(session.IsHealthy);
        await Processes.ProcessRunnerTests.WaitUntilGoneAsync(pid);
    }

    [RequiresToolsFact("coqidetop.opt", Timeout = 60_000)]
    public async Task A_bad_header_is_reported_clearly()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Prover.OpenAsync("Require Import NoSuchLibrary.", ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(30))));

        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }
}
