using Antlr4.Runtime.Tree;
using ProofAgent.Grammars.Generated;
using ProofAgent.Provers;
using P = ProofAgent.Grammars.Generated.CoqStatementParser;

namespace ProofAgent.Grammars;

/// <summary>Coq parse tree → <see cref="Term"/>. Chained relations <c>a &lt;= b &lt;= c</c> become <c>a &lt;= b /\ b &lt;= c</c>, as Coq's notations define them.</summary>
internal sealed class CoqAstBuilder(StatementParseOptions options) : AstBuilderBase<P.TermContext>(options)
{
    public TheoremStatement Statement(P.StatementContext context) =>
        Theorem(ProofLanguage.Coq, context.name, context.binder().Select(Binder), context.term(), context);

    private StatementBinder Binder(P.BinderContext context) => context switch
    {
        P.TypedBinderContext c => new StatementBinder(c.IDENT().Select(i => i.GetText()).ToList(), Term(c.term()), BinderStyle.Explicit, Span(c)),
        P.ImplicitBinderContext c => new StatementBinder(c.IDENT().Select(i => i.GetText()).ToList(), c.term() is { } t ? Term(t) : null, BinderStyle.Implicit, Span(c)),
        P.BareBinderContext c => new StatementBinder([c.GetText()], null, BinderStyle.Explicit, Span(c)),
        _ => throw Error(context.Start, "unsupported binder"),
    };

    protected override Term Build(P.TermContext context) => context switch
    {
        P.PowExprContext c => Operation(BinaryOperator.Pow, c),
        P.NegExprContext c => Operation(UnaryOperator.Neg, c),
        P.InvExprContext c => Operation(UnaryOperator.Inverse, c),
        P.MulExprContext c when c.op.Type == CoqStatementLexer.HASH => Call("Qmake", Span(c.op), c),
        P.MulExprContext c => Operation(
            c.op.Type switch
            {
                CoqStatementLexer.TIMES => BinaryOperator.Mul,
                CoqStatementLexer.DIV => BinaryOperator.Div,
                _ => BinaryOperator.Mod,
            },
            c),
        P.AddExprContext c => Operation(c.op.Type == CoqStatementLexer.PLUS ? BinaryOperator.Add : BinaryOperator.Sub, c),
        P.ConsExprContext c => Operation(c.op.Type == CoqStatementLexer.CONS ? BinaryOperator.Cons : BinaryOperator.Append, c),
        P.RelExprContext c => RelationChain(c),
        P.NotExprContext c => Operation(UnaryOperator.Not, c),
        P.AndExprContext c => Operation(BinaryOperator.And, c),
        P.OrExprContext c => Operation(BinaryOperator.Or, c),
        P.IffExprContext c => Operation(BinaryOperator.Iff, c),
        P.ArrowExprContext c => Operation(BinaryOperator.Arrow, c),
        P.QuantExprContext c => new BinderTerm(Quantifier(c.quant.Type), QuantBinders(c.quantBinders()), Term(c.term()), Span(c)),
        P.FunExprContext c => new BinderTerm(BinderKind.Lambda, c.funBinder().SelectMany(FunBinder).ToList(), Term(c.term()), Span(c)),
        P.LetExprContext c => Let(c),
        P.FunTypedExprContext c => TypedLambda(c),
        P.IteExprContext c => Conditional(c),
        P.BigSumExprContext c => new BigOperator(
            BigOperatorKind.Sum,
            new BoundVariable(c.IDENT().GetText(), null, BinaryOperator.Lt, Term(c.term(0)), Span(c.IDENT().Symbol)),
            null,
            Term(c.term(1)),
            Span(c)),
        P.AppExprContext c => Applied(c.application(), c.application().argument(), Argument),
        _ => throw Error(context.Start, "unsupported term"),
    };

    private Term RelationChain(P.RelExprContext c)
    {
        if (c.rel().Start.Type is CoqStatementLexer.EQB or CoqStatementLexer.LEB or CoqStatementLexer.LTB)
        {
            return Call(c.rel().GetText(), Span(c.rel()), c);
        }

        var op = Relation(c.rel());
        var right = Term(c.term(1));

        // (a <= b) <= c parsed left-associatively from "a <= b <= c" is Coq's chain a <= b /\ b <= c.
        if (c.term(0) is P.RelExprContext inner)
        {
            var chain = Term(inner);
            var middle = chain is Binary { Operator: BinaryOperator.And, Right: Binary last } ? last.Right : ((Binary)chain).Right;
            return new Binary(BinaryOperator.And, chain, new Binary(op, middle, right, Join(middle.Span, right.Span)), Span(c));
        }

        return new Binary(op, Term(c.term(0)), right, Span(c));
    }

    private static BinderKind Quantifier(int type) => type switch
    {
        CoqStatementLexer.FORALL => BinderKind.Forall,
        CoqStatementLexer.EXISTS => BinderKind.Exists,
        _ => BinderKind.ExistsUnique,
    };

    private LetIn Let(P.LetExprContext c)
    {
        var terms = c.term();
        var value = Term(terms[^2]);
        if (c.COLON() is not null)
        {
            value = new TypeAscription(value, Term(terms[0]), value.Span);
        }

        return new LetIn(new Identifier(c.IDENT().GetText(), Span(c.IDENT().Symbol)), value, Term(terms[^1]), Span(c));
    }

    private BinderTerm TypedLambda(P.FunTypedExprContext c)
    {
        var type = Term(c.term(0));
        var variables = c.IDENT().Select(n => new BoundVariable(n.GetText(), type, null, null, Span(n.Symbol))).ToList();
        return new BinderTerm(BinderKind.Lambda, variables, Term(c.term(1)), Span(c));
    }

    private static BinaryOperator Relation(P.RelContext context) => context.Start.Type switch
    {
        CoqStatementLexer.EQ => BinaryOperator.Eq,
        CoqStatementLexer.NE => BinaryOperator.Ne,
        CoqStatementLexer.LT => BinaryOperator.Lt,
        CoqStatementLexer.GT => BinaryOperator.Gt,
        CoqStatementLexer.LE => BinaryOperator.Le,
        CoqStatementLexer.GE => BinaryOperator.Ge,
        _ => BinaryOperator.Equiv,
    };

    private List<BoundVariable> QuantBinders(P.QuantBindersContext context)
    {
        var result = new List<BoundVariable>();
        switch (context)
        {
            case P.SimpleBindersContext c:
                {
                    var type = c.term() is { } t ? Term(t) : null;
                    result.AddRange(c.IDENT().Select(n => new BoundVariable(n.GetText(), type, null, null, Span(n.Symbol))));
                    break;
                }

            case P.BracketedBindersContext c:
                {
                    List<ITerminalNode> pending = [];
                    foreach (var child in c.children)
                    {
                        if (child is ITerminalNode { Symbol.Type: CoqStatementLexer.IDENT } name)
                        {
                            pending.Add(name);
                        }
                        else if (child is P.TermContext typeContext)
                        {
                            var type = Term(typeContext);
                            result.AddRange(pending.Select(n => new BoundVariable(n.GetText(), type, null, null, Span(n.Symbol))));
                            pending = [];
                        }
                    }

                    break;
                }

            default:
                throw Error(context.Start, "unsupported binder");
        }

        return result;
    }

    private IEnumerable<BoundVariable> FunBinder(P.FunBinderContext context)
    {
        var type = context.term() is { } t ? Term(t) : null;
        if (context.UNDERSCORE() is { } hole)
        {
            return [new BoundVariable("_", null, null, null, Span(hole.Symbol))];
        }

        return context.IDENT().Select(n => new BoundVariable(n.GetText(), type, null, null, Span(n.Symbol)));
    }

    private Term Argument(P.ArgumentContext context)
    {
        var result = Primary(context.primary());
        foreach (var child in context.children.Skip(1))
        {
            if (child is Antlr4.Runtime.Tree.ITerminalNode { Symbol: var symbol })
            {
                var span = Join(result.Span, Span(symbol));
                result = symbol.Type == CoqStatementLexer.SQUARE
                    ? new Binary(BinaryOperator.Pow, result, new NumberLiteral("2", Span(symbol)), span)
                    : new Scoped(result, symbol.Text[1..], span);
            }
        }

        return result;
    }

    private Term Primary(P.PrimaryContext context) => Nested(context, () =>
    {
        var span = Span(context);
        return context switch
        {
            P.IdentPrimaryContext c => new Identifier(c.GetText(), span),
            P.NumberPrimaryContext c => new NumberLiteral(c.GetText(), span),
            P.HolePrimaryContext => new Placeholder(span),
            P.AscriptionPrimaryContext c => new TypeAscription(Term(c.term(0)), Term(c.term(1)), span),
            P.TuplePrimaryContext c => Collected(CollectionKind.Tuple, c),
            P.ParenPrimaryContext c => Term(c.term()),
            P.DividesPrimaryContext c => Operation(BinaryOperator.Dvd, c),
            P.ListPrimaryContext c => Collected(CollectionKind.List, c),
            P.SetBuilderPrimaryContext c => new SetBuilder(
                new BoundVariable(c.IDENT().GetText(), c.term().Length > 1 ? Term(c.term(0)) : null, null, null, Span(c.IDENT().Symbol)),
                null,
                Term(c.term()[^1]),
                span),
            _ => throw Error(context.Start, "unsupported term"),
        };
    });
}
