using ProofAgent.Agent.Coq;
using ProofAgent.Provers;
using Xunit;

namespace ProofAgent.Agent.Tests;

/// <summary>Every transform rule of the Coq search, on a goal it applies to and on one it must leave alone.</summary>
public sealed class CoqTransformRuleTests
{
    public static TheoryData<string, Goal, Goal> Cases { get; } = new()
    {
        { "introduce", G("forall n : nat, n = n"), G("n = n", ("n", "nat")) },
        { "unfold-not", G("~ (x = 1)", ("x", "R")), G("x = 1", ("x", "R")) },
        { "subst", G("x + 1 = 3", ("x", "nat"), ("H", "x = 2")), G("x + 1 = 3", ("x", "nat"), ("H", "x + 1 = 2 * x")) },
        { "split", G("x = 1 /\\ y = 2", ("x", "R")), G("(x = 1 /\\ y = 2) -> x = 1", ("x", "R")) },
        { "case-split-or", G("x <> 0", ("x", "R"), ("H", "x = 1 \\/ x = 2")), G("x <> 0", ("x", "R"), ("H", "(x = 1 \\/ x = 2) -> False")) },
        { "left-right", G("x = 1 \\/ x = 2", ("x", "R")), G("~ (x = 1 \\/ x = 2)", ("x", "R")) },
        { "cases-rabs", G("Rabs x >= 0", ("x", "R")), G("x * x >= 0", ("x", "R")) },
        { "cases-rmax-rmin", G("Rmax x 0 >= 0", ("x", "R")), G("x >= 0", ("x", "R")) },
        { "unfold-rsqr", G("Rsqr x >= 0", ("x", "R")), G("x * x >= 0", ("x", "R")) },
        { "rewrite-definitions", G("f 1 = 9", ("f", "R -> R"), ("h", "forall x, f x = 5 * x + 4")), G("f 1 = 9", ("f", "R -> R"), ("h", "forall x, f x > 0")) },
        { "recurrence-instances", G("a 3 = 8", ("a", "nat -> nat"), ("h", "forall n : nat, a (S n) = 2 * a n")), G("a 3 = 8", ("a", "nat -> nat"), ("h", "a 0 = 1")) },
        { "rewrite-conditional-laws", G("f (f 1) = 3 / 7", ("f", "R -> R"), ("h", "forall x : R, x <> -2 -> f x = 1 / (x + 2)")), G("f 1 = 1 / 3", ("f", "R -> R"), ("h", "f 1 = 1 / 3")) },
        { "law-instances", G("s (s 2) = 2", ("s", "R -> R"), ("Hb", "forall x : R, s (i x) = x")), G("s x = x", ("s", "R -> R"), ("Hb", "forall x : R, s (i x) = x")) },
        { "field-simplify", G("x / 2 = 1", ("x", "R")), G("x * 2 = 1", ("x", "R")) },
        { "clear-denominators", G("z / x = 7 / 25", ("x", "R")), G("z / x <> 7 / 25", ("x", "R")) },
        { "clear-denominators-in-hypotheses", G("x = -11", ("x", "R"), ("H", "(x - 9) / (x + 1) = 2")), G("x = -11", ("x", "R"), ("H", "x - 9 = 2 * (x + 1)")) },
        { "square-roots", G("y = 10", ("y", "R"), ("H", "sqrt (19 + 3 * y) = 7")), G("y = 10", ("y", "R"), ("H", "19 + 3 * y = 49")) },
        { "evaluate-roots", G("sqrt 1000000 - Rpower 1000000 (1 / 3) = 900"), G("sqrt 1000001 - Rpower 1000001 (1 / 3) = 900") },
        { "logarithms-of-hypotheses", G("a = 3", ("a", "R"), ("H", "Rpower 2 a = 8")), G("a = 3", ("a p", "R"), ("H", "p = Rpower 2 a")) },
        { "logarithm-of-goal", G("Rpower (Rpower 11 (1 / 4)) (6 * x + 2) = 121 / 25", ("x", "R")), G("Rpower 11 x <> 121 / 25", ("x", "R")) },
        { "square-both-sides", G("sqrt (60 * x) * sqrt (12 * x) = 12 * x * sqrt 5", ("x", "R")), G("sqrt (60 * x) <= 12", ("x", "R")) },
        { "expand-logarithms", G("ln 27 / ln 3 = 3"), G("x / 3 = 3", ("x", "R")) },
        { "by-contradiction", G("n < 8", ("n", "nat"), ("H", "n * n < 50")), G("n < 8", ("n", "nat"), ("H", "n < 5")) },
        { "bounded-cases", G("n = 4", ("n k", "nat"), ("H", "n <= 9"), ("Hk", "374 * 10 + n = 18 * k")), G("n = 4", ("n k", "nat"), ("Hk", "3740 + n = k + 18")) },
        { "equation-through-reals", G("x = 575", ("x", "nat"), ("H", "IZR (Z.of_nat x) + 4 / 100 * IZR (Z.of_nat x) = 598")), G("x = 575", ("x", "nat"), ("H", "x + 4 = 579")) },
        { "list-functions", G("a = 8", ("a", "nat"), ("H", "list_sum (map (fun k => 2 * k + 1) (seq 0 8)) - list_sum (map (fun k => a + 2 * k) (seq 0 5)) = 4")), G("a = 8", ("a", "nat"), ("H", "a + 1 = 9")) },
        { "gcd-lcm", G("60 <= m + n", ("m n", "nat"), ("H", "Nat.gcd m n = 6")), G("60 <= m + n", ("m n", "nat"), ("H", "Nat.gcd m n <= 6")) },
        { "witnesses", G("exists m : nat, m > n", ("n", "nat")), G("forall m : nat, m > n -> m >= n", ("n", "nat")) },
        { "simpl", G("n + 0 = n", ("n", "nat")), G("10 * n + 7 <> 0", ("n", "Z")) },
        { "complex-components", G("i = 1 / 5 + 3 / 5 * Ci", ("v i z", "C"), ("h0", "v = i * z"), ("h1", "v = 1 + Ci")), G("x = 1 / 5", ("x", "R")) },
        { "power-roots", G("a 1 + a 2 = 5", ("a", "nat -> nat"), ("H1", "a 1 ^ 3 = 8"), ("H2", "a 2 ^ 3 = 27")), G("a 1 = 2", ("a", "nat -> nat"), ("H1", "a 1 ^ 3 = 9")) },
        { "inr-signs", G("INR m / INR a = 3 / 4", ("m a", "nat"), ("H", "(0 < a)%nat")), G("x / y = 3 / 4", ("x y", "R")) },
        { "sqrt-sign-cases", G("x ^ 2 + y ^ 2 = 158", ("x y", "R"), ("H0", "sqrt (x * y) = sqrt 19")), G("x ^ 2 + y ^ 2 = 158", ("x y", "R"), ("H0", "x * y = 19")) },
        { "unwind-fractions", G("x = 3 / 4", ("x", "R"), ("H", "2 + 1 / (1 + 1 / (2 + 2 / (3 + x))) = 144 / 53")), G("x = 3 / 4", ("x", "R"), ("H", "2 + 1 / (3 + x) = 144 / 53")) },
        { "normalize-inr", G("INR (n + 1) = INR n + 1", ("n", "nat")), G("IZR (n + 1) = IZR n + 1", ("n", "Z")) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_rule_applies_to_its_shape_and_leaves_other_goals_alone(string name, Goal applies, Goal leaves)
    {
        var rule = Assert.Single(CoqTactics.TransformRules, r => r.Name == name);

        var offered = rule.Apply(new GoalView(applies)).ToList();

        Assert.NotEmpty(offered);
        Assert.Empty(rule.Apply(new GoalView(leaves)));
        Assert.All(offered, t => Assert.False(t.IsCloser));
        Assert.All(offered, t => Assert.Contains(t, CoqTactics.Transforms(applies)));
    }

    [Theory]
    [InlineData("k < 5", true)]
    [InlineData("5 = k \\/ 5 < k", true)]
    [InlineData("k = 1 \\/ k = 2 -> k < 3", false)]
    [InlineData("(k = 1 /\\ k < 5) \\/ k = 3", false)]
    [InlineData("k <> 1 \\/ k < 5", false)]
    public void Should_argue_by_contradiction_on_an_order_or_a_disjunction_of_comparisons(string conclusion, bool applies)
    {
        var goal = G(conclusion, ("k", "nat"), ("H", "k * k > 5"));

        var offered = Assert.Single(CoqTactics.TransformRules, r => r.Name == "by-contradiction").Apply(new GoalView(goal)).ToList();

        Assert.Equal(applies, offered.Count > 0);
    }

    [Theory]
    [InlineData("a 1 ^ 3 = 8", true)]
    [InlineData("(x + 1) ^ 2 = 49", true)]
    [InlineData("a 1 ^ 3 = 9", false)]
    [InlineData("z ^ 2 = 49", false)]
    [InlineData("a 1 ^ 2 = 10000", false)]
    public void Should_take_exact_roots_of_small_nat_powers_only(string hypothesis, bool applies)
    {
        var goal = G("a 1 + x = 5", ("a", "nat -> nat"), ("x", "nat"), ("z", "Z"), ("H", hypothesis));

        var offered = Assert.Single(CoqTactics.TransformRules, r => r.Name == "power-roots").Apply(new GoalView(goal)).ToList();

        Assert.Equal(applies, offered.Count > 0);
    }

    [Theory]
    [InlineData("1 <= a <= 9", 9)]
    [InlineData("(1 <= a <= 9)%nat", 9)]
    [InlineData("a <= 9 /\\ 1 <= a", 9)]
    [InlineData("0 < a < 10", 9)]
    [InlineData("a < 10 /\\ b < 5", 9)]
    public void Should_read_a_bound_in_a_chain_or_a_conjunction(string hypothesis, int bound)
    {
        var goal = G("a = 4", ("a b k", "nat"), ("H", hypothesis), ("Hk", "374 * 10 + a = 18 * k"));

        var offered = Assert.Single(CoqTactics.TransformRules, r => r.Name == "bounded-cases").Apply(new GoalView(goal)).Select(t => t.Text).ToList();

        // destruct a as [|[|...[|a]...]]: the cases 0 .. bound, and one above the bound that lia refutes.
        var pattern = string.Concat(Enumerable.Repeat("[|", bound + 1)) + "a" + new string(']', bound + 1);
        Assert.Contains($"destruct a as {pattern}; try lia", offered);
    }

    [Theory]
    [InlineData("(-3 <= x <= 4)%Z")]
    [InlineData("x <= 4 /\\ -3 <= x")]
    public void Should_read_an_integer_range_in_a_chain_or_a_conjunction(string hypothesis)
    {
        var goal = G("x * x <> 17", ("x", "Z"), ("H", hypothesis));

        var offered = Assert.Single(CoqTactics.TransformRules, r => r.Name == "bounded-cases").Apply(new GoalView(goal)).Select(t => t.Text).ToList();

        Assert.Contains(offered, t => t.StartsWith("assert (x = (-3)%Z \\/ x = (-2)%Z", StringComparison.Ordinal) && t.Contains("x = 4%Z)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1 <= a <= 9", true)]
    [InlineData("Nat.divide 1342 n", true)]
    [InlineData("(3 | n)%Z", true)]
    [InlineData("a <> 9", false)]
    [InlineData("a ^ 2 = 49", true)]
    [InlineData("a < 9", false)]
    public void Should_introduce_chained_bounds_and_divisibility_witnesses(string hypothesis, bool normalizes)
    {
        var goal = G("6710 <= n", ("a n", "nat"), ("H", hypothesis));

        Assert.Equal(normalizes, CoqTactics.Normalizer(goal) is not null);
    }

    [Fact]
    public void Should_guess_nia_bounds_only_up_to_splits_the_gate_can_audit()
    {
        // m * (n / 8) = 112: nia proves m <= 112, the numeral itself, a 113-case split whose proof term the audit cannot
        // print; the smaller guesses (roots, halves) stay, and a bound stated by a hypothesis is not a guess.
        var guessed = G("72 <= m + n", ("m n", "nat"), ("H1", "m * (n / 8) = 112"));
        var stated = G("a = 4", ("a k", "nat"), ("H", "a <= 99"), ("Hk", "374 * 10 + a = 18 * k"));
        var halved = G("m + n = 20", ("m n", "nat"), ("H", "1 < m"), ("H0", "1 < n"), ("H1", "m * n = 91"));

        var fromNumerals = Assert.Single(CoqTactics.TransformRules, r => r.Name == "bounded-cases").Apply(new GoalView(guessed)).Select(t => t.Text).ToList();
        var fromHypothesis = Assert.Single(CoqTactics.TransformRules, r => r.Name == "bounded-cases").Apply(new GoalView(stated)).Select(t => t.Text).ToList();

        Assert.Contains(fromNumerals, t => t.Contains("assert (m <= 10) by nia", StringComparison.Ordinal));
        Assert.DoesNotContain(fromNumerals, t => t.Contains("assert (m <= 112)", StringComparison.Ordinal));
        Assert.Contains(
            Assert.Single(CoqTactics.TransformRules, r => r.Name == "bounded-cases").Apply(new GoalView(halved)).Select(t => t.Text),
            t => t.Contains("assert (m <= 45) by nia", StringComparison.Ordinal));
        Assert.Contains(fromHypothesis, t => t.StartsWith("destruct a as " + string.Concat(Enumerable.Repeat("[|", 100)), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_rule_has_a_case()
    {
        var covered = Cases.Select(c => (string)c[0]).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(CoqTactics.TransformRules.Select(r => r.Name).Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }

    internal static Goal G(string conclusion, params (string Names, string Type)[] hypotheses) =>
        new([.. hypotheses.Select(h => new Hypothesis(h.Names.Split(' '), h.Type))], conclusion);
}
