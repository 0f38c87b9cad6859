using System.Diagnostics;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Isabelle.Tests;

/// <summary>
/// The Isabelle client against a scripted double (a /bin/sh script replaying recorded transcripts) through the real
/// process layer: framing across pipes, timeouts, crashes and kills. The greeting file is synthetic (the fixtures do
/// not record one); every reply after it is a recorded server transcript.
/// </summary>
public sealed class ProcessReplayTests
{
    private static readonly ProcessLimits Limits = new(TimeSpan.FromSeconds(20)) { GracePeriod = TimeSpan.FromMilliseconds(300) };

    private static ProcessSpec Replay(params string[] replies) =>
        new("/bin/sh", [TestEnvironment.Double("replay.sh"), TestEnvironment.Double("greeting.txt"), .. replies.Select(TestEnvironment.Fixture)]);

    [RequiresSharedFolderFact("fixtures", "isabelle", "server", Timeout = 30_000)]
    public async Task I_can_start_a_session_and_check_a_theory_through_a_replayed_server()
    {
        await using var server = await IsabelleServerSession.StartAsync(
            Replay("session_start.txt", "use_theories.Fail.txt", "purge_theories.txt"), Limits, new ResourceLimitIsolation(), TimeSpan.FromSeconds(10));

        Assert.Equal("Isabelle2025", server.IsabelleName);
        var session = await server.StartSessionAsync(IsabelleOptions.Default);
        Assert.Equal("167dd6d8-1eeb-4315-8022-c8c527d9bd87", session.SessionId);

        var result = await server.UseTheoriesAsync(session.SessionId, ["Example"], "/tmp", TimeSpan.FromSeconds(10));
        Assert.False(result.Ok);
        Assert.Equal(5, result.Errors[0].Position!.Line);

        var purge = await server.PurgeAllAsync(session.SessionId);
        Assert.Equal(IsabelleReplyKind.Ok, purge.Kind);
        Assert.True(server.IsHealthy);
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server", Timeout = 30_000)]
    public async Task A_refused_command_should_throw_with_the_servers_reason()
    {
        await using var server = await IsabelleServerSession.StartAsync(Replay("unknown.txt"), Limits, new ResourceLimitIsolation(), TimeSpan.FromSeconds(10));

        var refused = await Assert.ThrowsAsync<IsabelleCommandException>(() => server.CommandAsync("unknown", null, TimeSpan.FromSeconds(5)));

        Assert.Contains("Bad command 'unknown'", refused.Message, StringComparison.Ordinal);
        Assert.True(server.IsHealthy);
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server", Timeout = 30_000)]
    public async Task A_truncated_reply_should_time_out_and_kill_the_process_instead_of_hanging()
    {
        // The sledgehammer transcript stops one byte short of its last message; the double then waits for more input.
        await using var server = await IsabelleServerSession.StartAsync(
            Replay("use_theories.Sledgehammer.txt"), Limits, new ResourceLimitIsolation(), TimeSpan.FromSeconds(10));
        var pid = server.ProcessId;
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ProverTimeoutException>(() => server.UseTheoriesAsync("s", ["Problem"], "/tmp", TimeSpan.FromMilliseconds(200)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
        Assert.False(server.IsHealthy);
        await WaitUntilGoneAsync(pid);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_never_greets_should_time_out()
    {
        var spec = new ProcessSpec("/bin/sh", ["-c", "trap '' INT; echo 'server \"x\" = 127.0.0.1:1 (password \"p\")'; sleep 60"]);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ProverTimeoutException>(() => IsabelleServerSession.StartAsync(spec, Limits, new ResourceLimitIsolation(), TimeSpan.FromMilliseconds(500)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_dies_should_surface_as_a_crash_with_its_stderr()
    {
        var spec = new ProcessSpec("/bin/sh", ["-c", "printf 'OK {}\\n'; read x; echo 'Bad session' >&2; exit 3"]);
        await using var server = await IsabelleServerSession.StartAsync(spec, Limits, new ResourceLimitIsolation(), TimeSpan.FromSeconds(5));

        var crash = await Assert.ThrowsAsync<ProverCrashedException>(() => server.StartSessionAsync(IsabelleOptions.Default));

        Assert.Equal(3, crash.ExitCode);
        Assert.Contains("Bad session", crash.Message, StringComparison.Ordinal);
        Assert.False(server.IsHealthy);
    }

    [Fact(Timeout = 30_000)]
    public async Task Garbage_framing_should_be_a_clear_error()
    {
        var spec = new ProcessSpec("/bin/sh", ["-c", "printf 'OK {}\\n'; read x; printf '99999999999999\\n'; sleep 30"]);
        await using var server = await IsabelleServerSession.StartAsync(spec, Limits, new ResourceLimitIsolation(), TimeSpan.FromSeconds(5));

        var crash = await Assert.ThrowsAsync<ProverCrashedException>(() => server.CommandAsync("echo", null, TimeSpan.FromSeconds(5)));

        Assert.Contains("malformed", crash.Message, StringComparison.Ordinal);
        Assert.False(server.IsHealthy);
    }

    internal static async Task WaitUntilGoneAsync(int pid)
    {
        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(!Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal), $"process {pid} is still running");
    }
}
