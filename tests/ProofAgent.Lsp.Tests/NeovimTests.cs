using System.Diagnostics;
using System.Text.Json;

namespace ProofAgent.Lsp.Tests;

/// <summary>
/// A real editor: headless Neovim with its built-in LSP client (nvim/prove.lua) opens a Coq file with <c>Admitted.</c>,
/// waits for the diagnostics, runs the server's Prove code action and writes the buffer. The written file must then pass
/// <c>agent check --statement</c> against the original, in a fresh process.
/// </summary>
public sealed class NeovimTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proofagent-lsp-nvim-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresToolsFact("nvim", "coqc", "coqidetop.opt", Timeout = 420_000)]
    public async Task Should_prove_a_hole_in_neovim_and_write_a_file_that_passes_agent_check_against_the_original()
    {
        const string original = """
            (* A linear arithmetic fact: the automation (lia) proves it in seconds. *)
            Theorem double_lt : forall a b : nat, a < b -> 2 * a + 1 < 2 * b.
            Proof.
            Admitted.
            """;
        var statement = Path.Combine(_folder, "statement.v");
        var file = Path.Combine(_folder, "double.v");
        await File.WriteAllTextAsync(statement, original);
        await File.WriteAllTextAsync(file, original);
        var report = Path.Combine(_folder, "report.json");

        var nvim = new ProcessStartInfo("nvim") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = _folder };
        foreach (var argument in new[] { "--headless", "--clean", "-n", "-c", "luafile " + Path.Combine(AppContext.BaseDirectory, "nvim", "prove.lua") })
        {
            nvim.ArgumentList.Add(argument);
        }

        nvim.Environment["PROOFAGENT_AGENT_DLL"] = Path.Combine(AppContext.BaseDirectory, "agent.dll");
        nvim.Environment["PROOFAGENT_FILE"] = file;
        nvim.Environment["PROOFAGENT_RESULT"] = report;
        nvim.Environment["XDG_STATE_HOME"] = _folder;
        nvim.Environment["XDG_DATA_HOME"] = _folder;
        var run = await AgentRuns.RunAsync(nvim, TimeSpan.FromMinutes(6));
        Assert.True(File.Exists(report), $"nvim wrote no report (exit {run.ExitCode}): {run.Stdout}\n{run.Stderr}");

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        Assert.True(root.GetProperty("outcome").GetString() == "done", root.ToString());
        Assert.Equal(2, root.GetProperty("hole_severity").GetInt32()); // vim.diagnostic.severity.WARN
        Assert.Equal("proved", root.GetProperty("verdict").GetString());

        var written = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain("Admitted", written, StringComparison.Ordinal);
        Assert.Contains("Theorem double_lt : forall a b : nat, a < b -> 2 * a + 1 < 2 * b.", written, StringComparison.Ordinal);

        // The written file stands on its own: `agent check --statement` against the original, in a fresh process.
        var check = await AgentRuns.RunAsync(AgentRuns.Command(AgentRuns.BesideTests, TestPaths.RepositoryRoot, ["check", file, "--statement", statement, "--json"]), TimeSpan.FromMinutes(6));
        Assert.True(check.ExitCode == 0, $"agent check: {check.Stdout}\n{check.Stderr}\nfile:\n{written}");
        Assert.Equal("proved", check.Json.GetProperty("verdict").GetString());
    }
}
