using System.Text.RegularExpressions;
using ProofAgent.Grammars.Mpl;

namespace ProofAgent.GenerativeLogic.Tests;

public sealed partial class MplGrammarTests
{
    [Fact]
    public void Generated_parser_is_up_to_date_with_the_grammar()
    {
        var project = Path.Combine(TestPaths.RepositoryRoot, "grammars", "ProofAgent.Grammars.Mpl");
        var committed = File.ReadAllLines(Path.Combine(project, "Generated", "GRAMMAR.sha256"));
        var lockFile = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "grammars", "package.json"));
        var version = VersionRegex().Match(lockFile).Groups[1].Value;
        var expected = new List<string> { $"antlr-ng {version}" };
        foreach (var g4 in Directory.GetFiles(Path.Combine(project, "Grammar"), "*.g4").Order(StringComparer.Ordinal))
        {
            expected.Add($"{Repo.Sha256(g4)}  {Path.GetFileName(g4)}");
        }

        Assert.Equal(expected, committed);
    }

    [Fact]
    public void Should_parse_gl_syntax_and_print_it_back()
    {
        const string text = "(>[a,b](&(in3[a,b,c,+])!(in2[a,i0,s]))(>[](=[a,b])(in[a,N])))";
        var formula = MplParsing.ParseFormula(text);
        Assert.Equal(text, formula.ToString());
        var all = Assert.IsType<MplFormula.ForAll>(formula);
        Assert.Equal(["a", "b"], all.Vars);
        Assert.Equal(1, all.Position.Line);
    }

    [Fact]
    public void Should_parse_named_definitions()
    {
        var file = MplParsing.ParseFile("# comment\nA[x,Y] := (in[x,Y])\nB[] := (&(A[u,V])(A[v,V]))\n", "t.mpl");
        var defs = Assert.IsType<MplFile.Definitions>(file);
        Assert.Equal(["A", "B"], defs.Items.Select(d => d.Name));
        Assert.Equal(3, defs.Items[1].Position.Line);
    }

    [Fact]
    public void Should_report_line_column_and_what_was_expected()
    {
        var e = Assert.Throws<MplParseException>(() => MplParsing.ParseFile("A[x] := (in[x,Y]\n", "bad.mpl"));
        var error = Assert.Single(e.Errors.Take(1));
        Assert.Equal("bad.mpl", error.Position.Source);
        Assert.Equal(2, error.Position.Line);
        Assert.Contains("expected", error.Message, StringComparison.Ordinal);
        Assert.Contains("')'", error.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex("\"antlr-ng\":\\s*\"([^\"]+)\"")]
    private static partial Regex VersionRegex();
}
