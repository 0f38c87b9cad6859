using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Isabelle.Tests;

public sealed class CheckerTests
{
    [Fact]
    public async Task Should_report_unavailable_with_install_guidance_when_isabelle_is_missing()
    {
        var checker = new IsabelleChecker(IsabelleOptions.Default.WithExecutable("isabelle-not-installed-here"), new ProcessRunner(new ResourceLimitIsolation()));

        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Isabelle, "theory T imports Main begin lemma x: \"True\" by simp end"));

        var unavailable = Assert.IsType<Verdict.Unavailable>(result.Verdict);
        Assert.Contains("isabelle.in.tum.de", unavailable.InstallHint, StringComparison.Ordinal);
        Assert.Equal(ProofLanguage.Isabelle, checker.Language);
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server", Timeout = 60_000)]
    public async Task The_checker_should_drive_a_replayed_server_to_a_failed_verdict_with_positions()
    {
        // A fake `isabelle` launcher: `version` answers a name, `server ... -c` replays the recorded session_start and
        // failing use_theories transcripts.
        var dir = Directory.CreateTempSubdirectory("isabelle-double-");
        try
        {
            var launcher = Path.Combine(dir.FullName, "isabelle");
            await File.WriteAllTextAsync(launcher, $"""
                #!/bin/sh
                if [ "$1" = version ]; then echo Isabelle2025-replay; exit 0; fi
                exec /bin/sh '{TestEnvironment.Double("replay.sh")}' '{TestEnvironment.Double("greeting.txt")}' '{TestEnvironment.Fixture("session_start.txt")}' '{TestEnvironment.Fixture("use_theories.Fail.txt")}'
                """);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var checker = new IsabelleChecker(IsabelleOptions.Default.WithExecutable(launcher), new ProcessRunner(new ResourceLimitIsolation()));
            var theory = await File.ReadAllTextAsync(TestEnvironment.Fixture("Example.thy"));

            // A named lemma with the same symbol count as the recorded one, so the recorded offsets (59-61: "by") still fit.
            var named = theory.Replace("lemma \"\\<forall> x. \\<exists> y. x = y\"", "lemma e: \"\\<forall>x. \\<exists>y. x= y\"", StringComparison.Ordinal);
            Assert.NotEqual(theory, named);

            var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Isabelle, named).WithFileName("Example.thy"));

            Assert.Equal(new ProverIdentity("isabelle", "Isabelle2025-replay"), result.Prover);
            var failed = Assert.IsType<Verdict.Failed>(result.Verdict);
            Assert.Contains("Failed to finish proof", failed.Reason, StringComparison.Ordinal);
            var error = Assert.Single(result.Diagnostics);
            Assert.Equal(DiagnosticSeverity.Error, error.Severity);
            Assert.Equal((5, 1, 5, 3), (error.Line, error.Column, error.EndLine, error.EndColumn));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [RequiresIsabelleFact(Timeout = 600_000)]
    public async Task Integration_the_real_isabelle_should_prove_a_simple_lemma_and_refuse_a_false_one()
    {
        var options = IsabelleOptions.Default.WithExecutable(Environment.GetEnvironmentVariable("PROOFAGENT_ISABELLE") is { Length: > 0 } path ? path : "isabelle");
        var checker = new IsabelleChecker(options, new ProcessRunner(new ResourceLimitIsolation()));

        var good = await checker.CheckAsync(new ProofTask(ProofLanguage.Isabelle, "theory Good imports Main begin\nlemma add0: \"(n::nat) + 0 = n\" by simp\nend\n"));
        var bad = await checker.CheckAsync(new ProofTask(ProofLanguage.Isabelle, "theory Bad imports Main begin\nlemma wrong: \"(n::nat) + 1 = n\" by simp\nend\n"));
        var cheat = await checker.CheckAsync(new ProofTask(ProofLanguage.Isabelle, "theory Cheat imports Main begin\nlemma wrong: \"False\" sorry\nend\n"));

        Assert.True(good.Verdict.IsProved, good.Verdict.Summary);
        Assert.IsType<Verdict.Failed>(bad.Verdict);
        Assert.Equal(2, bad.Diagnostics.First().Line);
        Assert.IsType<Verdict.Incomplete>(cheat.Verdict);
    }
}
