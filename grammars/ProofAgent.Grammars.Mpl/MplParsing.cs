using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using ProofAgent.Grammars.Mpl.Generated;

namespace ProofAgent.Grammars.Mpl;

/// <summary>Parses MPL text into the typed AST. Errors name the source, line, column and what was expected.</summary>
public static class MplParsing
{
    /// <summary>Formulas nested deeper than this are rejected (the recursive-descent parser would exhaust the stack).</summary>
    public const int MaxDepth = 500;

    public static MplFile ParseFile(string text, string source = "<input>")
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckDepth(text, source);
        var errors = new List<MplSyntaxError>();
        var listener = new ErrorCollector(source, errors);
        var lexer = new MplLexer(new AntlrInputStream(text));
        lexer.RemoveErrorListeners();
        lexer.AddErrorListener(listener);
        var parser = new MplParser(new CommonTokenStream(lexer));
        parser.RemoveErrorListeners();
        parser.AddErrorListener(listener);
        var tree = parser.file();
        if (errors.Count > 0)
        {
            throw new MplParseException(errors);
        }

        var builder = new AstBuilder(source);
        return tree switch
        {
            MplParser.DefinitionsFileContext defs => new MplFile.Definitions(source, [.. defs.definition().Select(builder.Definition)]),
            MplParser.FormulaFileContext single => new MplFile.SingleFormula(source, builder.Visit(single.formula())),
            _ => throw new MplParseException([new MplSyntaxError(new SourcePosition(source, 1, 1), "empty input: expected a formula or definitions")]),
        };
    }

    public static MplFormula ParseFormula(string text, string source = "<input>") =>
        ParseFile(text, source) switch
        {
            MplFile.SingleFormula single => single.Formula,
            _ => throw new MplParseException([new MplSyntaxError(new SourcePosition(source, 1, 1), "expected one formula, found definitions")]),
        };

    private static void CheckDepth(string text, string source)
    {
        int depth = 0, line = 1, column = 0;
        foreach (var c in text)
        {
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
            }
            else if (c == '(' && ++depth > MaxDepth)
            {
                throw new MplParseException([new MplSyntaxError(new SourcePosition(source, line, column), $"formula nested deeper than {MaxDepth} levels")]);
            }
            else if (c == ')')
            {
                depth--;
            }
        }
    }

    private sealed class ErrorCollector(string source, List<MplSyntaxError> errors) : IAntlrErrorListener<IToken>, IAntlrErrorListener<int>
    {
        public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e) =>
            errors.Add(new MplSyntaxError(new SourcePosition(source, line, charPositionInLine + 1), Describe(recognizer, offendingSymbol, msg)));

        public void SyntaxError(TextWriter output, IRecognizer recognizer, int offendingSymbol, int line, int charPositionInLine, string msg, RecognitionException e) =>
            errors.Add(new MplSyntaxError(new SourcePosition(source, line, charPositionInLine + 1), msg));

        private static string Describe(IRecognizer recognizer, IToken token, string message)
        {
            if (recognizer is not Parser parser)
            {
                return message;
            }

            var found = token.Type == TokenConstants.EOF ? "end of input" : $"'{token.Text}'";
            IntervalSet expected;
            try
            {
                expected = parser.GetExpectedTokens();
            }
            catch (ArgumentException)
            {
                return message;
            }

            var names = expected.ToList().Select(t => parser.Vocabulary.GetDisplayName(t)).Select(n => n == "IDENT" ? "a name" : n).ToList();
            return names.Count == 0 ? message : $"unexpected {found}, expected {string.Join(" or ", names)}";
        }
    }

    private sealed class AstBuilder(string source) : MplBaseVisitor<MplFormula>
    {
        private SourcePosition Pos(ParserRuleContext context) => new(source, context.Start.Line, context.Start.Column + 1);

        private static string[] Names(MplParser.IdentListContext? list) => list is null ? [] : [.. list.IDENT().Select(t => t.GetText())];

        public MplDefinition Definition(MplParser.DefinitionContext context) =>
            new(context.name.Text, Names(context.@params), Visit(context.body), Pos(context));

        public override MplFormula VisitForall(MplParser.ForallContext context) =>
            new MplFormula.ForAll(Names(context.vars), Visit(context.premise), Visit(context.conclusion), Pos(context));

        public override MplFormula VisitAnd(MplParser.AndContext context) =>
            new MplFormula.And(Visit(context.left), Visit(context.right), Pos(context));

        public override MplFormula VisitNot(MplParser.NotContext context) =>
            new MplFormula.Not(Visit(context.inner), Pos(context));

        public override MplFormula VisitAtom(MplParser.AtomContext context) =>
            new MplFormula.Atom(context.name.Text, Names(context.args), Pos(context));
    }
}
