using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>The `agent synth bb` and `agent synth mba` contract: the report and the files written.</summary>
[Collection(SynthCommands.Collection)]
public sealed class SynthCommandTests
{
    [Fact(Timeout = 180_000)]
    public async Task Synth_bb_with_two_states_reproduces_bb2_and_writes_every_problem()
    {
        var folder = Directory.CreateTempSubdirectory("proofagent-synth-bb-").FullName;
        try
        {
            var run = await AgentProcess.RunAsync("synth", "bb", "--states", "2", "--out", folder, "--json");

            Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
            var json = run.Json;
            Assert.Equal(2, json.GetProperty("states").GetInt32());
            Assert.Equal(6, json.GetProperty("maxSteps").GetInt64());
            Assert.Equal("1RB1LB_1LA1RZ", json.GetProperty("champion").GetString());
            Assert.Equal(4, json.GetProperty("championOnes").GetInt64());
            Assert.Equal(0, json.GetProperty("undecided").GetInt64());
            Assert.Equal(0, json.GetProperty("undecidedMachines").GetArrayLength());
            Assert.Equal(json.GetProperty("machines").GetInt64(), json.GetProperty("halting").GetInt64() + json.GetProperty("decidedNonHalting").GetInt64());
            Assert.Equal(json.GetProperty("machines").GetInt64(), json.GetProperty("byDecider").EnumerateObject().Sum(p => p.Value.GetInt64()));
            Assert.Equal(20, json.GetProperty("problems").GetInt32()); // --count defaults to 20
            SynthCommands.AssertProblemFiles(folder, json);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [RequiresFact(false, "coqc", Timeout = 300_000)]
    public async Task Synth_bb_check_has_every_emitted_coq_proof_accepted_by_coqc()
    {
        var run = await AgentProcess.RunAsync("synth", "bb", "--states", "2", "--count", "2", "--check", "--json");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var proofs = run.Json.GetProperty("coqProofs").GetInt32();
        Assert.True(proofs > 0);
        Assert.Equal(proofs, run.Json.GetProperty("coqProved").GetInt32());
        Assert.Equal(0, run.Json.GetProperty("coqRejected").GetInt32());
    }

    [Fact(Timeout = 180_000)]
    public async Task Synth_mba_writes_identities_that_hold_and_the_same_files_on_every_run()
    {
        var first = Directory.CreateTempSubdirectory("proofagent-synth-mba-").FullName;
        var second = Directory.CreateTempSubdirectory("proofagent-synth-mba-").FullName;
        try
        {
            var run = await AgentProcess.RunAsync("synth", "mba", "--count", "3", "--seed", "7", "--out", first, "--json");
            var again = await AgentProcess.RunAsync("synth", "mba", "--count", "3", "--seed", "7", "--out", second, "--json");

            Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
            var json = run.Json;
            Assert.Equal(3, json.GetProperty("problems").GetInt32());
            Assert.Equal(["identity:truth-table"], json.GetProperty("groundTruth").EnumerateObject().Select(p => p.Name));
            Assert.Equal(3, json.GetProperty("coqProofs").GetInt32()); // 2 variables x 8 bits: exhaustive Coq proofs
            var records = SynthCommands.AssertProblemFiles(folder: first, json);
            foreach (var record in records)
            {
                Assert.Equal(8, record.GetProperty("bits").GetInt32());
                Assert.Equal("identity", record.GetProperty("groundTruth").GetString());
                Assert.Equal("truth-table", record.GetProperty("method").GetString()); // the spelling `mba verify` uses
                var (lhs, rhs) = (record.GetProperty("lhs").GetString()!, record.GetProperty("rhs").GetString()!);
                for (var x = 0UL; x < 256; x++)
                {
                    for (var y = 0UL; y < 256; y += 5)
                    {
                        var assignment = new Dictionary<string, ulong>(StringComparer.Ordinal) { ["x"] = x, ["y"] = y, ["z"] = x ^ y };
                        Assert.True(MbaEvaluator.Evaluate(lhs, assignment, 8) == MbaEvaluator.Evaluate(rhs, assignment, 8), $"{lhs} == {rhs} fails at x={x}, y={y}");
                    }
                }
            }

            Assert.Equal(run.Stdout, again.Stdout);
            foreach (var file in Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                Assert.Equal(await File.ReadAllTextAsync(Path.Combine(first, file!)), await File.ReadAllTextAsync(Path.Combine(second, file!)));
            }
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Theory(Timeout = 180_000)]
    [InlineData("bb", "--states", "0", "--states")]
    [InlineData("bb", "--states", "6", "--states")]
    [InlineData("bb", "--sim-steps", "0", "--sim-steps")]
    [InlineData("bb", "--count", "-1", "--count")]
    [InlineData("mba", "--bits", "1", "--bits")]
    [InlineData("mba", "--vars", "4", "--vars")]
    [InlineData("mba", "--count", "-1", "--count")]
    public async Task A_bad_option_is_bad_input(string command, string option, string value, string expected)
    {
        var run = command == "bb"
            ? await AgentProcess.RunAsync(option == "--states" ? ["synth", "bb", option, value, "--json"] : ["synth", "bb", "--states", "2", option, value, "--json"])
            : await AgentProcess.RunAsync("synth", "mba", option, value, "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("bad-input", run.Json.GetProperty("error").GetString());
        Assert.Contains(expected, run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
