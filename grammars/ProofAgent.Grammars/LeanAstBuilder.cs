using Antlr4.Runtime;
using ProofAgent.Grammars.Generated;
using ProofAgent.Provers;
using P = ProofAgent.Grammars.Generated.LeanStatementParser;

namespace ProofAgent.Grammars;

/// <summary>Lean 4 parse tree → <see cref="Term"/>.</summary>
internal sealed class LeanAstBuilder(StatementParseOptions options) : AstBuilderBase<P.TermContext>(options)
{
    public TheoremStatement Statement(P.StatementContext context) =>
        Theorem(ProofLanguage.Lean4, context.name, context.binder().Select(Binder), context.term(), context);

    private StatementBinder Binder(P.BinderContext context) => context switch
    {
        P.ExplicitBinderContext e => new StatementBinder(e.binderName().Select(n => n.GetText()).ToList(), e.term() is { } t ? Term(t) : null, BinderStyle.Explicit, Span(e)),
        P.ImplicitBinderContext i => new StatementBinder(i.binderName().Select(n => n.GetText()).ToList(), Term(i.term()), BinderStyle.Implicit, Span(i)),
        P.InstanceBinderContext s => new StatementBinder(s.binderName() is { } n ? [n.GetText()] : [], Term(s.term()), BinderStyle.Instance, Span(s)),
        _ => throw Error(context.Start, "unsupported binder"),
    };

    protected override Term Build(P.TermContext context) => context switch
    {
        P.PowExprContext c => Operation(BinaryOperator.Pow, c),
        P.NegExprContext c => Operation(UnaryOperator.Neg, c),
        P.MulExprContext c when c.op.Type == LeanStatementLexer.DIVRAT => Call("Rat.divInt", Span(c.op), c),
        P.MulExprContext c => Operation(
            c.op.Type switch
            {
                LeanStatementLexer.TIMES => BinaryOperator.Mul,
                LeanStatementLexer.DIV => BinaryOperator.Div,
                LeanStatementLexer.MOD => BinaryOperator.Mod,
                LeanStatementLexer.INTER => BinaryOperator.Inter,
                LeanStatementLexer.SDIFF => BinaryOperator.SetDiff,
                LeanStatementLexer.IMAGE => BinaryOperator.Image,
                LeanStatementLexer.PREIMAGE => BinaryOperator.Preimage,
                _ => BinaryOperator.Compose,
            },
            c),
        P.BigOpExprContext c => BigOperation(c),
        P.AddExprContext c => Operation(
            c.op.Type switch
            {
                LeanStatementLexer.PLUS => BinaryOperator.Add,
                LeanStatementLexer.MINUS => BinaryOperator.Sub,
                _ => BinaryOperator.Union,
            },
            c),
        P.ModEqExprContext c => new Congruence(Term(c.term(0)), Term(c.term(1)), Term(c.term(2)), c.MODEQ().GetText().TrimStart('[').Trim(), Span(c)),
        P.RelExprContext c => Operation(RelOperator(c.op.Type), c),
        P.NotExprContext c => Operation(UnaryOperator.Not, c),
        P.AndExprContext c => Operation(BinaryOperator.And, c),
        P.OrExprContext c => Operation(BinaryOperator.Or, c),
        P.ProdTypeExprContext c => Operation(BinaryOperator.ProductType, c),
        P.ArrowExprContext c => Operation(BinaryOperator.Arrow, c),
        P.IffExprContext c => Operation(BinaryOperator.Iff, c),
        P.QuantExprContext c => new BinderTerm(Quantifier(c.quant.Type), QuantBinders(c.quantBinders()), Term(c.term()), Span(c)),
        P.FunExprContext c => new BinderTerm(BinderKind.Lambda, c.funBinder().SelectMany(FunBinder).ToList(), Term(c.term()), Span(c)),
        P.IteExprContext c => Conditional(c),
        P.AppExprContext c => Applied(c.application(), c.application().argument(), Argument),
        _ => throw Error(context.Start, "unsupported term"),
    };

    private static BinderKind Quantifier(int type) => type switch
    {
        LeanStatementLexer.FORALL => BinderKind.Forall,
        LeanStatementLexer.EXISTS => BinderKind.Exists,
        _ => BinderKind.ExistsUnique,
    };

    private BigOperator BigOperation(P.BigOpExprContext c)
    {
        var (variable, domain) = BigBinder(c.bigBinder());
        var kind = c.bigOp.Type == LeanStatementLexer.SUM ? BigOperatorKind.Sum : BigOperatorKind.Product;
        return new BigOperator(kind, variable, domain, Term(c.term()), Span(c));
    }

    private static BinaryOperator RelOperator(int type) => type switch
    {
        LeanStatementLexer.EQ => BinaryOperator.Eq,
        LeanStatementLexer.NE => BinaryOperator.Ne,
        LeanStatementLexer.LT => BinaryOperator.Lt,
        LeanStatementLexer.GT => BinaryOperator.Gt,
        LeanStatementLexer.LE => BinaryOperator.Le,
        LeanStatementLexer.GE => BinaryOperator.Ge,
        LeanStatementLexer.DVD => BinaryOperator.Dvd,
        LeanStatementLexer.IN => BinaryOperator.In,
        LeanStatementLexer.NOTIN => BinaryOperator.NotIn,
        LeanStatementLexer.SUBSET => BinaryOperator.Subset,
        LeanStatementLexer.SSUBSET => BinaryOperator.StrictSubset,
        _ => throw new InvalidOperationException("not a relation token: " + type),
    };

    private List<BoundVariable> QuantBinders(P.QuantBindersContext context)
    {
        switch (context)
        {
            case P.SimpleBindersContext c:
                {
                    var type = c.term() is { } t ? Term(t) : null;
                    return c.binderName().Select(n => new BoundVariable(n.GetText(), type, null, null, Span(n))).ToList();
                }

            case P.PredicateBindersContext c:
                {
                    var restriction = Term(c.term());
                    var op = RelOperator(c.op.Type);
                    return c.binderName().Select(n => new BoundVariable(n.GetText(), null, op, restriction, Span(n))).ToList();
                }

            case P.BracketedBindersContext c:
                {
                    // Each group is "( names : type )": walk the children in order.
                    var result = new List<BoundVariable>();
                    List<string> pending = [];
                    foreach (var child in c.children)
                    {
                        if (child is P.BinderNameContext name)
                        {
                            pending.Add(name.GetText());
                        }
                        else if (child is P.TermContext typeContext)
                        {
                            var type = Term(typeContext);
                            result.AddRange(pending.Select(n => new BoundVariable(n, type, null, null, Span(typeContext))));
                            pending = [];
                        }
                        else if (child is Antlr4.Runtime.Tree.ITerminalNode { Symbol.Type: LeanStatementLexer.RPAREN } && pending.Count > 0)
                        {
                            result.AddRange(pending.Select(n => new BoundVariable(n, null, null, null, Span(c))));
                            pending = [];
                        }
                    }

                    return result;
                }

            default:
                throw Error(context.Start, "unsupported binder");
        }
    }

    private (BoundVariable Variable, Term? Domain) BigBinder(P.BigBinderContext context)
    {
        var terms = context.term();
        var hasType = context.COLON() is not null;
        var type = hasType ? Term(terms[0]) : null;
        var domainIndex = hasType ? 1 : 0;
        var domain = terms.Length > domainIndex ? Term(terms[domainIndex]) : null;
        var name = context.binderName();
        return (new BoundVariable(name.GetText(), type, null, null, Span(name)), domain);
    }

    private IEnumerable<BoundVariable> FunBinder(P.FunBinderContext context)
    {
        var type = context.term() is { } t ? Term(t) : null;
        return context.binderName().Select(n => new BoundVariable(n.GetText(), type, null, null, Span(n)));
    }

    private Term Argument(P.ArgumentContext context)
    {
        var result = Primary(context.primary());
        foreach (var postfix in context.postfix())
        {
            var span = Join(result.Span, Span(postfix));
            result = postfix.Start.Type switch
            {
                LeanStatementLexer.FACT => new Unary(UnaryOperator.Factorial, result, span),
                LeanStatementLexer.INV => new Unary(UnaryOperator.Inverse, result, span),
                _ => new Projection(result, postfix.GetText()[1..], span),
            };
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
            P.CdotPrimaryContext => new Placeholder(span),
            P.CoePrimaryContext c => new Unary(UnaryOperator.Coerce, Argument(c.argument()), span),
            P.AscriptionPrimaryContext c => new TypeAscription(Term(c.term(0)), Term(c.term(1)), span),
            P.TuplePrimaryContext c => Collected(CollectionKind.Tuple, c),
            P.ParenPrimaryContext c => Term(c.term()),
            P.SetBuilderPrimaryContext c => new SetBuilder(
                new BoundVariable(c.binderName().GetText(), c.term().Length > 1 ? Term(c.term(0)) : null, null, null, Span(c.binderName())),
                null,
                Term(c.term()[^1]),
                span),
            P.SetLiteralPrimaryContext c => Collected(CollectionKind.Set, c),
            P.ListLiteralPrimaryContext c => Collected(CollectionKind.List, c),
            P.AnonymousConstructorPrimaryContext c => Collected(CollectionKind.AnonymousConstructor, c),
            P.FloorPrimaryContext c when c.RFLOOR().GetText() == "⌋₊" => new Application(new Identifier("Nat.floor", span), [Term(c.term())], span),
            P.FloorPrimaryContext c => Operation(UnaryOperator.Floor, c),
            P.CeilPrimaryContext c when c.RCEIL().GetText() == "⌉₊" => new Application(new Identifier("Nat.ceil", span), [Term(c.term())], span),
            P.CeilPrimaryContext c => Operation(UnaryOperator.Ceil, c),
            _ => throw Error(context.Start, "unsupported term"),
        };
    });
}
