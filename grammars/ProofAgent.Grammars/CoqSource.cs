using System.Text;
using System.Text.RegularExpressions;

namespace ProofAgent.Grammars;

/// <summary>Finds the theorem statement inside a Coq <c>.v</c> file (imports, definitions and the proof are not parsed).</summary>
public static partial class CoqSource
{
    /// <summary>
    /// Returns the file text with everything except the first <c>Theorem/Lemma/... name ... .</c> sentence blanked out
    /// (newlines kept), so that positions reported by the parser are positions in the file. Null when there is no theorem.
    /// </summary>
    public static string? ExtractStatement(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var code = BlankComments(source);
        var match = TheoremKeyword().Match(code);
        if (!match.Success)
        {
            return null;
        }

        var end = SentenceEnd(code, match.Index);
        var builder = new StringBuilder(code.Length);
        for (var i = 0; i < code.Length; i++)
        {
            var inside = i >= match.Index && i <= end;
            builder.Append(inside || code[i] == '\n' ? code[i] : ' ');
        }

        return builder.ToString();
    }

    /// <summary>The index of the <c>.</c> that ends the sentence starting at <paramref name="start"/> (or the last index).</summary>
    private static int SentenceEnd(string code, int start)
    {
        var depth = 0;
        for (var i = start; i < code.Length; i++)
        {
            switch (code[i])
            {
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
                case '.' when depth <= 0 && (i + 1 == code.Length || char.IsWhiteSpace(code[i + 1])) && (i == 0 || code[i - 1] != '.'):
                    return i;
            }
        }

        return code.Length - 1;
    }

    /// <summary>Replaces (nested) <c>(* *)</c> comments with spaces, keeping newlines and string literals (Coq's and Isabelle's outer syntax alike).</summary>
    internal static string BlankComments(string source)
    {
        var chars = source.ToCharArray();
        var depth = 0;
        var inString = false;
        for (var i = 0; i < chars.Length; i++)
        {
            if (depth == 0 && chars[i] == '"')
            {
                inString = !inString;
                continue;
            }

            if (inString)
            {
                continue;
            }

            if (i + 1 < chars.Length && chars[i] == '(' && chars[i + 1] == '*')
            {
                depth++;
                chars[i] = chars[i + 1] = ' ';
                i++;
                continue;
            }

            if (depth > 0 && i + 1 < chars.Length && chars[i] == '*' && chars[i + 1] == ')')
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

    [GeneratedRegex(@"(?<![\w.])(Theorem|Lemma|Example|Corollary|Proposition|Fact|Remark)\s", RegexOptions.CultureInvariant)]
    private static partial Regex TheoremKeyword();
}
