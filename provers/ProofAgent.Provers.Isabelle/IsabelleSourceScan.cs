namespace ProofAgent.Provers.Isabelle;

/// <summary>A top-level goal statement (<c>lemma</c>, <c>theorem</c>, ...): its name (given or assigned) and statement text.</summary>
public sealed record IsabelleTheorem(string Name, bool NameAssigned, int Line, string Keyword, string Statement);

/// <summary>What the static gate saw: theory header, goals, escape hatches and holes, and the text to give Isabelle.</summary>
public sealed record IsabelleScan(
    string? TheoryName,
    IReadOnlyList<string> Imports,
    IReadOnlyList<IsabelleTheorem> Theorems,
    IReadOnlyList<GateFinding> Findings,
    string RewrittenSource,
    IsabelleSourceMap Map)
{
    public IEnumerable<GateFinding> Violations => Findings.Where(f => !f.IsHole);

    public IEnumerable<GateFinding> Holes => Findings.Where(f => f.IsHole);
}

/// <summary>
/// Maps UTF-16 indexes of the text written for Isabelle back to the user's text, when the service inserted names into
/// unnamed goals (insertions never span lines, so line numbers are unchanged).
/// </summary>
public sealed class IsabelleSourceMap(string original, string rewritten, IReadOnlyList<(int RewrittenIndex, int Length)> insertions)
{
    public string Original => original;

    public string Rewritten => rewritten;

    /// <summary>The user's index of a rewritten index (indexes inside an insertion map to its start).</summary>
    public int ToOriginal(int rewrittenIndex)
    {
        var shift = 0;
        foreach (var (at, length) in insertions)
        {
            if (rewrittenIndex < at)
            {
                break;
            }

            shift += Math.Min(length, rewrittenIndex - at);
        }

        return rewrittenIndex - shift;
    }

    /// <summary>
    /// Converts a server position (1-based symbol offsets into the rewritten text) to a diagnostic position in the
    /// user's text; falls back to the reported line when offsets are absent or out of range.
    /// </summary>
    public (int Line, int Column, int? EndLine, int? EndColumn) Locate(IsabellePosition? position)
    {
        if (position is null)
        {
            return (0, 0, null, null);
        }

        if (position.Offset is { } offset && IsabelleSymbols.IndexOfOffset(rewritten, offset) is { } start)
        {
            var (line, column) = IsabelleSymbols.LineColumn(original, ToOriginal(start));
            if (position.EndOffset is { } endOffset && IsabelleSymbols.IndexOfOffset(rewritten, endOffset) is { } end)
            {
                var (endLine, endColumn) = IsabelleSymbols.LineColumn(original, ToOriginal(end));
                return (line, column, endLine, endColumn);
            }

            return (line, column, null, null);
        }

        return (position.Line ?? 0, position.Line is null ? 0 : 1, null, null);
    }
}

/// <summary>
/// The static half of the Isabelle soundness gate: an outer-syntax tokenizer (comments, strings, cartouches, verbatim
/// text are skipped) that rejects holes (<c>sorry</c>, <c>oops</c>, <c>\&lt;proof&gt;</c>) and escape hatches (axioms,
/// embedded ML, oracles, <c>quick_and_dirty</c>, path imports), and names unnamed goals so the oracle audit can cite them.
/// </summary>
public static class IsabelleSourceScan
{
    private static readonly HashSet<string> GoalKeywords = new(StringComparer.Ordinal) { "lemma", "theorem", "corollary", "proposition", "schematic_goal" };

    private static readonly HashSet<string> Holes = new(StringComparer.Ordinal) { "sorry", "oops", "\\<proof>", "admit" };

    /// <summary>Outer commands that assert axioms or run arbitrary ML (which can declare oracles or change options).</summary>
    private static readonly Dictionary<string, string> Forbidden = new(StringComparer.Ordinal)
    {
        ["axiomatization"] = "'axiomatization' asserts unproved axioms",
        ["axioms"] = "'axioms' asserts unproved axioms",
        ["oracle"] = "'oracle' declares a trusted external reasoner",
        ["ML"] = "embedded ML can bypass the proof checker's bookkeeping",
        ["ML_file"] = "ML files can bypass the proof checker's bookkeeping",
        ["ML_file_debug"] = "ML files can bypass the proof checker's bookkeeping",
        ["ML_file_no_debug"] = "ML files can bypass the proof checker's bookkeeping",
        ["ML_val"] = "embedded ML is not allowed",
        ["ML_command"] = "embedded ML is not allowed",
        ["ML_prf"] = "embedded ML is not allowed",
        ["ML_export"] = "embedded ML is not allowed",
        ["ML_import"] = "embedded ML is not allowed",
        ["SML_file"] = "embedded ML is not allowed",
        ["SML_file_debug"] = "embedded ML is not allowed",
        ["SML_file_no_debug"] = "embedded ML is not allowed",
        ["SML_import"] = "embedded ML is not allowed",
        ["SML_export"] = "embedded ML is not allowed",
        ["setup"] = "'setup' runs ML on the theory",
        ["local_setup"] = "'local_setup' runs ML on the context",
        ["method_setup"] = "'method_setup' defines proof methods in ML",
        ["attribute_setup"] = "'attribute_setup' defines attributes in ML",
        ["simproc_setup"] = "'simproc_setup' defines simplification procedures in ML",
        ["declaration"] = "'declaration' runs ML on the context",
        ["syntax_declaration"] = "'syntax_declaration' runs ML on the context",
        ["parse_translation"] = "syntax translations in ML are not allowed",
        ["print_translation"] = "syntax translations in ML are not allowed",
        ["typed_print_translation"] = "syntax translations in ML are not allowed",
        ["parse_ast_translation"] = "syntax translations in ML are not allowed",
        ["print_ast_translation"] = "syntax translations in ML are not allowed",
        ["code_reflect"] = "'code_reflect' compiles and runs ML",
        ["quick_and_dirty"] = "'quick_and_dirty' lets proofs be skipped",
        ["skip_proofs"] = "'skip_proofs' lets proofs be skipped",
        ["smt_oracle"] = "'smt_oracle' trusts the SMT solver without proof reconstruction",
        ["cheat_tac"] = "'cheat_tac' closes goals without proof",
    };

    /// <summary>Words that must not appear anywhere, even inside strings or cartouches (attribute and option syntax hides there).</summary>
    private static readonly string[] ForbiddenAnywhere = ["quick_and_dirty", "skip_proofs", "smt_oracle", "cheat_tac", "Skip_Proof", "Thm.add_oracle"];

    internal enum TokenKind
    {
        Word,
        String,
        Cartouche,
        Symbol,
        Other,
    }

    internal readonly record struct Token(TokenKind Kind, string Text, int Index);

    public static IsabelleScan Scan(string source)
    {
        var tokens = Tokenize(source, out var unterminated);
        var findings = new List<GateFinding>();
        if (unterminated is { } open)
        {
            var (l, c) = IsabelleSymbols.LineColumn(source, open.Index);
            findings.Add(new GateFinding(l, c, $"unterminated {open.What}", false));
        }

        foreach (var token in tokens)
        {
            var (line, column) = IsabelleSymbols.LineColumn(source, token.Index);
            if (token.Kind is TokenKind.Word or TokenKind.Symbol && Holes.Contains(token.Text))
            {
                findings.Add(new GateFinding(line, column, $"'{token.Text}' leaves a goal unproved", true));
            }
            else if (token.Kind == TokenKind.Word && Forbidden.TryGetValue(token.Text, out var why))
            {
                findings.Add(new GateFinding(line, column, why, false));
            }
        }

        foreach (var word in ForbiddenAnywhere)
        {
            for (var at = source.IndexOf(word, StringComparison.Ordinal); at >= 0; at = source.IndexOf(word, at + 1, StringComparison.Ordinal))
            {
                var (line, column) = IsabelleSymbols.LineColumn(source, at);
                if (!findings.Any(f => f.Line == line && f.Column == column))
                {
                    findings.Add(new GateFinding(line, column, $"'{word}' is not allowed anywhere in a candidate", false));
                }
            }
        }

        var (theoryName, imports, headerFindings) = ReadHeader(source, tokens);
        findings.AddRange(headerFindings);
        var (theorems, rewritten, insertions) = NameGoals(source, tokens);
        findings.Sort((a, b) => a.Line != b.Line ? a.Line.CompareTo(b.Line) : a.Column.CompareTo(b.Column));
        return new IsabelleScan(theoryName, imports, theorems, findings, rewritten, new IsabelleSourceMap(source, rewritten, insertions));
    }

    private static (string? Name, IReadOnlyList<string> Imports, IReadOnlyList<GateFinding> Findings) ReadHeader(string source, IReadOnlyList<Token> tokens)
    {
        var findings = new List<GateFinding>();
        var theoryAt = -1;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind == TokenKind.Word && tokens[i].Text == "theory")
            {
                theoryAt = i;
                break;
            }
        }

        if (theoryAt < 0 || theoryAt + 1 >= tokens.Count)
        {
            findings.Add(new GateFinding(1, 1, "the text has no 'theory NAME imports ... begin' header", false));
            return (null, [], findings);
        }

        var name = Unquote(tokens[theoryAt + 1]);
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '\''))
        {
            var (l, c) = IsabelleSymbols.LineColumn(source, tokens[theoryAt + 1].Index);
            findings.Add(new GateFinding(l, c, $"theory name '{name}' is not a plain identifier", false));
        }

        var imports = new List<string>();
        var inImports = false;
        for (var i = theoryAt + 2; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == TokenKind.Word && token.Text == "begin")
            {
                break;
            }

            if (token.Kind == TokenKind.Word && token.Text is "imports")
            {
                inImports = true;
                continue;
            }

            if (token.Kind == TokenKind.Word && token.Text is "keywords" or "abbrevs")
            {
                inImports = false;
                continue;
            }

            if (inImports && token.Kind is TokenKind.Word or TokenKind.String)
            {
                var imported = Unquote(token);
                imports.Add(imported);
                if (imported.Contains('/', StringComparison.Ordinal) || imported.Contains('$', StringComparison.Ordinal) || imported.StartsWith('~'))
                {
                    var (l, c) = IsabelleSymbols.LineColumn(source, token.Index);
                    findings.Add(new GateFinding(l, c, $"import '{imported}' names a file path; only session-qualified theory names are allowed", false));
                }
            }
        }

        return (name, imports, findings);
    }

    private static (IReadOnlyList<IsabelleTheorem>, string, IReadOnlyList<(int, int)>) NameGoals(string source, IReadOnlyList<Token> tokens)
    {
        var theorems = new List<IsabelleTheorem>();
        var insertions = new List<(int At, string Text)>();
        var unnamed = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != TokenKind.Word || !GoalKeywords.Contains(token.Text))
            {
                continue;
            }

            var j = i + 1;
            if (j + 3 < tokens.Count && tokens[j].Text == "(" && tokens[j + 1].Text == "in" && tokens[j + 3].Text == ")")
            {
                j += 4;
            }

            var (line, _) = IsabelleSymbols.LineColumn(source, token.Index);
            var end = StatementEnd(tokens, j);
            var statementStart = j < tokens.Count ? tokens[j].Index : source.Length;
            var statementEnd = end < tokens.Count ? tokens[end].Index : source.Length;
            var statement = source[statementStart..statementEnd];
            if (j + 1 < tokens.Count && tokens[j].Kind == TokenKind.Word && !IsStatementKeyword(tokens[j].Text) && (tokens[j + 1].Text is ":" or "["))
            {
                theorems.Add(new IsabelleTheorem(tokens[j].Text, false, line, token.Text, Normalize(statement)));
                continue;
            }

            unnamed++;
            var name = $"proofagent_goal_{unnamed}";
            var hasAttributes = j < tokens.Count && tokens[j].Text == "[";
            var at = j < tokens.Count ? tokens[j].Index : source.Length;
            insertions.Add((at, hasAttributes ? name + " " : name + ": "));
            theorems.Add(new IsabelleTheorem(name, true, line, token.Text, Normalize(statement)));
        }

        var builder = new StringBuilder(source.Length + (insertions.Count * 24));
        var map = new List<(int, int)>();
        var last = 0;
        foreach (var (at, text) in insertions)
        {
            builder.Append(source, last, at - last);
            map.Add((builder.Length, text.Length));
            builder.Append(text);
            last = at;
        }

        builder.Append(source, last, source.Length - last);
        return (theorems, builder.ToString(), map);
    }

    private static bool IsStatementKeyword(string word) =>
        word is "assumes" or "shows" or "fixes" or "obtains" or "defines" or "includes" or "notes" or "constrains";

    /// <summary>The statement ends where the proof starts.</summary>
    private static int StatementEnd(IReadOnlyList<Token> tokens, int from)
    {
        for (var k = from; k < tokens.Count; k++)
        {
            if (tokens[k].Kind == TokenKind.Word && tokens[k].Text is "by" or "proof" or "apply" or "using" or "unfolding" or "sorry" or "oops" or "." or ".." or "including" or "supply" or "subgoal" or "done")
            {
                return k;
            }

            if (tokens[k].Kind == TokenKind.Other && tokens[k].Text is "." or "..")
            {
                return k;
            }
        }

        return tokens.Count;
    }

    /// <summary>Collapses whitespace and drops a leading name, so statements compare by content.</summary>
    internal static string Normalize(string statement) =>
        string.Join(' ', statement.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private static string Unquote(Token token) =>
        token.Kind == TokenKind.String && token.Text.Length >= 2 ? token.Text[1..^1] : token.Text;

    internal static List<Token> Tokenize(string s, out (int Index, string What)? unterminated)
    {
        unterminated = null;
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '(' && At(s, i, "(*"))
            {
                var start = i;
                (i, var closed) = SkipNested(s, i, CommentDelimiter);
                if (!closed)
                {
                    unterminated = (start, "comment");
                }

                continue;
            }

            if (c is '"' or '`')
            {
                var start = i;
                i++;
                while (i < s.Length && s[i] != c)
                {
                    i += s[i] == '\\' && i + 1 < s.Length && s[i + 1] != '<' ? 2 : 1;
                }

                if (i >= s.Length)
                {
                    unterminated = (start, "string");
                }

                i = Math.Min(i + 1, s.Length);
                tokens.Add(new Token(TokenKind.String, s[start..i], start));
                continue;
            }

            if (c == '{' && At(s, i, "{*"))
            {
                var start = i;
                var close = s.IndexOf("*}", i + 2, StringComparison.Ordinal);
                i = close < 0 ? s.Length : close + 2;
                if (close < 0)
                {
                    unterminated = (start, "verbatim text");
                }

                tokens.Add(new Token(TokenKind.Cartouche, s[start..i], start));
                continue;
            }

            if (c == '‹' || At(s, i, "\\<open>"))
            {
                var start = i;
                (i, var closed) = SkipNested(s, i, CartoucheDelimiter);
                if (!closed)
                {
                    unterminated = (start, "cartouche");
                }

                tokens.Add(new Token(TokenKind.Cartouche, s[start..i], start));
                continue;
            }

            if (c == '\\' && i + 1 < s.Length && s[i + 1] == '<')
            {
                var length = IsabelleSymbols.SymbolLength(s, i);
                if (s.AsSpan(i, length).SequenceEqual("\\<comment>"))
                {
                    i += length;
                    continue; // the cartouche that follows is skipped as a token of its own
                }

                tokens.Add(new Token(TokenKind.Symbol, s.Substring(i, length), i));
                i += length;
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or '\'' or '.'))
                {
                    i++;
                }

                var word = s[start..i].TrimEnd('.');
                i = start + word.Length;
                tokens.Add(new Token(TokenKind.Word, word, start));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Other, s[start..i], start));
                continue;
            }

            var dots = c == '.' && At(s, i, "..") ? 2 : 1;
            tokens.Add(new Token(TokenKind.Other, s.Substring(i, dots), i));
            i += dots;
        }

        return tokens;
    }

    /// <summary>
    /// Just past the block that opens at <paramref name="i"/> (comments and cartouches nest), or the end of the text when
    /// it is never closed. <paramref name="delimiter"/> gives the length of the opening (positive) or closing (negative)
    /// delimiter at an index, 0 at any other character.
    /// </summary>
    private static (int End, bool Closed) SkipNested(string s, int i, Func<string, int, int> delimiter)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var length = delimiter(s, i);
            if (length > 0)
            {
                depth++;
                i += length;
            }
            else if (length < 0)
            {
                depth--;
                i -= length;
                if (depth == 0)
                {
                    break;
                }
            }
            else
            {
                i++;
            }
        }

        return (i, depth == 0);
    }

    private static int CommentDelimiter(string s, int i) => At(s, i, "(*") ? 2 : At(s, i, "*)") ? -2 : 0;

    private static int CartoucheDelimiter(string s, int i) =>
        s[i] == '‹' ? 1 : At(s, i, "\\<open>") ? 7 : s[i] == '›' ? -1 : At(s, i, "\\<close>") ? -8 : 0;

    private static bool At(string s, int i, string what) => string.CompareOrdinal(s, i, what, 0, what.Length) == 0;
}
