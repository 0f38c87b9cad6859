using System.Text;
using System.Text.RegularExpressions;
using ProofAgent.Provers;

namespace ProofAgent.Grammars;

/// <summary>
/// Finds the first theorem statement in a whole source file (imports, definitions, proofs around it) so that
/// <see cref="StatementParser"/> can read it. The result keeps the file's length and line breaks with everything
/// else blanked out, so positions the parser reports are positions in the file.
/// </summary>
public static partial class SourceStatement
{
    /// <summary>
    /// The first <c>theorem</c>/<c>lemma</c> of <paramref name="source"/>, as <see cref="StatementParser.Parse"/> takes it:
    /// Lean 4 up to its <c>:=</c> (and a following <c>by</c>), Isabelle up to its first proof command, Coq its whole
    /// sentence. Null when the file states no theorem.
    /// </summary>
    public static string? Extract(ProofLanguage language, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return language switch
        {
            ProofLanguage.Coq => CoqSource.ExtractStatement(source),
            ProofLanguage.Lean4 => ExtractLean(source),
            ProofLanguage.Isabelle => ExtractIsabelle(source),
            _ => throw StatementParser.Unsupported(language),
        };
    }

    private static string? ExtractLean(string source) => Extract(BlankLeanComments(source), LeanTheorem(), LeanStatementEnd);

    private static string? ExtractIsabelle(string source) => Extract(BlankIsabelleComments(source), IsabelleTheorem(), IsabelleStatementEnd);

    /// <summary>
    /// The first theorem <paramref name="theorem"/> finds in the comment-free <paramref name="code"/>, from its keyword
    /// to where <paramref name="end"/> says its statement ends (null when it does not end: no statement).
    /// </summary>
    private static string? Extract(string code, Regex theorem, Func<string, Match, int?> end)
    {
        var match = theorem.Match(code);
        return match.Success && end(code, match) is { } stop ? Keep(code, match.Groups["keyword"].Index, stop) : null;
    }

    /// <summary>Lean: the statement ends at the first <c>:=</c> outside brackets (binders' default values sit inside them).</summary>
    private static int? LeanStatementEnd(string code, Match match)
    {
        var depth = 0;
        for (var i = match.Groups["keyword"].Index; i + 1 < code.Length; i++)
        {
            switch (code[i])
            {
                case '(' or '[' or '{' or '⦃':
                    depth++;
                    break;
                case ')' or ']' or '}' or '⦄':
                    depth--;
                    break;
                case ':' when depth <= 0 && code[i + 1] == '=':
                    var end = i + 2;
                    if (LeanBy().Match(code, end) is { Success: true } by)
                    {
                        end = by.Index + by.Length;
                    }

                    return end;
            }
        }

        return null;
    }

    /// <summary>Isabelle: the statement ends where its proof starts, the first proof command outside quotes and cartouches.</summary>
    private static int? IsabelleStatementEnd(string code, Match match)
    {
        var quoted = false;
        var cartouche = 0;
        for (var i = match.Groups["keyword"].Index + match.Groups["keyword"].Length; i < code.Length; i++)
        {
            if (code[i] == '"' && cartouche == 0)
            {
                quoted = !quoted;
                continue;
            }

            if (string.CompareOrdinal(code, i, "\\<open>", 0, 7) == 0)
            {
                cartouche++;
                continue;
            }

            if (string.CompareOrdinal(code, i, "\\<close>", 0, 8) == 0)
            {
                cartouche--;
                continue;
            }

            if (!quoted && cartouche == 0 && (i == 0 || !IsIsabelleWordChar(code[i - 1])) && IsabelleProofCommand().Match(code, i) is { Success: true } command && command.Index == i)
            {
                return i;
            }
        }

        return code.Length;
    }

    private static bool IsIsabelleWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '\'' or '.';

    /// <summary><paramref name="code"/> with everything outside [start, end) blanked, line breaks kept.</summary>
    private static string Keep(string code, int start, int end)
    {
        var builder = new StringBuilder(code.Length);
        for (var i = 0; i < code.Length; i++)
        {
            builder.Append((i >= start && i < end) || code[i] == '\n' ? code[i] : ' ');
        }

        return builder.ToString();
    }

    /// <summary>
    /// Blanks Isabelle's nested <c>(* *)</c> comments, keeping line breaks and everything inside string literals
    /// (<c>"..."</c>, where <c>\"</c> escapes a quote) and cartouches.
    /// </summary>
    private static string BlankIsabelleComments(string source) => BlankNestedComments(source, "(*", "*)", lineComment: null);

    /// <summary>Blanks Lean's <c>-- line</c> and nested <c>/- block -/</c> comments (strings kept), keeping line breaks.</summary>
    private static string BlankLeanComments(string source) => BlankNestedComments(source, "/-", "-/", lineComment: "--");

    /// <summary>
    /// Blanks nested block comments from <paramref name="open"/> to <paramref name="close"/> and, outside them, line
    /// comments from <paramref name="lineComment"/> to the end of the line; line breaks and string literals stay.
    /// </summary>
    private static string BlankNestedComments(string source, string open, string close, string? lineComment)
    {
        var chars = source.ToCharArray();
        var depth = 0;
        var inString = false;
        for (var i = 0; i < chars.Length; i++)
        {
            if (lineComment is not null && depth == 0 && !inString && At(chars, i, lineComment))
            {
                for (; i < chars.Length && chars[i] != '\n'; i++)
                {
                    chars[i] = ' ';
                }

                continue;
            }

            if (depth == 0 && chars[i] == '"' && (i == 0 || chars[i - 1] != '\\'))
            {
                inString = !inString;
                continue;
            }

            if (inString)
            {
                continue;
            }

            if (At(chars, i, open))
            {
                depth++;
                chars[i] = chars[i + 1] = ' ';
                i++;
                continue;
            }

            if (depth > 0 && At(chars, i, close))
            {
                depth--;
                chars[i] = chars[i + 1] = ' ';
                i++;
                continue;
            }

            if (depth > 0 && chars[i] != '\n')
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    /// <summary>True when the two characters of <paramref name="pair"/> start at <paramref name="i"/>.</summary>
    private static bool At(char[] chars, int i, string pair) => i + 1 < chars.Length && chars[i] == pair[0] && chars[i + 1] == pair[1];

    [GeneratedRegex(@"(?m)^[ \t]*(?:@\[[^\]\n]*\][ \t]*)?(?:(?:private|protected|nonrec)[ \t]+)*(?<keyword>theorem|lemma)\b")]
    private static partial Regex LeanTheorem();

    [GeneratedRegex(@"\G[ \t\r\n]*by\b")]
    private static partial Regex LeanBy();

    [GeneratedRegex(@"(?m)^[ \t]*(?<keyword>theorem|lemma|corollary|proposition|schematic_goal)\b")]
    private static partial Regex IsabelleTheorem();

    [GeneratedRegex(@"\G(?:proof|by|apply|apply_end|using|unfolding|including|supply|sorry|oops|done|qed|nitpick|sledgehammer|nunchaku|quickcheck|\.\.|\.(?=\s))(?![\w'.])")]
    private static partial Regex IsabelleProofCommand();
}
