using Antlr4.Runtime.Tree;
using ProofAgent.Grammars.Generated;
using ProofAgent.Provers;
using P = ProofAgent.Grammars.Generated.CoqStatementParser;

namespace ProofAgent.Grammars;

/// <summary>Coq parse tree → <see cref="Term"/>. Chained relations <c>a &lt;= b &lt;= c</c> become <c>a &lt;= b /\ b &lt;= c</c>, as Coq's notations define them.</summary>
internal sealed class CoqAstBuilder(StatementParseOptions options) : AstBuilderBase(options)
{
    public TheoremStatement Statement(P.StatementContext context)
    {
        var binders = context.binder().Select(Binder).ToList();
        return new TheoremStatement(ProofLanguage.Coq, context.name.Text, binders, [], Term(context.term()), Span(context));
    }

    private StatementBinder Binder(P.BinderContext context) => context switch
    {
        P.TypedBinderContext c => new StatementBinder(c.IDENT().Select(i => i.GetText()).ToList(), Term(c.term()), BinderStyle.Explicit, Span(c)),
        P.ImplicitBinderContext c => new StatementBinder(c.IDENT().Select(i => i.GetText()).ToList(), c.term() is { } t ? Term(t) : null, BinderStyle.Implicit, Span(c)),
        P.BareBinderContext c => new StatementBinder([c.GetText()], null, BinderStyle.Explicit, Span(c)),
        _ => throw Error(context.Start, "unsupported binder"),
    };

    public Term Term(P.TermContext context) => Nested(context, () => Build(context));

    private Term Build(P.TermContext context)
    {
        var span = Span(context);
        switch (context)
        {
            case P.PowExprContext c:
                return new Binary(BinaryOperator.Pow, Term(c.term(0)), Term(c.term(1)), span);
            case P.NegExprContext c:
                return new Unary(UnaryOperator.Neg, Term(c.term()), span);
            case P.InvExprContext c:
                return new Unary(UnaryOperator.Inverse, Term(c.term()), span);
            case P.MulExprContext c when c.op.Type == CoqStatementLexer.HASH:
                return new Application(new Identifier("Qmake", Span(c.op)), [Term(c.term(0)), Term(c.term(1))], span);
            case P.MulExprContext c:
                return new Binary(c.op.Type switch
                {
                    CoqStatementLexer.TIMES => BinaryOperator.Mul,
                    CoqStatementLexer.DIV => BinaryOperator.Div,
                    _ => BinaryOperator.Mod,
                }, Term(c.term(0)), Term(c.term(1)), span);
            case P.AddExprContext c:
                return new Binary(c.op.Type == CoqStatementLexer.PLUS ? BinaryOperator.Add : BinaryOperator.Sub, Term(c.term(0)), Term(c.term(1)), span);
            case P.ConsExprContext c:
                return new Binary(c.op.Type == CoqStatementLexer.CONS ? BinaryOperator.Cons : BinaryOperator.Append, Term(c.term(0)), Term(c.term(1)), span);
            case P.RelExprContext c:
                {
                    if (c.rel().Start.Type is CoqStatementLexer.EQB or CoqStatementLexer.LEB or CoqStatementLexer.LTB)
                    {
                        return new Application(new Identifier(c.rel().GetText(), Span(c.rel())), [Term(c.term(0)), Term(c.term(1))], span);
                    }

                    var op = Relation(c.rel());
                    var right = Term(c.term(1));

                    // (a <= b) <= c parsed left-associatively from "a <= b <= c" is Coq's chain a <= b /\ b <= c.
                    if (c.term(0) is P.RelExprContext inner)
                    {
                        var chain = Term(inner);
                        var middle = chain is Binary { Operator: BinaryOperator.And, Right: Binary last } ? last.Right : ((Binary)chain).Right;
                        return new Binary(BinaryOperator.And, chain, new Binary(op, middle, right, Join(middle.Span, right.Span)), span);
                    }

                    return new Binary(op, Term(c.term(0)), right, span);
                }

            case P.NotExprContext c:
                return new Unary(UnaryOperator.Not, Term(c.term()), span);
            case P.AndExprContext c:
                return new Binary(BinaryOperator.And, Term(c.term(0)), Term(c.term(1)), span);
            case P.OrExprContext c:
                return new Binary(BinaryOperator.Or, Term(c.term(0)), Term(c.term(1)), span);
            case P.IffExprContext c:
                return new Binary(BinaryOperator.Iff, Term(c.term(0)), Term(c.term(1)), span);
            case P.ArrowExprContext c:
                return new Binary(BinaryOperator.Arrow, Term(c.term(0)), Term(c.term(1)), span);
            case P.QuantExprContext c:
                {
                    var kind = c.quant.Type switch
                    {
                        CoqStatementLexer.FORALL => BinderKind.Forall,
                        CoqStatementLexer.EXISTS => BinderKind.Exists,
                        _ => BinderKind.ExistsUnique,
                    };
                    return new BinderTerm(kind, QuantBinders(c.quantBinders()), Term(c.term()), span);
                }

            case P.FunExprContext c:
                return new BinderTerm(BinderKind.Lambda, c.funBinder().SelectMany(FunBinder).ToList(), Term(c.term()), span);
            case P.LetExprContext c:
                {
                    var terms = c.term();
                    var value = Term(terms[^2]);
                    if (c.COLON() is not null)
                    {
                        value = new TypeAscription(value, Term(terms[0]), value.Span);
                    }

                    return new LetIn(new Identifier(c.IDENT().GetText(), Span(c.IDENT().Symbol)), value, Term(terms[^1]), span);
                }

            case P.FunTypedExprContext c:
                {
                    var type = Term(c.term(0));
                    var variables = c.IDENT().Select(n => new BoundVariable(n.GetText(), type, null, null, Span(n.Symbol))).ToList();
                    return new BinderTerm(BinderKind.Lambda, variables, Term(c.term(1)), span);
                }

            case P.IteExprContext c:
                return new IfThenElse(Term(c.term(0)), Term(c.term(1)), Term(c.term(2)), span);
            case P.BigSumExprContext c:
                {
                    var variable = new BoundVariable(c.IDENT().GetText(), null, BinaryOperator.Lt, Term(c.term(0)), Span(c.IDENT().Symbol));
                    return new BigOperator(BigOperatorKind.Sum, variable, null, Term(c.term(1)), span);
                }

            case P.AppExprContext c:
                return Application(c.application());
            default:
                throw Error(context.Start, "unsupported term");
        }
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

    private Term Application(P.ApplicationContext context)
    {
        var arguments = context.argument();
        var head = Argument(arguments[0]);
        return arguments.Length == 1 ? head : new Application(head, arguments.Skip(1).Select(Argument).ToList(), Span(context));
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
            P.TuplePrimaryContext c => new Collection(CollectionKind.Tuple, c.term().Select(Term).ToList(), span),
            P.ParenPrimaryContext c => Term(c.term()),
            P.DividesPrimaryContext c => new Binary(BinaryOperator.Dvd, Term(c.term(0)), Term(c.term(1)), span),
            P.ListPrimaryContext c => new Collection(CollectionKind.List, c.term().Select(Term).ToList(), span),
            P.SetBuilderPrimaryContext c => new SetBuilder(
                new BoundVariable(c.IDENT().GetText(), c.term().Length > 1 ? Term(c.term(0)) : null, null, null, Span(c.IDENT().Symbol)),
                null,
                Term(c.term()[^1]),
                span),
            _ => throw Error(context.Start, "unsupported term"),
        };
    });
}
