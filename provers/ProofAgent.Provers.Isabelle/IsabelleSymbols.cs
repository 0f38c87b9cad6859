using ProofAgent.Syntax;

namespace ProofAgent.Provers.Isabelle;

/// <summary>
/// Isabelle counts source offsets in symbols: <c>\&lt;forall&gt;</c> and <c>\&lt;^sub&gt;</c> are one symbol each,
/// as are a CR-LF pair and any single Unicode code point. This converts symbol offsets to the service's unit
/// (1-based line, 1-based column in Unicode code points of the user's text).
/// </summary>
public static class IsabelleSymbols
{
    /// <summary>The UTF-16 index where each symbol of <paramref name="text"/> starts, plus a final entry at text.Length.</summary>
    public static IReadOnlyList<int> SymbolStarts(string text)
    {
        var starts = new List<int>(text.Length + 1);
        var i = 0;
        while (i < text.Length)
        {
            starts.Add(i);
            i += SymbolLength(text, i);
        }

        starts.Add(text.Length);
        return starts;
    }

    /// <summary>The length in UTF-16 units of the symbol starting at <paramref name="index"/>.</summary>
    public static int SymbolLength(string text, int index)
    {
        var c = text[index];
        if (c == '\\' && index + 2 < text.Length && text[index + 1] == '<')
        {
            var j = index + 2;
            if (j < text.Length && text[j] == '^')
            {
                j++;
            }

            var nameStart = j;
            while (j < text.Length && (char.IsAsciiLetterOrDigit(text[j]) || text[j] is '_' or '\''))
            {
                j++;
            }

            if (j > nameStart && char.IsAsciiLetter(text[nameStart]) && j < text.Length && text[j] == '>')
            {
                return j + 1 - index;
            }
        }

        if (c == '\r' && index + 1 < text.Length && text[index + 1] == '\n')
        {
            return 2;
        }

        return char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
    }

    /// <summary>
    /// The UTF-16 index in <paramref name="text"/> of the 1-based symbol offset (offset count+1 is the end of the text).
    /// Returns null when the offset lies outside the text.
    /// </summary>
    public static int? IndexOfOffset(string text, int offset)
    {
        var starts = SymbolStarts(text);
        return offset >= 1 && offset <= starts.Count ? starts[offset - 1] : null;
    }

    /// <summary>The 1-based line and code-point column of a UTF-16 index.</summary>
    public static (int Line, int Column) LineColumn(string text, int index) => SourcePosition.Of(text, index);

    /// <summary>Renders common symbols as Unicode for people (messages keep the symbolic form by default).</summary>
    public static string ToUnicode(string text)
    {
        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var length = SymbolLength(text, i);
            var symbol = text.Substring(i, length);
            builder.Append(length > 3 && Unicode.TryGetValue(symbol, out var rendered) ? rendered : symbol);
            i += length;
        }

        return builder.ToString();
    }

    private static readonly Dictionary<string, string> Unicode = new(StringComparer.Ordinal)
    {
        ["\\<forall>"] = "∀",
        ["\\<exists>"] = "∃",
        ["\\<And>"] = "⋀",
        ["\\<Longrightarrow>"] = "⟹",
        ["\\<longrightarrow>"] = "⟶",
        ["\\<Rightarrow>"] = "⇒",
        ["\\<rightarrow>"] = "→",
        ["\\<and>"] = "∧",
        ["\\<or>"] = "∨",
        ["\\<not>"] = "¬",
        ["\\<noteq>"] = "≠",
        ["\\<le>"] = "≤",
        ["\\<ge>"] = "≥",
        ["\\<in>"] = "∈",
        ["\\<notin>"] = "∉",
        ["\\<lambda>"] = "λ",
        ["\\<equiv>"] = "≡",
        ["\\<longleftrightarrow>"] = "⟷",
        ["\\<open>"] = "‹",
        ["\\<close>"] = "›",
        ["\\<times>"] = "×",
        ["\\<union>"] = "∪",
        ["\\<inter>"] = "∩",
        ["\\<subseteq>"] = "⊆",
        ["\\<bar>"] = "¦",
        ["\\<bottom>"] = "⊥",
        ["\\<top>"] = "⊤",
        ["\\<circ>"] = "∘",
    };
}
