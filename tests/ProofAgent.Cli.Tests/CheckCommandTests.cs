using System.Text.Json;
using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>The `agent check` contract, through the real executable and the real provers.</summary>
public sealed class CheckCommandTests
{
    [RequiresFact(false, "coqc", Timeout = 180_000)]
    public async Task The_shipped_example_is_proved_with_exit_code_zero_and_the_documented_json()
    {
        var run = await AgentProcess.RunAsync("check", "examples/coq/add_comm.v", "--json");

        Assert.Equal(0, run.ExitCode);
        var json = run.Json;
        Assert.Equal("examples/coq/add_comm.v", json.GetProperty("file").GetString());
        Assert.Equal("coq", json.GetProperty("language").GetString());
        Assert.Equal("proved", json.GetProperty("verdict").GetString());
        var theorem = Assert.Single(json.GetProperty("theorems").EnumerateArray());
        Assert.Equal("add_comm_example", theorem.GetProperty("name").GetString());
        Assert.Equal(0, theorem.GetProperty("axioms").GetArrayLength());
        Assert.Equal("forall n m : nat, n + m = m + n", theorem.GetProperty("statement").GetString()); // as the kernel has it
        Assert.Equal(JsonValueKind.Array, json.GetProperty("diagnostics").ValueKind);
        Assert.Equal("coq", json.GetProperty("prover").GetProperty("name").GetString());
        Assert.True(json.GetProperty("elapsedMs").GetInt64() > 0);
        Assert.Contains("proved", run.Stderr, StringComparison.Ordinal); // human text goes to stderr under --json
    }

    [RequiresFact(false, "z3", Timeout = 180_000)]
    public async Task An_smt_script_reports_one_result_per_check_sat()
    {
        var script = Path.Combine(Path.GetTempPath(), $"proofagent-{Guid.NewGuid():N}.smt2");
        await File.WriteAllTextAsync(script, "(declare-const x Int)(assert (> x 0))(check-sat)(assert (< x 0))(check-sat)");
        try
        {
            var run = await AgentProcess.RunAsync("check", script, "--json");

            Assert.Equal(1, run.ExitCode);
            Assert.Equal("failed", run.Json.GetProperty("verdict").GetString());
            Assert.Equal(["sat", "unsat"], run.Json.GetProperty("results").EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Bad_input_is_exit_code_two_with_a_json_error_naming_the_problem()
    {
        var missing = await AgentProcess.RunAsync("check", "no/such/file.v", "--json");
        var unknownLanguage = await AgentProcess.RunAsync("check", "README.md", "--json");
        var badTimeout = await AgentProcess.RunAsync("check", "examples/coq/add_comm.v", "--timeout", "-1", "--json");
        var badOption = await AgentProcess.RunAsync("check", "--no-such-option", "x", "--json");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, unknownLanguage.ExitCode);
        Assert.Contains("--lang", unknownLanguage.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, badTimeout.ExitCode);
        Assert.Equal(2, badOption.ExitCode);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_binary_or_invalid_utf8_file_is_rejected_as_bad_input()
    {
        var path = Path.Combine(Path.GetTempPath(), $"proofagent-{Guid.NewGuid():N}.v");
        await File.WriteAllBytesAsync(path, [0x54, 0x68, 0xC3, 0x28, 0x00]);
        try
        {
            var run = await AgentProcess.RunAsync("check", path, "--json");

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("UTF-8", run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [RequiresFact(false, "coqc", Timeout = 180_000)]
    public async Task A_statement_file_is_enforced()
    {
        var directory = Directory.CreateTempSubdirectory("proofagent-cli-").FullName;
        try
        {
            var statement = Path.Combine(directory, "statement.v");
            var weaker = Path.Combine(directory, "weaker.v");
            await File.WriteAllTextAsync(statement, "Theorem t : forall n : nat, n + 0 = n.\nAdmitted.\n");
            await File.WriteAllTextAsync(weaker, "Theorem t : forall n : nat, 0 + n = n.\nProof. reflexivity. Qed.\n");

            var run = await AgentProcess.RunAsync("check", weaker, "--statement", statement, "--json");

            Assert.Equal(1, run.ExitCode);
            Assert.Equal("unsound", run.Json.GetProperty("verdict").GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
