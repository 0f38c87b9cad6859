using System.Diagnostics;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Processes;

public sealed class InteractiveProcessTests
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_exchange_framed_messages_with_a_live_process()
    {
        await using var process = InteractiveProcess<string>.Start(
            new ProcessSpec("/bin/cat", []), new ProcessLimits(TimeSpan.FromSeconds(10)), new BlankLineFrameDecoder(), new ResourceLimitIsolation());

        var first = await process.RequestAsync("{\"a\": 1,\n \"b\": 2}\n\n", _ => true);
        var second = await process.RequestAsync("{\"c\": 3}\n\n", _ => true);

        Assert.Equal("{\"a\": 1,\n \"b\": 2}", Assert.Single(first));
        Assert.Equal("{\"c\": 3}", Assert.Single(second));
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_kill_a_silent_process_and_throw_a_timeout()
    {
        await using var process = InteractiveProcess<string>.Start(
            new ProcessSpec("/bin/sh", ["-c", "trap '' INT; sleep 60"]), new ProcessLimits(TimeSpan.FromSeconds(10)) { GracePeriod = TimeSpan.FromMilliseconds(300) },
            new LineFrameDecoder(), new ResourceLimitIsolation());
        var pid = process.ProcessId;
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ProverTimeoutException>(() => process.RequestAsync("ping\n", _ => true, TimeSpan.FromMilliseconds(500)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        await ProcessRunnerTests.WaitUntilGoneAsync(pid);
        Assert.True(process.HasExited);
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_report_a_crash_with_its_exit_code_and_stderr()
    {
        await using var process = InteractiveProcess<string>.Start(
            new ProcessSpec("/bin/sh", ["-c", "read x; echo 'fatal: boom' >&2; exit 7"]), new ProcessLimits(TimeSpan.FromSeconds(10)),
            new LineFrameDecoder(), new ResourceLimitIsolation());

        var crash = await Assert.ThrowsAsync<ProverCrashedException>(() => process.RequestAsync("hello\n", _ => true));

        Assert.Equal(7, crash.ExitCode);
        Assert.Contains("fatal: boom", crash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_decoders_should_reassemble_frames_split_across_chunks()
    {
        var lines = new LineFrameDecoder();
        Assert.Empty(lines.Decode("sa"));
        Assert.Equal(["sat", "unsat"], lines.Decode("t\nunsat\nunk"));
        Assert.Equal("unk", lines.Pending);

        var blocks = new BlankLineFrameDecoder();
        Assert.Empty(blocks.Decode("{\"env\": 0}\n"));
        Assert.Equal(["{\"env\": 0}"], blocks.Decode("\n\n{\"x\""));
    }
}
