using System.Globalization;
using System.Text.RegularExpressions;
using ProofAgent.Provers;

namespace ProofAgent.Agent.Coq;

/// <summary>
/// Transforms for facts that arithmetic closers cannot see through a coercion or a partial function: the signs of
/// <c>INR n</c> (from the <c>nat</c> hypotheses), both cases of <c>sqrt t</c> when the sign of <c>t</c> is unknown
/// (Coq's <c>sqrt</c> is 0 below 0), complex numbers as pairs of reals, and exact roots of <c>nat</c> powers.
/// </summary>
public static partial class CoqTactics
{
    /// <summary>
    /// <c>0 &lt;= INR n</c> for every <c>INR n</c> in sight, <c>0 &lt; INR n</c> from <c>0 &lt; n</c> and
    /// <c>INR n &lt;&gt; 0</c> from <c>n &lt;&gt; 0</c>: the side conditions of clearing the denominators <c>INR n</c>.
    /// </summary>
    internal const string InrSigns =
        "repeat match goal with " +
        "| H : (0 < ?x)%nat |- _ => assert_fails (assert (0 < INR x)%R by assumption); pose proof (lt_0_INR x H) " +
        "| H : (?x > 0)%nat |- _ => assert_fails (assert (0 < INR x)%R by assumption); pose proof (lt_0_INR x H) " +
        "| H : ?x <> 0%nat |- _ => assert_fails (assert (INR x <> 0)%R by assumption); pose proof (not_0_INR x H) " +
        "| |- context [INR ?x] => assert_fails (assert (0 <= INR x)%R by assumption); pose proof (pos_INR x) " +
        "| H : context [INR ?x] |- _ => assert_fails (assert (0 <= INR x)%R by assumption); pose proof (pos_INR x) " +
        "end";

    /// <summary>
    /// For every <c>sqrt t</c> without its square fact: <c>sqrt t * sqrt t = t</c> where <c>0 &lt;= t</c> follows, else
    /// both cases, <c>0 &lt;= t</c> (the square fact) and <c>t &lt; 0</c> (<c>sqrt t = 0</c>). Invertible: a case split.
    /// </summary>
    internal const string SqrtSignCases =
        "repeat match goal with " +
        "| H : context [sqrt ?t] |- _ => " + SqrtSignCase + " " +
        "| |- context [sqrt ?t] => " + SqrtSignCase + " " +
        "end";

    private const string SqrtSignCase =
        "assert_fails (assert (sqrt t * sqrt t = t) by assumption); assert_fails (assert (sqrt t = 0) by assumption); " +
        "try (assert_fails (assert (0 <= sqrt t) by assumption); pose proof (sqrt_pos t)); " +
        "let C := fresh \"C\" in first [assert (C : 0 <= t) by (first [lra | nra]); pose proof (sqrt_sqrt t C) | " +
        "destruct (Rle_or_lt 0 t) as [C | C]; [pose proof (sqrt_sqrt t C) | pose proof (sqrt_neg_0 t (Rlt_le _ _ C))]]";

    /// <summary>
    /// Complex numbers (Coquelicot's <c>C</c>, pairs of reals) taken apart: every variable into its real and imaginary
    /// parts, every equation between complex numbers into the equations of its parts, the goal (and each of its conjuncts) too; what is left is real
    /// arithmetic. Invertible: a pair equation holds exactly when both parts do.
    /// </summary>
    internal const string ComplexComponents =
        "repeat match goal with x : C |- _ => destruct x as [?re ?im] end; " +
        "repeat match goal with H : @eq C _ _ |- _ => apply (f_equal (fun w => (fst w, snd w))) in H; simpl in H; injection H; clear H; intros end; " +
        "repeat match goal with |- _ /\\ _ => split end; try match goal with |- @eq C _ _ => apply injective_projections; simpl end";

    /// <summary>
    /// Continued fractions unwound from the outside: <c>a + b / e = k</c> gives <c>e = b / (k - a)</c> (where <c>e = 0</c>,
    /// Coq's <c>b / 0</c> is 0 and the hypothesis says <c>a = k</c>, which lra refutes), again on what <c>e</c> was, until
    /// the innermost denominator is left equal to a constant. Clearing a hypothesis loses nothing the others do not
    /// say, but the step is not marked invertible.
    /// </summary>
    internal const string UnwindFractions =
        "repeat match goal with H : ?a + ?b / ?e = ?k |- _ => let E := fresh \"E\" in " +
        "assert (E : e = b / (k - a)) by (destruct (Req_dec e 0) as [Z | Z]; " +
        "[rewrite Z in H; unfold Rdiv in H; rewrite Rinv_0, Rmult_0_r in H; lra | " +
        "revert H Z; generalize e; intros y H Z; rewrite <- H; field; repeat split; first [assumption | lra]]); clear H end";

    private static IEnumerable<SearchTactic> NestedFractions(GoalView g) =>
        g.IsReal && g.Hypotheses.Any(h => h.Body is null && TopLevel(h.Type, "=") && !TopLevel(h.Type, "<>") &&
            NestedDenominator().IsMatch(h.Type))
            ? [Lossy(UnwindFractions)]
            : [];

    private static IEnumerable<SearchTactic> InrFacts(GoalView g) =>
        g.IsReal && g.All.Contains("INR", StringComparison.Ordinal) && g.Hypotheses.Any(h => h.Type.Trim() == "nat")
            ? [Invertible(InrSigns)]
            : [];

    private static IEnumerable<SearchTactic> SqrtCases(GoalView g) =>
        g.IsReal && SqrtWord().IsMatch(g.All) ? [Invertible(SqrtSignCases)] : [];

    private static IEnumerable<SearchTactic> ComplexParts(GoalView g) =>
        g.Domain.HasFlag(GoalDomain.Complex) || ComplexWord().IsMatch(g.All) ? [Invertible(ComplexComponents)] : [];

    /// <summary>
    /// <c>t ^ k = n</c> over <c>nat</c> with <c>n</c> an exact k-th power <c>r ^ k</c>: <c>t = r</c> (powers are injective
    /// on <c>nat</c>), rewritten everywhere. Small numerals only: the check computes <c>r ^ k</c> in unary.
    /// </summary>
    private static IEnumerable<SearchTactic> PowerRoots(GoalView g) =>
        PowerRootStep(g.Goal) is { } step ? [Invertible(step)] : [];

    /// <summary>The step of <see cref="PowerRoots"/>, or null; the normalizer takes it too (an equivalence, and cheap).</summary>
    internal static string? PowerRootStep(Goal goal)
    {
        var domain = Domain(goal);
        if (domain.HasFlag(GoalDomain.Real) || !domain.HasFlag(GoalDomain.Natural))
        {
            return null;
        }

        var integers = Variables(goal, "Z").ToList();
        var steps = new List<string>();
        foreach (var hypothesis in goal.Hypotheses.Where(h => h.Body is null))
        {
            if (NatPowerEquation().Match(hypothesis.Type.Trim()) is not { Success: true } power ||
                power.Groups["t"].Value.Trim().All(char.IsAsciiDigit) ||
                !int.TryParse(power.Groups["k"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k is < 2 or > 10 ||
                !long.TryParse(power.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n >= 5000 ||
                ExactRoot(n, k) is not { } root || integers.Any(z => Mentions(power.Groups["t"].Value, z)))
            {
                continue;
            }

            var name = hypothesis.Names[0];
            steps.Add(
                $"match type of {name} with ?t ^ _ = _ => let E := fresh \"E\" in assert (E : t = {root.ToString(CultureInfo.InvariantCulture)}) by " +
                $"(apply (PeanoNat.Nat.pow_inj_l _ _ {k.ToString(CultureInfo.InvariantCulture)}); [discriminate | rewrite {name}; reflexivity]); rewrite E in *; clear {name} end");
        }

        return steps.Count == 0 ? null : string.Join("; ", steps);
    }

    // A fraction whose denominator has a fraction in it: 1 / (1 + 1 / (2 + x)).
    [GeneratedRegex(@"/\s*\([^()]*/")]
    private static partial Regex NestedDenominator();

    [GeneratedRegex(@"\b(Ci|RtoC|Cmult|Cplus|Cinv|Cdiv)\b")]
    private static partial Regex ComplexWord();

    // a 1 ^ 3 = 8, (x + 1) ^ 2 = 49: the base, the exponent and the value.
    [GeneratedRegex(@"^(?<t>.+?)\s*\^\s*(?<k>\d+)\s*=\s*(?<n>\d+)(%nat)?$")]
    private static partial Regex NatPowerEquation();
}
