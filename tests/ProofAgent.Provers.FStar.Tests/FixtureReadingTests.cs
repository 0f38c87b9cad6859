using Xunit;

namespace ProofAgent.Provers.FStar.Tests;

public sealed class FixtureReadingTests
{
    private static List<FStarIdeFrame> Read(string file) =>
        [.. File.ReadAllLines(TestEnvironment.Fixture("ide", file)).Where(l => l.Length > 0).Select(FStarIdeProtocol.Parse)];

    [RequiresSharedFolderFact("fixtures", "fstar")]
    public void Every_ide_transcript_should_parse_without_malformed_lines()
    {
        foreach (var file in Directory.GetFiles(TestEnvironment.Fixture("ide"), "*.ideout.expected"))
        {
            var frames = Read(Path.GetFileName(file));
            Assert.IsType<FStarIdeFrame.ProtocolInfo>(frames[0]);
            Assert.DoesNotContain(frames, f => f is FStarIdeFrame.Malformed);
        }

        foreach (var file in Directory.GetFiles(TestEnvironment.Fixture("ide"), "*.in"))
        {
            Assert.All(File.ReadAllLines(file).Where(l => l.Length > 0), line => Assert.Contains("\"query\"", line, StringComparison.Ordinal));
        }
    }

    [RequiresSharedFolderFact("fixtures", "fstar")]
    public void A_lax_peek_can_say_success_while_listing_errors()
    {
        var responses = Read("Integration.push-pop.excerpt.ideout.expected").OfType<FStarIdeFrame.Response>().ToDictionary(r => r.QueryId);

        foreach (var id in new[] { "91", "137", "159", "175" })
        {
            Assert.Equal("success", responses[id].Status);
            Assert.False(responses[id].IsCleanSuccess, $"query {id} lists an error");
        }

        Assert.Equal("Syntax error", responses["91"].Issues[0].Message.Trim().TrimStart('-', ' '));
        Assert.Equal(168, responses["91"].Issues[0].Number);
        Assert.True(responses["107"].IsCleanSuccess);
        Assert.Equal("failure", responses["101"].Status);
        var subtyping = responses["101"].Issues[0];
        Assert.Equal(19, subtyping.Number);
        Assert.Equal(new FStarRange("Integration.fst", 11, 15, 11, 17), subtyping.Ranges[0]);
        Assert.Equal(new Diagnostic(DiagnosticSeverity.Error, 11, 16, "x", 11, 18), subtyping.Ranges[0].ToDiagnostic(DiagnosticSeverity.Error, "x"));
        Assert.Null(responses["112"].Body is null ? null : "pop answers null");
    }

    [RequiresSharedFolderFact("fixtures", "fstar")]
    public void The_dataset_harness_should_reject_both_self_referential_candidates()
    {
        var responses = Read("Harness.selfref.ideout.expected").OfType<FStarIdeFrame.Response>().ToList();

        Assert.True(responses[0].IsCleanSuccess); // push-partial-checked-file up to Harness.always_foo
        Assert.Equal([19, 72], responses.Skip(1).Select(r => r.Issues.Single().Number));
        Assert.All(responses.Skip(1), r => Assert.False(r.IsCleanSuccess));
        var diagnostics = FStarFragmentChecker.Diagnostics(responses[1]);
        Assert.Equal((1, 36, 1, 38), (diagnostics[0].Line, diagnostics[0].Column, diagnostics[0].EndLine, diagnostics[0].EndColumn)); // the "()" of the candidate
        Assert.Equal("error 72: Module name Harness resolved to Harness which is not in scope.", FStarFragmentChecker.Describe(responses[2]));
    }

    [RequiresSharedFolderFact("fixtures", "fstar")]
    public void Proof_states_and_tactic_failures_should_be_read()
    {
        var frames = Read("FailRange.ideout.expected");
        var state = frames.OfType<FStarIdeFrame.Message>().First(m => m.Level == "proof-state");
        var goals = FStarIdeProtocol.Goals(state.Contents);

        Assert.Equal(["squash l_True", "squash l_True"], goals.Select(g => g.Conclusion));
        var withHyps = FStarIdeProtocol.Goals(frames.OfType<FStarIdeFrame.Message>().Where(m => m.Level == "proof-state").ElementAt(1).Contents);
        Assert.Equal("uu___ : unit", withHyps[0].Hypotheses.Single().ToString());

        var failures = frames.OfType<FStarIdeFrame.Response>().Where(r => r.Status == "failure").ToList();
        Assert.Equal(4, failures.Count);
        Assert.All(failures, f => Assert.Equal(228, f.Issues[0].Number));
        Assert.Equal([5, 9, 13, 17], failures.Select(f => f.Issues[0].Ranges[0].BeginLine));
    }

    [RequiresSharedFolderFact("fixtures", "fstar")]
    public void Protocol_violations_and_old_formats_should_be_read()
    {
        var violation = Read("Minimal.describe-repl.ideout.expected").OfType<FStarIdeFrame.Response>().Single();
        Assert.True(violation.IsProtocolViolation);
        Assert.Equal("Unknown query ‘repl-info’", violation.Body!.GetValue<string>());

        var old = Read("old-FullBuffer.full-buffer.ideout.expected").OfType<FStarIdeFrame.Response>().Last();
        Assert.Equal(189, old.Issues.Single().Number);
        Assert.Equal(new FStarRange("<input>", 4, 19, 4, 20), old.Issues.Single().Ranges.Single());

        var missing = Read("Missing.ideout.expected").OfType<FStarIdeFrame.Response>().ToList();
        Assert.All(missing, r => Assert.True(r.IsCleanSuccess));
    }

    [RequiresSharedFolderFact("fixtures", "fstar")]
    public void Batch_output_should_read_the_same_positions_in_human_and_json_formats()
    {
        var human = FStarBatchOutput.Parse(File.ReadAllText(TestEnvironment.Fixture("batch", "Asserts.fst.output.expected")));
        var json = FStarBatchOutput.Parse(File.ReadAllText(TestEnvironment.Fixture("batch", "Asserts.fst.json_output.expected")));

        Assert.Equal(3, human.Count);
        Assert.Equal(3, json.Count);
        Assert.Equal([6, 11, 16], human.Select(m => m.Diagnostic.Line));
        Assert.Equal(human.Select(m => (m.Diagnostic.Line, m.Diagnostic.Column, m.Diagnostic.EndColumn)), json.Select(m => (m.Diagnostic.Line, m.Diagnostic.Column, m.Diagnostic.EndColumn)));
        Assert.Equal((3, 9), (human[0].Diagnostic.Column, human[0].Diagnostic.EndColumn!.Value));
        Assert.All(human.Concat(json), m => Assert.Equal("Info", m.Level));
        Assert.StartsWith("Expected failure:\nAssertion failed\nThe SMT solver could not prove the query. Use --query_stats for more details.", human[0].Diagnostic.Message, StringComparison.Ordinal);

        // The recorded run is an expect_failure test: the gate refuses the source itself.
        var (verdict, _, _) = FStarChecker.Gate(File.ReadAllText(TestEnvironment.Fixture("batch", "Asserts.fst")));
        Assert.IsType<Verdict.Unsound>(verdict);
    }

    [Fact]
    public void Old_and_new_error_headers_should_give_the_same_one_based_columns()
    {
        var recent = FStarBatchOutput.Parse("* Error 19 at File.fst:6.3-6.9:\n  - Assertion failed\n  - See also File.fst:6.10-6.18\n\nVerified module: X\n");
        var older = FStarBatchOutput.Parse("* Error 19 at File.fst(6,2-6,8):\n  - Assertion failed\n");
        var oldest = FStarBatchOutput.Parse("File.fst(6,2-6,8): (Error 19) Assertion failed (see also File.fst(6,9-6,17))\n");

        Assert.All(new[] { recent, older, oldest }, list => Assert.Equal((6, 3, 6, 9, 19), (list[0].Diagnostic.Line, list[0].Diagnostic.Column, list[0].Diagnostic.EndLine, list[0].Diagnostic.EndColumn, list[0].Number)));
        Assert.True(recent[0].IsError);
        Assert.IsType<Verdict.Failed>(FStarChecker.Judge(1, "", recent));
        Assert.Equal(Verdict.Proved.Instance, FStarChecker.Judge(0, "Verified module: X\nAll verification conditions discharged successfully", []));
        Assert.IsType<Verdict.Error>(FStarChecker.Judge(0, "", []));
    }

    [Fact]
    public void Malformed_ide_lines_should_be_reported_not_thrown()
    {
        Assert.IsType<FStarIdeFrame.Malformed>(FStarIdeProtocol.Parse("{\"kind\": \"response\", \"query-id\""));
        Assert.IsType<FStarIdeFrame.Malformed>(FStarIdeProtocol.Parse("[1,2]"));
        Assert.IsType<FStarIdeFrame.Malformed>(FStarIdeProtocol.Parse("{\"kind\": \"response\", \"status\": \"success\"}"));
        Assert.IsType<FStarIdeFrame.Malformed>(FStarIdeProtocol.Parse("{\"kind\": \"response\", \"query-id\": \"1\", \"status\": \"failure\", \"response\": [{\"level\": \"error\", \"message\": \"x\", \"ranges\": [{\"beg\": [1], \"end\": [1, 2]}]}]}"));
        Assert.IsType<FStarIdeFrame.Malformed>(FStarIdeProtocol.Parse("Unhandled exception"));
    }
}
