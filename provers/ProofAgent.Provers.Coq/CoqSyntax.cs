using System.Text;
using System.Text.RegularExpressions;
using ProofAgent.Syntax;

namespace ProofAgent.Provers.Coq;

/// <summary>Coq source facts the checker, the session and the agent need, on top of the one Coq lexer (<see cref="CoqLexer"/>).</summary>
public static partial class CoqSyntax
{
    /// <summary>Splits a source into sentences exactly as Coq does (see <see cref="CoqLexer"/>).</summary>
    public static IReadOnlyList<CoqSentence> SplitSentences(string source) => CoqLexer.Sentences(source);

    /// <summary>
    /// Rewrites Rocq 9 library prefixes for Coq 8 (<c>From Stdlib Require</c> → <c>From Coq Require</c>, <c>Stdlib.X</c> → <c>Coq.X</c>).
    /// Comments and strings are left alone.
    /// </summary>
    public static string MapStdlibToCoq(string source) => MapStdlibToCoqWithShifts(source).Mapped;

    /// <summary>
    /// <see cref="MapStdlibToCoq(string)"/>, with where each replacement starts in the mapped text (1-based line and
    /// code-point column): every replacement makes the rest of its line 3 columns shorter, which
    /// <see cref="Unmap"/> undoes for positions that prover messages report against the mapped text.
    /// </summary>
    public static (string Mapped, IReadOnlyList<(int Line, int Column)> Shifts) MapStdlibToCoqWithShifts(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var masked = CoqLexer.Mask(source);
        var builder = new StringBuilder(source.Length);
        var shifts = new List<(int Line, int Column)>();
        var last = 0;
        foreach (Match match in StdlibPrefix().Matches(masked))
        {
            builder.Append(source, last, match.Index - last);
            var (line, column) = CoqLexer.Position(builder.ToString(), builder.Length);
            shifts.Add((line, column));
            builder.Append("Coq");
            last = match.Index + "Stdlib".Length;
        }

        builder.Append(source, last, source.Length - last);
        return (builder.ToString(), shifts);
    }

    /// <summary>A position in the mapped text, moved back to the user's text (see <see cref="MapStdlibToCoqWithShifts"/>).</summary>
    public static (int Line, int Column) Unmap(int line, int column, IReadOnlyList<(int Line, int Column)> shifts)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        var moved = shifts.Count(s => s.Line == line && s.Column + 3 <= column);
        return (line, column + (3 * moved));
    }

    /// <summary>1-based line and 1-based code-point column of an offset.</summary>
    public static (int Line, int Column) Position(string source, int offset) => CoqLexer.Position(source, offset);

    [GeneratedRegex(@"(?<![\w.'])Stdlib(?=\s*(\.|Require|\s))")]
    private static partial Regex StdlibPrefix();
}
