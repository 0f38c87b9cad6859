using System.Diagnostics;
using ProofAgent.Provers.Processes;
using ProofAgent.Security.Tests.Infrastructure;
using Xunit;

namespace ProofAgent.Security.Tests.Sandbox;

/// <summary>
/// Hostile Coq files compiled by coqc directly, bypassing the checker's static scan, so that the sandbox is the only
/// defence. Each attack is run twice: in the sandbox (it must fail, with nothing leaked or written) and without it
/// (it must succeed, which shows the sandbox is what stops it).
/// </summary>
[Collection("hostile")]
public sealed class HostileCoqTests(HostileWorld world) : IClassFixture<HostileWorld>
{
    private string LoadAttack => $"Load \"{world.SecretSource}\".\nPrint secret_value.\n";

    private string LoadPathAttack => $"Add LoadPath \"{world.Home}\" as Home.\nRequire Import Home.Secret.\nRequire Import String.\nOpen Scope string_scope.\nPrint secret_value.\n";

    private string RecLoadPathAttack => $"Add Rec LoadPath \"{world.Home}\" as Home.\nRequire Home.Secret.\nRequire Import String.\nOpen Scope string_scope.\nPrint Home.Secret.secret_value.\n";

    private string RedirectAttack => $"Redirect \"{Path.Combine(world.Outside, "pwned_redirect")}\" Print nat.\n";

    private string ExtractionAttack => $"Require Extraction.\nExtraction \"{Path.Combine(world.Outside, "pwned_extraction.ml")}\" nat.\n";

    private string CdAttack => $"Cd \"{world.Outside}\".\nRedirect \"pwned_cd\" Print nat.\n";

    [RequiresSandboxFact("coqc")]
    public async Task Load_of_a_secret_outside_the_job_fails_in_the_sandbox()
    {
        var run = await HostileWorld.CompileAsync(world.Sandbox!, LoadAttack);
        Assert.NotEqual(0, run.Outcome.ExitCode);
        Assert.DoesNotContain(HostileWorld.SecretText, run.Output, StringComparison.Ordinal);
        Assert.Contains("Error", run.Output, StringComparison.Ordinal);
    }

    [RequiresToolsFact("coqc")]
    public async Task Load_of_a_secret_outside_the_job_leaks_it_without_the_sandbox()
    {
        var run = await HostileWorld.CompileAsync(world.Unsandboxed, LoadAttack);
        Assert.Contains(HostileWorld.SecretText, run.Output, StringComparison.Ordinal);
    }

    [RequiresSandboxFact("coqc")]
    public async Task Add_LoadPath_and_Require_of_a_foreign_library_fail_in_the_sandbox()
    {
        foreach (var attack in new[] { LoadPathAttack, RecLoadPathAttack })
        {
            var run = await HostileWorld.CompileAsync(world.Sandbox!, attack);
            Assert.NotEqual(0, run.Outcome.ExitCode);
            Assert.DoesNotContain(HostileWorld.SecretText, run.Output, StringComparison.Ordinal);
        }
    }

    [RequiresToolsFact("coqc")]
    public async Task Add_LoadPath_and_Require_of_a_foreign_library_leak_it_without_the_sandbox()
    {
        foreach (var attack in new[] { LoadPathAttack, RecLoadPathAttack })
        {
            var run = await HostileWorld.CompileAsync(world.Unsandboxed, attack);
            Assert.Contains(HostileWorld.SecretText, run.Output, StringComparison.Ordinal);
        }
    }

    [RequiresSandboxFact("coqc")]
    public async Task Redirect_Extraction_and_Cd_write_nothing_outside_the_job_in_the_sandbox()
    {
        world.ClearOutside();
        var tmpTarget = Path.Combine(Path.GetTempPath(), "proofagent-pwned-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var attack in new[] { RedirectAttack, ExtractionAttack, CdAttack })
        {
            var run = await HostileWorld.CompileAsync(world.Sandbox!, attack);
            Assert.NotEqual(0, run.Outcome.ExitCode);
        }

        // The sandbox's /tmp is a private tmpfs: the write succeeds there and vanishes with the sandbox.
        await HostileWorld.CompileAsync(world.Sandbox!, $"Redirect \"{tmpTarget}\" Print nat.\n");

        Assert.Empty(world.WrittenOutside());
        Assert.False(File.Exists(tmpTarget + ".out"), "a write to the host's temp folder escaped the sandbox's private /tmp");
    }

    [RequiresToolsFact("coqc")]
    public async Task Redirect_Extraction_and_Cd_write_outside_the_job_without_the_sandbox()
    {
        world.ClearOutside();
        foreach (var attack in new[] { RedirectAttack, ExtractionAttack, CdAttack })
        {
            await HostileWorld.CompileAsync(world.Unsandboxed, attack);
        }

        var written = world.WrittenOutside().Select(Path.GetFileName).ToList();
        Assert.Contains("pwned_redirect.out", written);
        Assert.Contains("pwned_extraction.ml", written);
        Assert.Contains("pwned_cd.out", written);
        world.ClearOutside();
    }

    [RequiresSandboxFact("coqc")]
    public async Task An_output_flood_is_truncated_with_a_marker_in_bounded_time()
    {
        // About 216 KB of output against a 64 Ki-character cap.
        var flood = "Require Import List.\nDefinition l := List.repeat tt 2000.\n" + string.Concat(Enumerable.Repeat("Compute l.\n", 60));
        var limits = new ProcessLimits(TimeSpan.FromSeconds(40)).WithMaxOutputChars(64 * 1024);
        var clock = Stopwatch.StartNew();
        var run = await HostileWorld.CompileAsync(world.Sandbox!, flood, limits);
        Assert.True(run.Outcome.OutputTruncated, "the flood was not truncated");
        Assert.Contains("output truncated", run.Outcome.StandardOutput, StringComparison.Ordinal);
        Assert.True(run.Outcome.StandardOutput.Length < 70 * 1024, $"kept {run.Outcome.StandardOutput.Length} characters");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"took {clock.Elapsed}");
    }

    [RequiresSandboxFact("coqc")]
    public async Task A_memory_bomb_ends_out_of_memory_under_the_cap()
    {
        var bomb = "Require Import List.\nDefinition big := Eval vm_compute in List.length (List.repeat tt 100000000).\n";
        var limits = new ProcessLimits(TimeSpan.FromSeconds(60)) { MemoryBytes = 1024L * 1024 * 1024 };
        var clock = Stopwatch.StartNew();
        var run = await HostileWorld.CompileAsync(world.Sandbox!, bomb, limits);
        Assert.NotEqual(0, run.Outcome.ExitCode);
        Assert.False(run.Outcome.TimedOut);
        Assert.True(run.Outcome.OutOfMemory, "not reported as out of memory: " + run.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"took {clock.Elapsed}");
    }

    [RequiresSandboxFact("coqc")]
    public async Task An_endless_tactic_is_killed_at_the_timeout_with_no_process_left()
    {
        // 10^12 iterations of a tail loop in the VM: constant memory and stack, hours of work (a recursive Ltac would
        // instead die of a stack overflow, fast or slow depending on the machine).
        var marker = "spin" + Guid.NewGuid().ToString("N")[..8];
        var spin = $"Require Import Coq.PArith.BinPos.\nDefinition {marker} := Pos.iter negb true 1000000000000%positive.\nGoal {marker} = true. vm_compute. Abort.\n";
        var limits = new ProcessLimits(TimeSpan.FromSeconds(3));
        var clock = Stopwatch.StartNew();
        var run = await HostileWorld.CompileAsync(world.Sandbox!, spin, limits);
        Assert.True(run.Outcome.TimedOut);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        await Task.Delay(500);
        Assert.Empty(ProcessesMentioning(run.JobDirectory));
    }

    [RequiresSandboxFact("coqc")]
    public async Task The_checker_keeps_answering_after_the_attacks()
    {
        await HostileWorld.CompileAsync(world.Sandbox!, LoadAttack);
        var run = await HostileWorld.CompileAsync(world.Sandbox!, "Theorem ok : 1 + 1 = 2. Proof. reflexivity. Qed.\n");
        Assert.Equal(0, run.Outcome.ExitCode);
    }

    private static List<int> ProcessesMentioning(string text)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
