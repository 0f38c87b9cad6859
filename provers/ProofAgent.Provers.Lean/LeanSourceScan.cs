namespace ProofAgent.Provers.Lean;

internal enum LeanTokenKind
{
    Identifier,
    Keyword,
    HashCommand,
    Symbol,
    Number,
    String,
    Char,
}

/// <summary>A token of Lean source; <see cref="Line"/> 1-based, <see cref="Column"/> 1-based in code points; offsets in UTF-16 units.</summary>
internal sealed record LeanToken(LeanTokenKind Kind, string Text, int Start, int End, int Line, int Column);

/// <summary>A theorem declaration found in the source.</summary>
public sealed record LeanDeclaration(
    string Keyword,
    string Name,
    string FullName,
    int KeywordStart,
    int NameEnd,
    int? AssignStart,
    int End,
    int Line,
    int Column)
{
    /// <summary>The text between the name and <c>:=</c>: binders, colon, type.</summary>
    public string Signature(string source) => source[NameEnd..(AssignStart ?? End)];

    /// <summary>The text after <c>:=</c> up to the next command at column 1.</summary>
    public string Proof(string source) => AssignStart is { } a ? source[(a + 2)..End] : string.Empty;
}

/// <summary>The static facts the gate needs about a Lean file.</summary>
public sealed record LeanScan(
    string Header,
    int HeaderEnd,
    IReadOnlyList<LeanDeclaration> Theorems,
    IReadOnlyList<GateFinding> Violations,
    IReadOnlyList<GateFinding> Holes,
    IReadOnlyList<string> Imports);

/// <summary>
/// A comment- and string-aware scanner of Lean 4 source: splits the import header from the body, finds theorems, and reports
/// escape hatches. It never decides "proved"; it only rejects early, and the kernel, the statement check and the axiom audit
/// decide the rest.
/// </summary>
public static class LeanSourceScan
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "theorem", "lemma", "def", "example", "instance", "axiom", "axioms", "unsafe", "namespace", "section", "end", "set_option",
        "macro", "macro_rules", "syntax", "elab", "elab_rules", "declare_syntax_cat", "initialize", "builtin_initialize",
        "notation", "infix", "infixl", "infixr", "prefix", "postfix", "local", "scoped", "attribute", "variable", "include", "omit",
        "import", "open", "private", "protected", "noncomputable", "abbrev", "opaque", "structure", "inductive", "class", "universe",
        "export", "mutual", "run_cmd", "run_elab", "run_meta", "deriving", "partial", "nonrec", "public", "module",
    };

    /// <summary>Identifiers that are an escape hatch wherever they occur.</summary>
    private static readonly Dictionary<string, string> BannedIdentifiers = new(StringComparer.Ordinal)
    {
        ["implemented_by"] = "`implemented_by` replaces checked code with unchecked code",
        ["extern"] = "`extern` binds a declaration to unchecked native code",
        ["sorryAx"] = "direct use of `sorryAx` (an unproved hole)",
        ["ofReduceBool"] = "`Lean.ofReduceBool` trusts the compiler",
        ["trustCompiler"] = "`Lean.trustCompiler` trusts the compiler",
        ["command_elab"] = "a custom command elaborator can rewrite the checker's own commands",
        ["term_elab"] = "a custom term elaborator can change what the statement means",
        ["tactic_elab"] = "custom elaborators are not allowed",
        ["builtin_command_elab"] = "custom elaborators are not allowed",
        ["env_extension"] = "environment extensions are not allowed",
        ["modifyEnv"] = "editing the environment directly bypasses the kernel",
        ["addDeclWithoutChecking"] = "adding declarations without the kernel",
    };

    private static readonly Dictionary<string, string> BannedKeywords = new(StringComparer.Ordinal)
    {
        ["axiom"] = "`axiom` assumes a statement without proof",
        ["unsafe"] = "`unsafe` declarations escape the kernel",
        ["macro"] = "macros can rewrite the statement and the checker's commands",
        ["macro_rules"] = "macro rules can rewrite the statement and the checker's commands",
        ["syntax"] = "new syntax can rewrite the statement and the checker's commands",
        ["elab"] = "custom elaborators can change what is checked",
        ["elab_rules"] = "custom elaborators can change what is checked",
        ["declare_syntax_cat"] = "new syntax categories are not allowed",
        ["initialize"] = "initializers run arbitrary code",
        ["builtin_initialize"] = "initializers run arbitrary code",
        ["run_cmd"] = "`run_cmd` runs arbitrary meta code that can edit the environment",
        ["run_elab"] = "`run_elab` runs arbitrary meta code",
        ["run_meta"] = "`run_meta` runs arbitrary meta code",
        ["notation"] = "notation is a macro: it can change what the statement means and swallow the checker's commands",
        ["infix"] = "new operators are macros that can change what the statement means",
        ["infixl"] = "new operators are macros that can change what the statement means",
        ["infixr"] = "new operators are macros that can change what the statement means",
        ["prefix"] = "new operators are macros that can change what the statement means",
        ["postfix"] = "new operators are macros that can change what the statement means",
    };

    /// <summary>Commands that change the meaning of the statement's text when they precede it (statement mode only).</summary>
    private static readonly Dictionary<string, string> ContextKeywords = new(StringComparer.Ordinal)
    {
        ["instance"] = "new instances can change what the statement means",
        ["attribute"] = "attribute changes (instances, simp sets, reducibility) can change what the statement means",
        ["local"] = "`local` declarations can change what the statement means",
        ["scoped"] = "`scoped` declarations can change what the statement means",
        ["variable"] = "`variable` can add hypotheses to the theorem",
        ["include"] = "`include` can add hypotheses to the theorem",
        ["omit"] = "`omit` changes the theorem's hypotheses",
        ["export"] = "`export` changes name resolution in the statement",
    };

    private static readonly Dictionary<string, string> BannedHashCommands = new(StringComparer.Ordinal)
    {
        ["#exit"] = "`#exit` stops checking: everything after it is unchecked",
        ["#eval"] = "`#eval` runs arbitrary code that can edit the environment",
        ["#eval!"] = "`#eval` runs arbitrary code that can edit the environment",
        ["#guard_msgs"] = "`#guard_msgs` can swallow errors and sorry warnings",
        ["#print_axioms_override"] = "reserved",
    };

    /// <summary>Scans a whole file. <paramref name="statementMode"/> also bans commands that change the meaning of a statement text spliced after them.</summary>
    public static LeanScan Scan(string source, bool statementMode = false, bool allowNativeDecide = false)
    {
        var tokens = Tokenize(source);
        var violations = new List<GateFinding>();
        var holes = new List<GateFinding>();
        var (header, headerEnd, imports, bodyStart) = SplitHeader(source, tokens);
        var theorems = new List<LeanDeclaration>();
        var namespaces = new List<(string Kind, string Name)>();
        for (var i = bodyStart; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var next = i + 1 < tokens.Count ? tokens[i + 1] : null;
            switch (token.Kind)
            {
                case LeanTokenKind.Identifier:
                    var last = token.Text[(token.Text.LastIndexOf('.') + 1)..];
                    if (token.Text is "sorry" or "admit" or "stop")
                    {
                        holes.Add(new GateFinding(token.Line, token.Column, $"`{token.Text}` leaves the proof unfinished", true));
                    }
                    else if (BannedIdentifiers.TryGetValue(last, out var why))
                    {
                        violations.Add(new GateFinding(token.Line, token.Column, why, false));
                    }
                    else if (!allowNativeDecide && (last is "native_decide" || (token.Text == "native" && i > 0 && tokens[i - 1].Text == "+")))
                    {
                        violations.Add(new GateFinding(token.Line, token.Column, "`native_decide` trusts the compiler (axiom Lean.ofReduceBool)", false));
                    }

                    break;
                case LeanTokenKind.HashCommand:
                    if (BannedHashCommands.TryGetValue(token.Text, out var hashWhy))
                    {
                        violations.Add(new GateFinding(token.Line, token.Column, hashWhy, false));
                    }

                    break;
                case LeanTokenKind.Keyword:
                    if (BannedKeywords.TryGetValue(token.Text, out var keywordWhy))
                    {
                        violations.Add(new GateFinding(token.Line, token.Column, keywordWhy, false));
                    }
                    else if (statementMode && ContextKeywords.TryGetValue(token.Text, out var contextWhy))
                    {
                        violations.Add(new GateFinding(token.Line, token.Column, contextWhy, false));
                    }
                    else if (token.Text == "import")
                    {
                        violations.Add(new GateFinding(token.Line, token.Column, "`import` after the header", false));
                    }
                    else if (token.Text == "set_option" && next is { Kind: LeanTokenKind.Identifier } option &&
                             (option.Text.StartsWith("debug.", StringComparison.Ordinal) || option.Text.StartsWith("compiler.", StringComparison.Ordinal) ||
                              option.Text == "allowUnsafeReducibility"))
                    {
                        violations.Add(new GateFinding(token.Line, token.Column, $"`set_option {option.Text}` weakens checking", false));
                    }
                    else if (token.Text is "namespace" or "section" or "mutual")
                    {
                        var name = token.Text != "mutual" && next is { Kind: LeanTokenKind.Identifier } && next.Line == token.Line ? next.Text : string.Empty;
                        namespaces.Add((token.Text, name));
                    }
                    else if (token.Text == "end" && token.Column == 1)
                    {
                        if (namespaces.Count == 0)
                        {
                            violations.Add(new GateFinding(token.Line, token.Column, "`end` without an open namespace or section", false));
                        }
                        else
                        {
                            namespaces.RemoveAt(namespaces.Count - 1);
                        }
                    }
                    else if (token.Text is "theorem" or "lemma" && next is { Kind: LeanTokenKind.Identifier })
                    {
                        theorems.Add(Declaration(source, tokens, i, namespaces));
                    }

                    break;
            }
        }

        foreach (var (kind, name) in namespaces)
        {
            violations.Add(new GateFinding(0, 0, $"{kind} {name} is never closed with `end`", false));
        }

        return new LeanScan(header, headerEnd, theorems, violations, holes, imports);
    }

    /// <summary>Scans a tactic for holes (interactive sessions must not "finish" a proof with sorry).</summary>
    public static IReadOnlyList<GateFinding> ScanTactic(string tactic) => Scan(tactic).Holes.Concat(Scan(tactic).Violations).ToList();

    private static LeanDeclaration Declaration(string source, List<LeanToken> tokens, int index, List<(string Kind, string Name)> namespaces)
    {
        var keyword = tokens[index];
        var nameToken = tokens[index + 1];
        int? assign = null;
        var end = source.Length;
        var depth = 0;
        for (var j = index + 2; j < tokens.Count; j++)
        {
            var t = tokens[j];
            if (t.Column == 1 && (t.Kind is LeanTokenKind.Keyword or LeanTokenKind.HashCommand || t.Text == "@["))
            {
                end = t.Start;
                break;
            }

            if (assign is null)
            {
                if (t.Text is "(" or "[" or "{" or "⦃" or "⟨")
                {
                    depth++;
                }
                else if (t.Text is ")" or "]" or "}" or "⦄" or "⟩")
                {
                    depth--;
                }
                else if (depth == 0 && t.Text == ":=")
                {
                    assign = t.Start;
                }
            }
        }

        var prefix = string.Join('.', namespaces.Where(n => n.Kind == "namespace" && n.Name.Length > 0).Select(n => n.Name));
        var name = nameToken.Text.StartsWith("_root_.", StringComparison.Ordinal) ? nameToken.Text[7..] : nameToken.Text;
        var full = prefix.Length > 0 && !nameToken.Text.StartsWith("_root_.", StringComparison.Ordinal) ? prefix + "." + name : name;
        return new LeanDeclaration(keyword.Text, name, full, keyword.Start, nameToken.End, assign, end, keyword.Line, keyword.Column);
    }

    private static (string Header, int HeaderEnd, List<string> Imports, int BodyStart) SplitHeader(string source, List<LeanToken> tokens)
    {
        var imports = new List<string>();
        var i = 0;
        var headerEnd = 0;
        if (i < tokens.Count && tokens[i].Text == "module")
        {
            headerEnd = tokens[i].End;
            i++;
        }

        while (i < tokens.Count)
        {
            var j = i;
            if (tokens[j].Text is "public" or "private" or "meta" && j + 1 < tokens.Count && tokens[j + 1].Text == "import")
            {
                j++;
            }

            if (tokens[j].Text != "import" || j + 1 >= tokens.Count)
            {
                break;
            }

            var module = tokens[j + 1];
            if (module.Text == "all" && j + 2 < tokens.Count)
            {
                module = tokens[j + 2];
            }

            imports.Add(module.Text);
            headerEnd = module.End;
            i = tokens.IndexOf(module) + 1;
        }

        // The header runs to the end of the line of its last import.
        var newline = source.IndexOf('\n', headerEnd);
        headerEnd = imports.Count == 0 ? 0 : newline < 0 ? source.Length : newline + 1;
        return (source[..headerEnd], headerEnd, imports, i);
    }

    internal static List<LeanToken> Tokenize(string source)
    {
        var tokens = new List<LeanToken>();
        var lineStarts = new List<int> { 0 };
        for (var k = 0; k < source.Length; k++)
        {
            if (source[k] == '\n')
            {
                lineStarts.Add(k + 1);
            }
        }

        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '-' && At(source, i + 1, '-'))
            {
                var newline = source.IndexOf('\n', i);
                i = newline < 0 ? source.Length : newline;
                continue;
            }

            if (c == '/' && At(source, i + 1, '-'))
            {
                var depth = 1;
                var k = i + 2;
                while (k < source.Length && depth > 0)
                {
                    if (source[k] == '/' && At(source, k + 1, '-'))
                    {
                        depth++;
                        k += 2;
                    }
                    else if (source[k] == '-' && At(source, k + 1, '/'))
                    {
                        depth--;
                        k += 2;
                    }
                    else
                    {
                        k++;
                    }
                }

                i = k;
                continue;
            }

            var start = i;
            LeanTokenKind kind;
            if (c == '"' || (c == 'r' && (At(source, i + 1, '"') || At(source, i + 1, '#'))) && IsStringStart(source, i))
            {
                i = SkipString(source, i);
                kind = LeanTokenKind.String;
            }
            else if (c == '\'' && TryCharLiteral(source, i, out var charEnd))
            {
                i = charEnd;
                kind = LeanTokenKind.Char;
            }
            else if (c == '#' && i + 1 < source.Length && char.IsLetter(source[i + 1]))
            {
                i++;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                if (At(source, i, '!'))
                {
                    i++;
                }

                kind = LeanTokenKind.HashCommand;
            }
            else if (IsIdentStart(source, i))
            {
                i = SkipIdentifier(source, i);
                kind = LeanTokenKind.Identifier;
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                kind = LeanTokenKind.Number;
            }
            else
            {
                i += (c == ':' && At(source, i + 1, '=')) || (c == '@' && At(source, i + 1, '[')) ? 2 : char.IsHighSurrogate(c) && i + 1 < source.Length ? 2 : 1;
                kind = LeanTokenKind.Symbol;
            }

            var text = source[start..i];
            if (kind == LeanTokenKind.Identifier && Keywords.Contains(text))
            {
                kind = LeanTokenKind.Keyword;
            }

            var line = UpperBound(lineStarts, start);
            var column = CodePoints(source, lineStarts[line - 1], start) + 1;
            tokens.Add(new LeanToken(kind, text, start, i, line, column));
        }

        return tokens;
    }

    /// <summary>Code points between two UTF-16 offsets (the unit of <see cref="Diagnostic.Column"/>).</summary>
    public static int CodePoints(string text, int from, int to)
    {
        var count = 0;
        for (var k = from; k < to && k < text.Length; k++)
        {
            if (!char.IsLowSurrogate(text[k]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The UTF-16 offset of a (1-based line, 0-based code-point column) position, clamped to the line.</summary>
    public static int Offset(string text, int line, int codePointColumn)
    {
        var offset = 0;
        for (var l = 1; l < line; l++)
        {
            var newline = text.IndexOf('\n', offset);
            if (newline < 0)
            {
                return text.Length;
            }

            offset = newline + 1;
        }

        for (var c = 0; c < codePointColumn && offset < text.Length && text[offset] != '\n'; c++)
        {
            offset += char.IsHighSurrogate(text[offset]) && offset + 1 < text.Length ? 2 : 1;
        }

        return offset;
    }

    private static int UpperBound(List<int> lineStarts, int offset)
    {
        var lo = 0;
        var hi = lineStarts.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (lineStarts[mid] <= offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static bool At(string source, int index, char c) => index < source.Length && source[index] == c;

    private static bool IsStringStart(string source, int i) =>
        source[i] == '"' || (source[i] == 'r' && (i == 0 || !IsIdentRest(source[i - 1])) && source.AsSpan(i + 1).TrimStart('#').StartsWith("\""));

    private static int SkipString(string source, int i)
    {
        if (source[i] == 'r')
        {
            var hashes = 0;
            i++;
            while (At(source, i, '#'))
            {
                hashes++;
                i++;
            }

            var close = "\"" + new string('#', hashes);
            var end = source.IndexOf(close, i + 1, StringComparison.Ordinal);
            return end < 0 ? source.Length : end + close.Length;
        }

        i++;
        while (i < source.Length)
        {
            if (source[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (source[i] == '"')
            {
                return i + 1;
            }

            i++;
        }

        return source.Length;
    }

    private static bool TryCharLiteral(string source, int i, out int end)
    {
        end = i;
        var k = i + 1;
        if (k >= source.Length)
        {
            return false;
        }

        if (source[k] == '\\')
        {
            var close = source.IndexOf('\'', k + 2);
            if (close < 0 || close - k > 10)
            {
                return false;
            }

            end = close + 1;
            return true;
        }

        k += char.IsHighSurrogate(source[k]) ? 2 : 1;
        if (At(source, k, '\''))
        {
            end = k + 1;
            return true;
        }

        return false;
    }

    private static bool IsIdentStart(string source, int i)
    {
        var c = source[i];
        return c == '«' || c == '_' || (char.IsLetter(c) && c is not 'λ' and not 'Π' and not 'Σ') || IsLetterLike(c);
    }

    private static bool IsLetterLike(char c) =>
        (c >= 'α' && c <= 'ω' && c != 'λ') || (c >= 'Α' && c <= 'Ω' && c is not 'Π' and not 'Σ') || (c >= 'ϊ' && c <= 'ϻ') ||
        (c >= 'ἀ' && c <= '῾') || (c >= '℀' && c <= '⅏') || char.IsSurrogate(c);

    private static bool IsIdentRest(char c) =>
        char.IsLetterOrDigit(c) || c is '_' or '\'' or '!' or '?' || IsLetterLike(c) || IsSubscript(c);

    private static bool IsSubscript(char c) => (c >= '₀' && c <= '₉') || (c >= 'ₐ' && c <= 'ₜ') || (c >= 'ᵢ' && c <= 'ᵪ') || c == 'ⱼ';

    private static int SkipIdentifier(string source, int i)
    {
        while (true)
        {
            if (source[i] == '«')
            {
                var close = source.IndexOf('»', i + 1);
                i = close < 0 ? source.Length : close + 1;
            }
            else
            {
                i++;
                while (i < source.Length && IsIdentRest(source[i]))
                {
                    i++;
                }
            }

            if (i + 1 < source.Length && source[i] == '.' && IsIdentStart(source, i + 1))
            {
                i++;
                continue;
            }

            return i;
        }
    }
}
