using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Checking;

/// <summary>The probe every adapter runs (<see cref="VersionProbe"/>), on real executables.</summary>
public sealed class VersionProbeTests
{
    private static readonly ProcessRunner Runner = new(new ResourceLimitIsolation());

    [Fact(Timeout = 30_000)]
    public async Task Should_name_the_prover_with_the_version_it_prints()
    {
        var probe = new VersionProbe("echo", "/bin/echo", ["Echo version 1.2.3"], "install echo");

        var answer = await probe.RunAsync(Runner, output => output.Split(' ')[2].Trim(), path => "hash-of-" + Path.GetFileName(path));

        var available = Assert.IsType<ProverAvailability.Available>(answer);
        Assert.Equal(new ProverIdentity("echo", "1.2.3", "hash-of-echo"), available.Identity);
        Assert.Equal("/bin/echo", available.ExecutablePath);
    }

    [Fact(Timeout = 30_000)]
    public async Task Should_say_a_missing_executable_is_not_on_path_with_the_install_hint()
    {
        var probe = new VersionProbe("nothing", "/nonexistent/prover", ["--version"], "install the prover");

        var answer = await probe.RunAsync(Runner, _ => "1.0");

        var missing = Assert.IsType<ProverAvailability.Missing>(answer);
        Assert.Equal(("nothing", "'/nonexistent/prover' was not found on PATH", "install the prover"), (missing.Prover, missing.Reason, missing.InstallHint));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("/bin/false", "anything")]
    [InlineData("/bin/true", null)]
    public async Task Should_call_a_prover_missing_when_its_version_command_fails_or_prints_no_version(string executable, string? version)
    {
        var probe = new VersionProbe("broken", executable, ["--version"], "reinstall it");

        var answer = await probe.RunAsync(Runner, _ => version);

        var missing = Assert.IsType<ProverAvailability.Missing>(answer);
        Assert.Equal($"'{executable} --version' did not report a version: ", missing.Reason);
    }
}
