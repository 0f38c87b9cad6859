using Microsoft.Extensions.Logging;
using ProofAgent.Hosting;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Processes.Sandbox;
using ProofAgent.Security.Tests.Infrastructure;
using ProofAgent.Testing;
using Xunit;

namespace ProofAgent.Security.Tests.Sandbox;

/// <summary>What a sandboxed process can see and do, how the sandbox is chosen, and the wiring into the catalog and CLI.</summary>
public sealed class SandboxTests
{
    private static async Task<ProcessOutcome> ShAsync(IProcessIsolation isolation, string script, ProcessLimits? limits = null, string? workingDirectory = null) =>
        await new ProcessRunner(isolation).RunAsync(
            new ProcessSpec("sh", ["-c", script]) { WorkingDirectory = workingDirectory },
            limits ?? new ProcessLimits(TimeSpan.FromSeconds(30)));

    [RequiresSandboxFact]
    public async Task A_sandboxed_process_sees_no_home_no_service_data_no_network_and_its_own_pids()
    {
        var sandbox = await SandboxFactory.CreateAsync(SandboxPolicy.Default);
        var repository = TestPaths.RepositoryRoot;
        var script = $"""
            for p in /root /home /etc/passwd /etc/shadow '{repository}' '{AppContext.BaseDirectory}'; do test -e "$p" && echo "VISIBLE $p"; done
            echo "interfaces $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ',')"
            echo "pid1 $(cat /proc/1/comm)"
            echo "processes $(ls /proc | grep -c '^[0-9]')"
            """;
        var outcome = await ShAsync(sandbox, script);
        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        Assert.DoesNotContain("VISIBLE", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("interfaces lo,", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("pid1 bwrap", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [RequiresSandboxFact]
    public async Task The_job_folder_is_the_only_writable_place_and_tmp_is_private()
    {
        var sandbox = await SandboxFactory.CreateAsync(SandboxPolicy.Default);
        var job = Directory.CreateTempSubdirectory("proofagent-sec-rw-");
        var tmpName = "/tmp/proofagent-sec-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var outcome = await ShAsync(
                sandbox,
                $"echo job > job.txt && echo wrote-job; echo x > /usr/x 2>/dev/null || echo usr-readonly; echo t > {tmpName} && echo tmp-ok; echo \"home=$HOME\"",
                workingDirectory: job.FullName);
            Assert.Contains("wrote-job", outcome.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("usr-readonly", outcome.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("tmp-ok", outcome.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("home=" + job.FullName, outcome.StandardOutput, StringComparison.Ordinal);
            Assert.Equal("job\n", await File.ReadAllTextAsync(Path.Combine(job.FullName, "job.txt")));
            Assert.False(File.Exists(tmpName), "the sandbox's /tmp is the host's");
        }
        finally
        {
            job.Delete(recursive: true);
        }
    }

    [RequiresSandboxFact]
    public async Task A_fork_bomb_hits_the_process_cap_and_dies_with_its_sandbox()
    {
        var sandbox = await SandboxFactory.CreateAsync(SandboxPolicy.Default.WithMaxProcesses(20));
        var marker = "bomb" + Guid.NewGuid().ToString("N")[..8];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await ShAsync(sandbox, $"for i in $(seq 1 60); do sh -c 'sleep 30' {marker} & done; echo all-started", new ProcessLimits(TimeSpan.FromSeconds(20)));
        Assert.DoesNotContain("all-started", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fork", outcome.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");

        // The PID namespace ends with the shell: no stray process survives on the host.
        await Task.Delay(300);
        Assert.DoesNotContain(Directory.EnumerateDirectories("/proc"), d => int.TryParse(Path.GetFileName(d), out _) && Mentions(d, marker));
    }

    private static bool Mentions(string procDirectory, string text)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Contains(text, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Only root can use this launch; the default launch is covered by every other test.
    [RequiresRootSandboxFact]
    public async Task The_privileged_launch_confines_as_well_when_the_service_is_root()
    {
        var probe = await SandboxFactory.ProbeAsync(SandboxPolicy.Default.WithLaunch(SandboxLaunch.PrivilegedDropInside));
        Assert.True(probe.Works, probe.Problem);
        var sandbox = await SandboxFactory.CreateAsync(SandboxPolicy.Default.WithLaunch(SandboxLaunch.PrivilegedDropInside));
        var outcome = await ShAsync(sandbox, "id -u; test -e /root && echo VISIBLE; grep CapEff /proc/self/status");
        Assert.Contains("65534", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("VISIBLE", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("CapEff:\t0000000000000000", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bwrap_is_refused_naming_the_unsafe_option()
    {
        var policy = SandboxPolicy.Default with { Bubblewrap = "/nonexistent/bwrap" };
        var exception = await Assert.ThrowsAsync<SandboxUnavailableException>(() => SandboxFactory.CreateAsync(policy));
        Assert.Contains("--unsafe-no-sandbox", exception.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/bwrap", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabling_the_sandbox_is_logged_as_critical()
    {
        var logger = new RecordingLogger<SandboxTests>();
        var isolation = await SandboxFactory.CreateAsync(SandboxPolicy.Default.WithMode(SandboxMode.UnsafeDisabled), logger);
        Assert.IsType<ResourceLimitIsolation>(isolation);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("SANDBOX DISABLED", StringComparison.Ordinal));
    }

    [Fact]
    public void The_environment_chooses_the_policy_and_bad_values_are_named()
    {
        var variables = new Dictionary<string, string?>
        {
            ["PROOFAGENT_SANDBOX"] = "unsafe-none",
            ["PROOFAGENT_SANDBOX_LIBRARIES"] = "/opt/lean:/opt/mathlib",
            ["PROOFAGENT_SANDBOX_MAX_PROCESSES"] = "64",
        };
        var policy = SandboxPolicy.FromVariables(name => variables.GetValueOrDefault(name));
        Assert.True(policy.IsDisabled);
        Assert.Equal(["/opt/lean", "/opt/mathlib"], policy.LibraryPaths);
        Assert.Equal(64, policy.MaxProcesses);
        var bad = Assert.Throws<FormatException>(() => SandboxPolicy.FromVariables(name => name == "PROOFAGENT_SANDBOX" ? "off" : null));
        Assert.Contains("PROOFAGENT_SANDBOX", bad.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => SandboxPolicy.FromVariables(name => name == "PROOFAGENT_SANDBOX_MAX_PROCESSES" ? "-1" : null));
    }

    [RequiresSandboxFact]
    public async Task A_writable_grant_outside_the_job_roots_is_refused()
    {
        var sandbox = await SandboxFactory.CreateAsync(SandboxPolicy.Default);
        // /usr is outside every job root wherever the checkout lives (a CI clone may sit under the temp folder).
        var spec = new ProcessSpec("true", []) { PathGrants = [PathGrant.ReadWrite("/usr")] };
        Assert.Throws<ArgumentException>(() => sandbox.Apply(spec, new ProcessLimits(TimeSpan.FromSeconds(5))));
    }

    [RequiresSandboxFact("coqc", "coqchk", "coqidetop.opt")]
    public async Task The_coq_audit_runs_warm_in_the_sandbox_with_its_libraries_granted_read_only()
    {
        // The audit's coqidetop sees the compiled candidate and statement through read-only grants: a fallback to coqc
        // (logged as a warning) would mean the grants or the protocol broke under bwrap.
        var sandbox = await SandboxFactory.CreateAsync(SandboxPolicy.Default);
        var logger = new RecordingLogger<CoqChecker>();
        var checker = new CoqChecker(CoqOptions.Default with { WarmAudit = true }, new ProcessRunner(sandbox), logger);
        const string Statement = "Require Import Coq.Arith.PeanoNat.\nTheorem t : forall n : nat, n + 0 = n.\nProof. Admitted.\n";

        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Coq, Statement.Replace("Proof. Admitted.", "Proof. intros n. rewrite Nat.add_0_r. reflexivity. Qed.", StringComparison.Ordinal))
            .WithExpectedStatement(Statement));

        Assert.True(result.Verdict.IsProved, result.Verdict.Summary);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [RequiresSandboxFact("coqc", "z3")]
    public async Task The_default_catalog_checks_proofs_in_the_sandbox_and_leaves_no_job_folder()
    {
        var before = Directory.GetDirectories(Path.GetTempPath(), JobFolder.OwnedPrefix("proofagent-coq-") + "*").ToHashSet(StringComparer.Ordinal);
        await using var host = ProverHost.Create(ProverSettings.Default);
        var catalog = host.Checkers;
        Assert.Equal("bwrap", host.Isolation.Name);

        var proved = await catalog.Checker(ProofLanguage.Coq).CheckAsync(new ProofTask(ProofLanguage.Coq, "Theorem two : 1 + 1 = 2.\nProof. reflexivity. Qed.\n"));
        Assert.True(proved.Verdict.IsProved, proved.Verdict.Summary);

        var hostile = await catalog.Checker(ProofLanguage.Coq).CheckAsync(new ProofTask(ProofLanguage.Coq, "Load \"/etc/passwd\".\nTheorem t : True. Proof. exact I. Qed.\n"));
        Assert.IsType<Verdict.Unsound>(hostile.Verdict);

        var smt = await catalog.Checker(ProofLanguage.Smt).CheckAsync(new ProofTask(ProofLanguage.Smt, "(declare-const x Int)\n(assert (and (> x 2) (< x 2)))\n(check-sat)\n"));
        Assert.True(smt.Verdict.IsProved, smt.Verdict.Summary);

        // Job folders are named after their owner, so other test processes' folders are not counted; this project's
        // other tests check Coq files at the same time and own folders for a few seconds: one still there after they had
        // ample time to finish is a leak.
        var after = new List<string>();
        for (var attempt = 0; attempt < 60; attempt++)
        {
            after = [.. Directory.GetDirectories(Path.GetTempPath(), JobFolder.OwnedPrefix("proofagent-coq-") + "*").Where(d => !before.Contains(d))];
            if (after.Count == 0)
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.Empty(after);
    }

    [RequiresSandboxFact]
    public async Task An_interactive_prover_that_never_ends_a_frame_is_stopped()
    {
        var sandbox = await SandboxFactory.CreateAsync(SandboxPolicy.Default);
        var limits = new ProcessLimits(TimeSpan.FromSeconds(20)).WithMaxOutputChars(1024 * 1024);
        await using var process = InteractiveProcess<string>.Start(new ProcessSpec("sh", ["-c", "head -c 50000000 /dev/zero; sleep 30"]), limits, new LineFrameDecoder(), sandbox);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Without the cap the frame would grow to 50 MB and the receive would wait for its 20 s timeout instead.
        await Assert.ThrowsAsync<ProverCrashedException>(() => process.ReceiveAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }
}
