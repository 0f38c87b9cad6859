using System.Text.Json.Nodes;
using Xunit;

namespace ProofAgent.Provers.Isabelle.Tests;

/// <summary>Every recorded Isabelle server transcript in ../shared/fixtures/isabelle/server, through the real decoder and readers.</summary>
public sealed class FixtureReadingTests
{
    internal static List<IsabelleMessage> Decode(string text, out IsabelleFrameDecoder decoder)
    {
        decoder = new IsabelleFrameDecoder();
        return [.. decoder.Decode(text)];
    }

    [RequiresSharedFolderTheory("fixtures", "isabelle", "server")]
    [InlineData("cancel.txt", "OK")]
    [InlineData("shutdown.txt", "OK")]
    [InlineData("help.txt", "OK")]
    [InlineData("purge_theories.txt", "OK")]
    [InlineData("unknown.txt", "ERROR")]
    [InlineData("session_stop.txt", "OK FINISHED")]
    [InlineData("session_start.txt", "OK NOTE*15 FINISHED")]
    [InlineData("session_build.txt", "OK NOTE*17 FINISHED")]
    [InlineData("use_theories.txt", "OK NOTE*3 FINISHED")]
    [InlineData("use_theories.Fail.txt", "OK NOTE*2 FINISHED")]
    public void Every_fixture_should_frame_into_its_replies(string file, string expected)
    {
        var messages = Decode(TestEnvironment.ReadFixture(file), out var decoder);

        var shape = string.Join(' ', messages.Select(m => m.Name).Aggregate(new List<(string Name, int Count)>(), (runs, name) =>
        {
            if (runs.Count > 0 && runs[^1].Name == name)
            {
                runs[^1] = (name, runs[^1].Count + 1);
            }
            else
            {
                runs.Add((name, 1));
            }

            return runs;
        }).Select(r => r.Count > 1 ? $"{r.Name}*{r.Count}" : r.Name));
        Assert.Equal(expected, shape);
        Assert.Null(decoder.DescribeTruncation());
        Assert.DoesNotContain(messages, m => m.Kind is IsabelleReplyKind.Malformed or IsabelleReplyKind.Other);
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server")]
    public void Help_should_list_the_server_commands()
    {
        var reply = Assert.Single(Decode(TestEnvironment.ReadFixture("help.txt"), out _));

        var commands = Assert.IsType<JsonArray>(reply.Json).Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(["cancel", "echo", "help", "purge_theories", "session_build", "session_start", "session_stop", "shutdown", "use_theories"], commands);
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server")]
    public void Session_start_should_give_the_session_id_and_its_task()
    {
        var messages = Decode(TestEnvironment.ReadFixture("session_start.txt"), out _);

        Assert.Equal("f7c584bf-8f8c-43cc-b4c1-b26789d68719", messages[0].Task);
        // Progress notes carry the task; the two nodes_status notes do not.
        Assert.All(messages.Skip(1).Where(m => m.Json?["kind"]?.GetValue<string>() != "nodes_status"), m => Assert.Equal("f7c584bf-8f8c-43cc-b4c1-b26789d68719", m.Task));
        var started = IsabelleSessionStarted.FromJson(messages[^1].Json);
        Assert.Equal("167dd6d8-1eeb-4315-8022-c8c527d9bd87", started.SessionId);
        Assert.Equal("/tmp/isabelle-/server_session10102610028077391104", started.TmpDir);
        Assert.Contains(messages, m => m.Kind == IsabelleReplyKind.Note && m.Json?["kind"]?.GetValue<string>() == "nodes_status");
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server")]
    public void A_checked_theory_should_read_as_ok_with_its_theorem_message_on_the_by_line()
    {
        var messages = Decode(TestEnvironment.ReadFixture("use_theories.txt"), out _);
        var result = UseTheoriesResult.FromJson(messages[^1].Json);

        Assert.True(result.Ok);
        Assert.Empty(result.Errors);
        var node = Assert.Single(result.Nodes);
        Assert.Equal("Draft.Example", node.TheoryName);
        Assert.Equal(new IsabelleNodeStatus(true, 7, 0, 0, 0, 0, 7, false, true, 100), node.Status);
        var message = Assert.Single(node.Messages);
        Assert.Equal("writeln", message.Kind);
        Assert.Equal("theorem \\<forall>x. \\<exists>y. x = y", message.Message);
        Assert.Equal(new IsabellePosition(5, 59, 61, "Example.thy"), message.Position);
        Assert.Equal(Verdict.Proved.Instance, IsabelleChecker.Judge(result, "Example"));

        // Offsets count Isabelle symbols: \<forall> and \<exists> are one symbol each, so offset 59 of Example.thy is the
        // "by" of line 5 (code-point column 1), and the end offset 61 is just after it.
        var theory = File.ReadAllText(TestEnvironment.Fixture("Example.thy"));
        var scan = IsabelleSourceScan.Scan(theory);
        var map = new IsabelleSourceMap(theory, theory, []);
        Assert.Equal((5, 1, 5, 3), map.Locate(message.Position));
        Assert.Single(scan.Theorems);
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server")]
    public void A_failed_proof_should_finish_with_ok_false_and_a_positioned_error()
    {
        var messages = Decode(TestEnvironment.ReadFixture("use_theories.Fail.txt"), out _);
        Assert.Equal(IsabelleReplyKind.Finished, messages[^1].Kind); // a failed proof is FINISHED, not FAILED
        var result = UseTheoriesResult.FromJson(messages[^1].Json);

        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors);
        Assert.Equal("error", error.Kind);
        Assert.StartsWith("Failed to finish proof\\<^here>:\ngoal (1 subgoal):", error.Message, StringComparison.Ordinal);
        Assert.Equal(new IsabellePosition(5, 59, 61, "Example.thy"), error.Position);
        Assert.Equal(1, result.Nodes[0].Status.Failed);
        var verdict = Assert.IsType<Verdict.Failed>(IsabelleChecker.Judge(result, "Example"));
        Assert.Equal("line 5: Failed to finish proof:", verdict.Reason);

        var goals = IsabelleOutput.ParseGoals(error.Message);
        Assert.NotNull(goals);
        Assert.Equal("\\<And>x y. x = y", Assert.Single(goals).Conclusion);
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server")]
    public void The_sledgehammer_transcript_is_one_byte_short_and_should_be_reported_as_truncated()
    {
        // The recorded file lost the final newline that its 2057-byte length line announces.
        var text = TestEnvironment.ReadFixture("use_theories.Sledgehammer.txt");
        var messages = Decode(text, out var decoder);

        Assert.Equal(["OK", "NOTE", "NOTE"], messages.Select(m => m.Name));
        Assert.True(decoder.InBlock);
        Assert.Equal(1, decoder.MissingBytes);
        Assert.Contains("1 bytes short of a 2057-byte message", decoder.DescribeTruncation(), StringComparison.Ordinal);
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server")]
    public void Sledgehammer_results_should_be_read_from_try_this_lines()
    {
        var messages = Decode(TestEnvironment.ReadFixture("use_theories.Sledgehammer.txt") + "\n", out var decoder);
        Assert.Null(decoder.DescribeTruncation());
        var result = UseTheoriesResult.FromJson(messages[^1].Json);

        var suggestions = IsabelleOutput.ParseTryThis(result.AllMessages.Select(m => m.Message));

        Assert.Equal(["presburger", "simp", "auto", "blast", "fast", "metis"], suggestions.Select(s => s.Prover));
        Assert.Equal(["by presburger", "by simp", "by auto", "by blast", "by fast", "by metis"], suggestions.Select(s => s.Proof));
        Assert.Equal(TimeSpan.FromMilliseconds(0.4), suggestions[0].Time);
        Assert.Equal(TimeSpan.FromMilliseconds(2), suggestions[^1].Time);
        Assert.All(result.AllMessages, m => Assert.Equal(new IsabellePosition(5, 60, 72, "Problem.thy"), m.Position));
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server")]
    public void Simple_replies_should_parse()
    {
        var unknown = Assert.Single(Decode(TestEnvironment.ReadFixture("unknown.txt"), out _));
        Assert.Equal(IsabelleReplyKind.Error, unknown.Kind);
        Assert.Equal("Bad command 'unknown'", unknown.Json!.GetValue<string>());

        var purge = Assert.Single(Decode(TestEnvironment.ReadFixture("purge_theories.txt"), out _));
        Assert.Equal("Draft.Mock", purge.Json!["purged"]![0]!["theory_name"]!.GetValue<string>());

        var stop = Decode(TestEnvironment.ReadFixture("session_stop.txt"), out _);
        Assert.True(stop[1].Json!["ok"]!.GetValue<bool>());
        Assert.Equal(stop[0].Task, stop[1].Task);

        var cancel = Assert.Single(Decode(TestEnvironment.ReadFixture("cancel.txt"), out _));
        Assert.Equal((IsabelleReplyKind.Ok, string.Empty), (cancel.Kind, cancel.Argument));
        Assert.Null(cancel.Json);
    }

    [RequiresSharedFolderFact("fixtures", "isabelle", "server")]
    public void Framing_should_not_depend_on_how_the_stream_is_chunked()
    {
        var text = TestEnvironment.ReadFixture("session_build.txt");
        var whole = Decode(text, out _).Select(m => m.ToString()).ToList();
        foreach (var size in new[] { 1, 2, 3, 7, 64, 117, 118, 119 })
        {
            var decoder = new IsabelleFrameDecoder();
            var pieces = new List<string>();
            for (var i = 0; i < text.Length; i += size)
            {
                pieces.AddRange(decoder.Decode(text.Substring(i, Math.Min(size, text.Length - i))).Select(m => m.ToString()));
            }

            Assert.Equal(whole, pieces);
        }
    }
}
