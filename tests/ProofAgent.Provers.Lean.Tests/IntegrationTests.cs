using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Lean.Tests;

/// <summary>Against a real Lean toolchain, when one is on PATH (each test says so when it is not).</summary>
[Trait("Category", "Lean")]
public sealed class IntegrationTests
{
    [RequiresToolsFact("lean", Timeout = 300_000)]
    public async Task A_valid_proof_is_proved_and_a_broken_one_fails()
    {
        await using var checker = new LeanChecker(LeanOptions.Default with { PreferRepl = false }, new ProcessRunner(new ResourceLimitIsolation()));

        var proved = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "theorem two : 1 + 1 = 2 := rfl\n"));
        var failed = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "theorem two : 1 + 1 = 3 := rfl\n"));
        var withStatement = await checker.CheckAsync(
            new ProofTask(ProofLanguage.Lean4, "theorem target (n : Nat) (h : 0 < n) : n ≠ 0 := by omega\n")
                .WithExpectedStatement(File.ReadAllText(TestPaths.Data("Exploits", "Statement.lean"))));

        Assert.True(proved.Verdict.IsProved, proved.Verdict.Summary);
        Assert.Equal(["two"], proved.Theorems.Select(t => t.Name));
        var failure = Assert.IsType<Verdict.Failed>(failed.Verdict);
        Assert.StartsWith("line 1:", failure.Reason, StringComparison.Ordinal);
        Assert.True(withStatement.Verdict.IsProved, withStatement.Verdict.Summary);
    }

    [RequiresToolsTheory("lean", Timeout = 300_000)]
    [MemberData(nameof(SoundnessGateTests.DynamicExploits), MemberType = typeof(SoundnessGateTests))]
    public async Task Every_exploit_is_rejected_by_Lean_itself_with_the_static_scan_off(string name)
    {
        await using var checker = new LeanChecker(LeanOptions.Default with { StaticScan = false, PreferRepl = false }, new ProcessRunner(new ResourceLimitIsolation()));

        var result = await checker.CheckAsync(SoundnessGateTests.ExploitTask(name));

        Assert.False(result.Verdict.IsProved, $"{name}: {result.Verdict.Summary}");
    }

    [RequiresToolsFact("lean", "repl", Timeout = 300_000)]
    public async Task The_REPL_pool_checks_and_steps_like_the_compiler()
    {
        await using var checker = new LeanChecker(LeanOptions.Default, new ProcessRunner(new ResourceLimitIsolation()));

        var proved = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "theorem two : 1 + 1 = 2 := rfl\n"));
        var simp = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "theorem two : 1 + 1 = 2 := by\n  simp\n"));
        var hole = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "theorem two : 1 + 1 = 2 := by\n  sorry\n"));
        await using var session = await checker.OpenAsync(string.Empty, ResourceBudget.Default);
        var start = Assert.IsType<StepResult.Goals>(await session.StartProofAsync("theorem t (n : Nat) : n + 0 = n"));
        var done = await session.RunTacticAsync(start.State, "simp");

        Assert.True(proved.Verdict.IsProved, proved.Verdict.Summary);
        Assert.True(simp.Verdict.IsProved, simp.Verdict.Summary);
        Assert.IsType<Verdict.Incomplete>(hole.Verdict);
        Assert.IsType<StepResult.ProofFinished>(done);
    }
}
