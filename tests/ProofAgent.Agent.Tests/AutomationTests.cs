using ProofAgent.Agent.Coq;
using ProofAgent.Provers;
using Xunit;

namespace ProofAgent.Agent.Tests;

/// <summary>
/// The Coq automation's transforms and closers: which ones a goal gets (pure), and, through the real coqidetop and the
/// final check, that each kind closes the miniF2F-style statement it was written for.
/// </summary>
public sealed class AutomationTests
{
    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public Task Modular_arithmetic_over_nat_is_decided_by_lia_with_the_zify_instances() => ProvesAsync(
        "Require Import Nat.\nTheorem t : forall n : nat, n mod 5 = 3 -> (2 * n) mod 5 = 1.",
        "lia");

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public Task A_denominator_in_a_hypothesis_is_cleared() => ProvesAsync(
        "Require Import Reals.\nOpen Scope R_scope.\nTheorem t : forall x : R, x <> -1 -> (x - 9) / (x + 1) = 2 -> x = -11.",
        "field_simplify_eq in");

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public Task The_denominator_of_the_goal_is_cleared() => ProvesAsync(
        "Require Import Reals.\nOpen Scope R_scope.\nTheorem t : forall x y z : R, x <> 0 -> 2 * x = 5 * y -> 7 * y = 10 * z -> z / x = 7 / 25.",
        "field_simplify_eq");

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public Task A_square_root_equation_is_squared() => ProvesAsync(
        "Require Import Reals.\nOpen Scope R_scope.\nTheorem t : forall y : R, 0 <= 19 + 3 * y -> sqrt (19 + 3 * y) = 7 -> y = 10.",
        "sqrt_sqrt");

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public Task Gcd_and_lcm_of_naturals_are_unfolded_with_the_gcds_value() => ProvesAsync(
        "Require Import Arith.\nTheorem t : forall b : nat, Nat.lcm 120 b = 3720 -> Nat.gcd 120 b = 8 -> b = 248.",
        "Nat.gcd_divide_r");

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public Task An_existential_goal_gets_a_witness() => ProvesAsync(
        "Require Import Arith.\nTheorem t (n : nat) (h : 0 < n) : exists m, m > n /\\ exists p, m * p <= m + p.",
        "exists");

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public Task An_existential_hypothesis_is_destructured_before_any_closer_runs() => ProvesAsync(
        "Require Import ZArith.\nOpen Scope Z_scope.\nTheorem t : forall n : Z, 0 <= n < 101 -> (exists k : Z, 123456 - n = k * 101) -> n = 34.",
        "destruct H");

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public Task A_law_for_every_point_is_instantiated_at_the_constants_in_sight() => ProvesAsync(
        "Require Import Reals.\nOpen Scope R_scope.\nTheorem t (s i : R -> R) (Hb : forall x : R, s (i x) = x /\\ i (s x) = x) (H1 : s 2 = 4) (H2 : i 2 = 4) : s (s 2) = 2.",
        "pose proof (Hb 2%R)");

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public Task A_conditional_definition_is_rewritten_innermost_first() => ProvesAsync(
        "Require Import Reals.\nOpen Scope R_scope.\nTheorem t (f : R -> R) (h : forall x : R, x <> -2 -> f x = 1 / (x + 2)) : f (f 1) = 3 / 7.",
        "rewrite (h 1) by lra");

    [Fact]
    public void A_goal_gets_the_transforms_its_shape_calls_for()
    {
        // Introduction comes first and is the normalizer; on Z, simpl (which unfolds arithmetic into digit matches) is not offered.
        var unintroduced = new Goal([], "forall n : Z, 0 <= n -> exists k : Z, 2007 + 10 * n = 11 * k -> n = 5");
        Assert.Equal(CoqTactics.Normalizer(unintroduced)!.Text, CoqTactics.Transforms(unintroduced)[0].Text);
        Assert.Null(CoqTactics.Normalizer(new Goal([new Hypothesis(["n"], "Z")], "n = n")));
        Assert.DoesNotContain(CoqTactics.Transforms(new Goal([new Hypothesis(["n"], "Z"), new Hypothesis(["H"], "0 <= n")], "10 * n + 7 <> 0")), t => t.Text == "simpl in *");
        Assert.Contains(CoqTactics.Transforms(new Goal([new Hypothesis(["n"], "nat")], "n + 0 = n")), t => t.Text == "simpl in *");

        var gcd = new Goal([new Hypothesis(["m", "n"], "nat"), new Hypothesis(["H"], "Nat.gcd m n = 6")], "60 <= m + n");
        Assert.Contains(CoqTactics.Transforms(gcd), t => t.Text.StartsWith("destruct (Nat.gcd_divide_l m n)", StringComparison.Ordinal) && t.Invertible);

        var existential = new Goal([new Hypothesis(["n"], "nat")], "exists m : nat, m > n");
        var witnesses = CoqTactics.Transforms(existential).Where(t => t.Text.StartsWith("exists ", StringComparison.Ordinal)).Select(t => t.Text).ToList();
        Assert.Equal(["exists 0", "exists 1", "exists 2", "exists n", "exists (n + 1)"], witnesses);
        Assert.All(CoqTactics.Transforms(existential).Where(t => t.Text.StartsWith("exists ", StringComparison.Ordinal)), t => Assert.False(t.Invertible));

        var fraction = new Goal([new Hypothesis(["x"], "R"), new Hypothesis(["H"], "(x - 9) / (x + 1) = 2")], "x = -11");
        var transforms = CoqTactics.Transforms(fraction).Select(t => t.Text).ToList();
        Assert.Contains("field_simplify_eq in H", transforms);
        Assert.DoesNotContain("field_simplify_eq", transforms);

        var disequality = new Goal([new Hypothesis(["x"], "R"), new Hypothesis(["H"], "x <> -1")], "x + 1 <> 0");
        Assert.Contains(CoqTactics.Closers(disequality), t => t.Text.Contains("apply Hne; lra", StringComparison.Ordinal));

        var root = new Goal([new Hypothesis(["y"], "R"), new Hypothesis(["H"], "sqrt (19 + 3 * y) = 7")], "y = 10");
        Assert.Contains(CoqTactics.Transforms(root), t => t.Text.StartsWith("match type of H with sqrt", StringComparison.Ordinal));
    }

    [Fact]
    public void Premise_hints_use_the_conclusions_numerals_but_not_its_exponents()
    {
        var goal = new Goal([new Hypothesis(["x"], "R")], "x ^ 2 - 14 * x + 3 >= 7 ^ 2 - 14 * 7 + 3");

        var hints = CoqTactics.NonlinearHints(goal)!;

        Assert.Contains("pow2_ge_0 (x - 7)", hints, StringComparison.Ordinal);
        Assert.DoesNotContain("pow2_ge_0 (x - 2)", hints, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tactic_timeout_scale_multiplies_the_step_limit()
    {
        var context = new AttemptContext(ProofBudget.Default.WithWallClock(TimeSpan.FromMinutes(5)).WithTacticTimeout(TimeSpan.FromSeconds(3)), null);
        Assert.Equal(TimeSpan.FromSeconds(3), context.TacticTimeout);

        context.TacticTimeoutScale = 4;

        Assert.Equal(TimeSpan.FromSeconds(12), context.TacticTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => context.TacticTimeoutScale = 0);
    }

    private static async Task ProvesAsync(string statement, string expected)
    {
        var source = statement + "\nProof.\nAdmitted.\n";
        var request = new ProofRequest(ProofLanguage.Coq, source).WithBudget(Agents.Budget(seconds: 120).WithTacticTimeout(TimeSpan.FromSeconds(5)));

        var outcome = await Agents.Runner().ProveAsync(request);

        Assert.True(outcome.IsProved, outcome.Verdict.Summary);
        Assert.Contains(expected, outcome.Proof, StringComparison.Ordinal);
        Assert.Equal(ProofStage.FinalCheck, outcome.Stages[^1].Stage);
    }
}
