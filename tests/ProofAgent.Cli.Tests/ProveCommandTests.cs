using Xunit;

namespace ProofAgent.Cli.Tests;

/// <summary>The `agent prove` contract, through the real executable, the real Coq and (for refutation) the real z3.</summary>
public sealed class ProveCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proofagent-prove-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresFact(false, "coqc", "coqidetop.opt", Timeout = 180_000)]
    public async Task A_hole_closed_without_a_model_is_written_and_passes_agent_check()
    {
        var input = Write("holes.v", """
            From Coq Require Import Arith.
            Theorem swap_add : forall a b : nat, a + (b + 0) = b + a.
            Proof.
            Admitted.
            """);
        var output = Path.Combine(_folder, "out", "done.v");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var run = await AgentProcess.RunAsync("prove", input, "--out", output, "--budget-seconds", "60", "--json");

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var json = run.Json;
        Assert.Equal("proved", json.GetProperty("verdict").GetString());
        Assert.Equal(output, json.GetProperty("output").GetString());
        Assert.True(json.GetProperty("proverCalls").GetInt32() > 0);
        Assert.NotEmpty(json.GetProperty("stages").EnumerateArray());
        var written = await File.ReadAllTextAsync(output);
        Assert.Equal(json.GetProperty("proof").GetString(), written);
        Assert.DoesNotContain("Admitted", written, StringComparison.Ordinal);
        Assert.Contains("Theorem swap_add : forall a b : nat, a + (b + 0) = b + a.", written, StringComparison.Ordinal);

        // The written file stands on its own: a fresh `agent check` of it against the original statement.
        var check = await AgentProcess.RunAsync("check", output, "--json");
        Assert.True(check.ExitCode == 0, $"agent check: {check.Stdout}\n{check.Stderr}");
        Assert.Equal("proved", check.Json.GetProperty("verdict").GetString());
    }

    [RequiresFact(false, "coqc", "coqidetop.opt", "z3", Timeout = 180_000)]
    public async Task A_false_statement_is_not_proved_and_nothing_is_written()
    {
        var input = Write("false.v", """
            Theorem off_by_one : forall n : nat, n + 1 = n * 2.
            Proof.
            Admitted.
            """);
        var output = Path.Combine(_folder, "false.proved.v");

        var run = await AgentProcess.RunAsync("prove", input, "--out", output, "--budget-seconds", "30", "--json");

        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var json = run.Json;
        Assert.NotEqual("proved", json.GetProperty("verdict").GetString());
        Assert.False(json.TryGetProperty("output", out _), "nothing was written, so no output is named");
        Assert.False(json.TryGetProperty("proof", out _));
        Assert.False(File.Exists(output));

        // The refutation names the value that breaks the statement (the bound n, taken out of the ∀ for the solver).
        var theorem = Assert.Single(json.GetProperty("theorems").EnumerateArray());
        Assert.Equal("off_by_one", theorem.GetProperty("name").GetString());
        Assert.Matches(@"^n = \d+$", theorem.GetProperty("counterexample").GetString());
        Assert.Contains("counterexample", json.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task An_unwritable_destination_is_bad_input_before_any_proving()
    {
        var input = Write("t.v", "Theorem t : True.\nProof.\nAdmitted.\n");

        var missingFolder = await AgentProcess.RunAsync("prove", input, "--out", Path.Combine(_folder, "no", "such", "x.v"), "--json");
        var folder = await AgentProcess.RunAsync("prove", input, "--out", _folder, "--json");
        var budget = await AgentProcess.RunAsync("prove", input, "--budget-seconds", "0", "--json");

        Assert.Equal(2, missingFolder.ExitCode);
        Assert.Contains("does not exist", missingFolder.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, folder.ExitCode);
        Assert.Contains("is a directory", folder.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, budget.ExitCode);
        Assert.Contains("--budget-seconds", budget.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // Unix file modes; the service runs on Linux
    public async Task The_default_output_is_never_written_into_a_read_only_dataset_folder()
    {
        // A dataset folder whose mode grants nobody write access (as ../shared is): even a root process must not write there.
        var dataset = Directory.CreateDirectory(Path.Combine(_folder, "dataset")).FullName;
        var input = Path.Combine(dataset, "t.v");
        await File.WriteAllTextAsync(input, "Theorem t : True.\nProof.\nAdmitted.\n");
        File.SetUnixFileMode(dataset, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            var run = await AgentProcess.RunAsync("prove", input, "--json");

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("is read-only", run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains("pass --out", run.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(["t.v"], Directory.GetFiles(dataset).Select(Path.GetFileName));
        }
        finally
        {
            File.SetUnixFileMode(dataset, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
