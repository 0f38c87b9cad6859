using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Syntax;

namespace ProofAgent.Api.Http;

/// <summary>
/// The rules that keep <c>header + statement + proof</c> from being subverted by one of its parts: each part must end
/// at a sentence boundary outside any comment or string (a header that ends inside an open comment would swallow the
/// statement), the statement part declares the theorem the request is about and leaves it open, and the proof part
/// closes it without aborting it or declaring another theorem of the same name. Coq parts are read with the one Coq
/// lexer the soundness gate uses; the other languages with their comment and string rules.
/// </summary>
public static class SourceParts
{
    /// <summary>Throws <see cref="BadBodyException"/> naming the part that breaks a rule.</summary>
    public static void Validate(ProofLanguage language, string header, string statement, string proof)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(proof);
        foreach (var (field, text) in new[] { ("header", header), ("statement", statement), ("proof", proof) })
        {
            if (Unterminated(language, text) is { } open)
            {
                throw new BadBodyException(field, $"'{field}' ends inside {open}: each part must end outside comments and strings, after a complete sentence");
            }
        }

        if (language == ProofLanguage.Coq)
        {
            ValidateCoq(header, statement, proof);
        }
    }

    /// <summary>
    /// A whole file checked on its own: it must end outside comments and strings (the checker would otherwise report a
    /// syntax error, but the request's error names the field). What it proves is reported theorem by theorem.
    /// </summary>
    public static void ValidateFile(ProofLanguage language, string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Unterminated(language, file) is { } open)
        {
            throw new BadBodyException("file", $"'file' ends inside {open}");
        }
    }

    private static void ValidateCoq(string header, string statement, string proof)
    {
        if (CoqSourceScan.Scan(header).Theorems.FirstOrDefault(t => t.Ending is null) is { } openInHeader)
        {
            throw new BadBodyException("header", $"'header' leaves theorem '{openInHeader.Name}' open; state the theorem to prove in 'statement'");
        }

        var stated = CoqSourceScan.Scan(statement);
        if (stated.Theorems.Count != 1)
        {
            throw new BadBodyException("statement", stated.Theorems.Count == 0
                ? "'statement' declares no Theorem/Lemma to prove"
                : $"'statement' declares {stated.Theorems.Count} theorems ({string.Join(", ", stated.Theorems.Select(t => t.Name))}); a request is about exactly one");
        }

        var theorem = stated.Theorems[0];
        if (theorem.Ending is not null)
        {
            throw new BadBodyException("statement", $"'statement' already ends the proof of '{theorem.Name}' ({theorem.Ending}); put the proof in 'proof'");
        }

        var proofScan = CoqSourceScan.Scan(proof);
        if (proofScan.Sentences.Any(s => s.Code is "Abort." or "Abort All." || s.Code.StartsWith("Abort ", StringComparison.Ordinal)))
        {
            throw new BadBodyException("proof", $"'proof' aborts the statement's theorem; it must prove '{theorem.Name}'");
        }

        if (proofScan.Theorems.FirstOrDefault(t => t.Name == theorem.Name) is not null)
        {
            throw new BadBodyException("proof", $"'proof' declares another theorem named '{theorem.Name}'");
        }
    }

    /// <summary>What a text ends inside of (an open comment, string, sentence), or null when it ends cleanly.</summary>
    public static string? Unterminated(ProofLanguage language, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return language switch
        {
            ProofLanguage.Coq => CoqLexer.Lex(text).End switch
            {
                CoqLexEnd.InComment => "a comment",
                CoqLexEnd.InString => "a string",
                CoqLexEnd.InSentence => "an unfinished sentence (no final period)",
                _ => null,
            },
            ProofLanguage.Lean4 => Scan(text, lineComment: "--", blockOpen: "/-", blockClose: "-/", backslashEscapes: true),
            ProofLanguage.Isabelle => Scan(text, lineComment: null, blockOpen: "(*", blockClose: "*)", backslashEscapes: true, cartouches: true),
            ProofLanguage.FStar => Scan(text, lineComment: "//", blockOpen: "(*", blockClose: "*)", backslashEscapes: true),
            _ => null,
        };
    }

    /// <summary>A small lexer for nested block comments, line comments, strings and (Isabelle) cartouches.</summary>
    private static string? Scan(string text, string? lineComment, string blockOpen, string blockClose, bool backslashEscapes, bool cartouches = false)
    {
        var depth = 0;
        var cartoucheDepth = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (inString)
            {
                if (backslashEscapes && text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (At(blockOpen))
            {
                depth++;
                i += blockOpen.Length - 1;
            }
            else if (depth > 0 && At(blockClose))
            {
                depth--;
                i += blockClose.Length - 1;
            }
            else if (depth > 0)
            {
                continue;
            }
            else if (cartouches && At("\\<open>"))
            {
                cartoucheDepth++;
            }
            else if (cartouches && cartoucheDepth > 0 && At("\\<close>"))
            {
                cartoucheDepth--;
            }
            else if (cartoucheDepth > 0)
            {
                continue;
            }
            else if (lineComment is not null && At(lineComment))
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (text[i] == '"')
            {
                inString = true;
            }

            bool At(string token) => string.CompareOrdinal(text, i, token, 0, token.Length) == 0;
        }

        return depth > 0 ? "a comment" : inString ? "a string" : cartoucheDepth > 0 ? "a cartouche" : null;
    }
}
