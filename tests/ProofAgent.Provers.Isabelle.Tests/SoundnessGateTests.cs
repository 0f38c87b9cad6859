using Xunit;

namespace ProofAgent.Provers.Isabelle.Tests;

public sealed class SoundnessGateTests
{
    private const string Header = "theory Candidate\n  imports Main\nbegin\n";

    public static TheoryData<string, string> Exploits => new()
    {
        { "sorry", "lemma false: \"False\"\n  sorry" },
        { "oops", "lemma x: \"1 = (2::nat)\"\n  oops\nlemma y: \"True\" by simp" },
        { "proof symbol", "lemma x: \"False\" \\<proof>" },
        { "axiomatization", "axiomatization where bad: \"False\"\nlemma x: \"False\" by (rule bad)" },
        { "ML block", "ML \\<open>val _ = Skip_Proof.make_thm\\<close>\nlemma x: \"False\" by simp" },
        { "ML_file", "ML_file \"evil.ML\"\nlemma x: \"False\" by simp" },
        { "quick_and_dirty", "declare [[quick_and_dirty]]\nlemma x: \"False\" by simp" },
        { "quick_and_dirty in using", "lemma x: \"False\" using [[quick_and_dirty = true]] by simp" },
        { "oracle", "oracle cheat = \\<open>fn ct => ct\\<close>\nlemma x: \"False\" by simp" },
        { "method_setup", "method_setup cheat = \\<open>Scan.succeed (K (SIMPLE_METHOD all_tac))\\<close>\nlemma x: \"False\" by cheat" },
        { "setup", "setup \\<open>I\\<close>\nlemma x: \"True\" by simp" },
        { "local_setup", "local_setup \\<open>I\\<close>\nlemma x: \"True\" by simp" },
        { "declaration", "declaration \\<open>K I\\<close>\nlemma x: \"True\" by simp" },
        { "smt_oracle", "declare [[smt_oracle]]\nlemma x: \"True\" by smt" },
        { "ML_val", "ML_val \\<open>1\\<close>\nlemma x: \"True\" by simp" },
        { "code_reflect", "code_reflect Evil functions id\nlemma x: \"True\" by simp" },
        { "sorry in a nested proof", "lemma x: \"A \\<and> B\"\nproof\n  show A sorry\n  show B sorry\nqed" },
    };

    [Theory]
    [MemberData(nameof(Exploits))]
    public void Should_reject_escape_hatches_before_running_anything(string name, string body)
    {
        var (verdict, diagnostics, _) = IsabelleChecker.Gate(Header + body + "\nend\n");

        Assert.True(verdict is Verdict.Unsound or Verdict.Incomplete, $"{name}: {verdict}");
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.True(d.Line >= 4, $"{name}: {d}"));
    }

    [Fact]
    public void Should_reject_imports_by_file_path()
    {
        var (verdict, _, _) = IsabelleChecker.Gate("theory Candidate\n  imports Main \"/tmp/Evil\" \"$AFP/Thy\"\nbegin\nlemma x: \"True\" by simp\nend");

        var unsound = Assert.IsType<Verdict.Unsound>(verdict);
        Assert.Equal(2, unsound.Violations.Count);
    }

    [Fact]
    public void Words_in_comments_strings_and_text_should_not_count()
    {
        var source = Header + "(* no sorry here, no ML either *)\ntext \\<open>we never use sorry or oops\\<close>\nlemma \"sorry = sorry\" by simp\nend\n";

        var (verdict, diagnostics, scan) = IsabelleChecker.Gate(source);

        Assert.Null(verdict);
        Assert.Empty(diagnostics);
        Assert.Equal("Candidate", scan.TheoryName);
        Assert.Equal(["Main"], scan.Imports);
    }

    [Fact]
    public void Unnamed_goals_should_get_names_and_positions_should_map_back()
    {
        var source = Header + "lemma \"\\<forall>x. x = x\" by simp\nlemma [simp]: \"True\" by simp\ntheorem named: \"True\" by simp\nend\n";

        var scan = IsabelleSourceScan.Scan(source);

        Assert.Equal(["proofagent_goal_1", "proofagent_goal_2", "named"], scan.Theorems.Select(t => t.Name));
        Assert.Contains("lemma proofagent_goal_1: \"\\<forall>x. x = x\" by simp", scan.RewrittenSource, StringComparison.Ordinal);
        Assert.Contains("lemma proofagent_goal_2 [simp]: \"True\"", scan.RewrittenSource, StringComparison.Ordinal);

        // "by" of line 4 in the rewritten text sits at symbol offset: header (37 chars) + "lemma proofagent_goal_1: \"" ...
        var rewrittenBy = scan.RewrittenSource.IndexOf("by simp", StringComparison.Ordinal);
        var symbolOffset = IsabelleSymbols.SymbolStarts(scan.RewrittenSource).ToList().IndexOf(rewrittenBy) + 1;
        var (line, column, _, _) = scan.Map.Locate(new IsabellePosition(4, symbolOffset, symbolOffset + 2, "Candidate.thy"));
        Assert.Equal((4, source.Split('\n')[3].IndexOf("by", StringComparison.Ordinal) + 1), (line, column));
    }

    [Fact]
    public void Statements_should_match_by_name_and_text()
    {
        var candidate = IsabelleSourceScan.Scan(Header + "theorem t: \"(x::nat) + 0 = x\" by simp\nend");

        Assert.Null(IsabelleChecker.StatementMismatch(candidate, Header + "theorem t:  \"(x::nat) + 0 = x\"\n  sorry\nend"));
        Assert.IsType<Verdict.Unsound>(IsabelleChecker.StatementMismatch(candidate, Header + "theorem t: \"(x::nat) + 1 = x + 1\" sorry\nend"));
        Assert.IsType<Verdict.Unsound>(IsabelleChecker.StatementMismatch(candidate, Header + "theorem u: \"(x::nat) + 0 = x\" sorry\nend"));
    }

    [Fact]
    public void The_oracle_audit_should_reject_any_oracle_and_refuse_a_missing_answer()
    {
        var theorem = new IsabelleTheorem("t", false, 4, "lemma", "\"False\"");
        var lines = new Dictionary<int, IsabelleTheorem> { [4] = theorem };
        static UseTheoriesResult Audit(params IsabelleProverMessage[] messages) =>
            new(true, [], [new IsabelleNodeResult("/tmp/A.thy", "Draft.ProofAgent_Audit_x", new IsabelleNodeStatus(true, 5, 0, 0, 0, 0, 5, false, true, 100), messages)]);
        var at4 = new IsabellePosition(4, 60, 71, "ProofAgent_Audit_x.thy");

        var (clean, reports) = IsabelleChecker.JudgeAudit(Audit(new IsabelleProverMessage("writeln", "oracles:", at4)), "ProofAgent_Audit_x", lines);
        Assert.Equal(Verdict.Proved.Instance, clean);
        Assert.Empty(Assert.Single(reports).Axioms);

        var (tainted, _) = IsabelleChecker.JudgeAudit(Audit(new IsabelleProverMessage("writeln", "oracles:\n  Pure.skip_proof", at4)), "ProofAgent_Audit_x", lines);
        Assert.Contains("Pure.skip_proof", Assert.IsType<Verdict.Unsound>(tainted).Violations[0], StringComparison.Ordinal);

        var (silent, _) = IsabelleChecker.JudgeAudit(Audit(), "ProofAgent_Audit_x", lines);
        Assert.IsType<Verdict.Error>(silent);
    }

    [Fact]
    public void Step_commands_should_refuse_holes_and_wrap_methods()
    {
        Assert.Equal("apply (simp add: foo)", IsabelleStepSession.ProofCommand("simp add: foo"));
        Assert.Equal("by auto", IsabelleStepSession.ProofCommand("by auto"));
        Assert.Null(IsabelleStepSession.ProofCommand("sorry"));
        Assert.Null(IsabelleStepSession.ProofCommand("apply (tactic \\<open>Skip_Proof.cheat_tac @{context} 1\\<close>)"));
        Assert.Null(IsabelleStepSession.ProofCommand("simp\nML \\<open>1\\<close>"));
    }
}
