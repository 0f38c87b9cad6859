using System.Diagnostics;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Lean.Tests;

/// <summary>
/// The REPL client against the FakeProver test double replaying recorded transcripts, through the real process layer
/// (prlimit isolation, pipes, blank-line framing, timeouts, process-tree kill). FakeProver also checks that every request
/// the client sends equals the recorded one.
/// </summary>
public sealed class ReplSessionTests
{
    private static readonly ProverIdentity Fake = new("lean4", "fake");

    internal static ProcessSpec Replay(string version, string name, params string[] extra) =>
        TestEnvironment.FakeProver([
            "--responses", TestEnvironment.LeanFixtures(version, name + ".expected.out"),
            "--requests", TestEnvironment.LeanFixtures(version, name + ".in"),
            .. extra]);

    internal static Task<LeanReplSession> StartAsync(ProcessSpec spec, string header = "", TimeSpan? timeout = null, TimeSpan? grace = null) =>
        LeanReplSession.StartAsync(
            spec,
            new ProcessLimits(TimeSpan.FromSeconds(20)) { GracePeriod = grace ?? TimeSpan.FromMilliseconds(500) },
            new ResourceLimitIsolation(),
            header,
            Fake,
            timeout ?? TimeSpan.FromSeconds(10));

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task I_can_prove_the_readme_theorem_step_by_step()
    {
        await using var session = await StartAsync(Replay("repl-v4.33.0-rc2", "readme"));

        var start = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("def f (x : Unit) : Nat := by sorry"));
        var step = Assert.IsType<StepResult.Goals>(await session.RunTacticAsync(start.State, "apply Int.natAbs"));
        var done = await session.RunTacticAsync(step.State, "exact -37");

        Assert.Equal(0, start.State.Value);
        Assert.Equal("x : Unit\n⊢ Nat", Assert.Single(start.Open).ToString());
        Assert.Equal("Int", Assert.Single(step.Open).Conclusion);
        Assert.Equal(2, Assert.IsType<StepResult.ProofFinished>(done).State.Value);
        Assert.Equal(3, session.Uses);
        Assert.True(session.IsHealthy);
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task The_header_is_elaborated_once_and_commands_reuse_its_environment()
    {
        // Mathlib/exact.in: {"cmd": "import Mathlib"}, then commands with "env": 0 and tactics on their sorries.
        await using var session = await StartAsync(Replay("repl-v4.33.0-rc2/Mathlib", "exact"), header: "import Mathlib\n");

        var first = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("theorem test : 0 < 1"));
        var found = await session.RunTacticAsync(first.State, "exact?");
        var second = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("theorem test : 3 = 7 := by sorry"));
        var refused = Assert.IsType<StepResult.StepError>(await session.RunTacticAsync(second.State, "exact?"));

        Assert.Equal(0, session.HeaderEnv);
        Assert.Equal("import Mathlib", session.Header);
        Assert.IsType<StepResult.ProofFinished>(found);
        Assert.Equal(2, second.State.Value);
        Assert.StartsWith("`exact?` could not close the goal", refused.Message, StringComparison.Ordinal);
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task A_sorry_is_never_a_step()
    {
        await using var session = await StartAsync(Replay("repl-v4.33.0-rc2", "readme"));
        var start = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("def f (x : Unit) : Nat := by sorry"));

        var refused = Assert.IsType<StepResult.StepError>(await session.RunTacticAsync(start.State, "sorry"));

        Assert.Contains("sorry", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, session.Uses);
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task A_silent_REPL_is_killed_on_timeout_and_its_process_is_gone()
    {
        await using var session = await StartAsync(Replay("repl-v4.33.0-rc2", "readme", "--hang-at", "1"), timeout: TimeSpan.FromSeconds(3));
        var start = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("def f (x : Unit) : Nat := by sorry"));
        var pid = session.ProcessId;
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ProverTimeoutException>(() => session.RunTacticAsync(start.State, "apply Int.natAbs"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.False(session.IsHealthy);
        await WaitUntilGoneAsync(pid);
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task A_REPL_that_ignores_SIGINT_is_killed_by_force()
    {
        await using var session = await StartAsync(
            Replay("repl-v4.33.0-rc2", "readme", "--hang-at", "0", "--ignore-sigint"), timeout: TimeSpan.FromMilliseconds(500), grace: TimeSpan.FromMilliseconds(500));
        var pid = session.ProcessId;

        await Assert.ThrowsAsync<ProverTimeoutException>(() => session.StartProofAsync("def f (x : Unit) : Nat := by sorry"));

        await WaitUntilGoneAsync(pid);
        Assert.False(session.IsHealthy);
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task A_crash_surfaces_with_its_exit_code_and_stderr()
    {
        await using var session = await StartAsync(Replay("repl-v4.33.0-rc2", "readme", "--crash-at", "1", "--exit-code", "7"));
        var start = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("def f (x : Unit) : Nat := by sorry"));

        var crash = await Assert.ThrowsAsync<ProverCrashedException>(() => session.RunTacticAsync(start.State, "apply Int.natAbs"));

        Assert.Equal(7, crash.ExitCode);
        Assert.Contains("fake prover: crashing", crash.Message, StringComparison.Ordinal);
        Assert.False(session.IsHealthy);
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task Garbage_and_truncated_output_are_clear_errors_not_hangs()
    {
        await using (var garbage = await StartAsync(Replay("repl-v4.33.0-rc2", "readme", "--garbage-at", "0")))
        {
            var error = await Assert.ThrowsAsync<ProverCrashedException>(() => garbage.StartProofAsync("def f (x : Unit) : Nat := by sorry"));
            Assert.Contains("outside its protocol", error.Message, StringComparison.Ordinal);
            Assert.False(garbage.IsHealthy);
        }

        var clock = Stopwatch.StartNew();
        await using var truncated = await StartAsync(Replay("repl-v4.33.0-rc2", "readme", "--truncate-at", "0"));
        await Assert.ThrowsAsync<ProverCrashedException>(() => truncated.StartProofAsync("def f (x : Unit) : Nat := by sorry"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task A_request_that_differs_from_the_transcript_is_caught_by_the_double()
    {
        await using var session = await StartAsync(Replay("repl-v4.33.0-rc2", "readme"));

        var crash = await Assert.ThrowsAsync<ProverCrashedException>(() => session.StartProofAsync("def g : Nat"));

        Assert.Equal(3, crash.ExitCode);
        Assert.Contains("differs from the transcript", crash.Message, StringComparison.Ordinal);
    }

    [RequiresSharedFolderFact("fixtures", "lean", Timeout = 60_000)]
    public async Task A_header_that_does_not_elaborate_is_refused()
    {
        // unknown_environment answers its first request with {"message": "Unknown environment."}.
        var spec = TestEnvironment.FakeProver("--responses", TestEnvironment.LeanFixtures("repl-v4.33.0-rc2", "unknown_environment.expected.out"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(spec, header: "import Nonexistent"));

        Assert.Contains("Unknown environment.", error.Message, StringComparison.Ordinal);
    }

    internal static async Task WaitUntilGoneAsync(int pid)
    {
        Assert.True(pid > 0);
        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}") && !IsZombie(pid); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(!Directory.Exists($"/proc/{pid}") || IsZombie(pid), $"process {pid} is still alive");
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z";
        }
        catch (IOException)
        {
            return true;
        }
    }
}
