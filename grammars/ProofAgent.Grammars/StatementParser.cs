using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using ProofAgent.Grammars.Generated;
using ProofAgent.Provers;

namespace ProofAgent.Grammars;

/// <summary>
/// Parses theorem statements of Lean 4, Isabelle/HOL and Coq into the typed AST of <see cref="TheoremStatement"/>.
/// Every failure is a <see cref="StatementSyntaxException"/> with a line, a column and what was expected.
/// </summary>
public static class StatementParser
{
    // The recursive-descent parser needs stack in proportion to the nesting of its input; the bracket check bounds the
    // common case and this stack bounds the rest (long chains of prefix or right-associative operators).
    private const int ParserStackBytes = 256 * 1024 * 1024;

    /// <summary>Parses a whole statement (<c>theorem name ... : T := by</c>, <c>theorem name: fixes ... shows "..."</c>, <c>Theorem name : T.</c>).</summary>
    public static TheoremStatement Parse(ProofLanguage language, string text, StatementParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= StatementParseOptions.Default;
        return language switch
        {
            ProofLanguage.Lean4 => Run(text, options, LeanLexer, tokens => new LeanAstBuilder(options).Statement(NewParser(tokens, t => new LeanStatementParser(t)).statement())),
            ProofLanguage.Isabelle => Run(text, options, IsabelleLexer, tokens => new IsabelleAstBuilder(options).Statement(NewParser(tokens, t => new IsabelleStatementParser(t)).statement())),
            ProofLanguage.Coq => Run(text, options, CoqLexer, tokens => new CoqAstBuilder(options).Statement(NewParser(tokens, t => new CoqStatementParser(t)).statement())),
            _ => throw Unsupported(language),
        };
    }

    /// <summary>Parses one term: a goal's conclusion or a hypothesis as the prover prints it (Isabelle: the inner syntax, without quotes).</summary>
    public static Term ParseTerm(ProofLanguage language, string text, StatementParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= StatementParseOptions.Default;
        return language switch
        {
            ProofLanguage.Lean4 => Run(text, options, LeanLexer, tokens => new LeanAstBuilder(options).Term(NewParser(tokens, t => new LeanStatementParser(t)).standaloneTerm().term())),
            ProofLanguage.Isabelle => Run(text, options, IsabelleLexer, tokens => new IsabelleAstBuilder(options).Term(NewParser(tokens, t => new IsabelleStatementParser(t)).standaloneTerm().innerTerm().term())),
            ProofLanguage.Coq => Run(text, options, CoqLexer, tokens => new CoqAstBuilder(options).Term(NewParser(tokens, t => new CoqStatementParser(t)).standaloneTerm().term())),
            _ => throw Unsupported(language),
        };
    }

    /// <summary>Parses, returning the error instead of throwing.</summary>
    public static bool TryParse(ProofLanguage language, string text, out TheoremStatement? statement, out StatementSyntaxException? error, StatementParseOptions? options = null)
    {
        try
        {
            statement = Parse(language, text, options);
            error = null;
            return true;
        }
        catch (StatementSyntaxException exception)
        {
            statement = null;
            error = exception;
            return false;
        }
    }

    /// <summary>The languages these grammars read.</summary>
    public static IReadOnlyList<ProofLanguage> Languages { get; } = [ProofLanguage.Lean4, ProofLanguage.Isabelle, ProofLanguage.Coq];

    internal static ArgumentOutOfRangeException Unsupported(ProofLanguage language) =>
        new(nameof(language), language, $"statements of {language.Id()} are not parsed; supported: lean4, isabelle, coq");

    private static readonly LexerSpec LeanLexer = new(
        s => new LeanStatementLexer(s),
        LeanStatementLexer.ERRCHAR,
        [LeanStatementLexer.LPAREN, LeanStatementLexer.LBRACE, LeanStatementLexer.LBRACKET, LeanStatementLexer.MODEQ, LeanStatementLexer.LANGLE, LeanStatementLexer.LFLOOR, LeanStatementLexer.LCEIL],
        [LeanStatementLexer.RPAREN, LeanStatementLexer.RBRACE, LeanStatementLexer.RBRACKET, LeanStatementLexer.RANGLE, LeanStatementLexer.RFLOOR, LeanStatementLexer.RCEIL]);

    private static readonly LexerSpec IsabelleLexer = new(
        s => new IsabelleStatementLexer(s),
        IsabelleStatementLexer.ERRCHAR,
        [IsabelleStatementLexer.LPAREN, IsabelleStatementLexer.LBRACE, IsabelleStatementLexer.LBRACKET, IsabelleStatementLexer.LFLOOR, IsabelleStatementLexer.LCEIL],
        [IsabelleStatementLexer.RPAREN, IsabelleStatementLexer.RBRACE, IsabelleStatementLexer.RBRACKET, IsabelleStatementLexer.RFLOOR, IsabelleStatementLexer.RCEIL]);

    private static readonly LexerSpec CoqLexer = new(
        s => new CoqStatementLexer(s),
        CoqStatementLexer.ERRCHAR,
        [CoqStatementLexer.LPAREN, CoqStatementLexer.LBRACE, CoqStatementLexer.LBRACKET],
        [CoqStatementLexer.RPAREN, CoqStatementLexer.RBRACE, CoqStatementLexer.RBRACKET]);

    private sealed record LexerSpec(Func<ICharStream, Lexer> Create, int ErrorToken, int[] Open, int[] Close);

    private static TParser NewParser<TParser>(CommonTokenStream tokens, Func<CommonTokenStream, TParser> create)
        where TParser : Parser
    {
        var parser = create(tokens);
        parser.BuildParseTree = true;
        parser.RemoveErrorListeners();
        parser.AddErrorListener(new ThrowingListener());
        return parser;
    }

    private static T Run<T>(string text, StatementParseOptions options, LexerSpec spec, Func<CommonTokenStream, T> parse)
    {
        if (text.Length > options.MaxLength)
        {
            throw new StatementSyntaxException($"statement is {text.Length} characters long; the limit is {options.MaxLength}", 1, 1);
        }

        var lexer = spec.Create(CharStreams.fromString(text));
        lexer.RemoveErrorListeners();
        var tokens = new CommonTokenStream(lexer);
        tokens.Fill();
        CheckTokens(tokens.GetTokens(), spec, options);

        T? result = default;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = parse(tokens);
                }
#pragma warning disable CA1031 // Rethrown on the calling thread below.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    failure = exception;
                }
            },
            ParserStackBytes);
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return result!;
    }

    /// <summary>Lexical errors, the token cap and the bracket-nesting cap, in one linear pass.</summary>
    private static void CheckTokens(IList<IToken> tokens, LexerSpec spec, StatementParseOptions options)
    {
        var depth = 0;
        foreach (var token in tokens)
        {
            if (token.Type == spec.ErrorToken)
            {
                throw new StatementSyntaxException($"unexpected character '{token.Text}'", token.Line, token.Column + 1);
            }

            if (Array.IndexOf(spec.Open, token.Type) >= 0)
            {
                depth++;
                if (depth > options.MaxNesting)
                {
                    throw new StatementSyntaxException($"statement nests too deeply: more than {options.MaxNesting} nested brackets", token.Line, token.Column + 1);
                }
            }
            else if (Array.IndexOf(spec.Close, token.Type) >= 0)
            {
                depth = Math.Max(0, depth - 1);
            }
        }

        if (tokens.Count > options.MaxTokens)
        {
            var token = tokens[options.MaxTokens];
            throw new StatementSyntaxException($"statement has more than {options.MaxTokens} tokens", token.Line, token.Column + 1);
        }
    }

    private sealed class ThrowingListener : IAntlrErrorListener<IToken>
    {
        public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e)
        {
            var found = offendingSymbol is null ? "input" : offendingSymbol.Type == TokenConstants.EOF ? "end of input" : $"'{offendingSymbol.Text}'";
            var expected = recognizer is Parser parser ? Describe(parser.GetExpectedTokens(), parser.Vocabulary) : null;
            var message = expected is null ? $"unexpected {found} ({msg})" : $"unexpected {found}; expected {expected}";
            throw new StatementSyntaxException(message, line, charPositionInLine + 1);
        }

        /// <summary>ANTLR escapes non-ASCII literals as \uXXXX; people read the symbols.</summary>
        private static string Unescape(string name) =>
            System.Text.RegularExpressions.Regex.Replace(name, @"\\u([0-9A-Fa-f]{4})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

        private static string? Describe(Antlr4.Runtime.Misc.IntervalSet set, IVocabulary vocabulary)
        {
            var names = new List<string>();
            foreach (var type in set.ToArray())
            {
                names.Add(type == TokenConstants.EOF ? "end of input" : Unescape(vocabulary.GetDisplayName(type)));
            }

            if (names.Count == 0)
            {
                return null;
            }

            names.Sort(StringComparer.Ordinal);
            return names.Count <= 12 ? string.Join(", ", names) : string.Join(", ", names.Take(12)) + $" (or {names.Count - 12} more)";
        }
    }
}
