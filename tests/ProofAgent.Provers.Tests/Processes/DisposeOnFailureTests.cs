using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Processes;

public sealed class DisposeOnFailureTests
{
    [Fact(Timeout = 30_000)]
    public async Task Should_kill_the_process_when_a_start_step_fails()
    {
        var process = InteractiveProcess<string>.Start(
            new ProcessSpec("/bin/cat", []), new ProcessLimits(TimeSpan.FromSeconds(10)), new BlankLineFrameDecoder(), new ResourceLimitIsolation());

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            process.DisposeOnFailureAsync<int>(() => throw new InvalidOperationException("the header does not elaborate")));

        Assert.Equal("the header does not elaborate", failure.Message);
        Assert.True(process.HasExited);
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_leave_the_process_running_when_the_steps_succeed()
    {
        await using var process = InteractiveProcess<string>.Start(
            new ProcessSpec("/bin/cat", []), new ProcessLimits(TimeSpan.FromSeconds(10)), new BlankLineFrameDecoder(), new ResourceLimitIsolation());

        var answer = await process.DisposeOnFailureAsync(async () => await process.RequestAsync("ready\n\n", _ => true));

        Assert.Equal("ready", Assert.Single(answer));
        Assert.False(process.HasExited);
    }
}
