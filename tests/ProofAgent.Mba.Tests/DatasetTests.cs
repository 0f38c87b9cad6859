namespace ProofAgent.Mba.Tests;

/// <summary>The data files of <c>agent mba verify</c>: JSON Lines, and MBA-Solver's comma-separated layout.</summary>
public sealed class DatasetTests
{
    [Fact]
    public void Comma_separated_lines_with_comments_and_extra_columns_are_read_with_their_line_numbers()
    {
        var questions = MbaDataset.Parse("#complex,groundtruth\n(x&y)*(x|y)+(x&~y)*(~x&y),x*y\n\n(x^y)+2*(x&y),x+y,(x&y)\n");

        Assert.Equal([2, 4], questions.Select(q => q.Line));
        Assert.Equal("x * y", questions[0].Rhs.ToString());
        Assert.Equal("x + y", questions[1].Rhs.ToString());
    }

    [Fact]
    public void Json_lines_ignore_other_fields()
    {
        var questions = MbaDataset.Parse("{\"lhs\":\"x + y\",\"rhs\":\"y + x\",\"id\":7}\n{\"rhs\":\"0\",\"lhs\":\"x - x\"}\n");

        Assert.Equal([1, 2], questions.Select(q => q.Line));
        Assert.Equal("x - x", questions[1].Lhs.ToString());
    }

    [Theory]
    [InlineData("x+y,x+\n", "line 1, rhs, at 1:3")]
    [InlineData("# a comment\nx+y\n", "line 2: expected lhs,rhs")]
    [InlineData("{\"lhs\":\"x\",\"rhs\":\"x\"}\nx,x\n", "line 2: not valid JSON")]
    [InlineData("{\"lhs\":\"x\"}\n", "line 1: missing string field \"rhs\"")]
    public void A_bad_line_is_an_error_naming_it(string text, string expected)
    {
        var error = Assert.Throws<MbaDatasetException>(() => MbaDataset.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
