using System.Diagnostics;
using ProofAgent.Provers;
using Xunit;

namespace ProofAgent.Grammars.Tests;

/// <summary>Bad input is rejected with a line, a column and what was expected; deep input is rejected, never a stack overflow.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void Syntax_error_names_line_column_and_expected_tokens()
    {
        var error = Assert.Throws<StatementSyntaxException>(() => StatementParser.Parse(ProofLanguage.Lean4, "theorem t (x : ℝ) :\n  x + = 1 := by\n"));
        Assert.Equal(2, error.Line);
        Assert.Equal(7, error.Column);
        Assert.Contains("unexpected '='", error.Reason, StringComparison.Ordinal);
        Assert.Contains("expected", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_character_is_reported_where_it_is()
    {
        var error = Assert.Throws<StatementSyntaxException>(() => StatementParser.Parse(ProofLanguage.Coq, "Theorem t : forall x : R,\n  x $ 1 = x."));
        Assert.Equal((2, 5), (error.Line, error.Column));
        Assert.Contains("'$'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_end_is_reported_at_end_of_input()
    {
        var error = Assert.Throws<StatementSyntaxException>(() => StatementParser.Parse(ProofLanguage.Isabelle, "theorem t: fixes x :: real shows \"x = (1 + x\""));
        Assert.Contains("expected", error.Reason, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData(ProofLanguage.Lean4)]
    [InlineData(ProofLanguage.Coq)]
    [InlineData(ProofLanguage.Isabelle)]
    public void Hundred_thousand_nested_parentheses_are_rejected_clearly(ProofLanguage language)
    {
        var text = new string('(', 100_000) + "1" + new string(')', 100_000);
        var stopwatch = Stopwatch.StartNew();
        var error = Assert.Throws<StatementSyntaxException>(() => StatementParser.ParseTerm(language, text));
        Assert.Contains("nests too deeply", error.Reason, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.Equal(257, error.Column);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Long_chains_of_prefix_and_infix_operators_are_rejected_by_the_depth_cap()
    {
        var negations = string.Concat(Enumerable.Repeat("¬", 50_000)) + "p";
        Assert.Contains("nests too deeply", Assert.Throws<StatementSyntaxException>(() => StatementParser.ParseTerm(ProofLanguage.Lean4, negations)).Reason, StringComparison.Ordinal);
        var sum = string.Join(" + ", Enumerable.Repeat("1", 40_000));
        Assert.Contains("nests too deeply", Assert.Throws<StatementSyntaxException>(() => StatementParser.ParseTerm(ProofLanguage.Lean4, sum)).Reason, StringComparison.Ordinal);
        var arrows = string.Join(" -> ", Enumerable.Repeat("P", 40_000));
        Assert.Contains("nests too deeply", Assert.Throws<StatementSyntaxException>(() => StatementParser.ParseTerm(ProofLanguage.Coq, arrows)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Moderate_depth_parses()
    {
        var text = new string('(', 200) + "x" + new string(')', 200) + " = x";
        Assert.IsType<Binary>(StatementParser.ParseTerm(ProofLanguage.Lean4, text));
    }
}
