using System.Text;
using ProofAgent.Syntax;

namespace ProofAgent.Grammars;

/// <summary>Finds the theorem statement inside a Coq <c>.v</c> file (imports, definitions and the proof are not parsed).</summary>
public static class CoqSource
{
    private static readonly string[] TheoremKeywords = ["Theorem", "Lemma", "Example", "Corollary", "Proposition", "Fact", "Remark"];

    /// <summary>
    /// Returns the file text with everything except the first <c>Theorem/Lemma/... name ... .</c> sentence blanked out
    /// (newlines kept), so that positions reported by the parser are positions in the file. Sentences, comments and
    /// strings are read with Coq's own rules (<see cref="CoqLexer"/>). Null when there is no theorem.
    /// </summary>
    public static string? ExtractStatement(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var lexing = CoqLexer.Lex(source);
        var statement = lexing.Sentences.FirstOrDefault(s => Array.IndexOf(TheoremKeywords, s.Code.Split(' ')[0]) >= 0);
        if (statement is null)
        {
            return null;
        }

        var builder = new StringBuilder(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            var inside = i >= statement.Start && i < statement.End;
            builder.Append(inside || source[i] == '\n' ? lexing.WithoutComments[i] : ' ');
        }

        return builder.ToString();
    }
}
