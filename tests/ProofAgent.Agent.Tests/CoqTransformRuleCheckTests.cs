using System.Text;
using ProofAgent.Agent.Coq;
using ProofAgent.Hosting;
using ProofAgent.Provers;
using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Agent.Tests;

/// <summary>
/// The tactic text of every arithmetic transform, run by the real coqc on a small theorem: each offered step must be
/// accepted by Coq on the goal it was offered for, and leave goals the given closer proves (a rule whose text Coq rejects
/// would only waste search time; one that leaves false goals would make the search fail).
/// </summary>
public sealed class CoqTransformRuleCheckTests
{
    /// <summary>Rule, statement, the introduction step, the goal after it as coqidetop prints it, the closer of what is left.</summary>
    private static readonly (string Rule, string Statement, string Intros, Goal Goal, string Closer)[] NatCases =
    [
        ("bounded-cases", "forall n : nat, n <= 9 -> (exists k : nat, 374 * 10 + n = 18 * k) -> n = 4", "intros n H [k Hk]",
            CoqTransformRuleTests.G("n = 4", ("n k", "nat"), ("H", "n <= 9"), ("Hk", "374 * 10 + n = 18 * k")), "lia"),
        ("bounded-cases", "forall m n : nat, 1 < m -> 1 < n -> m * n = 91 -> m + n = 20", "intros m n H H0 H1",
            CoqTransformRuleTests.G("m + n = 20", ("m n", "nat"), ("H", "1 < m"), ("H0", "1 < n"), ("H1", "m * n = 91")), "lia"),
        ("by-contradiction", "forall n : nat, n * n < 50 -> n < 8", "intros n H",
            CoqTransformRuleTests.G("n < 8", ("n", "nat"), ("H", "n * n < 50")), "nia"),
        ("list-functions", "forall a : nat, list_sum (map (fun k => 2 * k + 1) (seq 0 8)) - list_sum (map (fun k => a + 2 * k) (seq 0 5)) = 4 -> a = 8", "intros a H",
            CoqTransformRuleTests.G("a = 8", ("a", "nat"), ("H", "list_sum (map (fun k => 2 * k + 1) (seq 0 8)) - list_sum (map (fun k => a + 2 * k) (seq 0 5)) = 4")), "lia"),
        ("by-contradiction", "forall k : nat, 0 < k * 1342 -> (k * 1342) mod 13 < 3 -> 5 <= k", "intros k H H0",
            CoqTransformRuleTests.G("5 <= k", ("k", "nat"), ("H", "0 < k * 1342"), ("H0", "(k * 1342) mod 13 < 3")), "(assert (k <= 5) by lia; destruct k as [|[|[|[|[|[|k]]]]]]; lia)"),
        ("by-contradiction", "forall k : nat, k * k > 5 -> 3 = k \\/ 3 < k", "intros k H",
            CoqTransformRuleTests.G("3 = k \\/ 3 < k", ("k", "nat"), ("H", "k * k > 5")), "(assert (k <= 2) by lia; destruct k as [|[|[|k]]]; lia)"),
        ("bounded-cases", "forall a b : nat, 1 <= a <= 9 -> b = 10 * a + 3 -> b mod 9 = 0 -> a = 6", "intros a b H H0 H1",
            CoqTransformRuleTests.G("a = 6", ("a b", "nat"), ("H", "1 <= a <= 9"), ("H0", "b = 10 * a + 3"), ("H1", "b mod 9 = 0")), "lia"),
        ("power-roots", "forall a : nat -> nat, a 1 ^ 3 = 8 -> a 2 ^ 3 = 27 -> a 1 + a 2 = 5", "intros a H1 H2",
            CoqTransformRuleTests.G("a 1 + a 2 = 5", ("a", "nat -> nat"), ("H1", "a 1 ^ 3 = 8"), ("H2", "a 2 ^ 3 = 27")), "lia"),
        ("gcd-lcm", "forall m n : nat, Nat.gcd m n = 6 -> 6 <= m + n + 6", "intros m n H",
            CoqTransformRuleTests.G("6 <= m + n + 6", ("m n", "nat"), ("H", "Nat.gcd m n = 6")), "lia"),
    ];

    private static readonly (string Rule, string Statement, string Intros, Goal Goal, string Closer)[] RealCases =
    [
        ("equation-through-reals", "forall x : nat, (IZR (Z_of_nat x) + (4/100) * IZR (Z_of_nat x))%R = 598%R -> (x = 575)%nat", "intros x H",
            CoqTransformRuleTests.G("x = 575", ("x", "nat"), ("H", "IZR (Z.of_nat x) + 4 / 100 * IZR (Z.of_nat x) = 598")), "lra"),
        ("equation-through-reals", "forall x : Z, IZR x * 3 = 12 -> x = 4%Z", "intros x H",
            CoqTransformRuleTests.G("x = 4%Z", ("x", "Z"), ("H", "IZR x * 3 = 12")), "lra"),
        ("evaluate-roots", "sqrt 1000000 - Rpower 1000000 (1/3) = 900", "idtac",
            CoqTransformRuleTests.G("sqrt 1000000 - Rpower 1000000 (1 / 3) = 900"), "lra"),
        ("logarithms-of-hypotheses", "forall a : R, Rpower 2 a = 8 -> a = 3", "intros a H",
            CoqTransformRuleTests.G("a = 3", ("a", "R"), ("H", "Rpower 2 a = 8")),
            "(rewrite ln_Rpower in H; replace 8 with (2 ^ 3) in H by lra; rewrite ln_pow in H by lra; simpl INR in H; assert (0 < ln 2) by (rewrite <- ln_1; apply ln_increasing; lra); nra)"),
        ("logarithm-of-goal", "forall x : R, x * ln 2 = ln 8 -> Rpower 2 x = 8", "intros x H",
            CoqTransformRuleTests.G("Rpower 2 x = 8", ("x", "R"), ("H", "x * ln 2 = ln 8")), "(rewrite ln_Rpower; lra)"),
        ("square-both-sides", "forall x : R, 0 <= x -> sqrt (60 * x) * sqrt (12 * x) * sqrt (63 * x) = 36 * x * sqrt (35 * x)", "intros x H",
            CoqTransformRuleTests.G("sqrt (60 * x) * sqrt (12 * x) * sqrt (63 * x) = 36 * x * sqrt (35 * x)", ("x", "R"), ("H", "0 <= x")), "ring"),
        ("expand-logarithms", "forall a : R, a = 8 -> ln (Rpower (16 * Rpower (a ^ 2) (1/3)) (1/3)) = ln 4", "intros a H; subst a",
            CoqTransformRuleTests.G("ln (Rpower (16 * Rpower (8 ^ 2) (1 / 3)) (1 / 3)) = ln 4"), "(field; lra)"),
        ("inr-signs", "forall m a : nat, (0 < m)%nat -> (0 < a)%nat -> INR m / INR a = 3 / 4 -> (84 * INR m + 70 * INR a) / (INR m + INR a) = 76", "intros m a H H0 H1",
            CoqTransformRuleTests.G("(84 * INR m + 70 * INR a) / (INR m + INR a) = 76", ("m a", "nat"), ("H", "(0 < m)%nat"), ("H0", "(0 < a)%nat"), ("H1", "INR m / INR a = 3 / 4")),
            "(field_simplify_eq in H1; [lra | field_simplify_eq; lra])"),
        ("unwind-fractions", "forall x : R, 2 + 1 / (1 + 1 / (2 + 2 / (3 + x))) = 144 / 53 -> x = 3 / 4", "intros x H",
            CoqTransformRuleTests.G("x = 3 / 4", ("x", "R"), ("H", "2 + 1 / (1 + 1 / (2 + 2 / (3 + x))) = 144 / 53")), "(match goal with E : _ = _ |- _ => field_simplify in E end; lra)"),
        ("sqrt-sign-cases", "forall x y : R, (x + y) / 2 = 7 -> sqrt (x * y) = sqrt 19 -> x ^ 2 + y ^ 2 = 158", "intros x y H H0",
            CoqTransformRuleTests.G("x ^ 2 + y ^ 2 = 158", ("x y", "R"), ("H", "(x + y) / 2 = 7"), ("H0", "sqrt (x * y) = sqrt 19")), "nra"),
        ("expand-logarithms", "ln 27 / ln 3 = 3", "idtac", CoqTransformRuleTests.G("ln 27 / ln 3 = 3"), "(field; lra)"),
        ("expand-logarithms", "forall a : R, Rpower 4 a = 8 -> ln (Rpower 4 a) = ln 8 -> a = 3 / 2", "intros a H0 H",
            CoqTransformRuleTests.G("a = 3 / 2", ("a", "R"), ("H0", "Rpower 4 a = 8"), ("H", "ln (Rpower 4 a) = ln 8")),
            "(apply (Rmult_eq_reg_r (ln 2)); [lra | lra])"),
    ];

    private static readonly (string Rule, string Statement, string Intros, Goal Goal, string Closer)[] ComplexCases =
    [
        ("complex-components", "forall v i z : C, v = i * z -> v = 1 + Ci -> z = 2 - Ci -> i = 1/5 + 3/5 * Ci", "intros v i z h0 h1 h2",
            CoqTransformRuleTests.G("i = 1 / 5 + 3 / 5 * Ci", ("v i z", "C"), ("h0", "v = i * z"), ("h1", "v = 1 + Ci"), ("h2", "z = 2 - Ci")), "(subst; field_simplify; lra)"),
    ];

    [RequiresToolsFact("coqc", Timeout = 600_000)]
    public async Task Should_have_coq_accept_every_offered_step_and_leave_goals_the_closer_proves()
    {
        var source = new StringBuilder("From Coq Require Import Lia Lra Psatz ZifyNat ZifyN ZifyPow.\nRequire Import Reals List Arith.\n");
        var count = 0;
        void Add((string Rule, string Statement, string Intros, Goal Goal, string Closer) c)
        {
            var offered = Assert.Single(CoqTactics.TransformRules, r => r.Name == c.Rule).Apply(new GoalView(c.Goal)).ToList();
            Assert.NotEmpty(offered);
            foreach (var tactic in offered)
            {
                source.Append($"Theorem rule_{count++} : {c.Statement}.\nProof.\n  {c.Intros}.\n  {CoqTactics.ForScript(tactic)}\n  all: {c.Closer}.\nQed.\n\n");
            }
        }

        foreach (var c in NatCases)
        {
            Add(c);
        }

        source.Append("Open Scope R_scope.\n\n");
        foreach (var c in RealCases)
        {
            Add(c);
        }

        // Coquelicot last: its import would change nothing above, but it is slow to load and only the complex rule needs it.
        source.Append("Require Import Coquelicot.Coquelicot.\nOpen Scope C_scope.\n\n");
        foreach (var c in ComplexCases)
        {
            Add(c);
        }

        // A dozen theorems whose steps run again in the axiom audit: generous limits, the CI machine is loaded.
        var settings = ProverSettings.FromEnvironment();
        var catalog = new ProverCatalog(settings with { Coq = settings.Coq with { AuditTimeout = TimeSpan.FromSeconds(240) } }, new ProcessRunner(new ResourceLimitIsolation()));
        var result = await catalog.Checker(ProofLanguage.Coq).CheckAsync(new ProofTask(ProofLanguage.Coq, source.ToString()) { Budget = ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(240)) });

        Assert.True(result.Verdict is Verdict.Proved, $"{result.Verdict}: {string.Join("\n", result.Diagnostics)}\n{source}");
        Assert.Equal(count, result.Theorems.Count(t => t.Verdict is Verdict.Proved));
    }

    [RequiresToolsFact("coqc", Timeout = 120_000)]
    public async Task Should_make_large_nat_numerals_readable_to_lia_only_after_the_normalizer_names_them()
    {
        var goal = CoqTransformRuleTests.G("n + 1 = 6001", ("n", "nat"), ("H", "n = Init.Nat.of_num_uint (Number.UIntDecimal (Decimal.D6 (Decimal.D0 (Decimal.D0 (Decimal.D0 Decimal.Nil)))))"));
        var normalizer = CoqTactics.Normalizer(goal);
        Assert.NotNull(normalizer);
        Assert.Null(CoqTactics.Normalizer(CoqTransformRuleTests.G("n + 1 = 61", ("n", "nat"), ("H", "n = 60"))));
        var checker = Agents.Catalog().Checker(ProofLanguage.Coq);
        const string Header = "From Coq Require Import Lia ZifyNat.\nTheorem big : forall n : nat, n = 6000 -> n + 1 = 6001.\nProof.\n  intros n H.\n";

        var named = await checker.CheckAsync(new ProofTask(ProofLanguage.Coq, Header + $"  {CoqTactics.ForScript(normalizer!)}\n  lia.\nQed.\n"));
        var unnamed = await checker.CheckAsync(new ProofTask(ProofLanguage.Coq, Header + "  lia.\nQed.\n"));

        Assert.True(named.Verdict is Verdict.Proved, string.Join("\n", named.Diagnostics));
        Assert.False(unnamed.Verdict is Verdict.Proved);
    }
}
