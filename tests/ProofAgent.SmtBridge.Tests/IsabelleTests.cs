using System.Text.Json;
using ProofAgent.Grammars;
using ProofAgent.Provers;
using Xunit;
using static ProofAgent.SmtBridge.Tests.Z3;

namespace ProofAgent.SmtBridge.Tests;

/// <summary>
/// Isabelle/HOL's arithmetic, each corner case checked against the value Z3 computes: the statement pins its inputs
/// with assumptions, and <c>r</c> (bound by an assumption to the expression) is read back from Z3's model.
/// </summary>
public sealed class IsabelleTests
{
    private static Task<string> ValueAsync(string fixes, string assumptions, string expression) =>
        EvaluateAsync(Translate(ProofLanguage.Isabelle, $"theorem t:\n  fixes {fixes}\n  assumes {assumptions}\n    and hr: \"r = {expression}\"\n  shows \"True\""));

    [RequiresToolsTheory("z3")]
    [InlineData("a b r :: nat", "\"a = 5\" and \"b = 7\"", "a - b", "0")]
    [InlineData("a b r :: nat", "\"a = 7\" and \"b = 0\"", "a div b", "0")]
    [InlineData("a b r :: nat", "\"a = 7\" and \"b = 0\"", "a mod b", "7")]
    [InlineData("a b r :: int", "\"a = -7\" and \"b = 2\"", "a div b", "(- 4)")]
    [InlineData("a b r :: int", "\"a = -7\" and \"b = 2\"", "a mod b", "1")]
    [InlineData("a b r :: int", "\"a = 7\" and \"b = -2\"", "a div b", "(- 4)")]
    [InlineData("a b r :: int", "\"a = 7\" and \"b = -2\"", "a mod b", "(- 1)")]
    [InlineData("a b r :: int", "\"a = -7\" and \"b = -2\"", "a div b", "3")]
    [InlineData("a b r :: int", "\"a = -7\" and \"b = -2\"", "a mod b", "(- 1)")]
    [InlineData("a b r :: int", "\"a = 7\" and \"b = 0\"", "a div b", "0")]
    [InlineData("a b r :: int", "\"a = -7\" and \"b = 0\"", "a mod b", "(- 7)")]
    [InlineData("a r :: int", "\"a = 0\"", "(-7) div (-2)", "3")]
    [InlineData("a r :: int", "\"a = 0\"", "(-7) mod (-2)", "(- 1)")]
    [InlineData("a r :: int", "\"a = 0\"", "7 mod (-2)", "(- 1)")]
    [InlineData("a r :: int", "\"a = 0\"", "(-7) div 2", "(- 4)")]
    [InlineData("x r :: real", "\"x = 3\"", "x / 0", "0.0")]
    [InlineData("x r :: real", "\"x = 0\"", "inverse x", "0.0")]
    [InlineData("x r :: rat", "\"x = 3\"", "x / 0", "0.0")]
    [InlineData("x r :: real", "\"x = -4\"", "sqrt x", "(- 2.0)")]
    [InlineData("x r :: real", "\"x = 9\"", "sqrt x", "3.0")]
    [InlineData("x r :: real", "\"x = 0\"", "sqrt (-9)", "(- 3.0)")]
    [InlineData("x r :: real", "\"x = -4\"", "\\<bar>x\\<bar>", "4.0")]
    [InlineData("n :: nat and r :: real", "\"n = 3\"", "real n / 2", "(/ 3.0 2.0)")]
    [InlineData("n :: nat and r :: real", "\"n = 3\"", "real (n div 2)", "1.0")]
    [InlineData("n m :: nat and r :: int", "\"n = 3\" and \"m = 5\"", "int (n - m)", "0")]
    [InlineData("n m :: nat and r :: int", "\"n = 3\" and \"m = 5\"", "int n - int m", "(- 2)")]
    [InlineData("a :: int and r :: nat", "\"a = -5\"", "nat a", "0")]
    [InlineData("a :: int and r :: nat", "\"a = 5\"", "nat a", "5")]
    [InlineData("a :: int and r :: real", "\"a = -3\"", "of_int a / 2", "(- (/ 3.0 2.0))")]
    [InlineData("n :: nat and r :: int", "\"n = 3\"", "of_nat n - 5", "(- 2)")]
    [InlineData("a r :: int", "\"a = -2\"", "a ^ 3", "(- 8)")]
    [InlineData("n r :: nat", "\"n = 3\"", "Suc n", "4")]
    public async Task Isabelle_arithmetic_matches_HOL(string fixes, string assumptions, string expression, string expected) =>
        Assert.Equal(expected, await ValueAsync(fixes, assumptions, expression));

    [RequiresToolsFact("z3")]
    public async Task HOL_laws_are_valid_and_false_ones_get_counterexamples()
    {
        const ProofLanguage I = ProofLanguage.Isabelle;
        await AssertValidAsync(I, "theorem t: fixes x :: real shows \"x / 0 = 0\"");
        await AssertValidAsync(I, "theorem t: fixes x :: real shows \"sqrt (- x) = - sqrt x\"");
        await AssertValidAsync(I, "theorem t: fixes x :: real assumes \"x < 0\" shows \"sqrt x < 0\"");
        await AssertValidAsync(I, "theorem t: fixes a b :: int shows \"a = b * (a div b) + a mod b\"");
        await AssertValidAsync(I, "theorem t: fixes a b :: int assumes \"b < 0\" shows \"a mod b \\<le> 0 \\<and> a mod b > b\"");
        await AssertValidAsync(I, "theorem t: fixes n :: nat shows \"n - (n + 1) = 0\"");
        await AssertValidAsync(I, "theorem t: shows \"\\<forall>x::real. x \\<ge> 0 \\<longrightarrow> sqrt x * sqrt x = x\"");
        await AssertCounterexampleAsync(I, "theorem t: fixes n m :: nat shows \"n - m + m = n\"");
        await AssertCounterexampleAsync(I, "theorem t: fixes x :: real shows \"sqrt x \\<ge> 0\"");
        var model = await AssertCounterexampleAsync(I, "theorem t: fixes a :: int assumes \"a < 0\" shows \"nat a > 0\"");
        Assert.StartsWith("(-", model.Model["a"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("theorem t: fixes n :: nat and x :: real shows \"x = n\"", "mixed types")]
    [InlineData("theorem t: fixes z :: complex shows \"z = z\"", "ℂ")]
    [InlineData("theorem t: fixes S :: \"nat set\" shows \"card S = 3\"", "set")]
    [InlineData("theorem t: fixes n :: nat shows \"fib n > 0\"", "Isabelle function fib")]
    [InlineData("theorem t: shows \"2 + 2 = 4\"", "unconstrained type")]
    [InlineData("theorem t: fixes a b :: int shows \"a / b = a div b\"", "'/' on ℤ")]
    [InlineData("theorem t: fixes x :: real shows \"x powr 2 = x * x\"", "powr")]
    public void Statements_outside_the_exact_fragment_are_not_translated(string statement, string reason)
    {
        var translation = SmtTranslator.Translate(StatementParser.Parse(ProofLanguage.Isabelle, statement));
        var not = Assert.IsType<SmtTranslation.NotTranslated>(translation);
        Assert.Contains(reason, not.Reason, StringComparison.Ordinal);
    }

    [RequiresFact(true, "z3", "cvc5")]
    public async Task Sample_of_miniF2F_Isabelle_is_settled_as_expected()
    {
        var statements = File.ReadLines(Path.Combine(SharedData.Directory!, "minif2f", "minif2f_isabelle.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("formal_statement").GetString()!, StringComparer.Ordinal);
        var triage = new StatementTriage(Solver, Cvc5);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["aime_1983_p2"] = "valid",
            ["aime_1987_p5"] = "valid",
            ["aime_1990_p4"] = "valid",
            ["mathd_numbertheory_780"] = "counterexample", // x - 6^2 truncates on nat: m = 17, x = 3
            ["aime_1983_p1"] = "untranslated", // ln of a nat: Isabelle inserts a coercion
            ["aime_1988_p8"] = "untranslated", // f x x = x with f : nat ⇒ nat ⇒ real
        };
        foreach (var (name, answer) in expected)
        {
            var outcome = await triage.TriageAsync(name, "test", ProofLanguage.Isabelle, statements[name], TimeSpan.FromSeconds(10));
            Assert.True(answer == outcome.Answer, $"{name}: expected {answer}, got {outcome.Answer} ({outcome.Reason})");
            if (answer == "counterexample")
            {
                Assert.True(outcome.ModelChecked == true, $"{name}: cvc5 did not confirm the model ({outcome.ModelChecked})");
                var m = int.Parse(outcome.Model!["m"], System.Globalization.CultureInfo.InvariantCulture);
                var x = int.Parse(outcome.Model["x"], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(m is >= 10 and <= 99 && 6 * x % m == 1 && Math.Max(x - 36, 0) % m == 0 && m != 43, $"{name}: m = {m}, x = {x} is not a counterexample");
            }
        }
    }
}
