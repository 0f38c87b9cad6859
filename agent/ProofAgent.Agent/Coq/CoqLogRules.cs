using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ProofAgent.Agent.Coq;

/// <summary>
/// Transforms for real powers, logarithms and roots: the move a person makes on <c>Rpower</c>/<c>ln</c>/<c>exp</c>
/// problems is to take logarithms, expand them with the log laws, and write every numeral as a product of prime powers,
/// so that <c>ln 80</c> and <c>ln 40</c> become <c>4 * ln 2 + ln 5</c> and <c>3 * ln 2 + ln 5</c>: what is left is
/// field arithmetic over the atoms <c>ln p</c>, whose signs the rule records.
/// </summary>
public static partial class CoqTactics
{
    /// <summary>Closes <c>0 &lt; t</c> for products, quotients, inverses, powers and exponentials of positive terms.</summary>
    internal const string Positivity =
        "solve [repeat (first [lra | progress unfold Rpower | apply exp_pos | apply Rmult_lt_0_compat | apply Rdiv_lt_0_compat | apply Rinv_0_lt_compat | apply pow_lt])]";

    /// <summary>The log laws, rewritten wherever they apply and their positivity conditions hold (Coq has no <c>ln_div</c>: it is derived).</summary>
    internal const string LogLaws =
        "repeat match goal with " +
        "| |- context [ln (?a * ?b)] => rewrite (ln_mult a b) by " + Positivity + " " +
        "| H : context [ln (?a * ?b)] |- _ => rewrite (ln_mult a b) in H by " + Positivity + " " +
        "| |- context [ln (?a / ?b)] => replace (ln (a / b)) with (ln a - ln b) by (unfold Rdiv; rewrite ln_mult by " + Positivity + "; rewrite ln_Rinv by " + Positivity + "; ring) " +
        "| H : context [ln (?a / ?b)] |- _ => replace (ln (a / b)) with (ln a - ln b) in H by (unfold Rdiv; rewrite ln_mult by " + Positivity + "; rewrite ln_Rinv by " + Positivity + "; ring) " +
        "| |- context [ln (?a ^ ?n)] => rewrite (ln_pow a) by " + Positivity + " " +
        "| H : context [ln (?a ^ ?n)] |- _ => rewrite (ln_pow a) in H by " + Positivity + " " +
        "| |- context [ln (/ ?a)] => rewrite (ln_Rinv a) by " + Positivity + " " +
        "| H : context [ln (/ ?a)] |- _ => rewrite (ln_Rinv a) in H by " + Positivity + " " +
        "| |- context [ln (Rpower ?a ?b)] => rewrite (ln_Rpower a b) " +
        "| H : context [ln (Rpower ?a ?b)] |- _ => rewrite (ln_Rpower a b) in H " +
        "| |- context [ln (exp ?a)] => rewrite (ln_exp a) " +
        "| H : context [ln (exp ?a)] |- _ => rewrite (ln_exp a) in H " +
        "| |- context [ln 1] => rewrite ln_1 " +
        "| H : context [ln 1] |- _ => rewrite ln_1 in H " +
        "end";

    /// <summary><c>0 &lt; ln t</c> for every logarithm in sight whose argument is above 1 (what field and lra need about the atoms).</summary>
    internal const string LogSigns =
        "repeat match goal with " +
        "| |- context [ln ?t] => assert_fails (assert (0 < ln t) by assumption); assert (0 < ln t) by (rewrite <- ln_1; apply ln_increasing; lra) " +
        "| H : context [ln ?t] |- _ => assert_fails (assert (0 < ln t) by assumption); assert (0 < ln t) by (rewrite <- ln_1; apply ln_increasing; lra) " +
        "end";

    /// <summary>Equations with a power or an exponential on a side that is not a bare variable: take logarithms of both sides.</summary>
    private static IEnumerable<SearchTactic> LogarithmsOfHypotheses(GoalView g)
    {
        if (!g.IsReal)
        {
            return [];
        }

        var names = g.Hypotheses
            .Where(h => h.Body is null && TopLevel(h.Type, "=") && !TopLevel(h.Type, "<>") && ExponentialWord().IsMatch(h.Type) && !VariableSide().IsMatch(h.Type))
            .Select(h => h.Names[0])
            .ToList();
        return names.Count == 0 ? [] : [Lossy(string.Join("; ", names.Select(n => $"apply (f_equal ln) in {n}")))];
    }

    /// <summary>
    /// An equation between powers or exponentials proved through logarithms: <c>ln</c> is injective on the positive
    /// reals, so once both sides are shown positive the step is invertible, and the log laws apply to what is left.
    /// </summary>
    private static IEnumerable<SearchTactic> LogarithmOfGoal(GoalView g)
    {
        var c = g.Conclusion;
        return g.IsReal && IsEquation(c) && ExponentialWord().IsMatch(c)
            ? [Invertible($"apply ln_inv; [{Positivity} | {Positivity} | ]")]
            : [];
    }

    /// <summary>
    /// A real equation with square roots squared: both sides shown non-negative (so the step is invertible), then every
    /// <c>sqrt t</c> squared to <c>t</c> where <c>0 &lt;= t</c> follows, which leaves a polynomial identity.
    /// </summary>
    private static IEnumerable<SearchTactic> SquareBothSides(GoalView g)
    {
        var c = g.Conclusion;
        return g.IsReal && IsEquation(c) && SqrtWord().IsMatch(c)
            ? [Invertible($"apply Rsqr_inj; [{NonNegativity} | {NonNegativity} | rewrite ?Rsqr_mult, ?Rsqr_div', ?Rsqr_sqrt by (first [lra | nra]); unfold Rsqr]")]
            : [];
    }

    /// <summary>An equation at the top (not <c>&lt;=</c>, <c>&gt;=</c>, <c>&lt;&gt;</c>, nor under an implication).</summary>
    private static bool IsEquation(string c) =>
        TopLevel(c, "=") && !TopLevel(c, "<=") && !TopLevel(c, ">=") && !TopLevel(c, "<>") && !TopLevel(c, "->");

    /// <summary>Closes <c>0 &lt;= t</c> for sums, products and quotients of square roots and non-negative terms.</summary>
    internal const string NonNegativity =
        "solve [repeat (first [lra | nra | apply sqrt_pos | apply Rmult_le_pos | apply Rplus_le_le_0_compat | apply Rdiv_le_0_compat | apply pow_le])]";

    /// <summary>
    /// Logarithms expanded: each <c>ln N</c> of a composite numeral written as the logarithm of its prime factorisation,
    /// the log laws, <c>INR</c> of numerals computed, and the signs of the logarithms recorded.
    /// </summary>
    private static IEnumerable<SearchTactic> ExpandLogarithms(GoalView g)
    {
        if (!g.IsReal || !LogWord().IsMatch(g.All))
        {
            yield break;
        }

        // The laws first: ln (Rpower 4 a) shows its numeral (a * ln 4) only once they have run; then again on the factorisations.
        var steps = new List<string> { LogLaws };
        // The numerals under a logarithm now, and (a few) of those anywhere under Rpower or ln, which the laws bring out:
        // ln (Rpower (16 * Rpower 64 (1/3)) (1/3)) shows ln 16 and ln 64 only after them.
        var numerals = LogOfNumeral().Matches(g.All).Concat(RpowerBase().Matches(g.All)).Select(m => m.Groups["n"].Value)
            .Concat(ExponentialWord().IsMatch(g.All) ? InnerNumeral().Matches(g.All).Select(m => m.Value).Distinct(StringComparer.Ordinal).Where(n => PrimeFactorisation(n) is not null).Take(8) : [])
            .Distinct(StringComparer.Ordinal);
        foreach (var value in numerals)
        {
            if (PrimeFactorisation(value) is { } factors)
            {
                steps.Add($"try (replace (ln {value}) with (ln ({factors})) in * by (f_equal; lra))");
            }
        }

        steps.Add(LogLaws);
        steps.Add("simpl INR in *");
        steps.Add(LogSigns);
        yield return Invertible(string.Join("; ", steps));
    }

    /// <summary>
    /// Roots of numerals that are exact: <c>sqrt 1000000</c> is 1000, <c>Rpower 1000000 (1/3)</c> is 100 (checked through
    /// logarithms of the prime factorisation).
    /// </summary>
    private static IEnumerable<SearchTactic> EvaluateRoots(GoalView g)
    {
        if (!g.IsReal)
        {
            yield break;
        }

        var steps = new List<string>();
        foreach (var value in SqrtOfNumeral().Matches(g.All).Select(m => m.Groups["n"].Value).Distinct(StringComparer.Ordinal))
        {
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && ExactRoot(n, 2) is { } root and > 1)
            {
                steps.Add($"replace (sqrt {value}) with {root.ToString(CultureInfo.InvariantCulture)} in * by (symmetry; apply sqrt_lem_1; lra)");
            }
        }

        foreach (Match match in RpowerOfNumeral().Matches(g.All))
        {
            var (value, p, q) = (match.Groups["n"].Value, match.Groups["p"].Value, match.Groups["q"].Value);
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ||
                !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var numerator) ||
                !int.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out var denominator) ||
                denominator is < 2 or > 12 || numerator is < 1 or > 12 ||
                ExactRoot(n, denominator) is not { } root || root < 2)
            {
                continue;
            }

            var result = Power(root, numerator);
            if (result is null)
            {
                continue;
            }

            var rootText = root.ToString(CultureInfo.InvariantCulture);
            var term = $"Rpower {value} ({p} / {q})";
            steps.Add(
                $"replace ({term}) with {result.Value.ToString(CultureInfo.InvariantCulture)} in * by " +
                $"(symmetry; apply ln_inv; [{Positivity} | {Positivity} | rewrite ln_Rpower; " +
                $"replace (ln {value}) with (ln ({rootText} ^ {q})) by (f_equal; lra); " +
                $"replace (ln {result.Value.ToString(CultureInfo.InvariantCulture)}) with (ln ({rootText} ^ {p})) by (f_equal; lra); " +
                "rewrite !ln_pow by lra; simpl INR; field])");
        }

        if (steps.Count > 0)
        {
            yield return Invertible(string.Join("; ", steps.Distinct(StringComparer.Ordinal)));
        }
    }

    /// <summary>The prime factorisation as Coq text (<c>2 ^ 4 * 5</c>), or null for a prime, 0, 1 or a numeral too large to factor quickly.</summary>
    internal static string? PrimeFactorisation(string numeral)
    {
        if (!long.TryParse(numeral, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 4 || n > 1_000_000_000_000L)
        {
            return null;
        }

        var factors = new List<(long Prime, int Exponent)>();
        for (long d = 2; d * d <= n; d++)
        {
            var e = 0;
            while (n % d == 0)
            {
                n /= d;
                e++;
            }

            if (e > 0)
            {
                factors.Add((d, e));
            }
        }

        if (n > 1)
        {
            factors.Add((n, 1));
        }

        if (factors.Count == 1 && factors[0].Exponent == 1)
        {
            return null; // a prime: nothing to expand
        }

        var text = new StringBuilder();
        foreach (var (prime, exponent) in factors)
        {
            if (text.Length > 0)
            {
                text.Append(" * ");
            }

            text.Append(prime.ToString(CultureInfo.InvariantCulture));
            if (exponent > 1)
            {
                text.Append(" ^ ").Append(exponent.ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>The integer k-th root of <paramref name="n"/> when it is exact; null otherwise.</summary>
    internal static long? ExactRoot(long n, int k)
    {
        if (n < 0)
        {
            return null;
        }

        var guess = (long)Math.Round(Math.Pow(n, 1.0 / k));
        for (var candidate = Math.Max(0, guess - 1); candidate <= guess + 1; candidate++)
        {
            if (Power(candidate, k) == n)
            {
                return candidate;
            }
        }

        return null;
    }

    private static long? Power(long b, int e)
    {
        long result = 1;
        for (var i = 0; i < e; i++)
        {
            if (b != 0 && result > long.MaxValue / Math.Abs(b))
            {
                return null;
            }

            result *= b;
        }

        return result;
    }

    [GeneratedRegex(@"\b(Rpower|exp)\b")]
    private static partial Regex ExponentialWord();

    [GeneratedRegex(@"\bln\b")]
    private static partial Regex LogWord();

    [GeneratedRegex(@"\bsqrt\b")]
    private static partial Regex SqrtWord();

    // Numerals of up to 7 digits, not exponents (8 ^ 2), not decimals.
    [GeneratedRegex(@"(?<![\w.])(?<!\^\s*)\d{1,7}(?![\w.])")]
    private static partial Regex InnerNumeral();

    // An equation one of whose sides is a bare identifier (p = Rpower 2 m): substitution, not logarithms, is the move.
    [GeneratedRegex(@"^\s*[A-Za-z_][\w']*\s*=|=\s*[A-Za-z_][\w']*\s*$")]
    private static partial Regex VariableSide();

    // ln 80, ln (80), ln (IZR 80); not ln (8 ^ 2) or ln (80 * x), whose numeral is not the argument.
    [GeneratedRegex(@"\bln\s+(?<n>\d+)\b(?!\.)|\bln\s+\(\s*(IZR\s+)?(?<n>\d+)\s*\)")]
    private static partial Regex LogOfNumeral();

    // Rpower 4 a: ln of it is a * ln 4.
    [GeneratedRegex(@"\bRpower\s+(?<n>\d+)\b(?!\.)")]
    private static partial Regex RpowerBase();

    [GeneratedRegex(@"\bsqrt\s+(?<n>\d+)\b(?!\.)|\bsqrt\s+\(\s*(IZR\s+)?(?<n>\d+)\s*\)")]
    private static partial Regex SqrtOfNumeral();

    [GeneratedRegex(@"\bRpower\s+(?<n>\d+)\s+\(\s*(?<p>\d+)\s*/\s*(?<q>\d+)\s*\)")]
    private static partial Regex RpowerOfNumeral();
}
