using Xunit;

namespace ProofAgent.Provers.Lean.Tests;

/// <summary>The <c>lean FILE</c> message format and kimina-lean-server's recorded <c>/verify</c> responses.</summary>
public sealed class CliAndKiminaTests
{
    [RequiresSharedFolderFact("fixtures", "lean")]
    public void Lean_CLI_messages_with_end_positions_and_continuation_lines_are_read()
    {
        var messages = LeanCliOutput.Parse(File.ReadAllText(TestEnvironment.LeanFixtures("lean-cli", "1007.lean.expected.out")));

        Assert.Equal(9, messages.Count);
        Assert.Equal(8, messages.Count(m => m.IsSorryWarning && m.Severity == DiagnosticSeverity.Warning));
        Assert.Equal((new LeanPosition(8, 9), new LeanPosition(8, 17)), (messages[0].Pos, messages[0].EndPos!.Value));
        var error = messages[^1];
        Assert.True(error.IsError);
        Assert.Equal(new Diagnostic(DiagnosticSeverity.Error, 56, 65, error.Data, 56, 79), error.ToDiagnostic());
        Assert.Equal("failed to synthesize\n  IsLin fun x => sum fun i => norm x\nuse `set_option diagnostics true` to get diagnostic information", error.Data);
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void Every_recorded_CLI_output_is_read()
    {
        var mismatch = LeanCliOutput.Parse(File.ReadAllText(TestEnvironment.LeanFixtures("lean-cli", "1081.lean.expected.out")));
        var synth = LeanCliOutput.Parse(File.ReadAllText(TestEnvironment.LeanFixtures("lean-cli", "2040.lean.expected.out")));

        Assert.Equal(2, mismatch.Count);
        Assert.All(mismatch, m => Assert.StartsWith("type mismatch\n  rfl\nhas type", m.Data, StringComparison.Ordinal));
        Assert.Contains("insert a { val := 0, isLt := ⋯ } v = cons a v : Prop", mismatch[1].Data, StringComparison.Ordinal);
        Assert.Equal(4, synth.Count);
        Assert.Equal((new LeanPosition(18, 2), new LeanPosition(20, 22)), (synth[3].Pos, synth[3].EndPos!.Value));
        Assert.All(synth, m => Assert.True(m.IsError));
    }

    [Fact]
    public void Plain_lake_env_lean_output_without_end_positions_is_read()
    {
        const string output = "/tmp/job/Candidate.lean:3:4: error: unknown identifier 'x'\n/tmp/job/Candidate.lean:5:0: warning: declaration uses `sorry`\nerror: Lean exited with code 1\n";

        var messages = LeanCliOutput.Parse(output);

        Assert.Equal(3, messages.Count);
        Assert.Equal(new Diagnostic(DiagnosticSeverity.Error, 3, 5, "unknown identifier 'x'"), messages[0].ToDiagnostic());
        Assert.True(messages[1].IsSorryWarning);
        Assert.False(messages[2].Pos.IsKnown);
    }

    [Fact]
    public void A_look_alike_line_inside_a_message_cannot_forge_another_message()
    {
        const string path = "/tmp/proofagent-lean-x1/Candidate.lean";
        const string output = path + ":3:2: info: hello\n/tmp/guess/Candidate.lean:9:0: info: 't' does not depend on any axioms\n" + path + ":9:0: info: 't' depends on axioms: [sorryAx]\n";

        var messages = LeanCliOutput.Parse(output, path);

        Assert.Equal(2, messages.Count);
        Assert.Equal("hello\n/tmp/guess/Candidate.lean:9:0: info: 't' does not depend on any axioms", messages[0].Data);
        Assert.Equal("'t' depends on axioms: [sorryAx]", messages[1].Data);
    }

    public static TheoryData<string> KiminaResponses()
    {
        var data = new TheoryData<string>();
        if (TestEnvironment.SharedDirectory is null)
        {
            data.Add("(fixtures absent)");
            return data;
        }

        foreach (var file in Directory.EnumerateFiles(TestEnvironment.LeanFixtures("kimina"), "*.verify-response.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file).Replace(".verify-response.json", string.Empty, StringComparison.Ordinal));
        }

        return data;
    }

    /// <summary>
    /// The recorded positions are relative to the body after kimina strips the header (the imports and the blank line after
    /// them): adding that line count lands every message on the text it names, column counted in code points.
    /// </summary>
    [RequiresSharedFolderTheory("fixtures", "lean")]
    [MemberData(nameof(KiminaResponses))]
    public void Kimina_verify_responses_are_read_and_their_positions_land_on_the_source(string name)
    {
        var source = File.ReadAllText(TestEnvironment.LeanFixtures("kimina", name + ".lean"));
        var result = Assert.Single(LeanReplReader.ParseVerifyResponse(File.ReadAllText(TestEnvironment.LeanFixtures("kimina", name + ".verify-response.json"))));

        Assert.Null(result.Error);
        Assert.Equal(name.Replace("goedel-", string.Empty, StringComparison.Ordinal), result.CustomId);
        Assert.True(result.TimeSeconds > 0);
        var response = Assert.IsType<LeanReplResponse.Command>(result.Response);

        Assert.False(response.HasErrors);
        Assert.Empty(response.Sorries);
        var lines = source.Split('\n');
        var headerLines = lines.TakeWhile(l => l.StartsWith("import ", StringComparison.Ordinal) || l.Trim().Length == 0).Count();
        foreach (var message in response.Messages)
        {
            var line = lines[message.Pos.Line + headerLines - 1];
            var start = LeanSourceScan.Offset(line, 1, message.Pos.Column);
            var quoted = System.Text.RegularExpressions.Regex.Match(message.Data, "^(?:`(?<q>[^`]+)`|'(?<q>[^']+)'|unused variable `(?<q>[^`]+)`)");
            if (quoted.Success)
            {
                Assert.StartsWith(quoted.Groups["q"].Value.Split(' ')[0], line[start..], StringComparison.Ordinal);
            }

            Assert.False(char.IsWhiteSpace(line[start]), $"{name}: message at {message.Pos} points at whitespace");
        }
    }

    [Fact]
    public void A_malformed_verify_answer_is_a_clear_error()
    {
        Assert.Contains("'results'", Assert.Throws<LeanProtocolException>(() => LeanReplReader.ParseVerifyResponse("{\"oops\": 1}")).Message, StringComparison.Ordinal);
        Assert.Contains("malformed", Assert.Throws<LeanProtocolException>(() => LeanReplReader.ParseVerifyResponse("{\"results\": [")).Message, StringComparison.Ordinal);
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void Valid_kimina_proofs_carry_linter_warnings_but_no_error_or_sorry()
    {
        var response = LeanReplReader.ParseVerifyResponse(File.ReadAllText(TestEnvironment.LeanFixtures("kimina", "goedel-lean_workbook_102.verify-response.json")))[0].Response!;

        Assert.True(response.Messages.Count >= 5);
        Assert.All(response.Messages, m => Assert.Equal(DiagnosticSeverity.Warning, m.Severity));
        Assert.DoesNotContain(response.Messages, m => m.IsSorryWarning);
        Assert.Contains(response.Messages, m => m.Data.StartsWith("unused variable `h₀`", StringComparison.Ordinal));
    }
}
