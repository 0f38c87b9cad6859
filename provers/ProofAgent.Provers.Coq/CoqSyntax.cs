using System.Text;
using System.Text.RegularExpressions;

namespace ProofAgent.Provers.Coq;

/// <summary>One Coq sentence: a command, a tactic, a bullet or a brace. Offsets index the source (UTF-16).</summary>
public sealed record CoqSentence(string Text, int Start, int End)
{
    /// <summary>The sentence with comments and string contents blanked out and whitespace collapsed: what keyword scans read.</summary>
    public string Code { get; init; } = Text;
}

/// <summary>Lexical facts about Coq sources that the checker, the session and the agent need.</summary>
public static partial class CoqSyntax
{
    /// <summary>
    /// Returns <paramref name="source"/> with every comment (nested <c>(* *)</c>) and string literal replaced by spaces,
    /// newlines kept, so offsets and line numbers stay valid and keyword scans cannot be fooled by comments.
    /// </summary>
    public static string MaskCommentsAndStrings(string source)
    {
        var masked = source.ToCharArray();
        var depth = 0;
        var inString = false;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (inString)
            {
                if (c == '"' && next == '"')
                {
                    Blank(i);
                    Blank(i + 1);
                    i++;
                    continue;
                }

                if (c == '"')
                {
                    inString = false;
                }
                else
                {
                    Blank(i);
                }

                continue;
            }

            if (c == '(' && next == '*')
            {
                depth++;
                Blank(i);
                Blank(i + 1);
                i++;
                continue;
            }

            if (depth > 0)
            {
                if (c == '*' && next == ')')
                {
                    depth--;
                    Blank(i);
                    Blank(i + 1);
                    i++;
                }
                else
                {
                    Blank(i);
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
            }
        }

        return new string(masked);

        void Blank(int index)
        {
            if (masked[index] is not '\n' and not '\r')
            {
                masked[index] = ' ';
            }
        }
    }

    /// <summary>
    /// Splits a source into sentences the way Coq does: a sentence ends at a period followed by whitespace or the end;
    /// bullets (<c>-</c>, <c>+</c>, <c>*</c> runs) and focus braces are sentences of their own. Comments are not sentences.
    /// </summary>
    public static IReadOnlyList<CoqSentence> SplitSentences(string source)
    {
        var masked = MaskCommentsAndStrings(source);
        var sentences = new List<CoqSentence>();
        var i = 0;
        while (i < masked.Length)
        {
            while (i < masked.Length && char.IsWhiteSpace(masked[i]))
            {
                i++;
            }

            if (i >= masked.Length)
            {
                break;
            }

            var start = i;
            var c = masked[i];
            if (c is '{' or '}')
            {
                Add(start, i + 1);
                i++;
                continue;
            }

            if (c is '-' or '+' or '*')
            {
                var j = i;
                while (j < masked.Length && masked[j] == c)
                {
                    j++;
                }

                if (j >= masked.Length || char.IsWhiteSpace(masked[j]))
                {
                    Add(start, j);
                    i = j;
                    continue;
                }
            }

            var end = -1;
            for (var j = i; j < masked.Length; j++)
            {
                if (masked[j] == '.' && (j + 1 >= masked.Length || char.IsWhiteSpace(masked[j + 1])) && (j == 0 || masked[j - 1] != '.'))
                {
                    end = j + 1;
                    break;
                }
            }

            if (end < 0)
            {
                // An unterminated tail: keep it so that callers can report it rather than silently drop it.
                Add(start, masked.Length);
                break;
            }

            Add(start, end);
            i = end;
        }

        return sentences;

        void Add(int from, int to)
        {
            var code = WhitespaceRun().Replace(masked[from..to], " ").Trim();
            if (code.Length > 0)
            {
                sentences.Add(new CoqSentence(source[from..to], from, to) { Code = code });
            }
        }
    }

    /// <summary>
    /// Rewrites Rocq 9 library prefixes for Coq 8 (<c>From Stdlib Require</c> → <c>From Coq Require</c>, <c>Stdlib.X</c> → <c>Coq.X</c>).
    /// Comments and strings are left alone.
    /// </summary>
    public static string MapStdlibToCoq(string source)
    {
        var masked = MaskCommentsAndStrings(source);
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
    public static (int Line, int Column) LineColumn(string source, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRun();

    [GeneratedRegex(@"(?<![\w.'])Stdlib(?=\s*(\.|Require|\s))")]
    private static partial Regex StdlibPrefix();
}
