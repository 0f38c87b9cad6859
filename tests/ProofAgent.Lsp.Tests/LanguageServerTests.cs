using Newtonsoft.Json.Linq;
using ProofAgent.Lsp.Tests.Support;

namespace ProofAgent.Lsp.Tests;

/// <summary>
/// <c>agent lsp</c> as a separate process, driven over stdio by a real JSON-RPC client, with the real coqc, coqidetop and z3:
/// diagnostics, the Prove lens and action, progress, the server's one <c>workspace/applyEdit</c>, hover and completion.
/// </summary>
public sealed class LanguageServerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proofagent-lsp-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RequiresToolsFact("coqc", "coqidetop.opt", "z3", Timeout = 240_000)]
    public async Task Should_prove_a_hole_from_its_code_lens_and_apply_one_edit_only_after_the_final_check()
    {
        const string original = """
            From Coq Require Import Arith.
            (* the sum commutes, even with a zero *)
            Theorem swap_add : forall a b : nat, a + (b + 0) = b + a.
            Proof.
            Admitted.

            Lemma already : 1 + 1 = 2.
            Proof. reflexivity. Qed.
            """;
        var uri = Uri("swap.v");
        await using var server = await LspServerProcess.StartAsync();
        var init = await server.InitializeAsync();
        Assert.Equal("utf-16", (string?)init["capabilities"]!["positionEncoding"]);
        Assert.Contains("proofagent.prove", init["capabilities"]!["executeCommandProvider"]!["commands"]!.Values<string>());

        await server.OpenAsync(uri, original);
        var diagnostics = (JArray)(await server.DiagnosticsAsync(uri, version: 1))["diagnostics"]!;
        var hole = Assert.Single(diagnostics);
        Assert.Equal(2, (int)hole["severity"]!);
        Assert.StartsWith("proof incomplete", (string?)hole["message"], StringComparison.Ordinal);
        Assert.Equal(4, (int)hole["range"]!["start"]!["line"]!);

        // One lens, above the theorem with the hole (not above the proved lemma), and the same command on the hole.
        var lenses = await server.Rpc.InvokeWithParameterObjectAsync<JArray>("textDocument/codeLens", new JObject { ["textDocument"] = new JObject { ["uri"] = uri } });
        var lens = (JObject)Assert.Single(lenses);
        Assert.Equal(2, (int)lens["range"]!["start"]!["line"]!);
        Assert.Equal("Prove", (string?)lens["command"]!["title"]);
        var actions = await server.Rpc.InvokeWithParameterObjectAsync<JArray>("textDocument/codeAction", new JObject
        {
            ["textDocument"] = new JObject { ["uri"] = uri },
            ["range"] = hole["range"],
            ["context"] = new JObject { ["diagnostics"] = new JArray(hole) },
        });
        var action = (JObject)Assert.Single(actions);
        Assert.Equal("quickfix", (string?)action["kind"]);
        Assert.Equal(lens["command"]!["arguments"]!.ToString(), action["command"]!["arguments"]!.ToString());

        var result = await server.Rpc.InvokeWithParameterObjectAsync<JObject>("workspace/executeCommand", lens["command"]!.ToObject<JObject>()!);
        Assert.True((string?)result["verdict"] == "proved", result.ToString());

        // Exactly one edit, versioned for the document that was proved, made after the final check.
        var edit = Assert.Single(server.AppliedEdits);
        var change = (JObject)Assert.Single((JArray)edit["edit"]!["documentChanges"]!);
        Assert.Equal(1, (int)change["textDocument"]!["version"]!);
        var edited = Apply(original, (JArray)change["edits"]!);
        Assert.DoesNotContain("Admitted", edited, StringComparison.Ordinal);
        Assert.Contains("Theorem swap_add : forall a b : nat, a + (b + 0) = b + a.", edited, StringComparison.Ordinal);
        Assert.Contains("Proof. reflexivity. Qed.", edited, StringComparison.Ordinal);
        // JSON-RPC does not order notifications against responses: the "end" report may arrive just after the result.
        for (var waited = 0; waited < 100 && (string?)server.Progress.Select(p => (JObject)p["value"]!).LastOrDefault()?["kind"] != "end"; waited++)
        {
            await Task.Delay(100);
        }

        var progress = server.Progress.Select(p => (JObject)p["value"]!).ToList();
        Assert.Equal("begin", (string?)progress[0]["kind"]);
        Assert.True((bool)progress[0]["cancellable"]!);
        Assert.Contains(progress, p => ((string?)p["message"] ?? "").Contains("refinement", StringComparison.Ordinal));
        Assert.Contains(progress, p => ((string?)p["message"] ?? "").Contains("prover calls", StringComparison.Ordinal));
        Assert.Contains(progress, p => ((string?)p["message"] ?? "").Contains("final check of the edited file", StringComparison.Ordinal));
        Assert.Equal("end", (string?)progress[^1]["kind"]);

        // The client applies it and saves: the file is now clean, and the hover shows what the kernel proved.
        await server.ChangeAndSaveAsync(uri, edited, version: 2);
        var after = (JArray)(await server.DiagnosticsAsync(uri, version: 2))["diagnostics"]!;
        Assert.Empty(after);
        var lines = edited.Split('\n');
        var line = Array.FindIndex(lines, l => l.StartsWith("Theorem swap_add", StringComparison.Ordinal));
        var hover = await server.Rpc.InvokeWithParameterObjectAsync<JObject>("textDocument/hover", new JObject
        {
            ["textDocument"] = new JObject { ["uri"] = uri },
            ["position"] = new JObject { ["line"] = line, ["character"] = 10 },
        });
        var text = (string)hover["contents"]!["value"]!;
        Assert.Contains("**swap_add** — proved", text, StringComparison.Ordinal);
        Assert.Contains("forall a b : nat, a + (b + 0) = b + a", text, StringComparison.Ordinal);
        Assert.Contains("Axioms: none.", text, StringComparison.Ordinal);

        Assert.Equal(0, await server.ShutdownAsync());
    }

    [RequiresToolsFact("coqc", Timeout = 180_000)]
    public async Task Should_place_prover_errors_at_utf16_positions_and_name_unsound_constructs()
    {
        // 𝔸 and 𝔹 are one code point each but two UTF-16 units: the checker reports code points, LSP wants UTF-16.
        const string broken = "Definition 𝔸𝔹 := 1.\nDefinition y := 𝔸𝔹 + undefined_name.\n";
        const string unsound = "Axiom cheat : False.\nTheorem anything : 1 = 2.\nProof. destruct cheat. Qed.\n";
        await using var server = await LspServerProcess.StartAsync();
        await server.InitializeAsync();
        await server.OpenAsync(Uri("notes.txt"), "not a proof file");
        await server.OpenAsync(Uri("broken.v"), broken);
        await server.OpenAsync(Uri("cheat.v"), unsound);

        var error = (JObject)Assert.Single((JArray)(await server.DiagnosticsAsync(Uri("broken.v")))["diagnostics"]!);
        Assert.Equal(1, (int)error["severity"]!);
        Assert.Contains("undefined_name", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(1, (int)error["range"]!["start"]!["line"]!);
        var column = "Definition y := 𝔸𝔹 + ".Length; // UTF-16 units
        Assert.Equal(column, (int)error["range"]!["start"]!["character"]!);
        Assert.Equal(column + "undefined_name".Length, (int)error["range"]!["end"]!["character"]!);

        var axiom = (JArray)(await server.DiagnosticsAsync(Uri("cheat.v")))["diagnostics"]!;
        var first = (JObject)axiom[0];
        Assert.Equal(1, (int)first["severity"]!);
        Assert.Equal(0, (int)first["range"]!["start"]!["line"]!);
        Assert.Contains("'Axiom'", (string?)first["message"], StringComparison.Ordinal);
        Assert.StartsWith("unsound", (string?)first["message"], StringComparison.Ordinal);

        // A file that is not a proof file is ignored: nothing was ever published for it.
        Assert.Empty(server.AllDiagnostics(Uri("notes.txt")));
        Assert.Equal(0, await server.ShutdownAsync());
    }

    [RequiresToolsFact("coqc", "coqidetop.opt", Timeout = 180_000)]
    public async Task Should_offer_tactics_at_a_hole_ranked_proved_first_and_labelled_with_their_effect()
    {
        const string text = """
            From Coq Require Import Lia.
            Theorem le_sum : forall a b : nat, a <= a + b.
            Proof.
              intros a b.
              admit.
            Admitted.
            """;
        var uri = Uri("complete.v");
        await using var server = await LspServerProcess.StartAsync();
        await server.InitializeAsync();
        await server.OpenAsync(uri, text);
        await server.DiagnosticsAsync(uri);

        var list = await server.Rpc.InvokeWithParameterObjectAsync<JObject>("textDocument/completion", new JObject
        {
            ["textDocument"] = new JObject { ["uri"] = uri },
            ["position"] = new JObject { ["line"] = 4, ["character"] = 2 },
        });
        var items = ((JArray)list["items"]!).Cast<JObject>().ToList();
        Assert.NotEmpty(items);
        Assert.Contains(items, i => (string?)i["label"] == "solve [lia].");
        Assert.Equal("proves the goal", (string?)items[0]["detail"]);
        var firstProgress = items.FindIndex(i => (string?)i["detail"] != "proves the goal");
        Assert.True(firstProgress < 0 || items.Skip(firstProgress).All(i => (string?)i["detail"] != "proves the goal"), "proved suggestions come first");
        Assert.Equal(items.Select(i => (string?)i["sortText"]).Order(StringComparer.Ordinal), items.Select(i => (string?)i["sortText"]));

        // Outside a proof with a hole there is nothing to suggest.
        var none = await server.Rpc.InvokeWithParameterObjectAsync<JObject>("textDocument/completion", new JObject
        {
            ["textDocument"] = new JObject { ["uri"] = uri },
            ["position"] = new JObject { ["line"] = 0, ["character"] = 3 },
        });
        Assert.Empty((JArray)none["items"]!);
        Assert.Equal(0, await server.ShutdownAsync());
    }

    [RequiresToolsFact("coqc", "coqidetop.opt", "z3", Timeout = 180_000)]
    public async Task Should_answer_a_false_statement_with_its_counterexample_and_edit_nothing()
    {
        const string text = "Theorem off_by_one : forall n : nat, n + 1 = n * 2.\nProof.\nAdmitted.\n";
        var uri = Uri("false.v");
        await using var server = await LspServerProcess.StartAsync("--budget-seconds", "30");
        await server.InitializeAsync();
        await server.OpenAsync(uri, text);
        await server.DiagnosticsAsync(uri);

        var result = await server.Rpc.InvokeWithParameterObjectAsync<JObject>("workspace/executeCommand", new JObject
        {
            ["command"] = "proofagent.prove",
            ["arguments"] = new JArray(new JObject { ["uri"] = uri, ["position"] = new JObject { ["line"] = 0, ["character"] = 12 } }),
        });
        Assert.NotEqual("proved", (string?)result["verdict"]);
        Assert.Matches(@"^n = \d+$", (string?)result["counterexample"]);
        Assert.Empty(server.AppliedEdits);
        await LspServerProcess.WaitUntilAsync(() => !server.Messages.IsEmpty, 10, "a message");
        Assert.Contains(server.Messages, m => ((string?)m["message"] ?? "").Contains("counterexample n = ", StringComparison.Ordinal));
        Assert.Equal(0, await server.ShutdownAsync());
    }

    internal static string Apply(string text, JArray edits)
    {
        var lines = new ProofAgent.Lsp.Text.TextLines(text);
        var ordered = edits.Cast<JObject>()
            .Select(e => (Start: lines.OffsetOf(e["range"]!["start"]!.ToObject<LspPosition>()!), End: lines.OffsetOf(e["range"]!["end"]!.ToObject<LspPosition>()!), Text: (string)e["newText"]!))
            .OrderByDescending(e => e.Start)
            .ToList();
        foreach (var (start, end, newText) in ordered)
        {
            text = text[..start] + newText + text[end..];
        }

        return text;
    }

    private string Uri(string name) => new Uri(Path.Combine(_folder, name)).AbsoluteUri;
}
