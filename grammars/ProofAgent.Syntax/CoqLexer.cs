using System.Text;
using System.Text.RegularExpressions;

namespace ProofAgent.Syntax;

/// <summary>
/// One Coq sentence: a command, a tactic, a bullet or a focus brace. <see cref="Start"/> and <see cref="End"/> index the
/// source (UTF-16 offsets, <see cref="End"/> exclusive).
/// </summary>
public sealed record CoqSentence(string Text, int Start, int End)
{
    /// <summary>The sentence with comments and string contents blanked and white space folded: what keyword scans read.</summary>
    public string Code { get; init; } = Text;

    /// <summary>True when the sentence ends with its terminating period (false for the unterminated tail of a source).</summary>
    public bool IsTerminated { get; init; } = true;
}

/// <summary>Where a lexed text ends: outside everything, or inside an unterminated construct.</summary>
public enum CoqLexEnd
{
    /// <summary>Outside any comment or string, after a complete sentence (or only white space and comments).</summary>
    Clean,

    /// <summary>Outside comments and strings, but inside a sentence that has no terminating period yet.</summary>
    InSentence,

    /// <summary>Inside an unterminated comment.</summary>
    InComment,

    /// <summary>Inside an unterminated string literal (in code, or in a comment).</summary>
    InString,
}

/// <summary>The result of lexing a Coq source: the masked text, its sentences and how the text ends.</summary>
/// <param name="Masked">The source with comments and string contents blanked (quotes and line breaks kept).</param>
/// <param name="WithoutComments">The source with only the comments blanked (line breaks kept).</param>
public sealed record CoqLexing(string Source, string Masked, string WithoutComments, IReadOnlyList<CoqSentence> Sentences, CoqLexEnd End);

/// <summary>
/// Reads Coq sources with Coq's own lexical rules (Coq 8.16 <c>clexer.ml</c>), so that every component sees the
/// comments, strings and sentences Coq sees:
/// <list type="bullet">
/// <item>comments <c>(* ... *)</c> nest;</item>
/// <item>inside a comment, <c>"</c> opens a string that runs to the next unescaped <c>"</c>, and a <c>*)</c> or <c>(*</c>
/// inside that string neither closes nor opens a comment (Coq only warns: <c>comment-terminator-in-string</c>);</item>
/// <item>in strings (in code or in comments) <c>""</c> is an escaped quote;</item>
/// <item>a sentence ends at a period followed by a space, tab, newline, carriage return or the end of the text, unless
/// the period belongs to <c>..</c> (any other character after a period makes another token or a lexer error);</item>
/// <item>a bullet (a run of <c>-</c>, <c>+</c> or <c>*</c>) or a brace at the start of a sentence is a sentence of its own,
/// and so is a goal selector followed by a brace (<c>2: {</c>).</item>
/// </list>
/// A scanner that read comments differently could be shown a region as a comment or string while Coq runs it as
/// commands: the soundness gate's static scan reads only this lexer's output.
/// </summary>
public static partial class CoqLexer
{
    /// <summary>
    /// The source with every comment and the contents of every string replaced by spaces (newlines kept, string quotes
    /// kept), so offsets and line numbers stay valid and keyword scans cannot be fooled by comments or strings.
    /// </summary>
    public static string Mask(string source) => Lex(source).Masked;

    /// <summary>The sentences of a source, as Coq splits them.</summary>
    public static IReadOnlyList<CoqSentence> Sentences(string source) => Lex(source).Sentences;

    /// <summary>Lexes a source: masked text, sentences, and the state at the end of the text.</summary>
    public static CoqLexing Lex(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (masked, withoutComments, inComment, inString) = MaskCore(source);
        var sentences = Split(source, masked);
        var end = (inComment, inString) switch
        {
            (_, true) => CoqLexEnd.InString,
            (true, _) => CoqLexEnd.InComment,
            _ when sentences.Count > 0 && !sentences[^1].IsTerminated && !IsBulletOrBrace(sentences[^1].Code) => CoqLexEnd.InSentence,
            _ => CoqLexEnd.Clean,
        };
        return new CoqLexing(source, masked, withoutComments, sentences, end);
    }

    /// <summary>
    /// 1-based line and 1-based column of a UTF-16 offset, the column counted in Unicode code points (the unit every
    /// diagnostic of the service uses).
    /// </summary>
    public static (int Line, int Column) Position(string source, int offset) => SourcePosition.Of(source, offset);

    /// <summary>
    /// One pass over the source. Coq lexes strings inside comments too (a <c>*)</c> in a string does not close the comment),
    /// so a string is read the same way in code and in a comment: <c>""</c> is an escaped quote. In a comment everything
    /// is blanked, quotes included; in code a string's contents are blanked and its quotes kept.
    /// </summary>
    private static (string Masked, string WithoutComments, bool InComment, bool InString) MaskCore(string source)
    {
        var masked = source.ToCharArray();
        var withoutComments = source.ToCharArray();
        var depth = 0;
        var inString = false;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (inString && c == '"' && next == '"')
            {
                Blank(i);
                Blank(++i);
            }
            else if (c == '"')
            {
                inString = !inString;
                BlankInComment(i);
            }
            else if (inString)
            {
                Blank(i);
            }
            else if (c == '(' && next == '*')
            {
                depth++;
                Blank(i);
                Blank(++i);
            }
            else if (depth > 0 && c == '*' && next == ')')
            {
                Blank(i);
                Blank(++i);
                depth--;
            }
            else
            {
                BlankInComment(i);
            }
        }

        return (new string(masked), new string(withoutComments), depth > 0, inString);

        void BlankInComment(int index)
        {
            if (depth > 0)
            {
                Blank(index);
            }
        }

        void Blank(int index)
        {
            if (masked[index] is not '\n' and not '\r')
            {
                masked[index] = ' ';
                if (depth > 0)
                {
                    withoutComments[index] = ' ';
                }
            }
        }
    }

    private static List<CoqSentence> Split(string source, string masked)
    {
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
                Add(start, i + 1, terminated: true);
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

                Add(start, j, terminated: true);
                i = j;
                continue;
            }

            if (SelectorBrace().Match(masked, i) is { Success: true } selector)
            {
                // `2: {` focuses a goal: the brace ends the sentence, as for a bare `{`.
                Add(start, i + selector.Length, terminated: true);
                i += selector.Length;
                continue;
            }

            var end = -1;
            for (var j = i; j < masked.Length; j++)
            {
                if (masked[j] == '.' && IsSentenceEnd(masked, j))
                {
                    end = j + 1;
                    break;
                }
            }

            if (end < 0)
            {
                // An unterminated tail: kept so that callers report it rather than silently drop it.
                Add(start, masked.Length, terminated: false);
                break;
            }

            Add(start, end, terminated: true);
            i = end;
        }

        return sentences;

        void Add(int from, int to, bool terminated)
        {
            var code = Fold(masked, from, to);
            if (code.Length > 0)
            {
                sentences.Add(new CoqSentence(source[from..to], from, to) { Code = code, IsTerminated = terminated });
            }
        }
    }

    /// <summary>A period ends a sentence when a blank (space, tab, newline, return) or the end follows, and it is not part of <c>..</c>.</summary>
    private static bool IsSentenceEnd(string masked, int dot)
    {
        var after = dot + 1 < masked.Length ? masked[dot + 1] : '\0';
        var blankAfter = dot + 1 >= masked.Length || after is ' ' or '\t' or '\n' or '\r';
        var dotBefore = dot > 0 && masked[dot - 1] == '.';
        return blankAfter && !dotBefore;
    }

    private static bool IsBulletOrBrace(string code) =>
        code is "{" or "}" || (code.Length > 0 && code[0] is '-' or '+' or '*' && code.All(ch => ch == code[0]));

    private static string Fold(string masked, int from, int to)
    {
        var builder = new StringBuilder(to - from);
        var space = false;
        for (var i = from; i < to; i++)
        {
            if (char.IsWhiteSpace(masked[i]))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(masked[i]);
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"\G(?:\d+(?:\s*-\s*\d+)?(?:\s*,\s*\d+(?:\s*-\s*\d+)?)*|all|par|!|\[\s*[A-Za-z_][\w']*\s*\])\s*:\s*\{")]
    private static partial Regex SelectorBrace();
}
