using System.Globalization;
using System.Text.RegularExpressions;
using ProofAgent.Provers;

namespace ProofAgent.Agent.Coq;

/// <summary>A tactic the search may try. Closers solve the first goal or fail; transforms rewrite it (maybe into several).</summary>
/// <param name="Text">The tactic, without the final period.</param>
/// <param name="IsCloser">True when the tactic either solves the first goal or fails (it is run under <c>solve [...]</c>).</param>
/// <param name="Invertible">True when the new goals hold only if the old one does, so a counterexample to one refutes the theorem.</param>
/// <param name="Source">Where it came from: <c>portfolio</c>, <c>premises</c>, <c>model</c>, <c>oracle</c>.</param>
public sealed record SearchTactic(string Text, bool IsCloser, bool Invertible, string Source = "portfolio");

/// <summary>The arithmetic domain of a goal, read from its hypotheses and conclusion.</summary>
[Flags]
public enum GoalDomain
{
    None = 0,
    Real = 1,
    Integer = 2,
    Natural = 4,
    Complex = 8,
}

/// <summary>
/// Coq's automation portfolio for the best-first search: closers by goal domain (<c>lia nia lra nra field ring</c>, computation,
/// propositional tactics), premise-selected <c>nra</c>/<c>nia</c> hints from the goal's variables and hypotheses, and
/// structural transforms (introduction, case splits on disjunctions and absolute values, substitution, unfolding).
/// </summary>
public static partial class CoqTactics
{
    /// <summary>Reads the domain from variable types and the conclusion's vocabulary.</summary>
    public static GoalDomain Domain(Goal goal)
    {
        var domain = GoalDomain.None;
        var text = goal.Conclusion + "\n" + string.Join("\n", goal.Hypotheses.Select(h => h.Type));
        foreach (var hypothesis in goal.Hypotheses)
        {
            domain |= TypeDomain(hypothesis.Type);
        }

        if (RealWords().IsMatch(text))
        {
            domain |= GoalDomain.Real;
        }

        if (text.Contains("Z.", StringComparison.Ordinal) || text.Contains("%Z", StringComparison.Ordinal))
        {
            domain |= GoalDomain.Integer;
        }

        return domain;
    }

    /// <summary>Closers for the first goal, cheapest and most likely first.</summary>
    public static IReadOnlyList<SearchTactic> Closers(Goal goal)
    {
        var domain = Domain(goal);
        var list = new List<string> { "easy" };
        var real = domain.HasFlag(GoalDomain.Real) || domain == GoalDomain.None;
        var discrete = domain.HasFlag(GoalDomain.Integer) || domain.HasFlag(GoalDomain.Natural) || domain == GoalDomain.None;
        if (discrete)
        {
            list.AddRange(["lia", "(vm_compute; reflexivity)"]);
        }

        if (real)
        {
            list.AddRange(["lra", "field", "(field; lra)"]);
        }

        if (discrete)
        {
            list.AddRange(["nia", "(simpl; lia)"]);
        }

        if (real)
        {
            list.Add("nra");
            if (NonlinearHints(goal) is { } hints)
            {
                list.Add(hints + "nra");
            }

            list.AddRange(["(simpl; lra)", "(compute; lra)", "(unfold Rdiv; nra)"]);
        }

        if (discrete && IntegerHints(goal) is { } integerHints)
        {
            list.Add(integerHints + "nia");
        }

        list.AddRange(["ring", "(simpl; ring)", "tauto", "congruence", "(intuition (try lia; try lra))", "(compute; reflexivity)"]);
        if (discrete)
        {
            list.AddRange(["(simpl; nia)", "(repeat split; lia)"]);
        }

        if (real)
        {
            list.Add("(repeat split; nra)");
            if (TopLevel(goal.Conclusion, "<>"))
            {
                // lra cannot use a disequality hypothesis; a disequality goal usually follows from one (x <> -1 |- x + 1 <> 0).
                list.Add("(intro; match goal with Hne : _ <> _ |- False => solve [apply Hne; lra] end)");
            }
        }

        return [.. list.Distinct(StringComparer.Ordinal).Select(t => new SearchTactic(t, IsCloser: true, Invertible: true))];
    }

    /// <summary>
    /// The step that introduces the goal's binders and premises and destructures conjunctions and existentials among
    /// the hypotheses, when there is something to introduce or destructure; null otherwise. Invertible.
    /// </summary>
    public static SearchTactic? Normalizer(Goal goal)
    {
        var conclusion = goal.Conclusion.TrimStart();
        var steps = new List<string>(2);
        if (conclusion.StartsWith("forall", StringComparison.Ordinal) || conclusion.Contains("->", StringComparison.Ordinal) ||
            goal.Hypotheses.Any(h => h.Type.Contains("/\\", StringComparison.Ordinal) || h.Type.TrimStart().StartsWith("exists", StringComparison.Ordinal) ||
                ChainedComparison().IsMatch(h.Type) || Divisibility().IsMatch(h.Type)))
        {
            // Divisibility is an existential under a name (Nat.divide a b is exists k, b = k * a): its witness is a
            // variable the case splits and lia can use, as invertible to take apart as any other existential.
            // Each arm names its relation only where a hypothesis shows it: a name that is not loaded fails the whole step.
            var text = conclusion + "\n" + string.Join("\n", goal.Hypotheses.Select(h => h.Type));
            var arms = (text.Contains("Nat.divide", StringComparison.Ordinal) ? " | H : PeanoNat.Nat.divide _ _ |- _ => destruct H" : string.Empty) +
                (text.Contains("Z.divide", StringComparison.Ordinal) || IntegerDivisibility().IsMatch(text) ? " | H : BinInt.Z.divide _ _ |- _ => destruct H" : string.Empty);
            steps.Add($"intros; repeat match goal with H : _ /\\ _ |- _ => destruct H | H : exists _, _ |- _ => destruct H{arms} end");
        }

        // Large nat numerals are unreadable to every arithmetic closer: naming them is as cheap and as invertible as intros.
        if (HasLargeNatNumerals(goal))
        {
            steps.Add(NameLargeNumerals);
        }

        // t ^ 3 = 27 over nat is t = 3: an equivalence the closers cannot find (nia times out on it), as cheap as intros.
        if (PowerRootStep(goal) is { } roots)
        {
            steps.Add(roots);
        }

        return steps.Count == 0 ? null : new SearchTactic(string.Join("; ", steps), false, true);
    }

    /// <summary>Structural transforms that apply to the first goal, in the order the search tries them: every rule of <see cref="TransformRules"/> that applies.</summary>
    public static IReadOnlyList<SearchTactic> Transforms(Goal goal)
    {
        var view = new GoalView(goal);
        return [.. TransformRules.SelectMany(rule => rule.Apply(view))];
    }

    /// <summary>Every <c>sqrt t</c> in sight gets <c>0 &lt;= sqrt t</c>, and <c>sqrt t * sqrt t = t</c> where <c>0 &lt;= t</c> follows.</summary>
    internal const string SqrtFacts =
        "repeat match goal with " +
        "| |- context [sqrt ?t] => assert_fails (assert (0 <= sqrt t) by assumption); pose proof (sqrt_pos t); try (assert (sqrt t * sqrt t = t) by (apply sqrt_sqrt; first [lra | nra])) " +
        "| H : context [sqrt ?t] |- _ => assert_fails (assert (0 <= sqrt t) by assumption); pose proof (sqrt_pos t); try (assert (sqrt t * sqrt t = t) by (apply sqrt_sqrt; first [lra | nra])) " +
        "end";

    /// <summary>
    /// Premise selection for <c>nra</c>: squares of the real variables and of their pairwise differences and sums (what
    /// a human adds to <c>nlinarith</c>), at most a dozen terms.
    /// </summary>
    public static string? NonlinearHints(Goal goal)
    {
        var variables = Variables(goal, "R").Take(4).ToList();
        if (variables.Count == 0)
        {
            return null;
        }

        var terms = new List<string>();
        terms.AddRange(variables);
        var numerals = Numeral().Matches(goal.Conclusion).Select(m => m.Value).Where(n => n != "0").Distinct(StringComparer.Ordinal).Take(4).ToList();
        foreach (var variable in variables.Take(2))
        {
            terms.AddRange(numerals.Select(n => $"{variable} - {n}"));
        }

        for (var i = 0; i < variables.Count; i++)
        {
            for (var j = i + 1; j < variables.Count; j++)
            {
                terms.Add($"{variables[i]} - {variables[j]}");
                terms.Add($"{variables[i]} + {variables[j]}");
            }
        }

        return string.Concat(terms.Take(14).Select(t => $"pose proof (pow2_ge_0 ({t})); "));
    }

    /// <summary>Premise selection for <c>nia</c>: squares of the integer variables and of their differences.</summary>
    public static string? IntegerHints(Goal goal)
    {
        var variables = Variables(goal, "Z").Take(4).ToList();
        if (variables.Count == 0)
        {
            return null;
        }

        var terms = new List<string>(variables);
        for (var i = 0; i < variables.Count; i++)
        {
            for (var j = i + 1; j < variables.Count; j++)
            {
                terms.Add($"{variables[i]} - {variables[j]}");
            }
        }

        return string.Concat(terms.Take(10).Select(t => $"pose proof (Z.square_nonneg ({t})); "));
    }

    /// <summary>Wraps a tactic for one search step: a Coq timeout, and <c>solve</c> for closers.</summary>
    public static string ForSearch(SearchTactic tactic, TimeSpan timeout)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return tactic.IsCloser ? $"timeout {seconds} (solve [{tactic.Text}])." : $"timeout {seconds} ({tactic.Text}).";
    }

    /// <summary>The sentence that goes into the final proof (no timeout: the final check has its own limit).</summary>
    public static string ForScript(SearchTactic tactic) =>
        tactic.IsCloser ? $"solve [{tactic.Text}]." : $"{tactic.Text}.";

    private static IEnumerable<string> Variables(Goal goal, string type) =>
        goal.Hypotheses.Where(h => h.Type.Trim() == type && h.Body is null).SelectMany(h => h.Names).Where(n => IdentifierOnly().IsMatch(n));

    private static GoalDomain TypeDomain(string type) => type.Trim() switch
    {
        "R" => GoalDomain.Real,
        "Z" => GoalDomain.Integer,
        "nat" => GoalDomain.Natural,
        "C" => GoalDomain.Complex | GoalDomain.Real,
        var t when t.EndsWith("-> R", StringComparison.Ordinal) => GoalDomain.Real,
        var t when t.EndsWith("-> Z", StringComparison.Ordinal) => GoalDomain.Integer,
        var t when t.EndsWith("-> nat", StringComparison.Ordinal) => GoalDomain.Natural,
        _ => GoalDomain.None,
    };

    /// <summary>True when <paramref name="op"/> occurs outside every parenthesis of <paramref name="text"/> (and the text is not a quantifier).</summary>
    internal static bool TopLevel(string text, string op) =>
        TopLevelIndices(text, op).Any() &&
        !text.TrimStart().StartsWith("forall", StringComparison.Ordinal) && !text.TrimStart().StartsWith("exists", StringComparison.Ordinal);

    /// <summary>Where <paramref name="op"/> occurs outside every parenthesis, bracket and brace of <paramref name="text"/>, in order.</summary>
    internal static IEnumerable<int> TopLevelIndices(string text, string op)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (depth == 0 && string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
            {
                yield return i;
            }
        }
    }

    [GeneratedRegex(@"\b(sqrt|Rabs|PI|sin|cos|exp|ln|Rpower|INR|IZR|Rsqr|Rmax|Rmin)\b|²|\d+\.\d+|%R")]
    private static partial Regex RealWords();

    [GeneratedRegex(@"^\s*([A-Za-z_][\w']*)\s*=|=\s*([A-Za-z_][\w']*)\s*$")]
    private static partial Regex EquationOnVariable();

    [GeneratedRegex(@"^\s*forall\s+\(?\s*[A-Za-z_][\w']*\s*:\s*nat\s*\)?\s*,")]
    private static partial Regex NatForall();

    [GeneratedRegex(@"^\s*forall\s+\(?\s*[A-Za-z_][\w']*\s*:\s*(?<type>R|Z|nat)\s*\)?\s*,")]
    private static partial Regex NumericForall();

    [GeneratedRegex(@"^\s*forall\s+\(?\s*(?<x>[A-Za-z_][\w']*)\s*:\s*(?<type>R|Z|nat)\s*\)?\s*,.*->\s*(?<f>[A-Za-z_][\w']*)\s+\k<x>\s*=", RegexOptions.Singleline)]
    private static partial Regex ConditionalLaw();

    // Numerals, not exponents (x ^ 2).
    [GeneratedRegex(@"(?<![\w.])(?<!\^\s*)\d{1,3}(?![\w.])")]
    private static partial Regex Numeral();

    [GeneratedRegex(@"^\s*sqrt\b.*=")]
    private static partial Regex SqrtEquation();

    [GeneratedRegex(@"^\s*Nat\.gcd\s+([A-Za-z_][\w']*|\d+)\s+([A-Za-z_][\w']*|\d+)\s*=\s*\d+\s*$")]
    private static partial Regex GcdValue();

    [GeneratedRegex(@"^exists\s+\(?\s*[A-Za-z_][\w']*\s*(:\s*(?<type>[^,()]+?))?\)?\s*,")]
    private static partial Regex ExistentialGoal();

    [GeneratedRegex(@"^[A-Za-z_][\w']*$")]
    private static partial Regex IdentifierOnly();

    // 1 <= a <= 9 and 0 <= n < 101: a conjunction under the notation, which the text of the hypothesis does not show.
    [GeneratedRegex(@"^[^<>]*<=?[^<>]*<=?[^<>]*$")]
    private static partial Regex ChainedComparison();

    // Nat.divide a b, Z.divide a b, (a | b)%Z.
    [GeneratedRegex(@"^\s*((Nat|Z)\.divide\b|\(\s*[^|()]+\|[^|()]+\)(%Z)?\s*$)")]
    private static partial Regex Divisibility();

    // (a | b), the notation of Z.divide.
    [GeneratedRegex(@"\(\s*[^|()\[\]]+\|[^|()\[\]]+\)")]
    private static partial Regex IntegerDivisibility();
}
