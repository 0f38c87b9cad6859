using System.Text;
using System.Text.Json;
using Newtonsoft.Json.Linq;
using ProofAgent.Lsp.Backends;
using ProofAgent.Lsp.Documents;
using ProofAgent.Lsp.Outline;
using ProofAgent.Lsp.Protocol;
using ProofAgent.Lsp.Proving;
using ProofAgent.Lsp.Server;
using ProofAgent.Lsp.Text;
using ProofAgent.Provers;

namespace ProofAgent.Lsp.Tests;

/// <summary>The server's pure parts: positions, framing and validation, settings, outlines, edits, diagnostics, verdicts.</summary>
public sealed class UnitTests
{
    [Fact]
    public void Should_convert_code_point_columns_to_utf16_characters_and_back()
    {
        var lines = new TextLines("ab\r\n𝔸x𝔹 y\nlast");
        Assert.Equal(new LspPosition(1, 3), lines.PositionOfProverPosition(2, 3)); // 𝔸 (2 units) then x
        Assert.Equal(new LspPosition(1, 6), lines.PositionOfProverPosition(2, 5)); // after 𝔹 (2 more units) and the space
        Assert.Equal(new LspPosition(0, 2), lines.PositionOf(lines.OffsetOf(new LspPosition(0, 99)))); // clamped before \r
        Assert.Equal(lines.OffsetOf(new LspPosition(1, 0)), lines.OffsetOf(new LspPosition(1, 1))); // never inside a pair
        Assert.Equal(new LspPosition(0, 0), lines.PositionOfProverPosition(0, 0)); // no position: the top
        Assert.Equal(new LspPosition(2, 4), lines.PositionOfProverPosition(99, 1));
    }

    [Theory]
    [InlineData("{", MessageGate.ParseError)]
    [InlineData("{} {}", MessageGate.ParseError)]
    [InlineData("[]", MessageGate.InvalidRequest)]
    [InlineData("42", MessageGate.InvalidRequest)]
    [InlineData("""{"id":1,"method":"x"}""", MessageGate.InvalidRequest)]
    [InlineData("""{"jsonrpc":"2.0","id":{},"method":"x"}""", MessageGate.InvalidRequest)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"x","params":"p"}""", MessageGate.InvalidRequest)]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", MessageGate.InvalidRequest)]
    public void Should_reject_what_is_not_a_json_rpc_message(string body, int code) =>
        Assert.Equal(code, MessageGate.Validate(Encoding.UTF8.GetBytes(body))?.Code);

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"exit"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"a","result":null}""")]
    [InlineData("""{"jsonrpc":"2.0","id":2,"error":{"code":1,"message":"m"}}""")]
    public void Should_pass_on_well_formed_messages(string body) => Assert.Null(MessageGate.Validate(Encoding.UTF8.GetBytes(body)));

    [Fact(Timeout = 10_000)]
    public async Task Should_read_frames_and_resynchronize_after_a_bad_header()
    {
        var bytes = Encoding.UTF8.GetBytes("Content-Length: 2\r\n\r\n{}noise line\nContent-Length: x\r\n\r\nContent-Length: 4\r\nContent-Type: a\r\n\r\n[1] ");
        var reader = new FrameReader(new MemoryStream(bytes), 1024);
        Assert.Equal("{}", Encoding.UTF8.GetString(Assert.IsType<Frame.Body>(await reader.ReadAsync(CancellationToken.None)).Bytes));
        Assert.Contains("not a header line", Assert.IsType<Frame.BadHeader>(await reader.ReadAsync(CancellationToken.None)).Reason, StringComparison.Ordinal);
        Assert.Contains("Content-Length 'x'", Assert.IsType<Frame.BadHeader>(await reader.ReadAsync(CancellationToken.None)).Reason, StringComparison.Ordinal);
        Assert.Equal("[1] ", Encoding.UTF8.GetString(Assert.IsType<Frame.Body>(await reader.ReadAsync(CancellationToken.None)).Bytes));
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void Should_merge_settings_keeping_valid_values_and_naming_invalid_ones()
    {
        var problems = new List<string>();
        var settings = LspSettings.Default.Merge(JObject.Parse("""{"proofagent":{"serviceUrl":"http://h:8080","model":"m","budgetSeconds":30,"tacticTimeoutSeconds":-1}}"""), problems);
        Assert.Equal(new Uri("http://h:8080/"), settings.ServiceUrl);
        Assert.Equal("m", settings.Model);
        Assert.Equal(30, settings.BudgetSeconds);
        Assert.Equal(4, settings.TacticTimeoutSeconds);
        Assert.Contains(problems, p => p.StartsWith("tacticTimeoutSeconds", StringComparison.Ordinal));

        var cleared = settings.Merge(JObject.Parse("""{"serviceUrl":"","model":null,"checkTimeoutSeconds":"ten"}"""), problems);
        Assert.Null(cleared.ServiceUrl);
        Assert.Null(cleared.Model);
        Assert.Contains(problems, p => p.StartsWith("checkTimeoutSeconds", StringComparison.Ordinal));
        Assert.Null(LspSettings.Default.Merge(JObject.Parse("""{"serviceUrl":"ftp://x"}"""), problems).ServiceUrl);
    }

    [Fact]
    public void Should_outline_coq_theorems_holes_and_the_search_context()
    {
        const string text = "Lemma helper : 1 = 1.\nAdmitted.\n(* Lemma fake : False. *)\nTheorem main : 2 = 2.\nProof.\n  admit.\nAdmitted.\nTheorem done : 3 = 3.\nProof. reflexivity. Qed.\n";
        var outline = SourceOutline.Of(ProofLanguage.Coq, text);
        Assert.Equal(["helper", "main", "done"], outline.Theorems.Select(t => t.Name));
        Assert.Equal([true, true, false], outline.Theorems.Select(t => t.HasHole));
        var main = outline.Theorem("main")!;
        Assert.Equal("main", text[main.NameStart..main.NameEnd]);
        Assert.Equal(3, outline.Holes.Count);
        Assert.All(outline.Holes, h => Assert.StartsWith("proof incomplete", h.Message, StringComparison.Ordinal));
        Assert.Equal("main", outline.Holes.Single(h => text[h.Start..h.End].Contains("admit.", StringComparison.Ordinal)).Theorem);

        var context = CoqProofEdits.SearchContext(text, outline, main);
        Assert.StartsWith("Definition helper : 1 = 1.\nAdmitted.", context, StringComparison.Ordinal);
        Assert.EndsWith("Theorem main : 2 = 2.\nProof.\n  admit.\nAdmitted.", context, StringComparison.Ordinal);
        Assert.Contains("(* Lemma fake : False. *)", context, StringComparison.Ordinal);

        var edits = CoqProofEdits.ForScript(text, main, "reflexivity.", "From Coq Require Import Lia.");
        var edited = TextDiff.Apply(text, edits);
        Assert.StartsWith("From Coq Require Import Lia.\nLemma helper", edited, StringComparison.Ordinal);
        Assert.Contains("Theorem main : 2 = 2.\nProof.\n  reflexivity.\nQed.\nTheorem done", edited, StringComparison.Ordinal);
        Assert.Single(CoqProofEdits.ForScript(edited, SourceOutline.Of(ProofLanguage.Coq, edited).Theorem("helper")!, "reflexivity.", "From Coq Require Import Lia."));
    }

    [Fact]
    public void Should_diff_texts_into_one_replacement_without_splitting_surrogates()
    {
        Assert.Empty(TextDiff.Replacements("same", "same"));
        var edit = Assert.Single(TextDiff.Replacements("a sorry b", "a by simp b"));
        Assert.Equal("a by simp b", TextDiff.Apply("a sorry b", [edit]));
        var astral = Assert.Single(TextDiff.Replacements("x𝔸y", "x𝔹y"));
        Assert.False(char.IsLowSurrogate("x𝔸y"[astral.Start]));
        Assert.Throws<ArgumentException>(() => TextDiff.Apply("abc", [new TextReplacement(0, 2, ""), new TextReplacement(1, 3, "")]));
    }

    [Fact]
    public void Should_map_a_check_to_warnings_for_holes_errors_for_unsound_theorems_and_a_crash_to_the_top()
    {
        var document = new DocumentSnapshot("file:///x.v", ProofLanguage.Coq, 3, "Theorem 𝔸t : True.\nAdmitted.\nTheorem u : True.\nProof. exact cheat. Qed.\n");
        var outline = SourceOutline.Of(document.Language, document.Text);
        var result = new CheckResult(
            new Verdict.Unsound(["depends on axiom cheat"]),
            [new TheoremReport("u", new Verdict.Unsound(["depends on axiom cheat : True"]), ["cheat"])],
            [new Diagnostic(DiagnosticSeverity.Warning, 1, 10, "w", 1, 11)],
            new ProverIdentity("coq", "8.16.1"),
            ResourceUsage.None);
        var diagnostics = DiagnosticMapper.Map(document, outline, result);
        Assert.Contains(diagnostics, d => d is { Severity: LspSeverity.Warning, Code: "hole" } && d.Range.Start.Line == 1);
        Assert.Contains(diagnostics, d => d.Severity == LspSeverity.Warning && d.Range.Start == new LspPosition(0, 10) && d.Range.End == new LspPosition(0, 11)); // after 𝔸 (2 units)
        var unsound = Assert.Single(diagnostics, d => d.Code == "unsound");
        Assert.Equal(new LspRange(new LspPosition(2, 8), new LspPosition(2, 9)), unsound.Range);
        Assert.Contains("cheat", unsound.Message, StringComparison.Ordinal);

        var crash = DiagnosticMapper.Map(document, outline, CheckResult.FromVerdict(new Verdict.Error("coqc was killed by signal 11"), ProverIdentity.Unknown("coq"), TimeSpan.Zero));
        Assert.Contains(crash, d => d.Severity == LspSeverity.Error && d.Range.Start.Line == 0 && d.Message == "the prover failed: coqc was killed by signal 11");
    }

    [Fact]
    public void Should_accept_a_proof_only_when_the_edited_file_proves_the_theorem()
    {
        const string edited = "Theorem t : True.\nProof. exact I. Qed.\nLemma other : True.\nAdmitted.\n";
        CheckResult Check(Verdict file, Verdict? theorem) =>
            new(file, theorem is null ? [] : [new TheoremReport("t", theorem, [])], [], ProverIdentity.Unknown("coq"), ResourceUsage.None);
        Assert.Null(ProofLanguageServer.FinalCheckProblem(ProofLanguage.Coq, edited, "t", Check(Verdict.Proved.Instance, null)));
        Assert.Null(ProofLanguageServer.FinalCheckProblem(ProofLanguage.Coq, edited, "t", Check(new Verdict.Incomplete(["other"]), Verdict.Proved.Instance)));
        Assert.NotNull(ProofLanguageServer.FinalCheckProblem(ProofLanguage.Coq, edited, "t", Check(new Verdict.Failed("line 2"), null)));
        Assert.NotNull(ProofLanguageServer.FinalCheckProblem(ProofLanguage.Coq, edited, "t", Check(new Verdict.Incomplete(["x"]), new Verdict.Unsound(["axiom"]))));
        Assert.NotNull(ProofLanguageServer.FinalCheckProblem(ProofLanguage.Coq, edited, "other", Check(new Verdict.Incomplete(["x"]), Verdict.Proved.Instance)));
    }

    [Fact]
    public void Should_read_service_reports_and_never_turn_an_unknown_verdict_into_a_proof()
    {
        Assert.IsType<Verdict.Error>(ServiceBackend.VerdictOf("proved!", null));
        Assert.IsType<Verdict.Error>(ServiceBackend.VerdictOf(null, null));
        Assert.Equal("line 2: oops", Assert.IsType<Verdict.Failed>(ServiceBackend.VerdictOf("failed", "failed: line 2: oops")).Reason);
        using var report = JsonDocument.Parse("""
            {"language":"coq","verdict":"incomplete","reason":"incomplete: x",
             "theorems":[{"name":"t","verdict":"proved","axioms":["A.b"],"statement":"True"}],
             "diagnostics":[{"severity":"error","line":2,"column":3,"message":"m"}],"prover":{"name":"coq","version":"8.16.1"},"elapsedMs":5}
            """);
        var result = ServiceBackend.FromReport(report.RootElement, TimeSpan.Zero);
        Assert.IsType<Verdict.Incomplete>(result.Verdict);
        Assert.Equal("True", Assert.Single(result.Theorems).Statement);
        Assert.Equal(["A.b"], result.Theorems[0].Axioms);
        Assert.Equal(new Diagnostic(DiagnosticSeverity.Error, 2, 3, "m"), Assert.Single(result.Diagnostics));

        var body = JsonSerializer.SerializeToElement(ServiceBackend.CheckBody(new FileCheck(ProofLanguage.Coq, "Theorem t : True.\n", "t.v", TimeSpan.FromSeconds(600))));
        Assert.Equal("Theorem t : True.\n", body.GetProperty("file").GetString());
        Assert.False(body.TryGetProperty("statement", out _));
        Assert.False(body.TryGetProperty("proof", out _));
        Assert.Equal(300, body.GetProperty("timeout").GetDouble());
    }

    [Fact]
    public void Should_replay_only_complete_tactics_before_the_cursor()
    {
        const string text = "Theorem t : True /\\ True.\nProof.\n  split.\n  - exact I.\n  - li";
        var theorem = SourceOutline.Of(ProofLanguage.Coq, text).Theorem("t")!;
        Assert.Equal(["split.", "-", "exact I.", "-"], ProofLanguageServer.ProofPrefix(text, theorem, text.Length));
        Assert.Null(DocumentStore.LanguageOf("file:///notes.txt"));
        Assert.Equal(ProofLanguage.Lean4, DocumentStore.LanguageOf("file:///a%20b/M.lean"));
        Assert.Equal("a b.v", DocumentStore.FileNameOf("file:///x/a%20b.v"));
    }

    [Theory]
    [InlineData(ProveStatus.Proved, "proved")]
    [InlineData(ProveStatus.Unavailable, "unavailable")]
    [InlineData(ProveStatus.Cancelled, "cancelled")]
    [InlineData(ProveStatus.Stale, "stale")]
    [InlineData(ProveStatus.NotApplied, "not-applied")]
    public void Should_write_a_prove_status_under_its_protocol_name(ProveStatus status, string name)
    {
        Assert.Equal("\"" + name + "\"", Newtonsoft.Json.JsonConvert.SerializeObject(status));
        Assert.Equal(status, Newtonsoft.Json.JsonConvert.DeserializeObject<ProveStatus>("\"" + name + "\""));
    }
}
