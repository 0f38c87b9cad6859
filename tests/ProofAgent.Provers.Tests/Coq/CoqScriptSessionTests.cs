using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Processes;
using ProofAgent.Testing;
using Xunit;

namespace ProofAgent.Provers.Tests.Coq;

/// <summary>The audit's warm session: output where Redirect puts it, failures by line, every run from the base state.</summary>
public sealed class CoqScriptSessionTests
{
    [RequiresToolsFact("coqidetop.opt", Timeout = 120_000)]
    public async Task A_script_runs_from_the_preloaded_base_and_reports_its_first_failing_line()
    {
        var directory = Directory.CreateTempSubdirectory("proofagent-script-session-");
        try
        {
            await using var session = await CoqScriptSession.StartAsync(
                CoqOptions.Default, new ResourceLimitIsolation(), directory.FullName, [], ["From Coq Require Arith."],
                new ProcessLimits(TimeSpan.FromSeconds(60)), NullLogger.Instance, CancellationToken.None);

            // The preloaded library is there without an import (qualified names only), and Redirect output lands in the folder.
            var first = await session.RunAsync(
                ["Definition mine := 3.", "Redirect \"about\" Check Coq.Arith.PeanoNat.Nat.add_comm.", "Check undefined_name."],
                TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.Equal(3, first.FailedLine);
            Assert.Contains("undefined_name", first.Error, StringComparison.Ordinal);
            Assert.Contains("forall n m : nat, n + m = m + n", File.ReadAllText(Path.Combine(directory.FullName, "about.out")), StringComparison.Ordinal);

            // A second run starts from the base again: what the first one defined is gone.
            var second = await session.RunAsync(["Check mine."], TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.Equal(1, second.FailedLine);
            Assert.True((await session.RunAsync(["Definition mine := 4.", "Check mine."], TimeSpan.FromSeconds(60), CancellationToken.None)).Succeeded);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [RequiresToolsFact("coqc", "coqchk", "coqidetop.opt", Timeout = 120_000)]
    public async Task The_checker_audits_in_the_warm_session_without_falling_back_to_coqc()
    {
        var logger = new RecordingLogger<CoqChecker>();
        var checker = new CoqChecker(CoqOptions.Default with { WarmAudit = true }, new ProcessRunner(new ResourceLimitIsolation()), logger);

        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Coq, """
            Require Import Coq.Arith.PeanoNat.
            Theorem t : forall n : nat, n + 0 = n.
            Proof. intros n. rewrite Nat.add_0_r. reflexivity. Qed.
            """).WithExpectedStatement("""
            Require Import Coq.Arith.PeanoNat.
            Theorem t : forall n : nat, n + 0 = n.
            Proof. Admitted.
            """));

        Assert.True(result.Verdict.IsProved, result.Verdict.Summary);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [RequiresToolsFact("coqidetop.opt", Timeout = 120_000)]
    public async Task A_run_that_outlives_its_deadline_is_a_timeout_and_ends_the_session()
    {
        var directory = Directory.CreateTempSubdirectory("proofagent-script-session-");
        try
        {
            await using var session = await CoqScriptSession.StartAsync(
                CoqOptions.Default, new ResourceLimitIsolation(), directory.FullName, [], [],
                new ProcessLimits(TimeSpan.FromSeconds(60)), NullLogger.Instance, CancellationToken.None);

            var outcome = await session.RunAsync(
                ["Fixpoint spin (n : nat) : nat := match n with O => O | S k => spin k end.", "Eval vm_compute in spin (Nat.pow 2 60)."],
                TimeSpan.FromSeconds(2), CancellationToken.None);

            Assert.True(outcome.TimedOut);
            Assert.False(session.IsHealthy);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
