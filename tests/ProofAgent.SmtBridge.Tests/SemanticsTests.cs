using ProofAgent.Grammars;
using ProofAgent.Provers;
using Xunit;
using static ProofAgent.SmtBridge.Tests.Z3;

namespace ProofAgent.SmtBridge.Tests;

/// <summary>
/// Each corner case of the provers' arithmetic is checked against the value Z3 computes: the statement pins its inputs
/// with hypotheses, and <c>r</c> (bound by a hypothesis to the expression) is read back from Z3's model.
/// </summary>
public sealed class SemanticsTests
{
    private static Task<string> LeanValueAsync(string binders, string expression) =>
        EvaluateAsync(Translate(ProofLanguage.Lean4, $"theorem t {binders} (hr : r = {expression}) : True := by"));

    private static Task<string> CoqValueAsync(string binders, string expression) =>
        EvaluateAsync(Translate(ProofLanguage.Coq, $"Theorem t {binders} (hr : r = {expression}) : True."));

    [RequiresToolsTheory("z3")]
    [InlineData("(a b r : ℕ) (ha : a = 5) (hb : b = 7)", "a - b", "0")]
    [InlineData("(a b : ℕ) (r : ℤ) (ha : a = 5) (hb : b = 7)", "a - b", "(- 2)")]
    [InlineData("(a b : ℕ) (r : ℤ) (ha : a = 5) (hb : b = 7)", "((a - b : ℕ) : ℤ)", "0")]
    [InlineData("(a b r : ℕ) (ha : a = 7) (hb : b = 0)", "a / b", "0")]
    [InlineData("(a b r : ℕ) (ha : a = 7) (hb : b = 0)", "a % b", "7")]
    [InlineData("(a b r : ℤ) (ha : a = -7) (hb : b = 2)", "a / b", "(- 4)")]
    [InlineData("(a b r : ℤ) (ha : a = -7) (hb : b = 2)", "a % b", "1")]
    [InlineData("(a b r : ℤ) (ha : a = 7) (hb : b = -2)", "a / b", "(- 3)")]
    [InlineData("(a b r : ℤ) (ha : a = 7) (hb : b = -2)", "a % b", "1")]
    [InlineData("(a b r : ℤ) (ha : a = -7) (hb : b = -2)", "a / b", "4")]
    [InlineData("(a b r : ℤ) (ha : a = -7) (hb : b = 0)", "a % b", "(- 7)")]
    [InlineData("(x r : ℝ) (hx : x = 3)", "x / 0", "0.0")]
    [InlineData("(x r : ℝ) (hx : x = 0)", "x⁻¹", "0.0")]
    [InlineData("(x r : ℝ) (hx : x = -4)", "Real.sqrt x", "0.0")]
    [InlineData("(x r : ℝ) (hx : x = 9)", "Real.sqrt x", "3.0")]
    [InlineData("(n : ℕ) (r : ℝ) (hn : n = 3)", "n / 2", "(/ 3.0 2.0)")]
    [InlineData("(n : ℕ) (r : ℝ) (hn : n = 3)", "((n / 2 : ℕ) : ℝ)", "1.0")]
    [InlineData("(x : ℝ) (r : ℤ) (hx : x = -1 / 2)", "Int.floor x", "(- 1)")]
    [InlineData("(x : ℝ) (r : ℤ) (hx : x = -1 / 2)", "Int.ceil x", "0")]
    public async Task Lean_arithmetic_matches_Lean(string binders, string expression, string expected) =>
        Assert.Equal(expected, await LeanValueAsync(binders, expression));

    [RequiresToolsTheory("z3")]
    [InlineData("(a b r : Z) (ha : a = (-7)%Z) (hb : b = 2%Z)", "(a / b)%Z", "(- 4)")]
    [InlineData("(a b r : Z) (ha : a = 7%Z) (hb : b = (-2)%Z)", "(a / b)%Z", "(- 4)")]
    [InlineData("(a b r : Z) (ha : a = 7%Z) (hb : b = (-2)%Z)", "(a mod b)%Z", "(- 1)")]
    [InlineData("(a b r : Z) (ha : a = (-7)%Z) (hb : b = 2%Z)", "(a mod b)%Z", "1")]
    [InlineData("(a b r : Z) (ha : a = 7%Z) (hb : b = 0%Z)", "(a / b)%Z", "0")]
    [InlineData("(n r : nat) (hn : n = 3%nat)", "(n - 5)%nat", "0")]
    [InlineData("(x r : R) (hx : x = -4)", "sqrt x", "0.0")]
    [InlineData("(n : nat) (r : R) (hn : n = 3%nat)", "INR n / 2", "(/ 3.0 2.0)")]
    public async Task Coq_arithmetic_matches_Coq(string binders, string expression, string expected) =>
        Assert.Equal(expected, await CoqValueAsync(binders, expression, "R"));

    private static Task<string> CoqValueAsync(string binders, string expression, string scope) =>
        EvaluateAsync(Translate(ProofLanguage.Coq, $"Theorem t {binders} (hr : r = {expression}) : True.", SmtBridgeOptions.Default.WithCoqScope(scope)));

    /// <summary>
    /// Coq 8.16 proves <c>/ 0 = 0</c> (<c>Rinv_0</c>), so <c>x / 0 = 0</c> is a theorem: a model where it fails is not a
    /// counterexample (an earlier model left <c>Rinv 0</c> unspecified and "refuted" true statements whose hypotheses divide
    /// by zero on some assignment). The real <c>coqc</c> proves the same facts, so the model follows the installed Coq.
    /// </summary>
    [RequiresToolsFact("z3", "coqc")]
    public async Task Coq_division_by_zero_is_zero_as_in_Coq()
    {
        var r = SmtBridgeOptions.Default.WithCoqScope("R");
        await AssertValidAsync(ProofLanguage.Coq, "Theorem t : forall x : R, x / 0 = 0.", r);
        await AssertValidAsync(ProofLanguage.Coq, "Theorem t : forall x : R, / x = 0 -> x = 0.", r);
        await AssertValidAsync(ProofLanguage.Coq, "Theorem t : forall x : R, x / 0 = x * / 0.", r);
        await AssertValidAsync(ProofLanguage.Coq, "Theorem t : forall x : R, x <> 0 -> x / x = 1.", r);
        await AssertCounterexampleAsync(ProofLanguage.Coq, "Theorem t : forall x : R, x / x = 1.", r);

        // A hypothesis that holds only if 1 / 0 were not 0 (x = -4 makes 2 + 2 / (3 + x) zero): no counterexample.
        await AssertValidAsync(ProofLanguage.Coq, "Theorem t : forall x : R, 1 + 1 / (2 + 2 / (3 + x)) = 5 -> x <> -4.", r);

        // The same for nat and Z: n / 0 = 0 and n mod 0 = n.
        await AssertValidAsync(ProofLanguage.Coq, "Theorem t : forall n : nat, n / 0 = 0 /\\ n mod 0 = n.");
        await AssertValidAsync(ProofLanguage.Coq, "Theorem t : forall n : Z, (n / 0 = 0 /\\ n mod 0 = n)%Z.");

        var coq = await CoqFacts.CompileAsync("""
            Require Import Reals ZArith Arith.
            Lemma c : forall n : nat, n / 0 = 0 /\ n mod 0 = n. Proof. intros; split; [reflexivity | destruct n; reflexivity]. Qed.
            Lemma d : forall n : Z, (n / 0 = 0 /\ n mod 0 = n)%Z. Proof. intros; split; [apply Zdiv_0_r | apply Zmod_0_r]. Qed.
            Open Scope R_scope.
            Lemma a : forall x : R, x / 0 = 0. Proof. intros; unfold Rdiv; rewrite Rinv_0; ring. Qed.
            Lemma b : forall x : R, / x = 0 -> x = 0. Proof. intros x h; destruct (Req_dec x 0) as [e|n]; [exact e|]; apply Rinv_neq_0_compat in n; contradiction. Qed.
            """);
        Assert.True(coq.ExitCode == 0, coq.StandardError);
    }

    [RequiresToolsFact("z3")]
    public async Task Lean_division_by_zero_is_zero_and_natural_subtraction_truncates()
    {
        await AssertValidAsync(ProofLanguage.Lean4, "theorem t (x : ℝ) : x / 0 = 0 := by");
        await AssertValidAsync(ProofLanguage.Lean4, "theorem t (n : ℕ) : n - (n + 1) = 0 := by");
        await AssertCounterexampleAsync(ProofLanguage.Lean4, "theorem t (n m : ℕ) : n - m + m = n := by");
        await AssertValidAsync(ProofLanguage.Lean4, "theorem t (n : ℕ) (h₀ : 0 < n) : (↑(n - 1) : ℝ) = n - 1 := by");
        await AssertCounterexampleAsync(ProofLanguage.Lean4, "theorem t (n : ℕ) : (↑(n - 1) : ℝ) = n - 1 := by");
    }

    [RequiresToolsFact("z3")]
    public async Task Lean_big_operators_follow_Mathlib_precedence()
    {
        // The body of ∏ is parsed at precedence 67: this is (∏ k < 6, 2k) + 1 = 1, so the statement is false.
        await AssertCounterexampleAsync(ProofLanguage.Lean4, "theorem t : (∏ k in Finset.range 6, 2 * k + 1) % 10 = 5 := by");
        await AssertValidAsync(ProofLanguage.Lean4, "theorem t : (∏ k in Finset.range 6, (2 * k + 1)) % 10 = 5 := by");
        await AssertValidAsync(ProofLanguage.Lean4, "theorem t : (∑ k in Finset.filter (fun x => 3 ∣ x) (Finset.Icc 1 49), k % 10) = 78 := by");
    }

    [RequiresToolsFact("z3")]
    public async Task Counterexamples_are_checked_by_evaluation()
    {
        var verdict = await AssertCounterexampleAsync(ProofLanguage.Lean4, "theorem t (x : ℕ) (y : ℤ) (h₀ : x < 5) (h₁ : y = x - 7) : x * x < 10 ∨ y > -3 := by");
        var x = System.Numerics.BigInteger.Parse(verdict.Model["x"], System.Globalization.CultureInfo.InvariantCulture);
        var y = ParseInteger(verdict.Model["y"]);
        Assert.True(x >= 0 && x < 5, "hypothesis h₀ fails in the model");
        Assert.Equal(x - 7, y);
        Assert.False(x * x < 10 || y > -3, "the conclusion holds in the model");
    }

    [RequiresToolsFact("z3", "cvc5")]
    public async Task A_second_solver_confirms_a_counterexample_and_rejects_a_wrong_one()
    {
        var translation = Translate(ProofLanguage.Lean4, "theorem t (x : ℤ) (h₀ : x * x = 4) : x = 2 := by");
        var triage = new StatementTriage(Solver, Cvc5);
        var verdict = Assert.IsType<GoalVerdict.Counterexample>(await new SmtGoalOracle(Solver).DecideAsync(translation, SolverTimeout));
        Assert.Equal("(- 2)", verdict.Model["x"]);
        Assert.True(await triage.ConfirmAsync(translation, verdict.Model, SolverTimeout));
        Assert.False(await triage.ConfirmAsync(translation, new Dictionary<string, string> { ["x"] = "2" }, SolverTimeout));
    }

    [Fact]
    public void Untranslatable_statements_say_what_and_where()
    {
        var translation = SmtTranslator.Translate(StatementParser.Parse(ProofLanguage.Lean4, "theorem t (S : Finset ℕ)\n  (h₀ : S.card = 3) : True := by"));
        var not = Assert.IsType<SmtTranslation.NotTranslated>(translation);
        Assert.Contains("S : Finset", not.Reason, StringComparison.Ordinal);
        var sets = SmtTranslator.Translate(StatementParser.Parse(ProofLanguage.Lean4, "theorem t (x : ℝ) (h : Real.cos x = 1) :\n  Nat.digits 10 5 = [5] := by"));
        var digits = Assert.IsType<SmtTranslation.NotTranslated>(sets);
        Assert.Equal(2, digits.At.Line);
    }

    [Fact]
    public void Abstracted_functions_make_the_translation_inexact()
    {
        var translation = Translate(ProofLanguage.Lean4, "theorem t (x : ℝ) (h : 0 < x) : Real.log x < x := by");
        Assert.False(translation.IsExact);
        Assert.Contains("Real.log is uninterpreted", translation.Approximations);
        Assert.True(Translate(ProofLanguage.Lean4, "theorem t (x : ℝ) : x ^ 2 ≥ 0 := by").IsExact);
    }

    private static System.Numerics.BigInteger ParseInteger(string smt)
    {
        var text = smt.Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        return System.Numerics.BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
