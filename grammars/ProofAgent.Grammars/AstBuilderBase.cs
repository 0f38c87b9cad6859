using Antlr4.Runtime;
using ProofAgent.Provers;

namespace ProofAgent.Grammars;

/// <summary>
/// What the three AST builders share: spans, the depth cap, and the constructions whose operands are the node's own
/// terms in order (<c>a op b</c>, <c>op a</c>, <c>[a, b, c]</c>, <c>if a then b else c</c>), so that each builder says
/// only which node is which operator.
/// </summary>
/// <typeparam name="TTerm">The grammar's term rule; its labelled alternatives are the nodes <see cref="Build"/> reads.</typeparam>
internal abstract class AstBuilderBase<TTerm>(StatementParseOptions options)
    where TTerm : ParserRuleContext
{
    private int _depth;

    public Term Term(TTerm context) => Nested(context, () => Build(context));

    /// <summary>Coq and Lean 4: <c>theorem name binders : conclusion</c>.</summary>
    protected TheoremStatement Theorem(ProofLanguage language, IToken name, IEnumerable<StatementBinder> binders, TTerm conclusion, ParserRuleContext context) =>
        new(language, name.Text, binders.ToList(), [], Term(conclusion), Span(context));

    /// <summary>One node of the grammar's term rule, its children built through <see cref="Term"/>.</summary>
    protected abstract Term Build(TTerm context);

    /// <summary>The binary operation whose operands are the node's first two terms.</summary>
    protected Binary Operation(BinaryOperator op, ParserRuleContext context) =>
        new(op, Operand(context, 0), Operand(context, 1), Span(context));

    /// <summary>The unary operation whose operand is the node's term.</summary>
    protected Unary Operation(UnaryOperator op, ParserRuleContext context) => new(op, Operand(context, 0), Span(context));

    /// <summary>A library function applied to the node's two terms (<c>Qmake</c> for Coq's <c>#</c>, for example).</summary>
    protected Application Call(string function, SourceSpan at, ParserRuleContext context) =>
        new(new Identifier(function, at), [Operand(context, 0), Operand(context, 1)], Span(context));

    /// <summary>The collection of all the node's terms.</summary>
    protected Collection Collected(CollectionKind kind, ParserRuleContext context) =>
        new(kind, context.GetRuleContexts<TTerm>().Select(Term).ToList(), Span(context));

    protected IfThenElse Conditional(ParserRuleContext context) =>
        new(Operand(context, 0), Operand(context, 1), Operand(context, 2), Span(context));

    /// <summary>Juxtaposition: the first argument applied to the rest, or that argument alone.</summary>
    protected Term Applied<TArgument>(ParserRuleContext context, TArgument[] arguments, Func<TArgument, Term> argument)
    {
        var head = argument(arguments[0]);
        return arguments.Length == 1 ? head : new Application(head, arguments.Skip(1).Select(argument).ToList(), Span(context));
    }

    protected Term Operand(ParserRuleContext context, int index) => Term(context.GetRuleContext<TTerm>(index));

    protected static SourceSpan Span(ParserRuleContext context)
    {
        var start = context.Start;
        var stop = context.Stop ?? start;
        return new SourceSpan(start.Line, start.Column + 1, stop.Line, stop.Column + Math.Max(1, stop.Text?.Length ?? 1));
    }

    protected static SourceSpan Span(IToken token) => new(token.Line, token.Column + 1, token.Line, token.Column + Math.Max(1, token.Text?.Length ?? 1));

    protected static SourceSpan Join(SourceSpan a, SourceSpan b) => new(a.Line, a.Column, b.EndLine, b.EndColumn);

    /// <summary>Runs one level of the recursive walk, failing cleanly past <see cref="StatementParseOptions.MaxDepth"/>.</summary>
    protected T Nested<T>(ParserRuleContext context, Func<T> build)
    {
        if (++_depth > options.MaxDepth)
        {
            throw new StatementSyntaxException($"statement nests too deeply: its tree is more than {options.MaxDepth} levels high", context.Start.Line, context.Start.Column + 1);
        }

        try
        {
            return build();
        }
        finally
        {
            _depth--;
        }
    }

    protected static StatementSyntaxException Error(IToken token, string message) => new(message, token.Line, token.Column + 1);
}
