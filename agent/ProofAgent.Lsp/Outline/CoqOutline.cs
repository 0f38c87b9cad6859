using System.Text.RegularExpressions;
using ProofAgent.Lsp.Text;
using ProofAgent.Provers.Coq;
using ProofAgent.Syntax;

namespace ProofAgent.Lsp.Outline;

/// <summary>
/// The outline of a Coq file from the soundness gate's own scan (<see cref="CoqSourceScan"/>), so that what the editor marks
/// as a hole is exactly what the gate counts as one. A theorem's proof is replaceable when it ends in <c>Admitted</c> or has
/// no ending, as the agent's gap finder reads it: the proof runs from the end of the statement to the end of the hole.
/// </summary>
internal static partial class CoqOutline
{
    public static SourceOutline Read(string text)
    {
        var scan = CoqSourceScan.Scan(text);
        var lines = new TextLines(text);
        var theorems = new List<TheoremSpan>();
        var holes = new List<HoleSpan>();
        foreach (var theorem in scan.Theorems)
        {
            var statement = scan.Sentences[theorem.SentenceIndex];
            var (nameStart, nameEnd) = NameSpan(text, statement, theorem.Name);
            var open = theorem.Ending is null or "Admitted";
            var proofEnd = CoqSourceScanner.ProofSpanOf(scan, theorem).ProofEnd;

            theorems.Add(new TheoremSpan(theorem.Name, statement.Start, nameStart, nameEnd, statement.End, statement.End, proofEnd, open)
            {
                Statement = statement.Text.Trim(),
            });
            if (theorem.Ending is null)
            {
                holes.Add(new HoleSpan(statement.Start, statement.End, $"proof incomplete: '{theorem.Name}' has no proof", theorem.Name));
            }
        }

        foreach (var finding in scan.Holes)
        {
            var sentence = SentenceAt(scan, lines, finding.Line, finding.Column);
            var owner = sentence is null ? null : theorems.LastOrDefault(t => t.Start <= sentence.Start && sentence.Start < Math.Max(t.ProofEnd, t.StatementEnd));
            var (start, end) = sentence is null ? (lines.LineStart(finding.Line - 1), lines.LineEnd(finding.Line - 1)) : (sentence.Start, sentence.End);
            holes.Add(new HoleSpan(start, end, "proof incomplete: " + finding.Message, owner?.Name));
        }

        return new SourceOutline(theorems, [.. holes.OrderBy(h => h.Start)]);
    }

    /// <summary>The name's offsets inside its statement sentence (after the keyword and any attribute), or the sentence start.</summary>
    private static (int Start, int End) NameSpan(string text, CoqSentence statement, string name)
    {
        var masked = CoqLexer.Mask(statement.Text);
        foreach (Match match in Word().Matches(masked))
        {
            if (match.Value == name)
            {
                return (statement.Start + match.Index, statement.Start + match.Index + match.Length);
            }
        }

        return (statement.Start, Math.Min(text.Length, statement.Start + 1));
    }

    /// <summary>The sentence a scan finding points at: it starts on the finding's line, at its column (code points).</summary>
    private static CoqSentence? SentenceAt(CoqScan scan, TextLines lines, int line, int column)
    {
        var offset = lines.OffsetOfProverPosition(line, column);
        return scan.Sentences.FirstOrDefault(s => s.Start == offset)
            ?? scan.Sentences.FirstOrDefault(s => lines.LineOf(s.Start) == line - 1);
    }

    [GeneratedRegex(@"[\p{L}_][\p{L}\p{N}_']*")]
    private static partial Regex Word();
}
