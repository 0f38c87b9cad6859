using System.Globalization;
using System.Numerics;
using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using Antlr4.Runtime.Tree;
using ProofAgent.Grammars.Mba.Generated;

namespace ProofAgent.Grammars.Mba;

/// <summary>Limits that keep parsing and every recursive consumer of the tree off the end of the stack.</summary>
public sealed record MbaParseOptions
{
    public static MbaParseOptions Default { get; } = new();

    /// <summary>Most nested parentheses plus unary operators (checked on tokens, before the recursive-descent parser runs).</summary>
    public int MaxNesting { get; init; } = 256;

    /// <summary>Largest tree height (a flat chain of k operators has height k + 1).</summary>
    public int MaxDepth { get; init; } = 2048;

    /// <summary>Longest accepted text, in characters.</summary>
    public int MaxLength { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most decimal digits in one literal.</summary>
    public int MaxLiteralDigits { get; init; } = 200;

    public MbaParseOptions WithMaxNesting(int nesting) => this with { MaxNesting = nesting };

    public MbaParseOptions WithMaxDepth(int depth) => this with { MaxDepth = depth };
}

/// <summary>Parses MBA text into <see cref="MbaExpr"/>; every failure is an <see cref="MbaSyntaxException"/> with line and column.</summary>
public static class MbaParsing
{
    public static MbaExpr Parse(string text, MbaParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= MbaParseOptions.Default;
        if (text.Length > options.MaxLength)
        {
            throw new MbaSyntaxException($"expression is {text.Length} characters long; the limit is {options.MaxLength}", 1, 1);
        }

        var lexer = new MbaLexer(new AntlrInputStream(text));
        lexer.RemoveErrorListeners();
        var tokens = new CommonTokenStream(lexer);
        tokens.Fill();
        CheckTokens(tokens.GetTokens(), options);

        var parser = new MbaParser(tokens) { BuildParseTree = true };
        parser.RemoveErrorListeners();
        parser.AddErrorListener(new ThrowingListener());
        parser.Interpreter.PredictionMode = Antlr4.Runtime.Atn.PredictionMode.SLL;
        var tree = parser.expression();
        return new Builder(options).Or(tree.orExpr());
    }

    /// <summary>Parses, returning null and the error instead of throwing.</summary>
    public static bool TryParse(string text, out MbaExpr? expr, out MbaSyntaxException? error, MbaParseOptions? options = null)
    {
        try
        {
            expr = Parse(text, options);
            error = null;
            return true;
        }
        catch (MbaSyntaxException exception)
        {
            expr = null;
            error = exception;
            return false;
        }
    }

    /// <summary>Lexical errors and the nesting cap, in one linear pass over the tokens.</summary>
    private static void CheckTokens(IList<IToken> tokens, MbaParseOptions options)
    {
        var bases = new Stack<int>();
        int baseDepth = 0, current = 0;
        IToken? previous = null;
        foreach (var token in tokens)
        {
            switch (token.Type)
            {
                case MbaLexer.ERRCHAR:
                    throw new MbaSyntaxException(
                        $"unexpected character '{token.Text}'; expected a variable, an integer, an operator (+ - * & | ^ ~) or a parenthesis",
                        token.Line, token.Column + 1);
                case MbaLexer.TILDE:
                case MbaLexer.MINUS when previous is null || previous.Type is not (MbaLexer.IDENT or MbaLexer.NUMBER or MbaLexer.RPAREN):
                    current++;
                    break;
                case MbaLexer.LPAREN:
                    bases.Push(baseDepth);
                    baseDepth = current + 1;
                    current = baseDepth;
                    break;
                case MbaLexer.RPAREN:
                    baseDepth = bases.Count > 0 ? bases.Pop() : 0;
                    current = baseDepth;
                    break;
                case MbaLexer.IDENT:
                case MbaLexer.NUMBER:
                    current = baseDepth;
                    break;
                default:
                    break;
            }

            if (current > options.MaxNesting)
            {
                throw new MbaSyntaxException(
                    $"expression nests too deeply: more than {options.MaxNesting} nested parentheses and unary operators",
                    token.Line, token.Column + 1);
            }

            previous = token;
        }
    }

    private sealed class ThrowingListener : IAntlrErrorListener<IToken>
    {
        public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e)
        {
            var found = offendingSymbol is null ? "input" : offendingSymbol.Type == TokenConstants.EOF ? "end of input" : $"'{offendingSymbol.Text}'";
            var expected = recognizer is Parser parser ? Describe(parser.GetExpectedTokens(), parser.Vocabulary) : null;
            var message = expected is null ? $"unexpected {found} ({msg})" : $"unexpected {found}; expected {expected}";
            throw new MbaSyntaxException(message, line, charPositionInLine + 1);
        }

        private static string? Describe(IntervalSet set, IVocabulary vocabulary)
        {
            var names = new List<string>();
            foreach (var type in set.ToArray())
            {
                names.Add(type switch
                {
                    TokenConstants.EOF => "end of input",
                    MbaLexer.IDENT => "a variable",
                    MbaLexer.NUMBER => "an integer",
                    _ => vocabulary.GetLiteralName(type) ?? vocabulary.GetDisplayName(type),
                });
            }

            return names.Count == 0 ? null : names.Count == 1 ? names[0] : "one of " + string.Join(", ", names);
        }
    }

    private sealed class Builder(MbaParseOptions options)
    {
        public MbaExpr Or(MbaParser.OrExprContext context) => Chain(context.xorExpr(), Xor, _ => MbaBinaryOp.Or, context.OR());

        private MbaExpr Xor(MbaParser.XorExprContext context) => Chain(context.andExpr(), And, _ => MbaBinaryOp.Xor, context.XOR());

        private MbaExpr And(MbaParser.AndExprContext context) => Chain(context.addExpr(), Add, _ => MbaBinaryOp.And, context.AND());

        private MbaExpr Add(MbaParser.AddExprContext context)
        {
            var ops = context.addOp();
            return Chain(context.mulExpr(), Mul, i => ops[i].PLUS() is not null ? MbaBinaryOp.Add : MbaBinaryOp.Sub, ops.Select(o => (ITerminalNode)o.GetChild(0)).ToArray());
        }

        private MbaExpr Mul(MbaParser.MulExprContext context) => Chain(context.unary(), Unary, _ => MbaBinaryOp.Mul, context.STAR());

        private MbaExpr Chain<T>(T[] operands, Func<T, MbaExpr> build, Func<int, MbaBinaryOp> op, ITerminalNode[] symbols)
        {
            var result = build(operands[0]);
            for (var i = 1; i < operands.Length; i++)
            {
                var symbol = symbols[i - 1].Symbol;
                var right = build(operands[i]);
                result = Check(new MbaBinary(op(i - 1), result, right, Position(symbol)));
            }

            return result;
        }

        private MbaExpr Unary(MbaParser.UnaryContext context)
        {
            // Iterative over runs of unary operators, so "- - - ... x" needs no recursion here.
            var ops = new List<(MbaUnaryOp Op, SourcePosition Position)>();
            while (true)
            {
                switch (context)
                {
                    case MbaParser.NotContext not:
                        ops.Add((MbaUnaryOp.Not, Position(not.Start)));
                        context = not.unary();
                        continue;
                    case MbaParser.NegContext neg:
                        ops.Add((MbaUnaryOp.Neg, Position(neg.Start)));
                        context = neg.unary();
                        continue;
                    case MbaParser.AtomContext atom:
                        var result = Primary(atom.primary());
                        for (var i = ops.Count - 1; i >= 0; i--)
                        {
                            result = Check(new MbaUnary(ops[i].Op, result, ops[i].Position));
                        }

                        return result;
                    default:
                        throw new MbaSyntaxException("malformed unary expression", context.Start.Line, context.Start.Column + 1);
                }
            }
        }

        private MbaExpr Primary(MbaParser.PrimaryContext context) => context switch
        {
            MbaParser.VariableContext v => new MbaVar(v.IDENT().GetText(), Position(v.Start)),
            MbaParser.ConstantContext c => new MbaConst(ParseNumber(c.NUMBER().Symbol), Position(c.Start)),
            MbaParser.ParensContext p => Or(p.orExpr()),
            _ => throw new MbaSyntaxException("malformed operand", context.Start.Line, context.Start.Column + 1),
        };

        private BigInteger ParseNumber(IToken token)
        {
            var text = token.Text;
            if (text.Length > options.MaxLiteralDigits)
            {
                throw new MbaSyntaxException($"integer literal has {text.Length} digits; the limit is {options.MaxLiteralDigits}", token.Line, token.Column + 1);
            }

            return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? BigInteger.Parse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                : BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        private MbaExpr Check(MbaExpr expr) => expr.Depth > options.MaxDepth
            ? throw new MbaSyntaxException($"expression tree is deeper than {options.MaxDepth} levels (a chain of more than {options.MaxDepth - 1} operators)", expr.Position.Line, expr.Position.Column)
            : expr;

        private static SourcePosition Position(IToken token) => new(token.Line, token.Column + 1);
    }
}
