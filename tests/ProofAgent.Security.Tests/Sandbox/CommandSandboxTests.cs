using System.Text.Json;
using ProofAgent.Security.Tests.Infrastructure;
using Xunit;

namespace ProofAgent.Security.Tests.Sandbox;

/// <summary>
/// The commands that start provers on user files (<c>gl run|check</c>, <c>synth bb|mba --check</c>,
/// <c>mba verify|bench</c>, <c>smt-triage</c>) run them in the sandbox. Stand-in provers (PROOFAGENT_COQC, PROOFAGENT_Z3) report the host
/// name they see (the sandbox's is <c>proofagent-sandbox</c>) in their error messages and try to write a marker into a
/// host folder: in the sandbox the marker never appears and the command reports the sandbox's host name; with
/// <c>--unsafe-no-sandbox</c> the marker appears, which shows the test would see an escape.
/// </summary>
[Collection("hostile")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CommandSandboxTests : IDisposable
{
    private const string SandboxHost = "proofagent-sandbox";
    private readonly string _world;
    private readonly string _outside;
    private readonly string _coqc;
    private readonly string _z3;

    public CommandSandboxTests()
    {
        _world = Directory.CreateTempSubdirectory("proofagent-command-sandbox-").FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_world, "outside")).FullName;
        File.SetUnixFileMode(_world, (UnixFileMode)0b111_101_101);
        _coqc = Script("coqc", $$"""
            #!/bin/sh
            host=$(uname -n)
            { echo "ran on $host" >> '{{_outside}}/coqc'; } 2>/dev/null
            if [ "$1" = "--version" ]; then echo "The Coq Proof Assistant, version 8.16.1"; exit 0; fi
            echo 'File "./Candidate.v", line 1, characters 0-1:' >&2
            echo "Error: stand-in coqc ran on $host" >&2
            exit 1
            """);
        _z3 = Script("z3", $$"""
            #!/bin/sh
            host=$(uname -n)
            if [ "$1" = "--version" ]; then
              { echo "ran on $host" >> '{{_outside}}/z3-probe'; } 2>/dev/null
              echo "Z3 version 4.8.12 - 64 bit"
              exit 0
            fi
            { echo "ran on $host" >> '{{_outside}}/z3-session'; } 2>/dev/null
            while IFS= read -r line; do
              case "$line" in
                "(check-sat)") echo "(error \"stand-in z3 ran on $host\")" ;;
                "(echo "*) m=${line#(echo \"}; echo "${m%\")}" ;;
              esac
            done
            """);
    }

    public void Dispose() => Directory.Delete(_world, recursive: true);

    [RequiresSandboxFact(Timeout = 600_000)]
    public async Task Mba_verify_asks_its_solver_in_the_sandbox()
    {
        // True at 64 bits but beyond the normal form and evaluation: only the solver is left to ask.
        var data = Path.Combine(_world, "question.jsonl");
        await File.WriteAllTextAsync(data, "{\"lhs\":\"9223372036854775808 * x * (x - 1)\",\"rhs\":\"0\"}\n");
        string[] arguments = ["mba", "verify", "--data", data, "--bits", "64", "--timeout", "5", "--json"];

        var sandboxed = await RunAsync(arguments);

        var reason = sandboxed.Json.GetProperty("results")[0].GetProperty("reason").GetString();
        Assert.Contains($"ran on {SandboxHost}", reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_outside));

        await RunAsync([.. arguments, "--unsafe-no-sandbox"]);
        Assert.True(File.Exists(Path.Combine(_outside, "z3-session")), "without the sandbox the stand-in z3 writes its marker");
    }

    [RequiresSandboxFact("cvc5", Timeout = 600_000)]
    public async Task Smt_triage_asks_its_solver_in_the_sandbox()
    {
        // A statement the translator turns into an SMT-LIB query: the stand-in z3 is asked, then cvc5 (the second opinion).
        var data = Path.Combine(_world, "statements.jsonl");
        await File.WriteAllTextAsync(data, "{\"name\":\"t\",\"split\":\"test\",\"formal_statement\":\"theorem t (x : ℕ) (h : x + 1 = 3) : x = 2 := by sorry\"}\n");
        string[] arguments = ["smt-triage", "--data", data, "--timeout", "5", "--jobs", "1"];

        var sandboxed = await RunAsync(arguments);

        Assert.True(sandboxed.ExitCode is 0 or 1, sandboxed.Stderr);
        Assert.Empty(Directory.GetFiles(_outside));

        await RunAsync([.. arguments, "--unsafe-no-sandbox"]);
        Assert.NotEmpty(Directory.GetFiles(_outside)); // without the sandbox the stand-in z3 writes its marker
    }

    [RequiresSandboxFact(Timeout = 600_000)]
    public async Task Mba_bench_probes_and_asks_its_solver_in_the_sandbox()
    {
        string[] arguments = ["mba", "bench", "--count", "1", "--z3-count", "1", "--direct-count", "0", "--refute-count", "0", "--timeout", "5", "--json"];

        var sandboxed = await RunAsync(arguments);

        var row = sandboxed.Json.GetProperty("results")[0];
        Assert.Equal(1, row.GetProperty("solverLemmas").GetProperty("unknown").GetInt32()); // the stand-in answered (with an error)
        Assert.Empty(Directory.GetFiles(_outside));

        await RunAsync([.. arguments, "--unsafe-no-sandbox"]);
        Assert.True(File.Exists(Path.Combine(_outside, "z3-probe")), "without the sandbox the stand-in z3 writes its marker");
        Assert.True(File.Exists(Path.Combine(_outside, "z3-session")), "without the sandbox the stand-in z3 writes its marker");
    }

    [RequiresSandboxFact(Timeout = 600_000)]
    public async Task Synth_mba_check_runs_coqc_in_the_sandbox() =>
        await AssertCoqInSandboxAsync(["synth", "mba", "--count", "1", "--bits", "4", "--check", "--json"], json => json.GetProperty("coqRejections")[0].GetProperty("verdict").GetString());

    [RequiresSandboxFact(Timeout = 600_000)]
    public async Task Synth_bb_check_runs_coqc_in_the_sandbox() =>
        await AssertCoqInSandboxAsync(["synth", "bb", "--states", "2", "--count", "1", "--check", "--json"], json => json.GetProperty("coqRejections")[0].GetProperty("verdict").GetString());

    [RequiresSandboxFact(Timeout = 600_000)]
    public async Task Gl_run_runs_coqc_in_the_sandbox() =>
        await AssertCoqInSandboxAsync(["gl", "run", "--jobs", "1", "--json"], json => json.GetProperty("coqError").GetString());

    [RequiresSandboxFact(Timeout = 600_000)]
    public async Task Gl_check_runs_coqc_in_the_sandbox()
    {
        var graph = Path.Combine(_world, "graph");
        var written = await RunAsync(["gl", "run", "--jobs", "1", "--no-coq", "--out", graph, "--json"]);
        Assert.True(written.ExitCode == 0, written.Stderr);

        await AssertCoqInSandboxAsync(["gl", "check", graph, "--json"], json => json.GetProperty("coqError").GetString());
    }

    private async Task AssertCoqInSandboxAsync(string[] arguments, Func<JsonElement, string?> message)
    {
        var sandboxed = await RunAsync(arguments);

        Assert.Contains($"ran on {SandboxHost}", message(sandboxed.Json), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_outside));

        await RunAsync([.. arguments, "--unsafe-no-sandbox"]);
        Assert.True(File.Exists(Path.Combine(_outside, "coqc")), "without the sandbox the stand-in coqc writes its marker");
    }

    private string Script(string name, string text)
    {
        var path = Path.Combine(_world, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    /// <summary>The real `agent` (agent.dll beside the tests) with the stand-in provers.</summary>
    private Task<ProcessRun> RunAsync(string[] arguments)
    {
        var start = AgentRuns.Command(AgentRuns.BesideTests, _world, arguments);
        start.Environment["PROOFAGENT_COQC"] = _coqc;
        start.Environment["PROOFAGENT_Z3"] = _z3;
        start.Environment.Remove("PROOFAGENT_SANDBOX");
        return AgentRuns.RunAsync(start, TimeSpan.FromMinutes(4));
    }
}
