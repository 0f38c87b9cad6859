using System.Diagnostics;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.FStar.Tests;

public sealed class GateAndProcessTests
{
    public static TheoryData<string, string> Exploits => new()
    {
        { "admit", "let lemma_x (x:nat) : Lemma (x > 5) = admit ()" },
        { "qualified admit", "let f () : Lemma False = FStar.Pervasives.admit ()" },
        { "assume val", "assume val bad : squash False" },
        { "assume expression", "let f () : Lemma False = assume False" },
        { "admit_smt_queries pragma", "#set-options \"--admit_smt_queries true\"\nlet f () : Lemma False = ()" },
        { "push-options lax", "#push-options \"--lax\"\nlet f () : Lemma False = ()\n#pop-options" },
        { "expect_failure", "[@@expect_failure]\nlet f () : Lemma False = ()" },
        { "magic", "let f () : Lemma False = magic ()" },
        { "unsafe_coerce", "let f (x:int) : nat = unsafe_coerce x" },
        { "tactic admit", "open FStar.Tactics\nlet f () : Lemma False = assert False by (tadmit ())" },
        { "report_assumes override", "#set-options \"--report_assumes warn\"\nassume val x : squash False" },
        { "warn_error demotion", "#set-options \"--warn_error -19\"\nlet f () : Lemma False = ()" },
        { "admitP", "let f () : Lemma False = admitP False" },
    };

    [Theory]
    [MemberData(nameof(Exploits))]
    public void Should_reject_escape_hatches_statically(string name, string body)
    {
        var (verdict, diagnostics, scan) = FStarChecker.Gate("module Candidate\n" + body + "\n");

        Assert.True(verdict is Verdict.Unsound or Verdict.Incomplete, $"{name}: {verdict}");
        Assert.All(diagnostics, d => Assert.True(d.Line >= 2, name));
        Assert.Equal("Candidate", scan.ModuleName);
    }

    [Fact]
    public void Comments_should_not_count_and_names_should_be_found()
    {
        var (verdict, diagnostics, scan) = FStarChecker.Gate("module M\n(* we never admit (* nested assume *) *)\n// no magic\nval f : nat -> nat\nlet rec f x = x\nlet g = 1\n");

        Assert.Null(verdict);
        Assert.Empty(diagnostics);
        Assert.Equal(["f", "g"], scan.Definitions);
        Assert.Equal(["f"], scan.Vals);
    }

    [Fact]
    public async Task Should_report_unavailable_with_install_guidance_when_fstar_is_missing()
    {
        var checker = new FStarChecker(FStarOptions.Default.WithExecutable("fstar-not-installed-here"), new ProcessRunner(new ResourceLimitIsolation()));
        var fragments = new FStarFragmentChecker(FStarOptions.Default.WithExecutable("fstar-not-installed-here"), new ResourceLimitIsolation());

        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.FStar, "module M\nlet x = 1\n"));
        var fragment = await fragments.CheckAsync(new FStarFragmentTask("module M\nval x : int\nlet x = 1\n", "x", "let x = 1"));

        Assert.Contains("FStarLang", Assert.IsType<Verdict.Unavailable>(result.Verdict).InstallHint, StringComparison.Ordinal);
        Assert.IsType<Verdict.Unavailable>(fragment.Verdict);
    }

    [Fact]
    public async Task A_fragment_with_an_escape_hatch_should_be_unsound_whether_or_not_fstar_is_installed()
    {
        var fragments = new FStarFragmentChecker(FStarOptions.Default.WithExecutable("fstar-not-installed-here"), new ResourceLimitIsolation());

        var hole = await fragments.CheckAsync(new FStarFragmentTask("module M\nval x : nat\nlet x = 1\n", "x", "let x : nat = admit ()"));
        var assumed = await fragments.CheckAsync(new FStarFragmentTask("module M\nval x : nat\nlet x = 1\n", "x", "assume val y : nat\nlet x : nat = y"));

        Assert.IsType<Verdict.Incomplete>(hole.Verdict);
        Assert.IsType<Verdict.Unsound>(assumed.Verdict);
    }

    [RequiresSharedFolderFact("fixtures", "fstar", Timeout = 30_000)]
    public async Task The_ide_client_should_replay_the_dataset_harness_through_a_real_process()
    {
        var spec = new ProcessSpec("/bin/sh", [TestEnvironment.Double("replay-ide.sh"), TestEnvironment.Fixture("ide", "Harness.selfref.ideout.expected")]);
        var limits = new ProcessLimits(TimeSpan.FromSeconds(20)) { GracePeriod = TimeSpan.FromMilliseconds(300) };
        await using var ide = await FStarIdeSession.StartAsync(spec, limits, new ResourceLimitIsolation(), TimeSpan.FromSeconds(10));

        var prefix = await ide.PushPartialCheckedFileAsync("Harness.always_foo", TimeSpan.FromSeconds(10));
        var first = await ide.PushAsync("let always_foo x : Lemma (foo x) = ()", full: true, 1, 0, TimeSpan.FromSeconds(10));
        var second = await ide.PushAsync("let always_foo x : Lemma (foo x) = Harness.always_foo x", full: true, 1, 0, TimeSpan.FromSeconds(10));

        Assert.True(prefix.Response.IsCleanSuccess);
        Assert.Equal(("2", 19), (first.Response.QueryId, first.Response.Issues[0].Number!.Value));
        Assert.Equal(("3", 72), (second.Response.QueryId, second.Response.Issues[0].Number!.Value));
        Assert.True(ide.IsHealthy);
    }

    [RequiresSharedFolderFact("fixtures", "fstar", Timeout = 30_000)]
    public async Task Proof_state_messages_should_arrive_with_their_query()
    {
        var spec = new ProcessSpec("/bin/sh", [TestEnvironment.Double("replay-ide.sh"), TestEnvironment.Fixture("ide", "FailRange.ideout.expected")]);
        await using var ide = await FStarIdeSession.StartAsync(spec, new ProcessLimits(TimeSpan.FromSeconds(20)), new ResourceLimitIsolation(), TimeSpan.FromSeconds(10));

        await ide.PushAsync("module FailRange\nopen FStar.Tactics.V2\n", full: true, 1, 0, TimeSpan.FromSeconds(10));
        var failed = await ide.PushAsync("\nlet a : unit = ...", full: true, 3, 0, TimeSpan.FromSeconds(10));

        Assert.Equal("failure", failed.Response.Status);
        Assert.Equal(2, failed.LastProofState.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_silent_fstar_should_time_out_and_be_killed()
    {
        var spec = new ProcessSpec("/bin/sh", ["-c", "trap '' INT; echo '{\"kind\":\"protocol-info\",\"version\":2,\"features\":[\"push\"]}'; sleep 60"]);
        await using var ide = await FStarIdeSession.StartAsync(spec, new ProcessLimits(TimeSpan.FromSeconds(20)) { GracePeriod = TimeSpan.FromMilliseconds(300) }, new ResourceLimitIsolation(), TimeSpan.FromSeconds(5));
        var pid = ide.ProcessId;
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<ProverTimeoutException>(() => ide.PushAsync("let x = 1", true, 1, 0, TimeSpan.FromMilliseconds(300)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.False(ide.IsHealthy);
        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(!Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task Garbage_output_should_be_a_clear_crash()
    {
        var spec = new ProcessSpec("/bin/sh", ["-c", "echo '{\"kind\":\"protocol-info\",\"version\":2}'; read q; echo 'Fatal error: exception Not_found'; sleep 30"]);
        await using var ide = await FStarIdeSession.StartAsync(spec, new ProcessLimits(TimeSpan.FromSeconds(20)), new ResourceLimitIsolation(), TimeSpan.FromSeconds(5));

        var crash = await Assert.ThrowsAsync<ProverCrashedException>(() => ide.PushAsync("let x = 1", true, 1, 0, TimeSpan.FromSeconds(5)));

        Assert.Contains("Not_found", crash.Message, StringComparison.Ordinal);
    }

    [RequiresToolsFact("fstar.exe", Timeout = 300_000)]
    public async Task Integration_the_real_fstar_should_verify_and_refuse()
    {
        var checker = new FStarChecker(FStarOptions.Default, new ProcessRunner(new ResourceLimitIsolation()));

        var good = await checker.CheckAsync(new ProofTask(ProofLanguage.FStar, "module Good\nlet f (x:nat) : Lemma (x + 0 == x) = ()\n"));
        var bad = await checker.CheckAsync(new ProofTask(ProofLanguage.FStar, "module Bad\nlet f (x:nat) : Lemma (x + 1 == x) = ()\n"));

        Assert.True(good.Verdict.IsProved, good.Verdict.Summary);
        Assert.IsType<Verdict.Failed>(bad.Verdict);
        Assert.Equal(2, bad.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error).Line);
    }
}
