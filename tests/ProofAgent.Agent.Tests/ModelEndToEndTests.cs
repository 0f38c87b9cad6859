using System.Text.Json;
using System.Text.Json.Nodes;
using ProofAgent.Testing.Models;
using Xunit;

namespace ProofAgent.Agent.Tests;

/// <summary>
/// `agent prove` and `agent eval` end to end with a model: the real executable, real coqc and coqidetop, real miniF2F-rocq
/// problems that the automation alone does not prove (benchmarks/results/minif2f-rocq-test-nomodel), and a scripted
/// OpenAI-compatible server on loopback that answers like the model cards' models (reasoning with decoy code blocks, a
/// final block, truncated choices, n choices, tool calls). The server records what the model was shown.
/// </summary>
public sealed class ModelEndToEndTests : IDisposable
{
    /// <summary>mathd_algebra_137 needs lra, which its file does not import: the model's complete file adds the import.</summary>
    private const string Algebra137File = """
        Require Import Reals.
        Require Import Nat.
        Require Import Coq.Init.Nat.
        Require Import Lra.

        Theorem mathd_algebra_137 :
          forall x : nat,
          (IZR (Z_of_nat x) + (4/100) * IZR (Z_of_nat x))%R = 598%R ->
          x = 575.
        Proof.
        intros x H.
        assert (Hx : IZR (Z.of_nat x) = 575%R) by lra.
        apply Nat2Z.inj.
        apply eq_IZR.
        rewrite Hx.
        reflexivity.
        Qed.
        """;

    /// <summary>mathd_algebra_484 (ln 27 / ln 3 = 3), whose last step fails: lra cannot divide by ln 3.</summary>
    private const string Algebra484Broken = "assert (H3 : 0 < ln 3) by (rewrite <- ln_1; apply ln_increasing; lra).\nreplace 27 with (3 ^ 3) by ring.\nrewrite ln_pow by lra.\nlra.";

    private const string Algebra484Fixed = "assert (H3 : 0 < ln 3) by (rewrite <- ln_1; apply ln_increasing; lra).\nreplace 27 with (3 ^ 3) by ring.\nrewrite ln_pow by lra.\nsimpl.\nfield.\nlra.";

    private readonly string _folder = Directory.CreateTempSubdirectory("proofagent-model-e2e-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresFact(true, "coqc", "coqidetop.opt", Timeout = 300_000)]
    public async Task A_reasoning_answer_with_a_decoy_in_its_thinking_and_a_complete_file_as_its_final_block_proves_the_problem()
    {
        var input = Problem("mathd_algebra_137");
        var reasoning = "<think>\nThe hypothesis is linear in x. A first idea:\n```coq\nintros x H.\nlia.\n```\nbut lia does not see through IZR; use lra on reals, then injectivity.\n</think>\n"
            + "We clear the percentage with lra and conclude by injectivity of the embeddings.\n\n```coq\n" + Algebra137File + "\n```\n";
        var truncated = "<think>\nLet me think about 1.04 x = 598. ```coq\nintros x";
        await using var server = await ScriptedOpenAIServer.StartAsync((_, _) => new ScriptedAnswer { Choices = [truncated, reasoning], Truncated = [true, false] });
        var registry = server.WriteRegistry(_folder, "dsp", "deepseek-prover-v2", batching: "n");
        var output = Path.Combine(_folder, "out.v");

        var run = await RunAgentAsync("prove", input, "--models", registry, "--model", "dsp", "--samples", "2", "--budget-seconds", "150", "--out", output, "--no-smt", "--json", "--trace");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var json = run.Json;
        Assert.Equal("proved", json.GetProperty("verdict").GetString());
        Assert.Equal("WholeProof", json.GetProperty("theorems")[0].GetProperty("foundBy").GetString());
        var written = await File.ReadAllTextAsync(output);
        Assert.Contains("Require Import Lra.", written, StringComparison.Ordinal);
        Assert.Contains("apply eq_IZR.", written, StringComparison.Ordinal);
        Assert.DoesNotContain("lia.", written, StringComparison.Ordinal);
        Assert.Contains("sample 0 has no usable proof: the completion is all reasoning", run.Stderr, StringComparison.Ordinal);

        // One batched request for both samples, in the model card's prompt (the DeepSeek-V3 template, the Coq statement in a fence).
        var request = Assert.Single(server.Requests);
        Assert.Equal(2, request.N);
        Assert.False(request.IsChat);
        Assert.StartsWith("<｜User｜>Complete the following Coq (Rocq) code:\n\n```coq\nRequire Import Reals.", request.Text, StringComparison.Ordinal);
        Assert.Contains("provide a detailed proof plan", request.Text, StringComparison.Ordinal);
        Assert.Equal(8192, request.Body["max_tokens"]!.GetValue<int>());

        var check = await RunAgentAsync("check", output, "--statement", input, "--json");
        Assert.True(check.ExitCode == 0, $"agent check: {check.Stdout}\n{check.Stderr}");
    }

    [RequiresFact(true, "coqc", "coqidetop.opt", Timeout = 300_000)]
    public async Task A_proof_whose_last_step_fails_is_repaired_after_the_model_sees_coqs_error()
    {
        var input = Problem("mathd_algebra_484");
        await using var server = await ScriptedOpenAIServer.StartAsync((request, _) => request.Text.Contains("The proof above is not correct", StringComparison.Ordinal)
            ? ScriptedAnswer.Text($"The last step must clear the denominator first.\n```coq\n{Algebra484Fixed}\n```")
            : ScriptedAnswer.Text($"```coq\n{Algebra484Broken}\n```"));
        var registry = server.WriteRegistry(_folder, "instruct", "chat");
        var output = Path.Combine(_folder, "out.v");

        var run = await RunAgentAsync("prove", input, "--models", registry, "--model", "instruct", "--samples", "1", "--budget-seconds", "150", "--out", output, "--no-smt", "--json");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        Assert.Equal("Repair", run.Json.GetProperty("theorems")[0].GetProperty("foundBy").GetString());
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.True(r.IsChat));

        // The repair request carries Coq's own error at the failing line, and the goal the failing step faced.
        var repair = server.Requests[1].Text;
        Assert.Contains("No applicable tactic", repair, StringComparison.Ordinal);
        Assert.Matches(@"line \d+: `lra\.`", repair);
        Assert.Contains("goal before the failing step", repair, StringComparison.Ordinal);
        Assert.Contains("ln 3", repair, StringComparison.Ordinal);
        Assert.Contains("field.", await File.ReadAllTextAsync(output), StringComparison.Ordinal);
    }

    [RequiresFact(true, "coqc", "coqidetop.opt", Timeout = 300_000)]
    public async Task In_agent_mode_the_model_proves_the_problem_through_check_proof_tool_calls()
    {
        var input = Problem("mathd_algebra_484");
        // The model calls the tool by the name the request advertised (Semantic Kernel qualifies it with the plugin's name).
        static string CheckProof(ScriptedRequest request) =>
            request.Body["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).Single(n => n.EndsWith("check_proof", StringComparison.Ordinal));
        await using var server = await ScriptedOpenAIServer.StartAsync((request, _) =>
            request.ToolResults.Count == 0 ? ScriptedAnswer.Tool(CheckProof(request), new JsonObject { ["proof"] = Algebra484Broken })
            : request.ToolResults.Any(r => r.StartsWith("proved", StringComparison.Ordinal)) ? ScriptedAnswer.Text("The proof is checked.")
            : ScriptedAnswer.Tool(CheckProof(request), new JsonObject { ["proof"] = Algebra484Fixed }));
        var registry = server.WriteRegistry(_folder, "instruct", "chat");
        var output = Path.Combine(_folder, "out.v");

        var run = await RunAgentAsync("prove", input, "--models", registry, "--model", "instruct", "--mode", "agent", "--budget-seconds", "150", "--out", output, "--no-smt", "--json", "--trace");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        Assert.Equal("proved", run.Json.GetProperty("verdict").GetString());
        Assert.Equal("Agent", run.Json.GetProperty("theorems")[0].GetProperty("foundBy").GetString());
        var toolLines = run.Stderr.Split('\n').Where(l => l.Contains("tool check_proof(", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, toolLines.Count);
        Assert.Contains("not proved", toolLines[0], StringComparison.Ordinal);
        Assert.Contains("proved: the prover's kernel accepted it", toolLines[1], StringComparison.Ordinal);

        // The tools went out as OpenAI tools; the model saw Coq's error as the first tool result.
        var first = server.Requests[0].Body["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains(first, n => n.EndsWith("check_proof", StringComparison.Ordinal));
        Assert.Contains(first, n => n.EndsWith("goals_after", StringComparison.Ordinal));
        Assert.Contains("No applicable tactic", server.Requests[1].ToolResults[0], StringComparison.Ordinal);
    }

    [RequiresFact(true, "coqc", "coqidetop.opt", Timeout = 400_000)]
    public async Task Eval_with_samples_checks_all_n_and_reports_pass_at_1_to_n()
    {
        var data = Path.Combine(_folder, "rocq");
        Directory.CreateDirectory(Path.Combine(data, "test"));
        foreach (var name in new[] { "mathd_algebra_137", "mathd_algebra_484" })
        {
            File.Copy(TestPaths.SharedPath("minif2f", "rocq", "test", name + ".v"), Path.Combine(data, "test", name + ".v"));
        }

        // Sample i is drawn with seed 17 + i: each problem gets exactly one good proof among three.
        await using var server = await ScriptedOpenAIServer.StartAsync((request, _) =>
        {
            var seed = request.Body["seed"]!.GetValue<long>();
            var good = request.Text.Contains("mathd_algebra_137", StringComparison.Ordinal)
                ? (seed == 18 ? $"```coq\n{Algebra137File}\n```" : null)
                : (seed == 19 ? $"```coq\n{Algebra484Fixed}\n```" : null);
            return ScriptedAnswer.Text(good ?? $"```coq\n{Algebra484Broken}\n```");
        });
        var registry = server.WriteRegistry(_folder, "dsp", "deepseek-prover-v2-noncot");
        var outDir = Path.Combine(_folder, "eval");

        var run = await RunAgentAsync("eval", "minif2f", "--lang", "coq", "--data", data, "--split", "test", "--samples", "3", "--models", registry, "--model", "dsp",
            "--budget-seconds", "150", "--baseline", "false", "--no-smt", "--out", outDir, "--json");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var passAtK = run.Json.GetProperty("passAtK");
        Assert.Equal(1.0 / 3, passAtK.GetProperty("pass@1").GetDouble(), 9);
        Assert.Equal(2.0 / 3, passAtK.GetProperty("pass@2").GetDouble(), 9);
        Assert.Equal(1.0, passAtK.GetProperty("pass@3").GetDouble(), 9);
        Assert.Equal(6, server.Requests.Count);
        foreach (var line in File.ReadAllLines(Path.Combine(outDir, "results.jsonl")))
        {
            using var result = JsonDocument.Parse(line);
            Assert.Equal("proved", result.RootElement.GetProperty("verdict").GetString());
            Assert.Equal(3, result.RootElement.GetProperty("attempts").GetInt32());
            Assert.Equal(1, result.RootElement.GetProperty("samplesCorrect").GetInt32());
            Assert.Equal(3, result.RootElement.GetProperty("passAtK").GetArrayLength());
        }
    }

    private string Problem(string name)
    {
        var path = Path.Combine(_folder, name + ".v");
        File.Copy(TestPaths.SharedPath("minif2f", "rocq", "test", name + ".v"), path);
        return path;
    }

    /// <summary>The CLI from its own output folder (built as a project reference), with its own dependency set.</summary>
    private static Task<ProcessRun> RunAgentAsync(params string[] arguments)
    {
        var start = AgentRuns.Command(AgentRuns.InCliOutput, TestPaths.RepositoryRoot, arguments);
        start.Environment.Remove("PROOFAGENT_MODELS");
        return AgentRuns.RunAsync(start, TimeSpan.FromMinutes(6));
    }
}
