using System.Xml.Linq;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Coq.IdeTop;
using Xunit;

namespace ProofAgent.Provers.Tests.Coq;

/// <summary>The readers on real recorded Coq 8.16 output (../shared/fixtures/coq).</summary>
public sealed class CoqFixtureTests
{
    private static string Fixture(params string[] parts) => File.ReadAllText(TestPaths.SharedPath(["fixtures", "coq", .. parts]));

    [RequiresSharedFact]
    public void Coqc_errors_are_located_in_code_points_not_bytes()
    {
        var source = Fixture("coqc", "utf8_offsets2.v");
        var diagnostics = CoqDiagnostics.Parse(Fixture("coqc", "utf8_offsets2.coqc.stderr"), source);

        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(2, error.Line);
        var line = source.Split('\n')[1];
        Assert.Equal(line.IndexOf("no_such_lemma", StringComparison.Ordinal) + 1, error.Column);
        Assert.Contains("no_such_lemma", error.Message, StringComparison.Ordinal);
    }

    [RequiresSharedFact]
    public void Warnings_and_multi_line_errors_are_read_whole()
    {
        var warnings = CoqDiagnostics.Parse(Fixture("coqc", "warning.coqc.stderr"), Fixture("coqc", "warning.v"));
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(DiagnosticSeverity.Warning, w.Severity));
        Assert.EndsWith("[deprecated-hint-without-locality,deprecated]", warnings[1].Message, StringComparison.Ordinal);

        var typeError = Assert.Single(CoqDiagnostics.Parse(Fixture("coqc", "type_error.coqc.stderr"), Fixture("coqc", "type_error.v")));
        Assert.Equal(DiagnosticSeverity.Error, typeError.Severity);
        Assert.True(typeError.Message.Split('\n').Length > 1, "the multi-line message was cut");
    }

    [RequiresSharedFact]
    public void Print_assumptions_output_is_read_into_axioms_and_unsafe_flags()
    {
        var blocks = Fixture("coqc", "axioms.coqc.stdout").Split("Axioms:", StringSplitOptions.RemoveEmptyEntries).Select(b => "Axioms:" + b).ToList();

        var classic = CoqAuditReader.ParsePrintAssumptions(blocks[0]);
        var cheat = CoqAuditReader.ParsePrintAssumptions(blocks[1]);
        var bogus = CoqAuditReader.ParsePrintAssumptions(blocks[2]);

        Assert.Equal(new CoqAxiom("classic", "forall P : Prop, P \\/ ~ P"), Assert.Single(classic.Axioms));
        Assert.Equal("cheat", Assert.Single(cheat.Axioms).PrintedName);
        Assert.Empty(bogus.Axioms);
        Assert.Contains("bogus is assumed to be guarded.", bogus.UnsafeFlags);
        Assert.Same(CoqAssumptions.None, CoqAuditReader.ParsePrintAssumptions(Fixture("coqc", "ok.coqc.stdout")));
    }

    [Fact]
    public void Multi_line_axiom_entries_and_unknown_lines_are_not_ignored()
    {
        const string Output = """
            Axioms:
            ClassicalDedekindReals.sig_forall_dec
              : forall P : nat -> Prop,
                (forall n : nat, {P n} + {~ P n}) -> {n : nat | ~ P n} + {forall n : nat, P n}
            Candidate.adm : 1 = 2
            something unexpected
            """;

        var read = CoqAuditReader.ParsePrintAssumptions(Output);

        Assert.Equal(["ClassicalDedekindReals.sig_forall_dec", "Candidate.adm"], read.Axioms.Select(a => a.PrintedName));
        Assert.StartsWith("forall P : nat -> Prop,", read.Axioms[0].Type, StringComparison.Ordinal);
        Assert.Contains(read.UnsafeFlags, f => f.Contains("something unexpected", StringComparison.Ordinal));
    }

    [Fact]
    public void Locate_resolves_printed_names_and_distrusts_ambiguous_ones()
    {
        const string Output = """
            Constant Coq.Logic.Classical_Prop.classic
              (shorter name to refer to it in current context is Classical_Prop.classic)
            Constant Job.Candidate.Classical_Prop.classic
              (shorter name to refer to it in current context is Candidate.Classical_Prop.classic)
            Constant Coq.Reals.ClassicalDedekindReals.sig_not_dec
            """;

        var map = CoqAuditReader.ParseLocate(Output);

        Assert.Equal("Coq.Logic.Classical_Prop.classic", map["Classical_Prop.classic"]);
        Assert.Equal("Job.Candidate.Classical_Prop.classic", map["Candidate.Classical_Prop.classic"]);
        Assert.Equal("Coq.Reals.ClassicalDedekindReals.sig_not_dec", map["Coq.Reals.ClassicalDedekindReals.sig_not_dec"]);

        var ambiguous = CoqAuditReader.ParseLocate("Constant A.x\n  (shorter name to refer to it in current context is x)\nConstant B.x\n  (shorter name to refer to it in current context is x)\n");
        Assert.False(ambiguous.ContainsKey("x"));
    }

    [RequiresSharedFact]
    public void Coqidetop_responses_are_framed_and_goals_read_from_a_real_session()
    {
        var responses = Fixture("coqidetop", "coqidetop_session.responses.xml");
        var decoder = new CoqXmlFrameDecoder();
        // Feed in awkward chunks to exercise reassembly.
        var frames = new List<string>();
        for (var i = 0; i < responses.Length; i += 37)
        {
            frames.AddRange(decoder.Decode(responses.Substring(i, Math.Min(37, responses.Length - i))));
        }

        var elements = frames.Select(CoqXml.ParseElement).ToList();
        var values = elements.Where(e => e.Name == "value").ToList();
        Assert.Equal(responses.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, values.Count);
        Assert.Equal("8.16.1", values[0].Descendants("string").First().Value);

        var firstGoals = CoqXml.ReadGoals(values.First(v => v.Descendants("goals").Any()).Descendants("goals").First());
        var goal = Assert.Single(firstGoals.Foreground);
        Assert.Equal("forall n m : nat, n + m = m + n", goal.Conclusion);

        var failure = values.First(v => (string?)v.Attribute("val") == "fail");
        Assert.Equal("6", (string?)failure.Attribute("loc_s"));
        Assert.Contains("no_such_lemma", CoqXml.Text(failure.Element("richpp")), StringComparison.Ordinal);

        var withHypotheses = values.SelectMany(v => v.Descendants("goal")).Select(CoqXml.ReadGoal).First(g => g.Hypotheses.Count > 0);
        Assert.All(withHypotheses.Hypotheses, h => Assert.NotEmpty(h.Type));
    }

    [RequiresSharedFact]
    public void The_second_session_shows_incomplete_Qed_as_a_failure_and_admitted_as_an_axiom_feedback()
    {
        var responses = Fixture("coqidetop", "coqidetop_session2.responses.xml");
        var elements = new CoqXmlFrameDecoder().Decode(responses).Select(CoqXml.ParseElement).ToList();

        Assert.Contains(elements, e => e.Name == "value" && (string?)e.Attribute("val") == "fail" && CoqXml.Text(e).Contains("incomplete proof", StringComparison.Ordinal));
        Assert.Contains(elements, e => e.Descendants("feedback_content").Any(c => (string?)c.Attribute("val") == "addedaxiom"));
    }

    [Fact]
    public void A_truncated_response_never_yields_a_frame_and_garbage_is_a_clear_error()
    {
        var decoder = new CoqXmlFrameDecoder();
        Assert.Empty(decoder.Decode("<value val=\"good\"><state_id val=\"1\"/>"));
        Assert.StartsWith("<value", decoder.Pending, StringComparison.Ordinal);

        var error = Assert.Throws<ProverCrashedException>(() => CoqXml.ParseElement("<value><oops></value>"));
        Assert.Contains("malformed XML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n : nat", new[] { "n" }, "nat", null)]
    [InlineData("x, y : R", new[] { "x", "y" }, "R", null)]
    [InlineData("k := 3 : nat", new[] { "k" }, "nat", "3")]
    [InlineData("H : forall a : nat, a = a", new[] { "H" }, "forall a : nat, a = a", null)]
    public void Hypotheses_are_split_into_names_body_and_type(string text, string[] names, string type, string? body)
    {
        var hypothesis = CoqXml.ParseHypothesis(text);

        Assert.Equal(names, hypothesis.Names);
        Assert.Equal(type, hypothesis.Type);
        Assert.Equal(body, hypothesis.Body);
    }

    [Fact]
    public void Requests_escape_their_text()
    {
        var add = XElement.Parse(CoqXml.Add("rewrite <- H & \"x\".", 3));

        Assert.Equal("rewrite <- H & \"x\".", add.Descendants("string").Single().Value);
        Assert.Equal("3", add.Descendants("state_id").Single().Attribute("val")!.Value);
    }
}
