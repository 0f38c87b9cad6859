using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ProofAgent.Provers;

namespace ProofAgent.Agent.Coq;

/// <summary>
/// Transforms for bounded naturals and integers (Lean's <c>interval_cases</c>): a variable the hypotheses bound is split
/// into its finitely many values, each case closed by <c>lia</c> where it can be; proof by contradiction on order goals
/// (the negated goal is a bound); large <c>nat</c> numerals, which Coq keeps as <c>Nat.of_num_uint</c> applications
/// that <c>lia</c> cannot read, named with their value in <c>Z</c>.
/// </summary>
public static partial class CoqTactics
{
    /// <summary>The most cases one split may make: the step runs under the tactic timeout, and every case is a goal.</summary>
    internal const int MaxCases = 120;

    /// <summary>The most cases of a split whose bound lia is asked to find (each alternative it tries costs a lia call).</summary>
    internal const int MaxLinearCases = 40;

    /// <summary>
    /// The most cases of a split on a bound guessed from the numerals and proved by <c>nia</c> (<c>m * k = 112</c> gives
    /// <c>m &lt;= 112</c>, the numeral itself): a split's proof term grows with the cases, and the gate's recursion audit
    /// prints it in full. Measured with <c>agent check --statement</c> on miniF2F proofs (Coq 8.16, quiet 2-core machine):
    /// 72 cases 15.2 s and 81 cases 24.7 s where <c>coqc</c> takes 1.9 s; 113 cases ran the audit out of its 4 GiB after
    /// 35.6 s. Past a 20 s budget such a proof cannot count, and a tighter bound (on the witness of a divisibility, or
    /// once the goal is negated) is often one step away.
    /// </summary>
    internal const int MaxGuessedCases = 60;

    /// <summary>
    /// Every <c>nat</c> numeral at or above 5000 (kept by Coq as <c>Nat.of_num_uint</c>) becomes a variable with its
    /// value in <c>Z</c>, which <c>lia</c>'s Zify translation reads; the unary value is never built.
    /// </summary>
    internal const string NameLargeNumerals =
        "repeat match goal with " +
        "| H : context [Init.Nat.of_num_uint ?x] |- _ => let v := eval vm_compute in (BinInt.Z.of_nat (Init.Nat.of_num_uint x)) in let N := fresh \"N\" in set (N := Init.Nat.of_num_uint x) in *; assert (BinInt.Z.of_nat N = v) by (vm_compute; reflexivity); clearbody N " +
        "| |- context [Init.Nat.of_num_uint ?x] => let v := eval vm_compute in (BinInt.Z.of_nat (Init.Nat.of_num_uint x)) in let N := fresh \"N\" in set (N := Init.Nat.of_num_uint x) in *; assert (BinInt.Z.of_nat N = v) by (vm_compute; reflexivity); clearbody N " +
        "end";

    /// <summary>True when the goal shows a large <c>nat</c> numeral that <c>lia</c> cannot read.</summary>
    internal static bool HasLargeNatNumerals(Goal goal) =>
        goal.Conclusion.Contains("of_num_uint", StringComparison.Ordinal) || goal.Hypotheses.Any(h => h.Type.Contains("of_num_uint", StringComparison.Ordinal));

    /// <summary>
    /// Case splits on a bounded variable: a <c>nat</c> bounded above by a hypothesis (<c>a &lt;= 9</c>, <c>~ 64 &lt;= n</c>)
    /// or, failing that, by <c>lia</c> (the smallest bound over all variables) or <c>nia</c> from the hypotheses' numerals
    /// (<c>n ^ 2 + ... = 12296</c> gives <c>n &lt;= 110</c>);
    /// a <c>Z</c> bounded on both sides by hypotheses. Each case is closed by <c>lia</c> where it can be.
    /// </summary>
    private static IEnumerable<SearchTactic> BoundedCases(GoalView g)
    {
        if (g.IsReal || !(g.Domain.HasFlag(GoalDomain.Natural) || g.Domain.HasFlag(GoalDomain.Integer)))
        {
            yield break;
        }

        // The numerals of the hypotheses, for bounds that no hypothesis states.
        var numerals = g.Hypotheses
            .Where(h => h.Body is null)
            .SelectMany(h => BoundNumeral().Matches(h.Type).Select(m => m.Value))
            .Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Where(n => n > 1)
            .Distinct()
            .ToList();
        var unbounded = new List<string>();
        var anyBound = false;
        foreach (var variable in VariablesOf(g, "nat"))
        {
            var bounds = UpperBounds(g, variable).ToList();
            if (bounds.Count > 0)
            {
                anyBound = true;
                var bound = bounds.Min();
                if (bound <= MaxCases)
                {
                    yield return Invertible($"{NatCases(variable, bound)}; try lia");
                }
            }
            else if (g.Hypotheses.Any(h => h.Body is null && Mentions(h.Type, variable) && Bounding(h.Type)))
            {
                unbounded.Add(variable);
            }
        }

        if (unbounded.Count > 0 && !anyBound)
        {
            // No bound in sight: one lia finds from a linear fact (k * 8 + n < 72 bounds k by 9, a quotient of the
            // numerals), the smallest over all the variables first: the witness of m = k * 8 has fewer cases than m.
            // A few dozen cases at most: lia runs on each, within one step's timeout.
            var linear = numerals
                .SelectMany(n => numerals.Where(d => d < n).Select(d => n / d).Append(n))
                .Where(n => n is >= 2 and <= MaxLinearCases)
                .Distinct()
                .Order()
                .Take(6)
                .ToList();
            var alternatives = linear.SelectMany(k => unbounded.Select(v => $"(assert ({v} <= {k.ToString(CultureInfo.InvariantCulture)}) by lia; {NatCases(v, (int)k)})")).ToList();
            if (alternatives.Count > 0)
            {
                yield return Invertible($"first [{string.Join(" | ", alternatives)}]; try lia");
            }
        }

        // A bound nia finds from a product or a power (n ^ 2 + ... = 12296 gives n <= 110): the numerals, their halves and
        // thirds (m * n = 91 with 1 < n gives m <= 45), and their roots.
        var candidates = numerals
            .SelectMany(n => new[] { n, n / 2, n / 3, IntegerRoot(n, 2), IntegerRoot(n, 3) })
            .Where(n => n is >= 2 and <= MaxGuessedCases)
            .Distinct()
            .Order()
            .Take(5)
            .ToList();
        foreach (var variable in unbounded.Where(v => candidates.Count > 0 && g.Hypotheses.Any(h => h.Body is null && Mentions(h.Type, v) && NonlinearIn(h.Type))))
        {
            var alternatives = candidates.Select(k => $"(assert ({variable} <= {k.ToString(CultureInfo.InvariantCulture)}) by nia; {NatCases(variable, (int)k)})");
            yield return Invertible($"first [{string.Join(" | ", alternatives)}]; try lia");
        }

        foreach (var variable in VariablesOf(g, "Z"))
        {
            if (IntegerRange(g, variable) is { } range && range.High - range.Low + 1 <= MaxCases && range.High >= range.Low)
            {
                var values = Enumerable.Range(0, (int)(range.High - range.Low + 1)).Select(i => range.Low + i).ToList();
                var disjunction = string.Join(" \\/ ", values.Select(v => $"{variable} = {ZLiteral(v)}"));
                yield return Invertible($"assert ({disjunction}) as Hcases by lia; destruct Hcases as [{NestPattern(values.Count)}]; try lia");
            }
        }
    }

    /// <summary>
    /// An order goal over <c>nat</c> or <c>Z</c> proved by contradiction: its negation becomes a hypothesis, a bound the
    /// case splits can use (<c>64 &lt;= n</c> from <c>n &lt; 64</c> and the facts). Decidability comes from <c>lia</c>.
    /// </summary>
    private static IEnumerable<SearchTactic> ByContradiction(GoalView g)
    {
        var c = g.Conclusion;
        var order = (TopLevel(c, "<") || TopLevel(c, ">")) && !TopLevel(c, "<>") && !TopLevel(c, "->") && !TopLevel(c, "/\\") && !TopLevel(c, "\\/");

        // 5 = k \/ 5 < k: a disjunction of comparisons is as decidable, and its negation bounds k as well.
        order = order || (TopLevel(c, "\\/") && !TopLevel(c, "->") && !TopLevel(c, "/\\") && !TopLevel(c, "<>") &&
            SplitTopLevel(c, "\\/").All(d => Comparison().IsMatch(d)));
        return !g.IsReal && (g.Domain.HasFlag(GoalDomain.Natural) || g.Domain.HasFlag(GoalDomain.Integer)) && order &&
            g.Hypotheses.Any(h => h.Body is null && Bounding(h.Type))
            ? [Invertible("apply Decidable.not_not; [unfold Decidable.decidable; lia | intro]")]
            : [];
    }

    /// <summary><c>destruct n as [|[|[| n]]]</c>: the cases 0 .. bound, and S^(bound+1) n (closed by lia against the bound).</summary>
    internal static string NatCases(string variable, int bound)
    {
        var pattern = new StringBuilder(variable);
        for (var i = 0; i <= bound; i++)
        {
            pattern.Insert(0, "[|").Append(']');
        }

        return $"destruct {variable} as {pattern}";
    }

    private static string NestPattern(int count)
    {
        // [-> | [-> | ->]] for three values.
        var text = "->";
        for (var i = 1; i < count; i++)
        {
            text = $"-> | [{text}]";
        }

        return text;
    }

    private static string ZLiteral(long value) => value < 0
        ? $"({value.ToString(CultureInfo.InvariantCulture)})%Z"
        : $"{value.ToString(CultureInfo.InvariantCulture)}%Z";

    /// <summary>Upper bounds of a natural variable written in the hypotheses: <c>x &lt;= 9</c>, <c>x &lt; 10</c>, <c>~ 64 &lt;= x</c>, ...</summary>
    private static IEnumerable<int> UpperBounds(GoalView g, string variable)
    {
        var name = Regex.Escape(variable);
        var patterns = new (Regex Pattern, int Shift)[]
        {
            (new Regex($@"^\s*{name}\s*<=\s*(?<n>\d+)\s*$"), 0),
            (new Regex($@"^\s*{name}\s*<\s*(?<n>\d+)\s*$"), -1),
            (new Regex($@"^\s*(?<n>\d+)\s*>=\s*{name}\s*$"), 0),
            (new Regex($@"^\s*(?<n>\d+)\s*>\s*{name}\s*$"), -1),
            (new Regex($@"^\s*~\s*\(?\s*(?<n>\d+)\s*<=\s*{name}\s*\)?\s*$"), -1),
            (new Regex($@"^\s*~\s*\(?\s*{name}\s*>=\s*(?<n>\d+)\s*\)?\s*$"), -1),
            (new Regex($@"^\s*~\s*\(?\s*(?<n>\d+)\s*<\s*{name}\s*\)?\s*$"), 0),
            (new Regex($@"^\s*~\s*\(?\s*{name}\s*>\s*(?<n>\d+)\s*\)?\s*$"), 0),
        };
        foreach (var type in g.Hypotheses.Where(h => h.Body is null).SelectMany(h => Comparisons(h.Type.Replace("%nat", string.Empty, StringComparison.Ordinal))))
        {
            foreach (var (pattern, shift) in patterns)
            {
                if (pattern.Match(type) is { Success: true } match && int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n + shift >= 0)
                {
                    yield return n + shift;
                }
            }
        }
    }

    /// <summary>Both bounds of an integer variable, from hypotheses <c>lo &lt;= x</c>, <c>x &lt;= hi</c> (strict ones too).</summary>
    private static (long Low, long High)? IntegerRange(GoalView g, string variable)
    {
        var name = Regex.Escape(variable);
        long? low = null, high = null;
        var number = @"\(?\s*(?<n>-?\d+)\s*\)?";
        var lowPatterns = new (Regex Pattern, int Shift)[]
        {
            (new Regex($@"^\s*{number}\s*<=\s*{name}\s*$"), 0),
            (new Regex($@"^\s*{number}\s*<\s*{name}\s*$"), 1),
            (new Regex($@"^\s*{name}\s*>=\s*{number}\s*$"), 0),
            (new Regex($@"^\s*{name}\s*>\s*{number}\s*$"), 1),
        };
        var highPatterns = new (Regex Pattern, int Shift)[]
        {
            (new Regex($@"^\s*{name}\s*<=\s*{number}\s*$"), 0),
            (new Regex($@"^\s*{name}\s*<\s*{number}\s*$"), -1),
            (new Regex($@"^\s*{number}\s*>=\s*{name}\s*$"), 0),
            (new Regex($@"^\s*{number}\s*>\s*{name}\s*$"), -1),
        };
        foreach (var type in g.Hypotheses.Where(h => h.Body is null).SelectMany(h => Comparisons(h.Type.Replace("%Z", string.Empty, StringComparison.Ordinal))))
        {
            foreach (var (pattern, shift) in lowPatterns)
            {
                if (pattern.Match(type) is { Success: true } match && long.TryParse(match.Groups["n"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                {
                    low = Math.Max(low ?? long.MinValue, n + shift);
                }
            }

            foreach (var (pattern, shift) in highPatterns)
            {
                if (pattern.Match(type) is { Success: true } match && long.TryParse(match.Groups["n"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                {
                    high = Math.Min(high ?? long.MaxValue, n + shift);
                }
            }
        }

        return low is { } l && high is { } h ? (l, h) : null;
    }

    /// <summary>
    /// The comparisons a hypothesis states: its conjuncts (<c>a &lt;= 9 /\ 1 &lt;= a</c>), and the links of a chain
    /// (<c>1 &lt;= a &lt;= 9</c> is <c>1 &lt;= a</c> and <c>a &lt;= 9</c>); a hypothesis with neither is one comparison.
    /// </summary>
    internal static IEnumerable<string> Comparisons(string type)
    {
        var text = type.Trim();
        if (EnclosedInParentheses(text))
        {
            text = text[1..^1];
        }

        var conjuncts = TopLevel(text, "/\\") ? SplitTopLevel(text, "/\\") : [text];
        foreach (var conjunct in conjuncts)
        {
            var links = ChainLink().Split(conjunct);
            if (links.Length == 5 && !conjunct.Contains("->", StringComparison.Ordinal))
            {
                // [a, op, b, op, c]: Split keeps the captured operators.
                yield return $"{links[0].Trim()} {links[1]} {links[2].Trim()}";
                yield return $"{links[2].Trim()} {links[3]} {links[4].Trim()}";
            }
            else
            {
                yield return conjunct.Trim();
            }
        }
    }

    private static bool EnclosedInParentheses(string text)
    {
        if (!text.StartsWith('(') || !text.EndsWith(')'))
        {
            return false;
        }

        var depth = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return false; // (a) + (b): the first parenthesis closes before the end
            }
        }

        return true;
    }

    private static List<string> SplitTopLevel(string text, string op)
    {
        var parts = new List<string>();
        var start = 0;
        foreach (var i in CoqTactics.TopLevelIndices(text, op))
        {
            if (i >= start)
            {
                parts.Add(text[start..i]);
                start = i + op.Length;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    /// <summary>The variables of a type, except those a hypothesis already gives a value (<c>Z.of_nat N = 12296%Z</c>, <c>x = 3</c>).</summary>
    private static IEnumerable<string> VariablesOf(GoalView g, string type) =>
        g.Hypotheses.Where(h => h.Body is null && h.Type.Trim() == type).SelectMany(h => h.Names).Where(n => IdentifierOnly().IsMatch(n))
            .Where(n => !g.Hypotheses.Any(h => Regex.IsMatch(h.Type, $@"^\s*(BinInt\.)?(Z\.of_nat\s+)?{Regex.Escape(n)}\s*=\s*-?\d+(%\w+)?\s*$")))
            .Take(4);

    private static bool Mentions(string text, string variable) =>
        Regex.IsMatch(text, $@"(?<![\w']){Regex.Escape(variable)}(?![\w'])");

    private static bool NonlinearIn(string text) =>
        text.Contains('^', StringComparison.Ordinal) || VariableProduct().IsMatch(text);

    /// <summary>
    /// A hypothesis that may bound a variable once the goal is negated: a product or a power (<c>m * n = 91</c>), or a
    /// multiple or remainder (<c>(k * 1342) mod 13 &lt; 3</c>), whose cases lia alone does not enumerate.
    /// </summary>
    private static bool Bounding(string text) =>
        NonlinearIn(text) || text.Contains('*', StringComparison.Ordinal) || text.Contains(" mod ", StringComparison.Ordinal);

    /// <summary>
    /// A <c>nat</c> or <c>Z</c> equation whose facts are real (<c>IZR (Z.of_nat x) * 1.04 = 598 |- x = 575</c>): the
    /// injection of the number line into R turns it into a real equation lra solves. Invertible: INR and IZR are injective.
    /// </summary>
    private static IEnumerable<SearchTactic> EquationThroughReals(GoalView g)
    {
        if (!g.IsReal || SimpleEquation().Match(g.Conclusion) is not { Success: true } equation)
        {
            yield break;
        }

        var sides = new[] { equation.Groups["l"].Value, equation.Groups["r"].Value };
        var naturals = VariablesOf(g, "nat").ToHashSet(StringComparer.Ordinal);
        var integers = VariablesOf(g, "Z").ToHashSet(StringComparer.Ordinal);
        var numerals = sides.Where(s => s.All(char.IsAsciiDigit) && s.Length <= 6).ToList();
        if (sides.Any(naturals.Contains))
        {
            // INR N would be a sum of N ones; IZR of the numeral is the real numeral lra reads.
            var change = string.Concat(numerals.Select(n => $"; change (Z.of_nat {n}) with {n}%Z"));
            yield return Invertible($"apply INR_eq; rewrite ?INR_IZR_INZ in *{change}");
        }
        else if (sides.Any(integers.Contains))
        {
            yield return Invertible("apply eq_IZR");
        }
    }

    /// <summary>The floor of the k-th root of <paramref name="n"/> (n at most 10^7).</summary>
    internal static long IntegerRoot(long n, int k)
    {
        var root = Math.Max(0, (long)Math.Floor(Math.Pow(n, 1.0 / k)) - 1);
        while (Power(root + 1, k) is { } next && next <= n)
        {
            root++;
        }

        return root;
    }

    // Numerals of up to 7 digits, not exponents (n ^ 2).
    [GeneratedRegex(@"(?<![\w.])(?<!\^\s*)\d{1,7}(?![\w.])")]
    private static partial Regex BoundNumeral();

    // x = 575, x = y (the scope suffix of a nat or Z equation too).
    [GeneratedRegex(@"^\(?\s*(?<l>[A-Za-z_][\w']*|\d+)\s*=\s*(?<r>[A-Za-z_][\w']*|\d+)\s*\)?(%(nat|Z))?\s*$")]
    private static partial Regex SimpleEquation();

    // An order operator of a chain (<= or <, not <> or <-), captured so that Split keeps it.
    [GeneratedRegex(@"(<=|<(?![>=-]))")]
    private static partial Regex ChainLink();

    // One comparison of two arithmetic terms (5 = k, n + 1 < 2 * m): no connective, no quantifier, no parenthesis.
    [GeneratedRegex(@"^\s*[\w\s+*\-]+(=|<=|<|>=|>)[\w\s+*\-]+$")]
    private static partial Regex Comparison();

    [GeneratedRegex(@"[A-Za-z_][\w']*\)?\s*\*\s*\(?[A-Za-z_]")]
    private static partial Regex VariableProduct();
}
