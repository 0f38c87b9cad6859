using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>`agent bench check`, issue 20's benchmark, through the real executable, the real Coq and coqchk.</summary>
public sealed class BenchCommandTests
{
    [RequiresFact(false, "coqc", Timeout = 300_000)]
    public async Task Bench_check_times_coqc_the_coqchk_floor_and_the_gate_in_one_run()
    {
        var run = await AgentProcess.RunAsync("bench", "check", "examples/coq/add_comm.v", "--runs", "1", "--json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json;
        var coqc = json.GetProperty("coqcSeconds").GetDouble();
        var floor = json.GetProperty("coqcThenCoqchkSeconds").GetDouble();
        Assert.True(coqc > 0, $"coqc {coqc}");
        Assert.True(floor > 0, $"coqc then coqchk {floor}");
        Assert.True(json.GetProperty("coldSeconds").GetDouble() > 0);
        Assert.True(json.GetProperty("warmSeconds").GetDouble() > 0);
        Assert.Equal(Math.Round(floor / coqc, 2), json.GetProperty("floorRatio").GetDouble(), 2);
    }

    [RequiresFact(false, "coqc", Timeout = 180_000)]
    public async Task Bench_check_names_a_file_coq_does_not_accept()
    {
        var path = Path.Combine(Path.GetTempPath(), $"proofagent-{Guid.NewGuid():N}.v");
        await File.WriteAllTextAsync(path, "Theorem broken : 1 = 2. Proof. reflexivity. Qed.\n");
        try
        {
            var run = await AgentProcess.RunAsync("bench", "check", path, "--runs", "1", "--json");

            Assert.NotEqual(0, run.ExitCode);
            Assert.Contains("coqc failed", run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
