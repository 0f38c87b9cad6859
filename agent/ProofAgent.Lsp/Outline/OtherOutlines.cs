using ProofAgent.Lsp.Text;
using ProofAgent.Provers.FStar;
using ProofAgent.Provers.Isabelle;
using ProofAgent.Provers.Lean;

namespace ProofAgent.Lsp.Outline;

/// <summary>
/// Outlines of the languages proved file by file (Lean 4, Isabelle, F*), from each soundness gate's scan. Their proofs are
/// found for the whole file (the agent's portfolio fills every hole), so a theorem's proof span is only used to place lenses.
/// </summary>
internal static class OtherOutlines
{
    public static SourceOutline Lean(string text)
    {
        var scan = LeanSourceScan.Scan(text);
        var lines = new TextLines(text);
        var holes = scan.Holes.Select(h => Hole(lines, h.Line, h.Column, h.Message)).ToList();
        var theorems = scan.Theorems.Select(t =>
        {
            var nameStart = t.NameEnd - t.Name.Length >= 0 && text.AsSpan(t.NameEnd - t.Name.Length, t.Name.Length).SequenceEqual(t.Name) ? t.NameEnd - t.Name.Length : t.KeywordStart;
            var statementEnd = t.AssignStart ?? t.End;
            return new TheoremSpan(t.Name, t.KeywordStart, nameStart, t.NameEnd, statementEnd, statementEnd, t.End, holes.Any(h => h.Start >= t.KeywordStart && h.Start < t.End))
            {
                Statement = text[t.KeywordStart..statementEnd].Trim(),
            };
        }).ToList();
        return new SourceOutline(theorems, Owned(holes, theorems));
    }

    public static SourceOutline Isabelle(string text)
    {
        var scan = IsabelleSourceScan.Scan(text);
        var lines = new TextLines(text);
        var holes = scan.Holes.Select(h => Hole(lines, h.Line, h.Column, h.Message)).ToList();
        var starts = scan.Theorems.Select(t => lines.LineStart(t.Line - 1)).ToList();
        var theorems = new List<TheoremSpan>();
        for (var i = 0; i < scan.Theorems.Count; i++)
        {
            var theorem = scan.Theorems[i];
            var start = starts[i];
            var end = i + 1 < starts.Count ? starts[i + 1] : text.Length;
            var lineEnd = lines.LineEnd(theorem.Line - 1);
            var at = theorem.NameAssigned ? -1 : text.IndexOf(theorem.Name, start, lineEnd - start, StringComparison.Ordinal);
            var (nameStart, nameEnd) = at >= 0 ? (at, at + theorem.Name.Length) : (start, lineEnd);
            theorems.Add(new TheoremSpan(theorem.Name, start, nameStart, nameEnd, lineEnd, lineEnd, end, holes.Any(h => h.Start >= start && h.Start < end))
            {
                Statement = theorem.Statement,
            });
        }

        return new SourceOutline(theorems, Owned(holes, theorems));
    }

    /// <summary>F*: holes only (the agent has no proof portfolio for F*, so no theorem is offered to prove).</summary>
    public static SourceOutline FStar(string text)
    {
        var lines = new TextLines(text);
        return new SourceOutline([], [.. FStarSourceScan.Scan(text).Holes.Select(h => Hole(lines, h.Line, h.Column, h.Message))]);
    }

    private static HoleSpan Hole(TextLines lines, int line, int column, string message)
    {
        var start = lines.OffsetOfProverPosition(line, column);
        var end = lines.WordAt(start).End;
        return new HoleSpan(start, end > start ? end : Math.Min(lines.Text.Length, start + 1), "proof incomplete: " + message, null);
    }

    private static List<HoleSpan> Owned(List<HoleSpan> holes, List<TheoremSpan> theorems) =>
        [.. holes.Select(h => h with { Theorem = theorems.LastOrDefault(t => t.Start <= h.Start && h.Start < t.ProofEnd)?.Name }).OrderBy(h => h.Start)];
}
