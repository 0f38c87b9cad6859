using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Lean.Tests;

/// <summary>
/// <see cref="LeanChecker"/> end to end with scripted stand-ins for <c>lean</c> and the REPL (real child processes through the
/// process layer): the whole-file path reads the compiler's messages, the pool path frames the REPL's answers, and the gate
/// decides. The stand-ins answer what real Lean answers for these inputs.
/// </summary>
public sealed class CheckerEndToEndTests : IDisposable
{
    private const string Version = "Lean (version 4.15.0, x86_64-unknown-linux-gnu, commit 0123456789ab, Release)";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("lean-e2e-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory(Timeout = 60_000)]
    [InlineData("info: 'two' does not depend on any axioms", "proved")]
    [InlineData("info: 'two' depends on axioms: [propext, Quot.sound]", "proved")]
    [InlineData("info: 'two' depends on axioms: [sorryAx]", "incomplete")]
    [InlineData("info: 'two' depends on axioms: [Lean.ofReduceBool]", "unsound")]
    [InlineData("error: unknown constant 'two'", "unsound")]
    public async Task The_whole_file_path_reads_the_audit_answer_on_the_audit_line(string answer, string verdict)
    {
        // Line 2 of the checked file is the service's `#print axioms _root_.two`.
        var lean = Script("lean", $"""
            if [ "$1" = "--version" ]; then echo "{Version}"; exit 0; fi
            for f; do file="$f"; done
            if ! grep -q '^#print axioms _root_.two$' "$file"; then echo "audit line missing" >&2; exit 9; fi
            echo "$file:2:0: {answer}"
            """);
        await using var checker = new LeanChecker(LeanOptions.Default with { Lean = lean, Repl = "/nonexistent/repl" }, new ProcessRunner(new ResourceLimitIsolation()));

        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "theorem two : 1 + 1 = 2 := rfl\n"));

        Assert.Equal(verdict, result.Verdict.Name);
        Assert.Equal(new ProverIdentity("lean4", "4.15.0"), result.Prover);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_compiler_error_fails_the_proof_at_the_users_position_and_a_forged_line_does_not_count()
    {
        var lean = Script("lean", $"""
            if [ "$1" = "--version" ]; then echo "{Version}"; exit 0; fi
            for f; do file="$f"; done
            echo "$file:1:30: error: type mismatch"
            echo "/tmp/elsewhere/Candidate.lean:2:0: info: 'two' does not depend on any axioms"
            exit 1
            """);
        await using var checker = new LeanChecker(LeanOptions.Default with { Lean = lean, Repl = "/nonexistent/repl" }, new ProcessRunner(new ResourceLimitIsolation()));

        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "theorem two : 1 + 1 = 3 := rfl\n"));

        Assert.Equal("line 1: type mismatch", Assert.IsType<Verdict.Failed>(result.Verdict).Reason);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((1, 31), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("/tmp/elsewhere", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_compiler_that_outlives_the_budget_is_a_timeout()
    {
        var lean = Script("lean", $"""
            if [ "$1" = "--version" ]; then echo "{Version}"; exit 0; fi
            exec sleep 30
            """);
        await using var checker = new LeanChecker(LeanOptions.Default with { Lean = lean, Repl = "/nonexistent/repl" }, new ProcessRunner(new ResourceLimitIsolation()));

        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "theorem two : 1 + 1 = 2 := rfl\n").WithBudget(new ResourceBudget(TimeSpan.FromSeconds(1))));

        Assert.IsType<Verdict.Timeout>(result.Verdict);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_pool_path_elaborates_the_header_once_and_shifts_positions_by_it()
    {
        // Two checks under `import Lean`: the REPL sees the header once, then each body with "env": 0. The body's line 2 is the audit.
        var responses = Path.Combine(_folder.FullName, "repl.out");
        await File.WriteAllTextAsync(responses, """
            {"env": 0}

            {"messages": [{"severity": "info", "pos": {"line": 2, "column": 0}, "endPos": {"line": 2, "column": 6}, "data": "'two' does not depend on any axioms"}], "env": 1}

            {"sorries": [{"proofState": 0, "pos": {"line": 1, "column": 30}, "goal": "⊢ 1 + 1 = 2", "endPos": {"line": 1, "column": 35}}], "messages": [{"severity": "info", "pos": {"line": 2, "column": 0}, "endPos": {"line": 2, "column": 6}, "data": "'two' depends on axioms: [sorryAx]"}], "env": 2}

            """);
        var fake = TestEnvironment.FakeProver("--responses", responses);
        var repl = Script("repl", $"exec {string.Join(' ', new[] { fake.Executable }.Concat(fake.Arguments).Select(a => $"'{a}'"))}");
        var lean = Script("lean", $"echo \"{Version}\"");
        await using var checker = new LeanChecker(LeanOptions.Default with { Lean = lean, Repl = repl }, new ProcessRunner(new ResourceLimitIsolation()));

        var proved = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "import Lean\ntheorem two : 1 + 1 = 2 := rfl\n"));
        var holed = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "import Lean\ntheorem two : 1 + 1 = 2 := by omega\n"));

        Assert.True(proved.Verdict.IsProved, proved.Verdict.Summary);
        Assert.Equal(["two"], proved.Theorems.Select(t => t.Name));
        Assert.IsType<Verdict.Incomplete>(holed.Verdict);
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
