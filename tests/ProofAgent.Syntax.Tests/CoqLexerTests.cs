using Xunit;

namespace ProofAgent.Syntax.Tests;

public sealed class CoqLexerTests
{
    [Fact]
    public void Should_not_close_a_comment_at_a_terminator_inside_a_string_of_the_comment()
    {
        // Coq: the comment holds the string "*)", then closes; the Unset is inside the comment.
        var lexing = CoqLexer.Lex("(* \"*)\" Unset Guard Checking. *) Definition x := 1.");

        var sentence = Assert.Single(lexing.Sentences);
        Assert.Equal("Definition x := 1.", sentence.Code);
        Assert.Equal(CoqLexEnd.Clean, lexing.End);
    }

    [Fact]
    public void Should_see_the_code_that_a_naive_masker_takes_for_a_string()
    {
        // A masker that ignores quotes in comments closes the first comment early and then reads the rest as a string.
        const string Source = "(* \"*)\" *)\nUnset Universe Checking.\nDefinition y := 2.";

        var codes = CoqLexer.Sentences(Source).Select(s => s.Code).ToList();

        Assert.Equal(["Unset Universe Checking.", "Definition y := 2."], codes);
    }

    [Fact]
    public void Should_hide_code_that_a_naive_masker_shows_between_quotes_of_a_comment()
    {
        // The naive reading sees a theorem here; Coq sees one comment.
        var lexing = CoqLexer.Lex("(* \" *) Theorem t : False. (* \" *)");

        Assert.Empty(lexing.Sentences);
        Assert.Equal(CoqLexEnd.Clean, lexing.End);
    }

    [Fact]
    public void Should_nest_comments_and_read_doubled_quotes_as_escapes()
    {
        var lexing = CoqLexer.Lex("(* a (* b *) \"c\"\"*)\" *) Definition s := \"x\"\"(*\". Definition t := 1.");

        Assert.Equal(["Definition s := \" \".", "Definition t := 1."], lexing.Sentences.Select(s => s.Code));
    }

    [Theory]
    [InlineData("Definition x := 1.\fDefinition y := 2.", 1)]
    [InlineData("Definition x := 1.\u00a0Definition y := 2.", 1)]
    [InlineData("Definition x := 1.\tDefinition y := 2.", 2)]
    [InlineData("Definition x := 1.\rDefinition y := 2.", 2)]
    [InlineData("Check 1.. Check 2.", 1)]
    [InlineData("Check x.(y). Check 2.", 2)]
    public void Should_end_a_sentence_only_at_a_period_followed_by_a_blank_or_the_end(string source, int count) =>
        Assert.Equal(count, CoqLexer.Sentences(source).Count);

    [Fact]
    public void Should_make_bullets_braces_and_focused_selectors_sentences_of_their_own()
    {
        var codes = CoqLexer.Sentences("split. - exact I. -exact I. 2: { exact I. } all: lia. ++ idtac. {auto. }").Select(s => s.Code);

        Assert.Equal(["split.", "-", "exact I.", "-", "exact I.", "2: {", "exact I.", "}", "all: lia.", "++", "idtac.", "{", "auto.", "}"], codes);
    }

    [Theory]
    [InlineData("Definition x := 1.", CoqLexEnd.Clean)]
    [InlineData("Definition x := 1. (* done *)", CoqLexEnd.Clean)]
    [InlineData("Definition x := 1", CoqLexEnd.InSentence)]
    [InlineData("Definition x := 1. (* open", CoqLexEnd.InComment)]
    [InlineData("Definition x := 1. (* \" *) *)", CoqLexEnd.InString)]
    [InlineData("Definition x := \"abc", CoqLexEnd.InString)]
    [InlineData("Proof. -", CoqLexEnd.Clean)]
    public void Should_say_how_the_text_ends(string source, CoqLexEnd end) =>
        Assert.Equal(end, CoqLexer.Lex(source).End);

    [Fact]
    public void Should_keep_offsets_and_lines_in_the_masked_text()
    {
        const string Source = "(* one\n two *) Definition α := \"a\nb\".\n";

        var lexing = CoqLexer.Lex(Source);

        Assert.Equal(Source.Length, lexing.Masked.Length);
        Assert.Equal(Source.Count(c => c == '\n'), lexing.Masked.Count(c => c == '\n'));
        var sentence = Assert.Single(lexing.Sentences);
        Assert.Equal(Source.IndexOf("Definition", StringComparison.Ordinal), sentence.Start);
        Assert.Equal((2, 9), CoqLexer.Position(Source, sentence.Start));
        Assert.Equal((2, 22), CoqLexer.Position(Source, Source.IndexOf(":=", StringComparison.Ordinal))); // α is one code point
    }
}
