using System.Diagnostics;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private readonly ProcessRunner _runner = new(new ResourceLimitIsolation());

    [Fact(Timeout = 30_000)]
    public async Task I_can_run_a_process_and_read_its_output_and_exit_code()
    {
        var outcome = await _runner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]), new ProcessLimits(TimeSpan.FromSeconds(10)));

        Assert.Equal(3, outcome.ExitCode);
        Assert.Equal("out\n", outcome.StandardOutput);
        Assert.Equal("err\n", outcome.StandardError);
        Assert.False(outcome.TimedOut);
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_pass_standard_input_and_environment()
    {
        var spec = new ProcessSpec("/bin/sh", ["-c", "read line; echo \"$line-$GREETING\""]).WithStandardInput("hello\n").WithEnvironment("GREETING", "world");

        var outcome = await _runner.RunAsync(spec, new ProcessLimits(TimeSpan.FromSeconds(10)));

        Assert.Equal("hello-world\n", outcome.StandardOutput);
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_kill_a_process_that_outlives_its_timeout_together_with_its_children()
    {
        var marker = Path.Combine(Path.GetTempPath(), "proofagent-tree-" + Guid.NewGuid().ToString("N"));
        // The child ignores SIGINT, so only the forced kill of the whole tree can stop it.
        var script = $"trap '' INT; (trap '' INT; sleep 60; touch {marker}) & echo $! ; wait";
        var clock = Stopwatch.StartNew();

        var outcome = await _runner.RunAsync(new ProcessSpec("/bin/sh", ["-c", script]), new ProcessLimits(TimeSpan.FromSeconds(1)) { GracePeriod = TimeSpan.FromMilliseconds(500) });

        Assert.True(outcome.TimedOut);
        Assert.Null(outcome.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        var childPid = int.Parse(outcome.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilGoneAsync(childPid);
        Assert.False(File.Exists(marker));
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_enforce_the_memory_cap()
    {
        // awk doubles a string to 128 MiB: impossible under a 64 MiB address-space cap, fine under 1 GiB.
        var spec = new ProcessSpec("awk", ["BEGIN { s = \"x\"; for (i = 0; i < 27; i++) s = s s; print length(s) }"]);

        var capped = await _runner.RunAsync(spec, new ProcessLimits(TimeSpan.FromSeconds(20)) { MemoryBytes = 64L * 1024 * 1024 });
        var free = await _runner.RunAsync(spec, new ProcessLimits(TimeSpan.FromSeconds(20)) { MemoryBytes = 1024L * 1024 * 1024 });

        Assert.NotEqual(0, capped.ExitCode);
        Assert.True(capped.OutOfMemory, $"not recognised as out of memory: {capped.StandardError}");
        Assert.Equal(0, free.ExitCode);
        Assert.Equal("134217728\n", free.StandardOutput);
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_cap_output_and_mark_the_truncation()
    {
        var outcome = await _runner.RunAsync(new ProcessSpec("/bin/sh", ["-c", "yes | head -c 5000000"]), new ProcessLimits(TimeSpan.FromSeconds(10)) { MaxOutputChars = 1000 });

        Assert.Equal(0, outcome.ExitCode);
        Assert.True(outcome.OutputTruncated);
        Assert.True(outcome.StandardOutput.Length < 1200);
        Assert.EndsWith("truncated by the service ...]\n", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_report_cancellation_by_the_caller()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var outcome = await _runner.RunAsync(new ProcessSpec("/bin/sleep", ["30"]), new ProcessLimits(TimeSpan.FromSeconds(20)), cancellation.Token);

        Assert.True(outcome.Cancelled);
        Assert.False(outcome.TimedOut);
    }

    [Fact]
    public void Should_find_executables_on_the_path_and_not_invent_missing_ones()
    {
        Assert.NotNull(ExecutableLocator.Find("sh"));
        Assert.Null(ExecutableLocator.Find("proofagent-no-such-binary"));
    }

    [Fact]
    public void Rlimit_isolation_should_wrap_the_command_without_changing_it()
    {
        var spec = new ProcessSpec("coqc", ["a.v"]);

        var wrapped = new ResourceLimitIsolation().Apply(spec, new ProcessLimits(TimeSpan.FromSeconds(1)) { MemoryBytes = 1024, MaxFileSizeBytes = 2048 });

        Assert.Contains("--as=1024", wrapped.Arguments);
        Assert.Contains("--fsize=2048", wrapped.Arguments);
        Assert.Equal(["coqc", "a.v"], wrapped.Arguments.SkipWhile(a => a != "--").Skip(1));
    }

    internal static async Task WaitUntilGoneAsync(int pid)
    {
        for (var i = 0; i < 50 && Directory.Exists($"/proc/{pid}") && !IsZombie(pid); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(!Directory.Exists($"/proc/{pid}") || IsZombie(pid), $"process {pid} is still running");
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
