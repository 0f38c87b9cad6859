using ProofAgent.Provers.Smt;
using Xunit;

namespace ProofAgent.Provers.Tests.Smt;

public sealed class SmtReadingTests
{
    [Fact]
    public void Should_read_answers_models_and_errors_in_order()
    {
        const string Output = """
            sat
            (:reason-unknown "")
            (
              (define-fun y () Int
                (- 4))
              (define-fun x () Real
                2.0)
              (define-fun f ((a Int)) Int (+ a 1))
            )
            unsat
            (error "line 6 column 10: model is not available")
            """;

        var reading = SmtOutputReader.Read(Output);

        Assert.Equal(["sat", "unsat"], reading.Answers);
        var model = Assert.Single(reading.Models);
        Assert.Equal("(- 4)", model.Values["y"]);
        Assert.Equal("2.0", model.Values["x"]);
        Assert.Equal("(lambda ((a Int)) (+ a 1))", model.Values["f"]);
        Assert.Equal(["line 6 column 10: model is not available"], reading.Errors);
    }

    [Fact]
    public void Should_parse_strings_quoted_symbols_and_comments()
    {
        var exprs = SExpr.ParseAll("; comment\n(echo \"a \"\"b\"\" )\") |odd (symbol)| x");

        Assert.Equal(3, exprs.Count);
        Assert.Equal("a \"b\" )", SExpr.Unquote(((SExpr.List)exprs[0]).Items[1].ToString()));
        Assert.Equal("|odd (symbol)|", exprs[1].ToString());
    }

    [Fact]
    public void Should_refuse_hostile_nesting_without_overflowing_the_stack()
    {
        var deep = new string('(', 200_000) + new string(')', 200_000);

        var error = Assert.Throws<FormatException>(() => SExpr.ParseAll(deep));
        Assert.Contains("nested deeper", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(check-sat", "unclosed")]
    [InlineData("(check-sat))", "unbalanced")]
    [InlineData("(echo \"oops)", "unterminated string")]
    public void Should_name_what_is_wrong_with_malformed_input(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => SExpr.ParseAll(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_count_the_answers_a_script_expects()
    {
        Assert.Equal(2, SmtOutputReader.CountCheckSats("(assert true)(check-sat)(push)(check-sat-assuming (p))(pop) ; (check-sat)"));
    }
}
