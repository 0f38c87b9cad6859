using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using ProofAgent.Grammars.Generated;
using ProofAgent.Provers;
using P = ProofAgent.Grammars.Generated.IsabelleStatementParser;

namespace ProofAgent.Grammars;

/// <summary>Isabelle/HOL parse tree → <see cref="Term"/>. Types become terms too: <c>nat \&lt;Rightarrow&gt; real</c> is an <see cref="BinaryOperator.Arrow"/>.</summary>
internal sealed class IsabelleAstBuilder(StatementParseOptions options) : AstBuilderBase<P.TermContext>(options)
{
    public TheoremStatement Statement(P.StatementContext context)
    {
        var name = context.name?.Text ?? string.Empty;
        var binders = new List<StatementBinder>();
        var assumptions = new List<Assumption>();
        var conclusions = new List<Term>();
        switch (context.body())
        {
            case P.StructuredBodyContext body:
                Fixes(body.fixes(), binders);
                foreach (var assumes in body.assumes())
                {
                    Assumes(assumes, assumptions);
                }

                foreach (var proposition in body.shows().proposition())
                {
                    conclusions.Add(Proposition(proposition));
                }

                break;
            case P.PlainBodyContext body:
                Fixes(body.fixes(), binders);
                foreach (var assumes in body.assumes())
                {
                    Assumes(assumes, assumptions);
                }

                conclusions.AddRange(body.proposition().Select(Proposition));
                break;
        }

        var conclusion = conclusions[0];
        foreach (var next in conclusions.Skip(1))
        {
            conclusion = new Binary(BinaryOperator.And, conclusion, next, Join(conclusion.Span, next.Span));
        }

        return new TheoremStatement(ProofLanguage.Isabelle, name, binders, assumptions, conclusion, Span(context));
    }

    private void Fixes(P.FixesContext? fixes, List<StatementBinder> binders)
    {
        if (fixes is null)
        {
            return;
        }

        foreach (var group in fixes.fixGroup())
        {
            var type = group.type() is { } t ? Type(t.typeExpr()) : null;
            binders.Add(new StatementBinder(group.IDENT().Select(i => i.GetText()).ToList(), type, BinderStyle.Explicit, Span(group)));
        }
    }

    private void Assumes(P.AssumesContext? assumes, List<Assumption> assumptions)
    {
        if (assumes is null)
        {
            return;
        }

        foreach (var assumption in assumes.assumption())
        {
            var label = assumption.label()?.IDENT().GetText();
            foreach (var proposition in assumption.proposition())
            {
                assumptions.Add(new Assumption(label, Proposition(proposition), Span(proposition)));
            }
        }
    }

    private Term Proposition(P.PropositionContext context) => Term(context.innerTerm().term());

    private Term Type(P.TypeExprContext context) => Nested(context, () =>
    {
        var left = TypeApp(context.typeApp());
        return context.typeExpr() is { } right ? new Binary(BinaryOperator.Arrow, left, Type(right), Span(context)) : left;
    });

    private Term TypeApp(P.TypeAppContext context)
    {
        // Postfix type constructors: "nat set" is set applied to nat.
        var result = TypeAtom(context.typeAtom());
        foreach (var constructor in context.IDENT())
        {
            result = new Application(new Identifier(constructor.GetText(), Span(constructor.Symbol)), [result], Join(result.Span, Span(constructor.Symbol)));
        }

        return result;
    }

    private Term TypeAtom(P.TypeAtomContext context)
    {
        if (context.IDENT() is { } ident)
        {
            return new Identifier(ident.GetText(), Span(ident.Symbol));
        }

        if (context.TYPEVAR() is { } variable)
        {
            return new Identifier(variable.GetText(), Span(variable.Symbol));
        }

        var parts = context.typeExpr().Select(Type).ToList();
        return parts.Count == 1 ? parts[0] : new Collection(CollectionKind.Tuple, parts, Span(context));
    }

    protected override Term Build(P.TermContext context) => context switch
    {
        P.ImageExprContext c => Operation(c.op.Type == IsabelleStatementLexer.IMAGE ? BinaryOperator.Image : BinaryOperator.Preimage, c),
        P.PowExprContext c => Operation(c.op.Type == IsabelleStatementLexer.POW ? BinaryOperator.Pow : BinaryOperator.RealPow, c),
        P.NegExprContext c => Operation(UnaryOperator.Neg, c),
        P.MulExprContext c => Operation(
            c.op.Type switch
            {
                IsabelleStatementLexer.TIMES => BinaryOperator.Mul,
                IsabelleStatementLexer.DIV => BinaryOperator.Div,
                IsabelleStatementLexer.DIVKW => BinaryOperator.IntDiv,
                _ => BinaryOperator.Mod,
            },
            c),
        P.AddExprContext c => Operation(c.op.Type == IsabelleStatementLexer.PLUS ? BinaryOperator.Add : BinaryOperator.Sub, c),
        P.ConsExprContext c => Operation(c.op.Type == IsabelleStatementLexer.HASH ? BinaryOperator.Cons : BinaryOperator.Append, c),
        P.RelExprContext c => Operation(Relation(c.op.Type), c),
        P.NotExprContext c => Operation(UnaryOperator.Not, c),
        P.AndExprContext c => Operation(BinaryOperator.And, c),
        P.OrExprContext c => Operation(BinaryOperator.Or, c),
        P.ImpExprContext c => Operation(c.op.Type == IsabelleStatementLexer.IMPLIES ? BinaryOperator.Implies : BinaryOperator.Iff, c),
        P.MetaImpExprContext c => Operation(BinaryOperator.MetaImplies, c),
        P.QuantExprContext c => new BinderTerm(Quantifier(c.quant.Type), QuantBinders(c.quantBinders()), Term(c.term()), Span(c)),
        P.BigOpExprContext c => BigOperation(c),
        P.IteExprContext c => Conditional(c),
        P.LetExprContext c => new LetIn(Pattern(c.pattern()), Term(c.term(0)), Term(c.term(1)), Span(c)),
        P.AppExprContext c => Applied(c.application(), c.application().argument(), Argument),
        _ => throw Error(context.Start, "unsupported term"),
    };

    private static BinderKind Quantifier(int type) => type switch
    {
        IsabelleStatementLexer.FORALL => BinderKind.Forall,
        IsabelleStatementLexer.EXISTS => BinderKind.Exists,
        IsabelleStatementLexer.EXISTSUNIQUE => BinderKind.ExistsUnique,
        IsabelleStatementLexer.METAFORALL => BinderKind.MetaForall,
        IsabelleStatementLexer.LAMBDA => BinderKind.Lambda,
        IsabelleStatementLexer.THE => BinderKind.The,
        IsabelleStatementLexer.SOME => BinderKind.Some,
        IsabelleStatementLexer.LEAST => BinderKind.Least,
        _ => BinderKind.Greatest,
    };

    private BigOperator BigOperation(P.BigOpExprContext c)
    {
        var binder = c.bigBinder();
        var variable = BinderVar(binder.binderVar()).Single();
        Term domain;
        if (binder.IN() is not null)
        {
            domain = Term(binder.term(0));
        }
        else if (binder.op is not null)
        {
            var kind = binder.op.Type == IsabelleStatementLexer.LT ? RangeKind.HalfOpenRight : RangeKind.Closed;
            domain = new IntervalSet(kind, null, Term(binder.term(0)), Span(binder));
        }
        else
        {
            var kind = binder.range.Type == IsabelleStatementLexer.DOTDOT ? RangeKind.Closed : RangeKind.HalfOpenRight;
            domain = new IntervalSet(kind, Term(binder.lo), Term(binder.hi), Span(binder));
        }

        var big = c.bigOp.Type == IsabelleStatementLexer.SUM ? BigOperatorKind.Sum : BigOperatorKind.Product;
        return new BigOperator(big, variable, domain, Term(c.term()), Span(c));
    }

    private static BinaryOperator Relation(int type) => type switch
    {
        IsabelleStatementLexer.EQ => BinaryOperator.Eq,
        IsabelleStatementLexer.NE => BinaryOperator.Ne,
        IsabelleStatementLexer.LT => BinaryOperator.Lt,
        IsabelleStatementLexer.GT => BinaryOperator.Gt,
        IsabelleStatementLexer.LE => BinaryOperator.Le,
        IsabelleStatementLexer.GE => BinaryOperator.Ge,
        IsabelleStatementLexer.DVD => BinaryOperator.Dvd,
        IsabelleStatementLexer.IN => BinaryOperator.In,
        IsabelleStatementLexer.NOTIN => BinaryOperator.NotIn,
        IsabelleStatementLexer.SUBSETEQ => BinaryOperator.Subset,
        _ => BinaryOperator.StrictSubset,
    };

    private Term Pattern(P.PatternContext context) => context.IDENT() is { } ident
        ? new Identifier(ident.GetText(), Span(ident.Symbol))
        : new Collection(CollectionKind.Tuple, context.pattern().Select(Pattern).ToList(), Span(context));

    private List<BoundVariable> QuantBinders(P.QuantBindersContext context)
    {
        var variables = context.binderVar().SelectMany(BinderVar).ToList();
        if (context.op is null)
        {
            return variables;
        }

        var restriction = Term(context.term());
        var op = Relation(context.op.Type);
        return variables.Select(v => v with { RestrictionOperator = op, Restriction = restriction }).ToList();
    }

    private IEnumerable<BoundVariable> BinderVar(P.BinderVarContext context)
    {
        var type = context.typeExpr() is { } typeExpr ? Type(typeExpr) : null;
        return context.IDENT().Select(n => new BoundVariable(n.GetText(), type, null, null, Span(n.Symbol)));
    }

    private Term Argument(P.ArgumentContext context)
    {
        var value = Primary(context.primary());
        return context.typeAtom() is { } type ? new TypeAscription(value, TypeAtom(type), Span(context)) : value;
    }

    private Term Primary(P.PrimaryContext context) => Nested(context, () =>
    {
        var span = Span(context);
        switch (context)
        {
            case P.IdentPrimaryContext c:
                return new Identifier(c.GetText(), span);
            case P.NumberPrimaryContext c:
                return new NumberLiteral(c.GetText(), span);
            case P.SchematicPrimaryContext c:
                return new Symbol(c.GetText(), span);
            case P.DummyPrimaryContext:
                return new Placeholder(span);
            case P.SymbolPrimaryContext c:
                return new Symbol(c.GetText(), span);
            case P.AscriptionPrimaryContext c:
                return new TypeAscription(Term(c.term()), Type(c.typeExpr()), span);
            case P.TuplePrimaryContext c:
                return Collected(CollectionKind.Tuple, c);
            case P.ParenPrimaryContext c:
                return Term(c.term());
            case P.OperatorSectionPrimaryContext c:
                return new Identifier("(" + c.op.Text + ")", span);
            case P.SetBuilderPrimaryContext c:
                return new SetBuilder(BinderVar(c.binderVar()).Single(), null, Term(c.term()), span);
            case P.SetBuilderInPrimaryContext c:
                return new SetBuilder(BinderVar(c.binderVar()).Single(), Term(c.term(0)), Term(c.term(1)), span);
            case P.RangePrimaryContext c:
                {
                    var kind = c.range.Type switch
                    {
                        IsabelleStatementLexer.DOTDOT => RangeKind.Closed,
                        IsabelleStatementLexer.DOTDOTLT => RangeKind.HalfOpenRight,
                        IsabelleStatementLexer.LTDOTDOT => RangeKind.HalfOpenLeft,
                        _ => RangeKind.Open,
                    };
                    Term? low = null, high = null;
                    foreach (var child in c.children)
                    {
                        if (child is P.TermContext t)
                        {
                            if (t.Start.TokenIndex < c.range.TokenIndex)
                            {
                                low = Term(t);
                            }
                            else
                            {
                                high = Term(t);
                            }
                        }
                    }

                    return new IntervalSet(kind, low, high, span);
                }

            case P.SetLiteralPrimaryContext c:
                return Collected(CollectionKind.Set, c);
            case P.ListPrimaryContext c:
                return Collected(CollectionKind.List, c);
            case P.CongruencePrimaryContext c:
                return new Congruence(Term(c.term(0)), Term(c.term(1)), Term(c.term(2)), "mod", span);
            case P.AbsPrimaryContext c:
                return Operation(UnaryOperator.Abs, c);
            case P.FloorPrimaryContext c:
                return Operation(UnaryOperator.Floor, c);
            case P.CeilPrimaryContext c:
                return Operation(UnaryOperator.Ceil, c);
            case P.SetBigOpPrimaryContext c:
                return new Application(new Identifier(c.op.Type == IsabelleStatementLexer.SUM ? "Sum" : "Prod", Span(c.op)), [Argument(c.argument())], span);
            default:
                throw Error(context.Start, "unsupported term");
        }
    });
}
