using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace ProofAgent.Provers.Isabelle.Tests;

public sealed class FramingTests
{
    [Fact]
    public void A_long_message_should_count_bytes_not_characters()
    {
        var message = "OK \"∀x. ∃y. x = y 𝔸\"\n";
        var bytes = Encoding.UTF8.GetByteCount(message);
        var decoder = new IsabelleFrameDecoder();

        var frames = decoder.Decode($"{bytes}\n{message}NOTE {{\"a\":1}}\n").ToList();

        Assert.Equal(2, frames.Count);
        Assert.Equal("∀x. ∃y. x = y 𝔸", frames[0].Json!.GetValue<string>());
        Assert.Equal(1, frames[1].Json!["a"]!.GetValue<int>());
    }

    [Fact]
    public void A_block_may_omit_its_line_terminator_and_may_use_crlf()
    {
        var decoder = new IsabelleFrameDecoder();
        var frames = decoder.Decode("6\nOK [1]10\r\nOK [1,2]\r\nOK\r\n").ToList();

        Assert.Equal(["OK [1]", "OK [1,2]", "OK"], frames.Select(f => f.ToString()));
    }

    [Fact]
    public void A_byte_count_that_cuts_a_character_should_be_reported_not_swallowed()
    {
        var decoder = new IsabelleFrameDecoder();
        var frames = decoder.Decode("5\nOK ∀\nOK\n").ToList();

        Assert.Equal(IsabelleReplyKind.Malformed, frames[0].Kind);
        Assert.Contains("inside a UTF-8 character", frames[0].Argument, StringComparison.Ordinal);
        Assert.Equal("OK", frames[^1].Name);
    }

    [Fact]
    public void An_absurd_length_should_be_malformed_instead_of_waiting_forever()
    {
        var decoder = new IsabelleFrameDecoder(maxMessageBytes: 1024);
        var frames = decoder.Decode("99999999999999999999999\nOK\n").ToList();

        Assert.Equal(IsabelleReplyKind.Malformed, frames[0].Kind);
        Assert.Contains("exceeds the limit", frames[0].Argument, StringComparison.Ordinal);
        Assert.Equal(IsabelleReplyKind.Ok, frames[1].Kind);
    }

    [Fact]
    public void A_stream_that_ends_mid_line_should_say_so()
    {
        var decoder = new IsabelleFrameDecoder();
        Assert.Empty(decoder.Decode("FINISHED {\"ok\":tr"));
        Assert.Contains("inside a line", decoder.DescribeTruncation(), StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_results_should_name_the_missing_field()
    {
        var missingOk = Assert.Throws<FormatException>(() => UseTheoriesResult.FromJson(JsonNode.Parse("{\"errors\":[],\"nodes\":[]}")));
        Assert.Contains("'ok'", missingOk.Message, StringComparison.Ordinal);

        var badNode = Assert.Throws<FormatException>(() => UseTheoriesResult.FromJson(JsonNode.Parse("{\"ok\":true,\"errors\":[],\"nodes\":[{\"node_name\":\"a\"}]}")));
        Assert.Contains("'status'", badNode.Message, StringComparison.Ordinal);

        Assert.Throws<FormatException>(() => IsabelleSessionStarted.FromJson(JsonNode.Parse("[1]")));
        Assert.Null(IsabelleMessage.Parse("FINISHED {\"ok\":").Json);
    }

    [Fact]
    public void Names_and_arguments_should_split_as_the_manual_says()
    {
        Assert.Equal(("NOTE", "{\"a\":1}"), (IsabelleMessage.Parse("NOTE   {\"a\":1}").Name, IsabelleMessage.Parse("NOTE   {\"a\":1}").Argument));
        Assert.Equal(("OK", "[1]"), (IsabelleMessage.Parse("OK[1]").Name, IsabelleMessage.Parse("OK[1]").Argument));
        Assert.Equal(IsabelleReplyKind.Other, IsabelleMessage.Parse("server \"x\" = 127.0.0.1:1 (password \"p\")").Kind);
    }

    [Fact]
    public void Symbol_offsets_should_convert_to_code_point_columns()
    {
        const string text = "lemma \"\\<forall>x. P x ⟶ Q\"\r\nby 𝔸uto";

        // symbols: l e m m a ␠ " \<forall> x . ␠ P ␠ x ␠ ⟶ ␠ Q " CRLF b ...
        Assert.Equal(7, IsabelleSymbols.IndexOfOffset(text, 8)); // \<forall> starts at index 7
        Assert.Equal(16, IsabelleSymbols.IndexOfOffset(text, 9)); // x, right after the 9-character symbol
        Assert.Equal(text.IndexOf("by", StringComparison.Ordinal), IsabelleSymbols.IndexOfOffset(text, 21)); // CRLF is one symbol
        Assert.Equal((2, 5), IsabelleSymbols.LineColumn(text, text.IndexOf("uto", StringComparison.Ordinal))); // 𝔸 is one code point
        Assert.Null(IsabelleSymbols.IndexOfOffset(text, 1000));
        Assert.Equal("∀x. P x ⟶ Q", IsabelleSymbols.ToUnicode("\\<forall>x. P x \\<longrightarrow> Q"));
    }

    [Fact]
    public void Goal_states_should_parse_into_goals()
    {
        var goals = IsabelleOutput.ParseGoals("proof (prove)\ngoal (2 subgoals):\n 1. x = y\n 2. \\<And>z. z < 1 \\<Longrightarrow>\n    z = 0");
        Assert.NotNull(goals);
        Assert.Equal(["x = y", "\\<And>z. z < 1 \\<Longrightarrow> z = 0"], goals.Select(g => g.Conclusion));
        Assert.Empty(IsabelleOutput.ParseGoals("proof (prove)\ngoal:\nNo subgoals!")!);
        Assert.Null(IsabelleOutput.ParseGoals("theorem x = x"));
    }

    [Fact]
    public void Try_this_lines_should_parse_with_methods_that_have_arguments()
    {
        var found = IsabelleOutput.ParseTryThis(["e: Try this: by (metis add.commute mult_2) (21 ms)", "Try this: by simp (0.5 s)", "no proof here"]);

        Assert.Equal(2, found.Count);
        Assert.Equal(new SledgehammerSuggestion("e", "by (metis add.commute mult_2)", TimeSpan.FromMilliseconds(21)), found[0]);
        Assert.Equal(new SledgehammerSuggestion(null, "by simp", TimeSpan.FromSeconds(0.5)), found[1]);
    }
}
