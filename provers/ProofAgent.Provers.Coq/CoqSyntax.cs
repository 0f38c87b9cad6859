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
    public static string MapStdlibToCoq(string source)
    {
        var masked = CoqLexer.Mask(source);
        var builder = new StringBuilder(source.Length);
        var last = 0;
        foreach (Match match in StdlibPrefix().Matches(masked))
        {
            builder.Append(source, last, match.Index - last).Append("Coq");
            last = match.Index + "Stdlib".Length;
        }

        builder.Append(source, last, source.Length - last);
        return builder.ToString();
    }

    /// <summary>1-based line and 0-based UTF-16 column of an offset.</summary>
    public static (int Line, int Column) LineColumn(string source, int offset) => CoqLexer.LineColumn(source, offset);

    [GeneratedRegex(@"(?<![\w.'])Stdlib(?=\s*(\.|Require|\s))")]
    private static partial Regex StdlibPrefix();
}
