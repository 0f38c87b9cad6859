using ProofAgent.Lsp.Documents;
using ProofAgent.Lsp.Outline;
using ProofAgent.Lsp.Text;
using ProofAgent.Provers;

namespace ProofAgent.Lsp.Server;

/// <summary>
/// Turns a check of a document into LSP diagnostics: the prover's messages where it located them (1-based lines and
/// code-point columns converted to LSP's UTF-16 positions), every hole as a warning "proof incomplete", unsound constructs
/// and axioms as errors that name them, and a verdict that no message explains (a crash, a timeout) at the top of the file.
/// </summary>
internal static class DiagnosticMapper
{
    public static IReadOnlyList<LspDiagnostic> Map(DocumentSnapshot document, SourceOutline outline, CheckResult result)
    {
        var lines = document.Lines;
        var diagnostics = new List<LspDiagnostic>();
        foreach (var hole in outline.Holes)
        {
            diagnostics.Add(new LspDiagnostic(lines.RangeOf(hole.Start, hole.End), LspSeverity.Warning, hole.Message) { Code = "hole" });
        }

        var holeStarts = outline.Holes.Select(h => h.Start).ToHashSet();
        var unsound = result.Verdict is Verdict.Unsound;
        foreach (var d in result.Diagnostics)
        {
            if (d.Severity == DiagnosticSeverity.Information && string.IsNullOrWhiteSpace(d.Message))
            {
                continue;
            }

            var start = d.Line > 0 ? lines.OffsetOfProverPosition(d.Line, Math.Max(1, d.Column)) : 0;
            if (d.Line > 0 && holeStarts.Contains(start))
            {
                continue; // the static gate's report of a hole: already a "proof incomplete" warning
            }

            var range = d.Line <= 0 ? TopOfFile(outline, lines)
                : d.EndLine is { } endLine && d.EndColumn is { } endColumn && (endLine > d.Line || endColumn > d.Column)
                    ? lines.RangeOf(start, lines.OffsetOfProverPosition(endLine, endColumn))
                    : ToEndOfWordOrLine(lines, start);
            var severity = d.Severity switch
            {
                DiagnosticSeverity.Error => LspSeverity.Error,
                DiagnosticSeverity.Warning => LspSeverity.Warning,
                _ => LspSeverity.Information,
            };
            var isUnsound = unsound && d.Severity == DiagnosticSeverity.Error;
            diagnostics.Add(new LspDiagnostic(range, severity, isUnsound ? "unsound: " + d.Message : d.Message) { Code = isUnsound ? "unsound" : "prover" });
        }

        var explained = diagnostics.Any(d => d.Severity == LspSeverity.Error);
        foreach (var theorem in result.Theorems)
        {
            var span = Find(outline, theorem.Name);
            var range = span is null ? TopOfFile(outline, lines) : lines.RangeOf(span.NameStart, span.NameEnd);
            switch (theorem.Verdict)
            {
                case Verdict.Unsound u:
                    diagnostics.Add(new LspDiagnostic(range, LspSeverity.Error, $"unsound: '{theorem.Name}' {string.Join("; ", u.Violations)}") { Code = "unsound" });
                    explained = true;
                    break;
                case Verdict.Incomplete i when span is not null && !span.HasHole && !outline.Holes.Any(h => h.Theorem == span.Name):
                    // Its own proof is closed, but it rests on a theorem that is a hole.
                    diagnostics.Add(new LspDiagnostic(range, LspSeverity.Warning, $"proof incomplete: '{theorem.Name}' {string.Join("; ", i.Holes)}") { Code = "hole" });
                    break;
            }
        }

        var top = TopOfFile(outline, lines);
        switch (result.Verdict)
        {
            case Verdict.Failed f when !explained:
                diagnostics.Add(new LspDiagnostic(top, LspSeverity.Error, f.Summary) { Code = "verdict" });
                break;
            case Verdict.Unsound u when !explained:
                diagnostics.Add(new LspDiagnostic(top, LspSeverity.Error, u.Summary) { Code = "unsound" });
                break;
            case Verdict.Incomplete i when outline.Holes.Count == 0 && !diagnostics.Any(d => d.Code == "hole"):
                diagnostics.Add(new LspDiagnostic(top, LspSeverity.Warning, "proof incomplete: " + string.Join("; ", i.Holes)) { Code = "hole" });
                break;
            case Verdict.Timeout t:
                diagnostics.Add(new LspDiagnostic(top, LspSeverity.Warning, t.Summary + " (the checkTimeoutSeconds setting)") { Code = "verdict" });
                break;
            case Verdict.Unavailable n:
                diagnostics.Add(new LspDiagnostic(top, LspSeverity.Warning, n.Summary) { Code = "verdict" });
                break;
            case Verdict.Error e:
                diagnostics.Add(new LspDiagnostic(top, LspSeverity.Error, "the prover failed: " + e.Reason) { Code = "verdict" });
                break;
        }

        return [.. diagnostics.OrderBy(d => d.Range.Start.Line).ThenBy(d => d.Range.Start.Character)];
    }

    /// <summary>A diagnostic for a check that could not run at all (an exception in the checker or the backend).</summary>
    public static IReadOnlyList<LspDiagnostic> Crash(DocumentSnapshot document, SourceOutline outline, string reason) =>
        [new LspDiagnostic(TopOfFile(outline, document.Lines), LspSeverity.Error, "the prover failed: " + reason) { Code = "verdict" }];

    internal static TheoremSpan? Find(SourceOutline outline, string reportedName) =>
        outline.Theorem(reportedName) ?? outline.Theorems.FirstOrDefault(t => reportedName.EndsWith("." + t.Name, StringComparison.Ordinal));

    /// <summary>Where a message about the whole file goes: the first line.</summary>
    private static LspRange TopOfFile(SourceOutline outline, TextLines lines) => lines.LineRange(0);

    private static LspRange ToEndOfWordOrLine(TextLines lines, int start)
    {
        var (_, wordEnd) = lines.WordAt(start);
        var lineEnd = lines.LineEnd(lines.LineOf(start));
        return lines.RangeOf(start, wordEnd > start ? wordEnd : Math.Max(start, lineEnd));
    }
}
