using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Coq;

public sealed class CoqCheckerTests
{
    private static readonly CoqChecker Checker = new(CoqOptions.Default, new ProcessRunner(new ResourceLimitIsolation()));

    private static readonly CoqChecker ColdAuditChecker = new(CoqOptions.Default with { WarmAudit = false }, new ProcessRunner(new ResourceLimitIsolation()));

    private static readonly CoqChecker WarmAuditChecker = new(CoqOptions.Default with { WarmAudit = true }, new ProcessRunner(new ResourceLimitIsolation()));

    private static Task<CheckResult> CheckAsync(string source, string? statement = null, double seconds = 60) =>
        Checker.CheckAsync(new ProofTask(ProofLanguage.Coq, source)
            .WithExpectedStatement(statement)
            .WithBudget(ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(seconds))));

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task A_complete_proof_is_proved_with_no_axioms()
    {
        var result = await CheckAsync("""
            (* Comments may mention Admitted, Axiom and admit without effect. *)
            Theorem add_0_r' : forall n : nat, n + 0 = n.
            Proof. induction n as [| n IH]; simpl; [reflexivity | rewrite IH; reflexivity]. Qed.
            """);

        Assert.IsType<Verdict.Proved>(result.Verdict);
        var theorem = Assert.Single(result.Theorems);
        Assert.Equal("add_0_r'", theorem.Name);
        Assert.Empty(theorem.Axioms);
        Assert.Equal("forall n : nat, n + 0 = n", theorem.Statement);
        Assert.Equal("coq", result.Prover.Name);
        Assert.StartsWith("8.", result.Prover.Version, StringComparison.Ordinal);
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task Real_number_proofs_are_proved_with_the_allowed_classical_axioms()
    {
        var result = await CheckAsync("""
            From Stdlib Require Import Reals Lra.
            Open Scope R_scope.
            Theorem bound : forall x : R, 0 < x -> x < 3 -> 2 * x + 1 < 7.
            Proof. intros; lra. Qed.
            """);

        Assert.IsType<Verdict.Proved>(result.Verdict);
        var theorem = Assert.Single(result.Theorems);
        Assert.Contains("Coq.Reals.ClassicalDedekindReals.sig_forall_dec", theorem.Axioms);
        Assert.Equal("forall x : R, 0 < x -> x < 3 -> 2 * x + 1 < 7", theorem.Statement); // the libraries' notations, the file's scope
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task The_reported_statement_is_what_the_kernel_proved_not_what_the_text_appears_to_say()
    {
        const string notation = """
            Notation "'False'" := True.
            Theorem looks_false : False.
            Proof. exact I. Qed.
            """;
        const string section = """
            Section S.
            Variable h : False.
            Theorem from_a_section_variable : False.
            Proof. exact h. Qed.
            End S.
            """;

        // Without an expected statement the file is its own statement; the report still says what was really proved.
        Assert.Equal("True", Assert.Single((await CheckAsync(notation)).Theorems).Statement);
        Assert.Equal("False -> False", Assert.Single((await CheckAsync(section)).Theorems).Statement);

        // Against the expected statement both are rejected by the kernel's type comparison.
        Assert.IsType<Verdict.Unsound>((await CheckAsync(notation, "Theorem looks_false : False.")).Verdict);
        Assert.IsType<Verdict.Unsound>((await CheckAsync(section, "Theorem from_a_section_variable : False.")).Verdict);
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task Imports_for_printing_statements_never_let_a_coercion_pass_a_mismatched_theorem()
    {
        // ssrnat declares the coercion nat_of_bool : bool >-> nat. The audit imports the file's libraries to print
        // statements, but only after the statement checks: `t : bool` must not pass as the statement's `t : nat`.
        var result = await CheckAsync("""
            From mathcomp Require Import ssrbool ssrnat.
            Theorem t : bool.
            Proof. exact true. Defined.
            """, "Theorem t : nat.");

        var unsound = Assert.IsType<Verdict.Unsound>(result.Verdict);
        Assert.Contains("does not have the statement's type", unsound.Violations[0], StringComparison.Ordinal);
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task A_wrong_proof_fails_with_a_located_diagnostic_in_code_points()
    {
        // The ∀ is 3 bytes in UTF-8 and one code point: Coq reports bytes, the service code points.
        const string Line = "Theorem wrong : ∀ n : nat, n + 1 = n. Proof. intro n. reflexivity. Qed.";
        var result = await CheckAsync("Require Import Utf8.\n" + Line + "\n");

        var failed = Assert.IsType<Verdict.Failed>(result.Verdict);
        Assert.Contains("line 2", failed.Reason, StringComparison.Ordinal);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(2, error.Line);
        Assert.Equal(Line.IndexOf("reflexivity", StringComparison.Ordinal) + 1, error.Column);
        Assert.Equal(error.Column + "reflexivity".Length, error.EndColumn);
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task A_statement_is_proved_when_the_proof_states_it_differently_but_equivalently()
    {
        const string Statement = "Theorem mul_comm_claim : forall n m : nat, n * m = m * n.\nProof.\nAdmitted.\n";
        const string Proof = """
            Require Import Coq.Arith.PeanoNat.
            Definition my_nat := nat.
            Theorem mul_comm_claim (a b : my_nat) : Nat.mul a b = Nat.mul b a.
            Proof. apply Nat.mul_comm. Qed.
            """;

        var result = await CheckAsync(Proof, Statement);

        Assert.IsType<Verdict.Proved>(result.Verdict);
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task A_statement_file_that_does_not_compile_is_an_error_not_a_verdict_on_the_proof()
    {
        var result = await CheckAsync("Theorem t : True. Proof. exact I. Qed.", "Theorem t : Tru.\nAdmitted.");

        Assert.IsType<Verdict.Error>(result.Verdict);
    }

    [RequiresToolsFact("coqc", Timeout = 60_000)]
    public async Task A_file_without_theorems_proves_nothing()
    {
        var result = await CheckAsync("Definition x := 1.");

        Assert.IsType<Verdict.Failed>(result.Verdict);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_coqc_is_unavailable_with_an_install_hint()
    {
        var checker = new CoqChecker(CoqOptions.Default with { Coqc = "proofagent-no-such-coqc" }, new ProcessRunner(new ResourceLimitIsolation()));

        var result = await checker.CheckAsync(new ProofTask(ProofLanguage.Coq, "Theorem t : True. exact I. Qed."));

        var unavailable = Assert.IsType<Verdict.Unavailable>(result.Verdict);
        Assert.Contains("apt-get install coq", unavailable.InstallHint, StringComparison.Ordinal);
    }

    public static TheoryData<string> AdversarialFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestPaths.Data("Coq", "Adversarial"), "*.v").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [RequiresToolsTheory("coqc", Timeout = 120_000)]
    [MemberData(nameof(AdversarialFiles))]
    public async Task Every_adversarial_file_is_rejected_with_the_expected_verdict(string file)
    {
        var path = TestPaths.Data("Coq", "Adversarial", file);
        var source = await File.ReadAllTextAsync(path);
        var expected = Header(source, "expect") ?? throw new InvalidOperationException($"{file} has no (* expect: ... *) line");
        var statementFile = Header(source, "statement");
        var statement = statementFile is null ? null : await File.ReadAllTextAsync(TestPaths.Data("Coq", "Adversarial", statementFile));

        var result = await CheckAsync(source, statement, seconds: expected == "timeout" ? 5 : 60);

        Assert.False(result.Verdict.IsProved, $"{file} was accepted");
        Assert.Equal(expected, result.Verdict.Name);
        Assert.False(File.Exists("/tmp/proofagent-pwned"));
    }

    [RequiresToolsTheory("coqc", Timeout = 120_000)]
    [MemberData(nameof(AdversarialFiles))]
    public async Task Every_adversarial_file_gets_the_same_verdict_when_the_audit_runs_in_coqc(string file)
    {
        // The warm audit (coqidetop, libraries preloaded) and the cold one (a fresh coqc) run the same script: the gate
        // must not depend on which one ran.
        var source = await File.ReadAllTextAsync(TestPaths.Data("Coq", "Adversarial", file));
        var statementFile = Header(source, "statement");
        var statement = statementFile is null ? null : await File.ReadAllTextAsync(TestPaths.Data("Coq", "Adversarial", statementFile));
        var task = new ProofTask(ProofLanguage.Coq, source).WithExpectedStatement(statement)
            .WithBudget(ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(Header(source, "expect") == "timeout" ? 5 : 60)));

        var warm = await WarmAuditChecker.CheckAsync(task);
        var cold = await ColdAuditChecker.CheckAsync(task);

        Assert.Equal(warm.Verdict.Summary, cold.Verdict.Summary);
        Assert.Equal(warm.Theorems.Select(t => (t.Name, t.Verdict.Name, string.Join(",", t.Axioms))), cold.Theorems.Select(t => (t.Name, t.Verdict.Name, string.Join(",", t.Axioms))));
    }

    [Fact]
    public void There_are_at_least_fifteen_adversarial_files() =>
        Assert.True(AdversarialFiles().Count >= 15);

    private static string? Header(string source, string key)
    {
        var marker = $"(* {key}: ";
        var line = source.Split('\n').FirstOrDefault(l => l.StartsWith(marker, StringComparison.Ordinal));
        return line?[marker.Length..].Replace("*)", string.Empty, StringComparison.Ordinal).Trim();
    }
}
