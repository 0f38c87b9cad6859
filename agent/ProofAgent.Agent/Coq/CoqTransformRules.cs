using System.Globalization;
using System.Text.RegularExpressions;
using ProofAgent.Provers;

namespace ProofAgent.Agent.Coq;

/// <summary>A goal as the transform rules read it: the conclusion, all the text in sight, and the arithmetic domain.</summary>
public sealed class GoalView(Goal goal)
{
    public Goal Goal => goal;

    public IReadOnlyList<Hypothesis> Hypotheses => goal.Hypotheses;

    /// <summary>The conclusion without leading blanks.</summary>
    public string Conclusion { get; } = goal.Conclusion.TrimStart();

    /// <summary>The conclusion and every hypothesis type, one per line.</summary>
    public string All { get; } = goal.Conclusion.TrimStart() + "\n" + string.Join("\n", goal.Hypotheses.Select(h => h.Type));

    public GoalDomain Domain { get; } = CoqTactics.Domain(goal);

    public bool IsReal => Domain.HasFlag(GoalDomain.Real);
}

/// <summary>A structural transform of the search: its name, and the tactics it offers for a goal (none: it does not apply).</summary>
public sealed record TransformRule(string Name, Func<GoalView, IEnumerable<SearchTactic>> Apply)
{
    public override string ToString() => Name;
}

public static partial class CoqTactics
{
    /// <summary>
    /// The search's structural transforms as data, in the order they are tried: each rule reads the goal and offers its
    /// tactics only where they apply. Invertible transforms (new goals hold only if the old one does) let a counterexample
    /// refute the theorem; the others only prune their branch.
    /// </summary>
    public static IReadOnlyList<TransformRule> TransformRules { get; } =
    [
        new("introduce", g => Normalizer(g.Goal) is { } normalize ? [normalize] : []),
        new("complex-components", ComplexParts),
        new("unfold-not", g => g.Conclusion.StartsWith('~') ? [Invertible("unfold not; intros")] : []),
        new("subst", g => g.Hypotheses.Any(h => EquationOnVariable().IsMatch(h.Type)) ? [Invertible("subst")] : []),
        new("power-roots", PowerRoots),
        new("split", g => TopLevel(g.Conclusion, "/\\") || TopLevel(g.Conclusion, "<->") ? [Invertible("split")] : []),
        new("case-split-or", g => g.Hypotheses.Where(h => TopLevel(h.Type, "\\/")).Select(h => Invertible($"destruct {h.Names[0]} as [{h.Names[0]} | {h.Names[0]}]"))),
        new("left-right", g => TopLevel(g.Conclusion, "\\/") ? [Lossy("left"), Lossy("right")] : []),
        new("cases-rabs", g => g.All.Contains("Rabs", StringComparison.Ordinal)
            ? [Invertible("unfold Rabs in *; repeat match goal with |- context [Rcase_abs ?x] => destruct (Rcase_abs x) | H : context [Rcase_abs ?x] |- _ => destruct (Rcase_abs x) end")]
            : []),
        new("cases-rmax-rmin", g => g.All.Contains("Rmax", StringComparison.Ordinal) || g.All.Contains("Rmin", StringComparison.Ordinal)
            ? [Invertible("unfold Rmax, Rmin in *; repeat match goal with |- context [Rle_dec ?x ?y] => destruct (Rle_dec x y) | H : context [Rle_dec ?x ?y] |- _ => destruct (Rle_dec x y) end")]
            : []),
        new("unfold-rsqr", g => g.All.Contains('²', StringComparison.Ordinal) || g.All.Contains("Rsqr", StringComparison.Ordinal) ? [Invertible("unfold Rsqr in *")] : []),

        // Hypotheses that define a function pointwise: rewrite with them everywhere (bounded by the step timeout).
        new("rewrite-definitions", g => g.Hypotheses
            .Where(h => h.Type.TrimStart().StartsWith("forall", StringComparison.Ordinal) && h.Type.Contains('=', StringComparison.Ordinal))
            .Select(h => Invertible($"rewrite ?{h.Names[0]} in *"))),

        // Instances of recurrences over nat at small indices (what a human does before lra/lia on a sequence problem).
        new("recurrence-instances", g => g.Hypotheses.Where(h => NatForall().IsMatch(h.Type)).Select(h => Invertible(
            string.Join("; ", Enumerable.Range(0, 10).Select(k => $"pose proof ({h.Names[0]} {k.ToString(CultureInfo.InvariantCulture)}%nat)")) + "; simpl in *"))),
        new("rewrite-conditional-laws", ConditionalLaws),
        new("law-instances", LawInstances),
        new("inr-signs", InrFacts),
        new("unwind-fractions", NestedFractions),
        new("field-simplify", g => g.IsReal && g.All.Contains('/', StringComparison.Ordinal) ? [Lossy("field_simplify")] : []),

        // Clearing denominators: the side conditions (denominators <> 0) come first and the search closes them from the
        // hypotheses; they may be unprovable, so the step is not invertible.
        new("clear-denominators", g => g.IsReal && g.Conclusion.Contains('/', StringComparison.Ordinal) && TopLevel(g.Conclusion, "=") && !TopLevel(g.Conclusion, "<>")
            ? [Lossy("field_simplify_eq")]
            : []),
        new("clear-denominators-in-hypotheses", g => g.IsReal
            ? g.Hypotheses.Where(h => h.Body is null && h.Type.Contains('/', StringComparison.Ordinal) && TopLevel(h.Type, "=") && !TopLevel(h.Type, "<>"))
                .Select(h => Lossy($"field_simplify_eq in {h.Names[0]}"))
            : []),
        new("square-roots", SquareRoots),
        new("sqrt-sign-cases", SqrtCases),
        new("square-both-sides", SquareBothSides),
        new("evaluate-roots", EvaluateRoots),
        new("logarithms-of-hypotheses", LogarithmsOfHypotheses),
        new("logarithm-of-goal", LogarithmOfGoal),
        new("expand-logarithms", ExpandLogarithms),
        new("gcd-lcm", GcdFacts),
        new("by-contradiction", ByContradiction),
        new("bounded-cases", BoundedCases),
        new("equation-through-reals", EquationThroughReals),
        new("list-functions", ListFunctions),
        new("witnesses", Witnesses),

        // On Z, simpl unfolds the arithmetic of every variable into nested matches on its binary digits (megabytes of
        // goal text for `10 * n`); it helps on nat, lists and functions, not there.
        new("simpl", g => g.Domain.HasFlag(GoalDomain.Integer) ? [] : [Invertible("simpl in *")]),
        new("normalize-inr", g => g.IsReal && g.All.Contains("INR", StringComparison.Ordinal) ? [Invertible("repeat rewrite ?S_INR, ?plus_INR, ?mult_INR, ?INR_IZR_INZ in *")] : []),
    ];

    [GeneratedRegex(@"(?<![\w.'])(list_sum|fold_left|fold_right|map|seq|filter|length|app|list_prod|rev|nth|repeat|firstn|skipn|combine|concat)(?![\w'])")]
    private static partial Regex ListFunction();

    private static SearchTactic Invertible(string text) => new(text, IsCloser: false, Invertible: true);

    private static SearchTactic Lossy(string text) => new(text, IsCloser: false, Invertible: false);

    /// <summary>
    /// A law that holds under a condition (forall x, x &lt;&gt; -2 -&gt; f x = ...): rewrite with it where its side condition
    /// is arithmetic, innermost constant arguments first (f (f 1): first f 1, then f of the value).
    /// </summary>
    private static IEnumerable<SearchTactic> ConditionalLaws(GoalView g)
    {
        foreach (var hypothesis in g.Hypotheses)
        {
            if (ConditionalLaw().Match(hypothesis.Type) is not { Success: true } law)
            {
                continue;
            }

            var name = hypothesis.Names[0];
            var side = law.Groups["type"].Value == "R" ? "lra" : "lia";
            var function = Regex.Escape(law.Groups["f"].Value);
            foreach (var argument in Regex.Matches(g.Conclusion, $@"(?<![\w']){function}\s+(?<c>\d+)(?![\w'.])").Select(m => m.Groups["c"].Value).Distinct(StringComparer.Ordinal))
            {
                yield return Invertible($"rewrite ({name} {argument}) by {side}");
            }

            yield return Invertible($"rewrite {name} by {side}");
        }
    }

    /// <summary>
    /// Instances of other one-variable laws (f (g x) = x, a bound for every x) at the constants in sight: with the facts
    /// about those points in the context, congruence, lia or lra can chain them.
    /// </summary>
    private static IEnumerable<SearchTactic> LawInstances(GoalView g)
    {
        var constants = Numeral().Matches(g.All).Select(m => m.Value).Distinct(StringComparer.Ordinal).Take(6).ToList();
        if (constants.Count == 0)
        {
            yield break;
        }

        foreach (var hypothesis in g.Hypotheses.Where(h => !NatForall().IsMatch(h.Type)))
        {
            if (NumericForall().Match(hypothesis.Type) is { Success: true } law)
            {
                var scope = law.Groups["type"].Value switch
                {
                    "R" => "%R",
                    "Z" => "%Z",
                    _ => "%nat",
                };
                yield return Invertible(string.Join("; ", constants.Select(c => $"pose proof ({hypothesis.Names[0]} {c}{scope})")));
            }
        }
    }

    /// <summary>
    /// Square both sides of <c>sqrt t = c</c> (when 0 &lt;= t follows), and record <c>sqrt t &gt;= 0</c> and
    /// <c>sqrt t * sqrt t = t</c> for every square root in sight: the facts nra needs and cannot find itself.
    /// </summary>
    private static IEnumerable<SearchTactic> SquareRoots(GoalView g)
    {
        if (!g.All.Contains("sqrt", StringComparison.Ordinal))
        {
            yield break;
        }

        foreach (var hypothesis in g.Hypotheses.Where(h => h.Body is null && SqrtEquation().IsMatch(h.Type)))
        {
            var name = hypothesis.Names[0];
            yield return Invertible(
                $"match type of {name} with sqrt ?t = _ => let E := fresh \"E\" in assert (E : sqrt t * sqrt t = t) by (apply sqrt_sqrt; first [lra | nra]); rewrite {name} in E end");
        }

        yield return Invertible(SqrtFacts);
    }

    /// <summary>gcd and lcm of naturals: a = k * gcd, b = k' * gcd and lcm a b = a * (b / gcd a b), with the gcd's value.</summary>
    private static IEnumerable<SearchTactic> GcdFacts(GoalView g)
    {
        foreach (var hypothesis in g.Hypotheses.Where(h => h.Body is null))
        {
            if (GcdValue().Match(hypothesis.Type) is { Success: true } gcd)
            {
                var (a, b) = (gcd.Groups[1].Value, gcd.Groups[2].Value);
                yield return Invertible(
                    $"destruct (Nat.gcd_divide_l {a} {b}) as [?k ?Hk]; destruct (Nat.gcd_divide_r {a} {b}) as [?k ?Hk]; unfold Nat.lcm in *; rewrite {hypothesis.Names[0]} in *");
            }
        }
    }

    /// <summary>List functions evaluated on the lists in sight (<c>list_sum (map f (seq 0 8))</c>), nothing else unfolded: no arithmetic is turned into matches.</summary>
    private static IEnumerable<SearchTactic> ListFunctions(GoalView g)
    {
        var names = ListFunction().Matches(g.All).Select(m => m.Value).ToList();
        if (names.Contains("list_sum"))
        {
            names.Add("fold_right"); // list_sum is fold_right plus 0: cbn stops at it unless it may unfold it too
        }

        names = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? [] : [Invertible($"cbn [{string.Join(" ", names)}] in *")];
    }

    /// <summary>Witnesses for an existential goal: small numerals and the variables in sight (and their successors).</summary>
    private static IEnumerable<SearchTactic> Witnesses(GoalView g)
    {
        if (ExistentialGoal().Match(g.Conclusion) is not { Success: true } existential)
        {
            return [];
        }

        var type = existential.Groups["type"].Success ? existential.Groups["type"].Value.Trim() : null;
        var witnesses = new List<string> { "0", "1", "2" };
        var candidates = g.Hypotheses.Where(h => h.Body is null && (type is null || h.Type.Trim() == type) && h.Type.Trim() is "nat" or "Z" or "R")
            .SelectMany(h => h.Names).Where(n => IdentifierOnly().IsMatch(n)).Take(3).ToList();
        foreach (var variable in candidates)
        {
            witnesses.Add(variable);
            witnesses.Add($"({variable} + 1)");
        }

        return witnesses.Select(w => Lossy($"exists {w}"));
    }
}
