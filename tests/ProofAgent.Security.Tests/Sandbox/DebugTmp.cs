using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Processes.Sandbox;
using Xunit;
using Xunit.Abstractions;

namespace ProofAgent.Security.Tests.Sandbox;

public sealed class DebugTmp(ITestOutputHelper output)
{
    [Fact]
    public async Task Dbg()
    {
        var sandbox = await SandboxFactory.CreateAsync(SandboxPolicy.Default);
        var spec = new ProcessSpec("/usr/bin/z3", ["--version"]);
        output.WriteLine(sandbox.Apply(spec, new ProcessLimits(TimeSpan.FromSeconds(10))).ToString());
        var o = await new ProcessRunner(sandbox).RunAsync(spec, new ProcessLimits(TimeSpan.FromSeconds(10)));
        output.WriteLine($"{o.ExitCode} [{o.StandardOutput}] [{o.StandardError}] {o.TimedOut} {o.Elapsed}");
    }
}
