using System.Text.RegularExpressions;
using Xunit;

namespace ProofAgent.Provers.Lean.Tests;

/// <summary>Every recorded REPL transcript goes through the reader; the notable ones are checked field by field.</summary>
public sealed class ReplReaderTests
{
    public static TheoryData<string> Transcripts()
    {
        var data = new TheoryData<string>();
        if (TestEnvironment.SharedDirectory is null)
        {
            data.Add("(fixtures absent)");
            return data;
        }

        foreach (var file in Directory.EnumerateFiles(TestEnvironment.LeanFixtures(), "*.expected.out", SearchOption.AllDirectories)
                     .Where(f => f.Contains("repl-", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(TestEnvironment.LeanFixtures(), file));
        }

        return data;
    }

    [RequiresSharedFolderTheory("fixtures", "lean")]
    [MemberData(nameof(Transcripts))]
    public void Every_recorded_transcript_parses_with_one_response_per_request(string relative)
    {
        var output = File.ReadAllText(TestEnvironment.LeanFixtures(relative));
        var requests = Regex.Split(File.ReadAllText(TestEnvironment.LeanFixtures(relative.Replace(".expected.out", ".in", StringComparison.Ordinal))), @"\n[ \t]*\n")
            .Count(r => r.Trim().Length > 0);

        var responses = LeanReplReader.ParseTranscript(output);

        Assert.Equal(requests, responses.Count);
        foreach (var response in responses)
        {
            Assert.All(response.Messages, m => Assert.True(m.Pos.Line >= 0 && m.Pos.Column >= 0 && m.Data.Length > 0));
            if (response is LeanReplResponse.Tactic tactic)
            {
                Assert.All(tactic.Goals, g => Assert.Contains("⊢", g, StringComparison.Ordinal));
            }
        }
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void The_readme_session_gives_sorries_goals_and_the_completed_status()
    {
        var responses = Read("repl-v4.33.0-rc2", "readme");

        var command = Assert.IsType<LeanReplResponse.Command>(responses[0]);
        Assert.Equal(0, command.Env);
        var sorry = Assert.Single(command.Sorries);
        Assert.Equal((0, new LeanPosition(1, 29), new LeanPosition(1, 34)), (sorry.ProofState!.Value, sorry.Pos, sorry.EndPos!.Value));
        var goal = LeanText.ParseGoal(sorry.Goal);
        Assert.Equal(["x"], Assert.Single(goal.Hypotheses).Names);
        Assert.Equal("Unit", goal.Hypotheses[0].Type);
        Assert.Equal("Nat", goal.Conclusion);
        var warning = Assert.Single(command.Messages);
        Assert.True(warning.IsSorryWarning);
        Assert.Equal(new Diagnostic(DiagnosticSeverity.Warning, 1, 5, "declaration uses `sorry`", 1, 6), warning.ToDiagnostic());

        var step = Assert.IsType<LeanReplResponse.Tactic>(responses[1]);
        Assert.Equal(("Incomplete: open goals remain", 1, false), (step.ProofStatus, step.ProofState, step.IsFinished));
        var done = Assert.IsType<LeanReplResponse.Tactic>(responses[2]);
        Assert.Equal(("Completed", 2, true), (done.ProofStatus, done.ProofState, done.IsFinished));
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void The_old_toolchain_has_the_quoted_sorry_wording_and_no_proof_status()
    {
        var responses = Read("repl-v4.15.0", "readme");

        var warning = Assert.Single(responses[0].Messages);
        Assert.Equal("declaration uses 'sorry'", warning.Data);
        Assert.True(warning.IsSorryWarning);
        var done = Assert.IsType<LeanReplResponse.Tactic>(responses[2]);
        Assert.Null(done.ProofStatus);
        Assert.True(done.IsFinished);
        Assert.IsType<StepResult.ProofFinished>(LeanReplSession.ToStep(done));
        Assert.IsType<StepResult.Goals>(LeanReplSession.ToStep(responses[1]));
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void Errors_in_tactic_mode_have_no_position_and_become_step_errors()
    {
        foreach (var version in new[] { "repl-v4.15.0", "repl-v4.33.0-rc2" })
        {
            var tactic = Assert.IsType<LeanReplResponse.Tactic>(Read(version, "invalid_tactic")[1]);
            var error = Assert.Single(tactic.Messages);
            Assert.Equal((DiagnosticSeverity.Error, false), (error.Severity, error.Pos.IsKnown));
            Assert.Equal((0, 0), (error.ToDiagnostic().Line, error.ToDiagnostic().Column));
            Assert.False(tactic.IsFinished);
            var step = Assert.IsType<StepResult.StepError>(LeanReplSession.ToStep(tactic));
            Assert.Contains("my_fake_premise", step.Message, StringComparison.Ordinal);
            Assert.Null(step.Location);
        }
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void Refusals_are_error_responses()
    {
        Assert.Equal("Lean error:\n<input>:1:1: unknown tactic", Assert.IsType<LeanReplResponse.Error>(Read("repl-v4.33.0-rc2", "unknown_tactic")[1]).Message);
        Assert.Equal("Unknown environment.", Assert.IsType<LeanReplResponse.Error>(Read("repl-v4.33.0-rc2", "unknown_environment")[0]).Message);
        Assert.Equal("Unknown proof state.", Assert.IsType<LeanReplResponse.Error>(Read("repl-v4.33.0-rc2", "unknown_proof_state")[1]).Message);
        var step = Assert.IsType<StepResult.StepError>(LeanReplSession.ToStep(Read("repl-v4.33.0-rc2", "unknown_tactic")[1]));
        Assert.Equal("<input>:1:1: unknown tactic", step.Message);
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void Unsolved_goals_and_kernel_errors_carry_positions_in_code_points()
    {
        var incomplete = Read("repl-v4.33.0-rc2", "incomplete");
        var second = incomplete[1].Messages;
        Assert.Equal(2, second.Count);
        Assert.All(second, m => Assert.True(m.IsError));
        Assert.Equal(new Diagnostic(DiagnosticSeverity.Error, 3, 20, second[0].Data, 3, 21), second[0].ToDiagnostic());
        var goal = LeanText.ParseGoal(second[1].Data["unsolved goals\n".Length..]);
        Assert.Equal("neg", goal.Id);
        Assert.Equal(["x", "h✝"], goal.Hypotheses.Select(h => h.Names[0]));
        Assert.Equal("¬x = true", goal.Hypotheses[1].Type);

        var mismatch = Read("repl-v4.33.0-rc2", "app_type_mismatch");
        Assert.StartsWith("(kernel) declaration has metavariables", Assert.Single(mismatch[0].Messages).Data, StringComparison.Ordinal);
        var meta = Assert.IsType<LeanReplResponse.Tactic>(mismatch[4]);
        Assert.Equal("Incomplete: contains metavariable(s)", meta.ProofStatus);
        Assert.False(meta.IsFinished);
        Assert.IsType<StepResult.StepError>(LeanReplSession.ToStep(meta));
        var cases = Assert.IsType<LeanReplResponse.Tactic>(mismatch[2]);
        Assert.Equal(["zero", "succ"], cases.Goals.Select(g => LeanText.ParseGoal(g).Id));
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void Traces_tactics_and_infos_are_read()
    {
        var trace = Read("repl-v4.33.0-rc2", "trace_simp");
        Assert.Equal(["37"], Assert.IsType<LeanReplResponse.Tactic>(trace[5]).Traces);
        Assert.Equal(2, Assert.IsType<LeanReplResponse.Tactic>(trace[6]).Traces.Count);

        var file = Assert.IsType<LeanReplResponse.Command>(Read("repl-v4.33.0-rc2", "file")[0]);
        var tactic = Assert.Single(file.Tactics);
        Assert.Equal(("exact rfl", "⊢ f + g = 39", new LeanPosition(5, 29)), (tactic.Tactic, tactic.Goals, tactic.Pos));
        Assert.Contains("HAdd.hAdd", tactic.UsedConstants);

        // The position is in code points of file.lean's line 5.
        var line = File.ReadAllLines(TestEnvironment.LeanFixtures("repl-v4.33.0-rc2", "file.lean"))[4];
        Assert.StartsWith("exact rfl", line[tactic.Pos.Column..], StringComparison.Ordinal);
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void Both_sorry_wordings_are_recognised_in_every_transcript()
    {
        var old = Read("repl-v4.15.0", "term_sorry")[0];
        var current = Read("repl-v4.33.0-rc2", "term_sorry")[0];
        Assert.True(Assert.Single(old.Messages).IsSorryWarning);
        Assert.True(Assert.Single(current.Messages).IsSorryWarning);
        Assert.NotEqual(old.Messages[0].Data, current.Messages[0].Data);
        Assert.False(LeanText.IsSorryWarning("declaration uses sorry-free tactics"));
    }

    [Theory]
    [InlineData("{\"env\": 0", "malformed")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{\"foo\": 1}", "neither 'env'")]
    [InlineData("{\"env\": \"zero\"}", "'env' must be an integer")]
    [InlineData("{\"env\": 0, \"messages\": [{\"severity\": \"fatal\", \"pos\": {\"line\": 1, \"column\": 0}, \"data\": \"x\"}]}", "unknown message severity 'fatal'")]
    [InlineData("{\"env\": 0, \"messages\": [{\"severity\": \"error\", \"data\": \"x\"}]}", "lacks 'pos'")]
    [InlineData("{\"proofState\": 1, \"goals\": [1]}", "'goals' must be an array of strings")]
    [InlineData("this is not json", "malformed")]
    public void Malformed_responses_are_rejected_with_a_clear_error(string frame, string expected)
    {
        var error = Assert.Throws<LeanProtocolException>(() => LeanReplReader.Parse(frame));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [RequiresSharedFolderFact("fixtures", "lean")]
    public void A_truncated_transcript_is_reported_not_dropped()
    {
        var text = File.ReadAllText(TestEnvironment.LeanFixtures("repl-v4.33.0-rc2", "readme.expected.out"));
        var cut = text[..(text.Length - 30)].TrimEnd();

        var error = Assert.ThrowsAny<LeanProtocolException>(() => LeanReplReader.ParseTranscript(cut));
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    internal static IReadOnlyList<LeanReplResponse> Read(string version, string name) =>
        LeanReplReader.ParseTranscript(File.ReadAllText(TestEnvironment.LeanFixtures(version, name + ".expected.out")));
}
