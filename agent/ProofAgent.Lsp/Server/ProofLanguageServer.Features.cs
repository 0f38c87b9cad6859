using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using ProofAgent.Lsp.Backends;
using ProofAgent.Lsp.Outline;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using StreamJsonRpc;

namespace ProofAgent.Lsp.Server;

/// <summary>Code lenses, code actions, hovers and completions.</summary>
public sealed partial class ProofLanguageServer
{
    /// <summary>The languages the proof loop can fill a hole of (F* and SMT-LIB have no proof search).</summary>
    internal static bool CanProve(ProofLanguage language) => language is ProofLanguage.Coq or ProofLanguage.Lean4 or ProofLanguage.Isabelle;

    [JsonRpcMethod("textDocument/codeLens", UseSingleObjectParameterDeserialization = true)]
    public IReadOnlyList<CodeLens> CodeLens(CodeLensParams parameters)
    {
        var uri = Required(Required(parameters?.TextDocument, "textDocument").Uri, "textDocument.uri");
        if (_documents.Get(uri) is not { } document || !CanProve(document.Language))
        {
            return [];
        }

        var outline = SourceOutline.Of(document.Language, document.Text);
        return [.. outline.Theorems.Where(t => t.HasHole).Select(t => new CodeLens(
            document.Lines.LineRange(document.Lines.LineOf(t.Start)),
            ProveCommand("Prove", uri, t.Name)))];
    }

    [JsonRpcMethod("textDocument/codeAction", UseSingleObjectParameterDeserialization = true)]
    public IReadOnlyList<CodeAction> CodeAction(CodeActionParams parameters)
    {
        var uri = Required(Required(parameters?.TextDocument, "textDocument").Uri, "textDocument.uri");
        var range = Required(parameters!.Range, "range");
        if (_documents.Get(uri) is not { } document || !CanProve(document.Language))
        {
            return [];
        }

        var lines = document.Lines;
        var (from, to) = (lines.OffsetOf(range.Start), lines.OffsetOf(range.End));
        var outline = SourceOutline.Of(document.Language, document.Text);
        var theorems = outline.Holes
            .Where(h => h.Start <= to && from <= h.End && h.Theorem is not null)
            .Select(h => outline.Theorem(h.Theorem!))
            .Append(outline.TheoremNamedAt(from))
            .OfType<TheoremSpan>()
            .Where(t => t.HasHole)
            .DistinctBy(t => t.Name, StringComparer.Ordinal);
        return [.. theorems.Select(t => new CodeAction($"Prove '{t.Name}' with ProofAgent", "quickfix", ProveCommand($"Prove '{t.Name}'", uri, t.Name))
        {
            Diagnostics = parameters.Context?.Diagnostics?.Where(d => d.Code == "hole" && d.Range.Start.Line >= lines.LineOf(t.Start) && d.Range.Start.Line <= lines.LineOf(t.ProofEnd)).ToList(),
        })];
    }

    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public Hover? Hover(TextDocumentPositionParams parameters)
    {
        var uri = Required(Required(parameters?.TextDocument, "textDocument").Uri, "textDocument.uri");
        var position = Required(parameters!.Position, "position");
        if (_documents.Get(uri) is not { } document || !_results.TryGetValue(uri, out var last))
        {
            return null;
        }

        var outline = SourceOutline.Of(document.Language, document.Text);
        if (outline.TheoremNamedAt(document.Lines.OffsetOf(position)) is not { } theorem)
        {
            return null;
        }

        var report = last.Result.Theorems.FirstOrDefault(t => t.Name == theorem.Name)
            ?? last.Result.Theorems.FirstOrDefault(t => t.Name.EndsWith("." + theorem.Name, StringComparison.Ordinal));
        if (report is null)
        {
            return null;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"**{report.Name}** — {report.Verdict.Name}");
        if (!report.Verdict.IsProved)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({report.Verdict.Summary})");
        }

        text.Append("\n\n");
        text.Append(report.Statement is { } statement
            ? $"Kernel statement:\n\n```{FenceLanguage(document.Language)}\n{statement}\n```\n\n"
            : "Kernel statement: not reported by this prover.\n\n");
        text.Append(report.Axioms.Count == 0 ? "Axioms: none." : "Axioms:\n" + string.Concat(report.Axioms.Select(a => $"- `{a}`\n")));
        if (last.Version != document.Version)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n\n_(from the check of version {last.Version}; save to check again)_");
        }

        return new Hover(
            new MarkupContent(_client.MarkdownHover ? "markdown" : "plaintext", text.ToString()),
            document.Lines.RangeOf(theorem.NameStart, theorem.NameEnd));
    }

    [JsonRpcMethod("textDocument/completion", UseSingleObjectParameterDeserialization = true)]
    public async Task<CompletionList> CompletionAsync(TextDocumentPositionParams parameters, CancellationToken cancellationToken)
    {
        var uri = Required(Required(parameters?.TextDocument, "textDocument").Uri, "textDocument.uri");
        var position = Required(parameters!.Position, "position");
        var empty = new CompletionList(false, []);
        if (_documents.Get(uri) is not { Language: ProofLanguage.Coq } document)
        {
            return empty;
        }

        var offset = document.Lines.OffsetOf(position);
        var outline = SourceOutline.Of(document.Language, document.Text);
        var theorem = outline.TheoremAt(offset);
        if (theorem is null || offset < theorem.StatementEnd || !(theorem.HasHole || outline.Holes.Any(h => h.Theorem == theorem.Name)))
        {
            return empty; // completions are offered inside a proof that has a hole
        }

        var request = new SuggestionRequest(
            document.Language,
            document.Text[..theorem.Start],
            theorem.Statement,
            ProofPrefix(document.Text, theorem, offset),
            _settings.Model,
            TimeSpan.FromSeconds(_settings.TacticTimeoutSeconds));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        SuggestionList list;
        var work = Backend.SuggestAsync(request, cancellation.Token);
        Track(work);
        try
        {
            list = await work;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A completion that fails (no session, a crash) is an empty list and a log line, never a dead server.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _logger.LogWarning(exception, "Suggestions failed");
            return empty;
        }

        var items = list.Suggestions
            .Where(s => s.Effect is not SuggestionEffect.Error)
            .Select((s, i) => new CompletionItem(s.Tactic)
            {
                Detail = Effect(s, list.GoalsBefore),
                SortText = i.ToString("D4", CultureInfo.InvariantCulture),
                FilterText = s.Tactic,
                InsertText = s.Tactic,
                Documentation = new MarkupContent("plaintext", $"{Effect(s, list.GoalsBefore)} (from the {s.Source}; run in Coq from the proof state at the cursor)"),
            })
            .ToList();
        return new CompletionList(false, items);
    }

    /// <summary>What a tactic does to the goals: the label of its completion item.</summary>
    internal static string Effect(TacticSuggestion suggestion, int goalsBefore) => suggestion.Effect switch
    {
        SuggestionEffect.Proved => goalsBefore > 1 ? $"proves all {goalsBefore} goals" : "proves the goal",
        SuggestionEffect.Progress when suggestion.GoalsAfter is { } after => after == goalsBefore
            ? $"transforms the goal ({after} goal{(after == 1 ? string.Empty : "s")} left)"
            : $"{goalsBefore} → {after} goal{(after == 1 ? string.Empty : "s")}",
        SuggestionEffect.Progress => "runs; goals remain",
        SuggestionEffect.Unchecked => "a model's proposal, not run",
        _ => "fails here" + (suggestion.Message is { } message ? ": " + message : string.Empty),
    };

    /// <summary>The tactics of a proof before the cursor: the sentences after the statement, without <c>Proof.</c> and what ends a proof.</summary>
    internal static IReadOnlyList<string> ProofPrefix(string text, TheoremSpan theorem, int offset)
    {
        var body = text[theorem.StatementEnd..Math.Max(theorem.StatementEnd, offset)];
        var sentences = CoqSyntax.SplitSentences(body);
        var tactics = new List<string>();
        foreach (var sentence in sentences)
        {
            var code = sentence.Code;
            var complete = code.EndsWith('.') || code is "{" or "}" || code.All(c => c is '-' or '+' or '*');
            if (!complete || code is "Admitted." or "Qed." or "Defined." or "Abort." || code == "Proof." || code.StartsWith("Proof ", StringComparison.Ordinal))
            {
                continue;
            }

            tactics.Add(sentence.Text.Trim());
        }

        return tactics;
    }

    private static LspCommand ProveCommand(string title, string uri, string theorem) =>
        new(title, ProveCommandName, [new JObject { ["uri"] = uri, ["theorem"] = theorem }]);

    private static string FenceLanguage(ProofLanguage language) => language switch
    {
        ProofLanguage.Coq => "coq",
        ProofLanguage.Lean4 => "lean",
        ProofLanguage.Isabelle => "isabelle",
        ProofLanguage.FStar => "fstar",
        _ => "smt2",
    };
}
