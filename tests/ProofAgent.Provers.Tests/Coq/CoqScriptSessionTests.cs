using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Processes;
using ProofAgent.Testing;
using Xunit;

namespace ProofAgent.Provers.Tests.Coq;

/// <summary>The audit's warm session: output where Redirect puts it, failures by line, every run from the base state.</summary>
public sealed class CoqScriptSessionTests
{
    [RequiresToolsFact("coqidetop.opt", Timeout = 120_000)]
    public async Task A_script_runs_from_the_preloaded_base_and_reports_its_first_failing_line()
    {
        var directory = Directory.CreateTempSubdirectory("proofagent-script-session-");
        try
        {
            await using var session = await CoqScriptSession.StartAsync(
                CoqOptions.Default, new ResourceLimitIsolation(), directory.FullName, [], ["From Coq Require Arith."],
                new ProcessLimits(TimeSpan.FromSeconds(60)), NullLogger.Instance, CancellationToken.None);

            // The preloaded library is there without an import (qualified names only), and Redirect output lands in the folder.
            var first = await session.RunAsync(
                ["Definition mine := 3.", "Redirect \"about\" Check Coq.Arith.PeanoNat.Nat.add_comm.", "Check undefined_name."],
                TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.Equal(3, first.FailedLine);
            Assert.Contains("undefined_name", first.Error, StringComparison.Ordinal);
            Assert.Contains("forall n m : nat, n + m = m + n", File.ReadAllText(Path.Combine(directory.FullName, "about.out")), StringComparison.Ordinal);

            // A second run starts from the base again: what the first one defined is gone.
            var second = await session.RunAsync(["Check mine."], TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.Equal(1, second.FailedLine);
            Assert.True((await session.RunAsync(["Definition mine := 4.", "Check mine."], TimeSpan.FromSeconds(60), CancellationToken.None)).Succeeded);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [RequiresToolsFact("coqc", "coqchk", "coqidetop.opt", Timeout = 120_000)]
    public async Task The_checker_audits_in_the_warm_session_without_falling_back_to_coqc()
    {
        var logger = new RecordingLogger<CoqChecker>();
        var checker = new CoqChecker(CoqOptions.Default with { WarmAudit = true }, new ProcessRunner(new ResourceLimitIsolation()), logger);

        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Coq, """
            Require Import Coq.Arith.PeanoNat.
            Theorem t : forall n : nat, n + 0 = n.
            Proof. intros n. rewrite Nat.add_0_r. reflexivity. Qed.
            """).WithExpectedStatement("""
            Require Import Coq.Arith.PeanoNat.
            Theorem t : forall n : nat, n + 0 = n.
            Proof. Admitted.
            """));

        Assert.True(result.Verdict.IsProved, result.Verdict.Summary);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [RequiresToolsFact("coqc", "coqchk", "coqidetop.opt", Timeout = 180_000)]
    public async Task A_body_nested_deeper_than_coqidetops_own_layout_prints_is_read_whole()
    {
        // coqidetop's own layout (richpp) elides every box nested deeper than 50 with "...": the audit would then read a
        // own constant's body as unreadable and refuse a sound proof. The session lays out Pp documents itself.
        var deep = Enumerable.Range(0, 120).Aggregate("tt", (term, _) => $"({term}, tt)");
        var source = $$"""
            Require Import Coq.micromega.Lia.
            Definition deep := {{deep}}.
            Theorem uses_deep : fst deep = fst deep.
            Proof. reflexivity. Qed.
            Theorem by_lia : forall a b c d e : nat, a <= b -> b <= c -> c <= d -> d <= e -> a + 2 * b <= c + d + e.
            Proof. lia. Qed.
            """;
        var logger = new RecordingLogger<CoqChecker>();
        var warm = new CoqChecker(CoqOptions.Default with { WarmAudit = true }, new ProcessRunner(new ResourceLimitIsolation()), logger);
        var cold = new CoqChecker(CoqOptions.Default with { WarmAudit = false }, new ProcessRunner(new ResourceLimitIsolation()));

        var warmResult = await warm.CheckAsync(new ProofTask(ProofLanguage.Coq, source));
        var coldResult = await cold.CheckAsync(new ProofTask(ProofLanguage.Coq, source));

        Assert.True(coldResult.Verdict.IsProved, coldResult.Verdict.Summary);
        Assert.True(warmResult.Verdict.IsProved, warmResult.Verdict.Summary);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_message_nested_a_hundred_thousand_deep_is_read_in_linear_time()
    {
        // A tree of this depth costs LINQ to XML minutes (it walks to the root for every node it adds); a deadline
        // cannot stop CPU work in this process, so the reader must not build one.
        const int depth = 100_000;
        var xml = new StringBuilder("<feedback object=\"state\" route=\"0\"><state_id val=\"7\"/><feedback_content val=\"message\"><message><message_level val=\"notice\"/><option val=\"none\"/>");
        for (var i = 0; i < depth; i++)
        {
            xml.Append("<ppdoc val=\"box\"><pair><ppbox val=\"hovbox\"><int>1</int></ppbox><ppdoc val=\"glue\"><list><ppdoc val=\"string\"><string>(</string></ppdoc>");
        }

        for (var i = 0; i < depth; i++)
        {
            xml.Append("<ppdoc val=\"string\"><string>)</string></ppdoc></list></ppdoc></pair></ppdoc>");
        }

        xml.Append("</message></feedback_content></feedback>");

        var frame = await Task.Run(() => CoqFrameReader.Read(xml.ToString()));

        Assert.Equal(("feedback", "notice", 7), (frame.Kind, frame.Level, frame.StateId!.Value));
        Assert.Equal(new string('(', depth) + new string(')', depth), frame.Text);
    }

    [Fact]
    public void A_failure_is_read_with_its_error_text_and_state()
    {
        var frame = CoqFrameReader.Read("""<value val="fail" loc_s="0" loc_e="3"><state_id val="4"/><ppdoc val="glue"><list><ppdoc val="string"><string>The reference</string></ppdoc><ppdoc val="break"><pair><int>1</int><int>0</int></pair></ppdoc><ppdoc val="string"><string>x&nbsp;was not found.</string></ppdoc></list></ppdoc></value>""");

        Assert.True(frame.IsFail);
        Assert.Equal(4, frame.StateId);
        Assert.Equal("The reference x was not found.", frame.Text);
    }

    [Fact]
    public void A_pp_document_is_laid_out_whole_with_vertical_breaks_as_new_lines()
    {
        // d = @pair (f x), then a vertical box of two lines; the tag's own name is not text.
        var document = CoqXml.ParseElement("""
            <ppdoc val="glue"><list>
              <ppdoc val="string"><string>d&nbsp;=</string></ppdoc>
              <ppdoc val="break"><pair><int>1</int><int>0</int></pair></ppdoc>
              <ppdoc val="tag"><pair><string>constr.variable</string><ppdoc val="string"><string>@pair</string></ppdoc></pair></ppdoc>
              <ppdoc val="box"><pair><ppbox val="hovbox"><int>2</int></ppbox><ppdoc val="glue"><list>
                <ppdoc val="break"><pair><int>1</int><int>0</int></pair></ppdoc>
                <ppdoc val="string"><string>(f x)</string></ppdoc></list></ppdoc></pair></ppdoc>
              <ppdoc val="newline"/>
              <ppdoc val="box"><pair><ppbox val="vbox"><int>0</int></ppbox><ppdoc val="glue"><list>
                <ppdoc val="string"><string>Axioms:</string></ppdoc>
                <ppdoc val="break"><pair><int>1</int><int>0</int></pair></ppdoc>
                <ppdoc val="string"><string>ax : False</string></ppdoc></list></ppdoc></pair></ppdoc>
            </list></ppdoc>
            """);

        Assert.Equal("d = @pair (f x)\nAxioms:\nax : False", CoqXml.Text(document));
    }

    [RequiresToolsFact("coqidetop.opt", Timeout = 120_000)]
    public async Task A_run_that_outlives_its_deadline_is_a_timeout_and_ends_the_session()
    {
        var directory = Directory.CreateTempSubdirectory("proofagent-script-session-");
        try
        {
            await using var session = await CoqScriptSession.StartAsync(
                CoqOptions.Default, new ResourceLimitIsolation(), directory.FullName, [], [],
                new ProcessLimits(TimeSpan.FromSeconds(60)), NullLogger.Instance, CancellationToken.None);

            var outcome = await session.RunAsync(
                ["Fixpoint spin (n : nat) : nat := match n with O => O | S k => spin k end.", "Eval vm_compute in spin (Nat.pow 2 60)."],
                TimeSpan.FromSeconds(2), CancellationToken.None);

            Assert.True(outcome.TimedOut);
            Assert.False(session.IsHealthy);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
