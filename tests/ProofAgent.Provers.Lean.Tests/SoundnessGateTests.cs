using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Lean.Tests;

public sealed class SoundnessGateTests
{
    private const string Statement = "theorem target (n : Nat) (h : 0 < n) : n ≠ 0 := by sorry\n";
    private static readonly LeanOptions NoLean = LeanOptions.Default with { Lean = "lean-is-not-installed-here", Repl = "repl-is-not-installed-here" };

    public static TheoryData<string> Exploits()
    {
        var data = new TheoryData<string>();
        foreach (var name in ExploitNames())
        {
            data.Add(name);
        }

        return data;
    }

    private static IEnumerable<string> ExploitNames() =>
        Directory.EnumerateFiles(TestPaths.Data("Exploits"), "*.lean")
            .Where(f => !f.EndsWith("Statement.lean", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(f))
            .Order(StringComparer.Ordinal);

    /// <summary>The exploits whose snippet really claims something unproved (the others are dangerous only in general).</summary>
    public static TheoryData<string> DynamicExploits()
    {
        var data = new TheoryData<string>();
        foreach (var name in ExploitNames())
        {
            if (!File.ReadLines(TestPaths.Data("Exploits", name)).Take(3).Any(l => l.StartsWith("-- static-only:", StringComparison.Ordinal)))
            {
                data.Add(name);
            }
        }

        return data;
    }

    internal static ProofTask ExploitTask(string name)
    {
        var text = File.ReadAllText(TestPaths.Data("Exploits", name));
        var task = new ProofTask(ProofLanguage.Lean4, text);
        return text.Contains("\n-- statement\n", StringComparison.Ordinal)
            ? task.WithExpectedStatement(File.ReadAllText(TestPaths.Data("Exploits", "Statement.lean")))
            : task;
    }

    internal static string Expected(string name) =>
        File.ReadLines(TestPaths.Data("Exploits", name)).First().Replace("-- expect: ", string.Empty, StringComparison.Ordinal).Trim();

    [Fact]
    public void The_exploit_corpus_has_at_least_ten_snippets_that_Lean_itself_must_also_reject() =>
        Assert.True(Exploits().Count >= 10 && DynamicExploits().Count >= 10, $"{Exploits().Count} exploits, {DynamicExploits().Count} dynamic");

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Exploits))]
    public async Task Every_exploit_is_rejected_by_the_static_gate(string name)
    {
        await using var checker = new LeanChecker(NoLean, new ProcessRunner(new ResourceLimitIsolation()));

        var result = await checker.CheckAsync(ExploitTask(name));

        Assert.False(result.Verdict.IsProved);
        Assert.Equal(Expected(name), result.Verdict.Name);
        Assert.NotEmpty(result.Verdict.Summary);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_toolchain_is_unavailable_with_install_guidance()
    {
        await using var checker = new LeanChecker(NoLean, new ProcessRunner(new ResourceLimitIsolation()));

        var probe = await checker.ProbeAsync();
        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Lean4, "theorem t : 1 + 1 = 2 := rfl\n"));

        var missing = Assert.IsType<ProverAvailability.Missing>(probe);
        Assert.Contains("lean-is-not-installed-here", missing.Reason, StringComparison.Ordinal);
        var verdict = Assert.IsType<Verdict.Unavailable>(result.Verdict);
        Assert.Contains("elan", verdict.InstallHint, StringComparison.Ordinal);
        Assert.Equal(ProofLanguage.Lean4, checker.Language);
        await Assert.ThrowsAsync<InvalidOperationException>(() => checker.OpenAsync(string.Empty, ResourceBudget.Default));
    }

    [Fact]
    public void Comments_strings_and_primes_are_not_mistaken_for_escape_hatches()
    {
        const string source = """
            import Mathlib
            import Aesop

            /-! Module doc: we never use sorry, axiom or #exit here. /- nested sorry -/ still a comment -/
            namespace Demo

            /-- A doc comment mentioning `native_decide` and unsafe. -/
            theorem t₁ (h' : 0 < 1) : "sorry".length = 5 := by
              -- admit would be bad, but this is a comment
              have c : Char := 'a'
              rfl

            end Demo

            lemma «weird name» : True := trivial
            """;

        var scan = LeanSourceScan.Scan(source, statementMode: true);

        Assert.Empty(scan.Violations);
        Assert.Empty(scan.Holes);
        Assert.Equal(["Mathlib", "Aesop"], scan.Imports);
        Assert.Equal("import Mathlib\nimport Aesop\n", scan.Header);
        Assert.Equal(["Demo.t₁", "«weird name»"], scan.Theorems.Select(t => t.FullName));
        Assert.Equal((8, 1), (scan.Theorems[0].Line, scan.Theorems[0].Column));
        Assert.Contains("rfl", scan.Theorems[0].Proof(source), StringComparison.Ordinal);
        Assert.DoesNotContain("end Demo", scan.Theorems[0].Proof(source), StringComparison.Ordinal);
    }

    [Fact]
    public void Mutual_blocks_and_noncomputable_sections_are_balanced_but_an_unclosed_namespace_is_not()
    {
        const string balanced = "noncomputable section\nmutual\ntheorem a : True := trivial\nend\nend\n";
        const string open = "namespace Evil\ntheorem target : True := trivial\n";

        Assert.Empty(LeanSourceScan.Scan(balanced).Violations);
        Assert.Contains("never closed", Assert.Single(LeanSourceScan.Scan(open).Violations).Message, StringComparison.Ordinal);
        Assert.Equal("Evil.target", Assert.Single(LeanSourceScan.Scan(open).Theorems).FullName);
    }

    [Fact]
    public void Findings_are_located_in_code_points()
    {
        // 𝔽 is one code point but two UTF-16 units: the column counts it once.
        const string source = "theorem t (𝔽 : Nat) : 𝔽 = 𝔽 := by sorry\n";
        var scan = LeanSourceScan.Scan(source);

        var hole = Assert.Single(scan.Holes);
        Assert.Equal(1, hole.Line);
        Assert.Equal(35, hole.Column);
        Assert.Equal(37, source.IndexOf("sorry", StringComparison.Ordinal));
    }

    [Fact]
    public void The_service_assembles_statement_and_proof_and_checks_the_type_before_candidate_text()
    {
        const string candidate = "import Mathlib\n\nlemma helper : 1 = 1 := rfl\n\ntheorem target (n : Nat) (h : 0 < n) : n ≠ 0 := by\n  omega\n";
        var task = new ProofTask(ProofLanguage.Lean4, candidate).WithExpectedStatement("import Mathlib\nopen Nat\n\n" + Statement);

        var plan = LeanSoundnessGate.Prepare(task, LeanOptions.Default, "n0nce");

        Assert.Null(plan.Early);
        var assembly = plan.Assembly!;
        Assert.Equal("import Mathlib\n", assembly.Header);
        var text = assembly.Text;
        var typeDef = text.IndexOf("def _root_.pa_expected_n0nce : Prop := ∀ (n : Nat) (h : 0 < n), n ≠ 0", StringComparison.Ordinal);
        Assert.True(typeDef > text.IndexOf("open Nat", StringComparison.Ordinal));
        Assert.True(typeDef < text.IndexOf("lemma helper", StringComparison.Ordinal));
        Assert.Contains("theorem target (n : Nat) (h : 0 < n) : n ≠ 0 := by\n  omega", text, StringComparison.Ordinal);
        Assert.Contains("theorem _root_.pa_check_n0nce : _root_.pa_expected_n0nce := @_root_.target", text, StringComparison.Ordinal);
        Assert.EndsWith("#print axioms _root_.target\n", text, StringComparison.Ordinal);

        // A position on `omega` maps back to the candidate's line 6, column 3.
        var lines = text.Split('\n');
        var omegaLine = Array.FindIndex(lines, l => l.Trim() == "omega") + 1;
        Assert.Equal((LeanOrigin.Candidate, 6, 3), assembly.Map(new LeanPosition(omegaLine, 2)));
    }

    [Fact]
    public void A_clean_audit_is_proved_and_every_other_outcome_is_not()
    {
        var (assembly, check, axioms) = Assembled();

        Verdict Evaluate(params LeanMessage[] messages) => LeanSoundnessGate.Evaluate(assembly, messages, 0, LeanOptions.Default).Verdict;
        LeanMessage Info(int line, string text) => new(DiagnosticSeverity.Information, new LeanPosition(line, 0), null, text);
        LeanMessage Error(int line, string text) => new(DiagnosticSeverity.Error, new LeanPosition(line, 0), null, text);

        Assert.IsType<Verdict.Proved>(Evaluate(Info(axioms, "'target' depends on axioms: [propext]")));
        Assert.IsType<Verdict.Proved>(Evaluate(Info(axioms, "'target' does not depend on any axioms")));
        Assert.IsType<Verdict.Proved>(Evaluate(Info(axioms, "'target' depends on axioms: [propext,\n Classical.choice,\n Quot.sound]")));
        Assert.IsType<Verdict.Error>(Evaluate());
        Assert.IsType<Verdict.Incomplete>(Evaluate(Info(axioms, "'target' depends on axioms: [sorryAx]")));
        var unsound = Assert.IsType<Verdict.Unsound>(Evaluate(Info(axioms, "'target' depends on axioms: [Lean.ofReduceBool, propext]")));
        Assert.Contains("Lean.ofReduceBool", unsound.Violations[0], StringComparison.Ordinal);
        Assert.IsType<Verdict.Unsound>(Evaluate(Error(check, "type mismatch\n  @target\nhas type ..."), Info(axioms, "'target' does not depend on any axioms")));
        Assert.IsType<Verdict.Unsound>(Evaluate(Error(axioms, "unknown constant 'target'")));
        Assert.IsType<Verdict.Incomplete>(Evaluate(new LeanMessage(DiagnosticSeverity.Warning, new LeanPosition(6, 8), null, "declaration uses 'sorry'"), Info(axioms, "'target' does not depend on any axioms")));
        Assert.IsType<Verdict.Incomplete>(Evaluate(new LeanMessage(DiagnosticSeverity.Warning, new LeanPosition(6, 8), null, "declaration uses `sorry`"), Info(axioms, "'target' does not depend on any axioms")));

        // Two answers on the audit line (one forged) are trusted neither.
        Assert.IsType<Verdict.Unsound>(Evaluate(Info(axioms, "'target' does not depend on any axioms"), Info(axioms, "'target' depends on axioms: [propext]")));

        // A candidate that prints a fake audit answer on its own line does not count as the audit.
        Assert.IsType<Verdict.Error>(Evaluate(Info(6, "'target' does not depend on any axioms")));

        // An error in the candidate's proof fails it, located in the candidate's text.
        var failed = LeanSoundnessGate.Evaluate(assembly, [Error(assembly.Text.Split('\n').ToList().FindIndex(l => l.Trim() == "omega") + 1, "omega could not prove the goal")], 0, LeanOptions.Default);
        Assert.Equal("line 6: omega could not prove the goal", Assert.IsType<Verdict.Failed>(failed.Verdict).Reason);
        Assert.Equal((6, 1), (failed.Diagnostics[0].Line, failed.Diagnostics[0].Column));
    }

    [Fact]
    public void The_REPL_sorry_count_alone_makes_a_proof_incomplete()
    {
        var (assembly, _, axioms) = Assembled();

        var outcome = LeanSoundnessGate.Evaluate(assembly, [new LeanMessage(DiagnosticSeverity.Information, new LeanPosition(axioms, 0), null, "'target' does not depend on any axioms")], 1, LeanOptions.Default);

        Assert.IsType<Verdict.Incomplete>(outcome.Verdict);
    }

    [Theory]
    [InlineData("'foo' depends on axioms: [propext, Classical.choice, Quot.sound]", "foo", "Classical.choice,Quot.sound,propext")]
    [InlineData("'Nat.foo_bar' does not depend on any axioms", "Nat.foo_bar", "")]
    [InlineData("'t' depends on axioms: [sorryAx]", "t", "sorryAx")]
    public void Print_axioms_answers_are_read(string message, string constant, string axioms)
    {
        var parsed = LeanText.ParsePrintAxioms(message);

        Assert.NotNull(parsed);
        Assert.Equal(constant, parsed.Value.Constant);
        Assert.Equal(axioms, string.Join(',', parsed.Value.Axioms));
        Assert.Null(LeanText.ParsePrintAxioms("unknown constant 'foo'"));
    }

    private static (LeanAssembly Assembly, int CheckLine, int AxiomsLine) Assembled()
    {
        const string candidate = "import Mathlib\n\nlemma helper : 1 = 1 := rfl\n\ntheorem target (n : Nat) (h : 0 < n) : n ≠ 0 := by\n  omega\n";
        var plan = LeanSoundnessGate.Prepare(new ProofTask(ProofLanguage.Lean4, candidate).WithExpectedStatement("import Mathlib\n" + Statement), LeanOptions.Default, "abc");
        var assembly = plan.Assembly!;
        return (assembly, assembly.Audits.Single(a => a.Kind == LeanAuditKind.TypeCheck).Line, assembly.Audits.Single(a => a.Kind == LeanAuditKind.Axioms).Line);
    }
}
