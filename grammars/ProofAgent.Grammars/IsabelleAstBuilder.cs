using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using ProofAgent.Grammars.Generated;
using ProofAgent.Provers;
using P = ProofAgent.Grammars.Generated.IsabelleStatementParser;

namespace ProofAgent.Grammars;

/// <summary>Isabelle/HOL parse tree → <see cref="Term"/>. Types become terms too: <c>nat \&lt;Rightarrow&gt; real</c> is an <see cref="BinaryOperator.Arrow"/>.</summary>
internal sealed class IsabelleAstBuilder(StatementParseOptions options) : AstBuilderBase(options)
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

    public Term Term(P.TermContext context) => Nested(context, () => Build(context));

    private Term Build(P.TermContext context)
    {
        var span = Span(context);
        switch (context)
        {
            case P.ImageExprContext c:
                return new Binary(c.op.Type == IsabelleStatementLexer.IMAGE ? BinaryOperator.Image : BinaryOperator.Preimage, Term(c.term(0)), Term(c.term(1)), span);
            case P.PowExprContext c:
                return new Binary(c.op.Type == IsabelleStatementLexer.POW ? BinaryOperator.Pow : BinaryOperator.RealPow, Term(c.term(0)), Term(c.term(1)), span);
            case P.NegExprContext c:
                return new Unary(UnaryOperator.Neg, Term(c.term()), span);
            case P.MulExprContext c:
                return new Binary(c.op.Type switch
                {
                    IsabelleStatementLexer.TIMES => BinaryOperator.Mul,
                    IsabelleStatementLexer.DIV => BinaryOperator.Div,
                    IsabelleStatementLexer.DIVKW => BinaryOperator.IntDiv,
                    _ => BinaryOperator.Mod,
                }, Term(c.term(0)), Term(c.term(1)), span);
            case P.AddExprContext c:
                return new Binary(c.op.Type == IsabelleStatementLexer.PLUS ? BinaryOperator.Add : BinaryOperator.Sub, Term(c.term(0)), Term(c.term(1)), span);
            case P.ConsExprContext c:
                return new Binary(c.op.Type == IsabelleStatementLexer.HASH ? BinaryOperator.Cons : BinaryOperator.Append, Term(c.term(0)), Term(c.term(1)), span);
            case P.RelExprContext c:
                return new Binary(Relation(c.op.Type), Term(c.term(0)), Term(c.term(1)), span);
            case P.NotExprContext c:
                return new Unary(UnaryOperator.Not, Term(c.term()), span);
            case P.AndExprContext c:
                return new Binary(BinaryOperator.And, Term(c.term(0)), Term(c.term(1)), span);
            case P.OrExprContext c:
                return new Binary(BinaryOperator.Or, Term(c.term(0)), Term(c.term(1)), span);
            case P.ImpExprContext c:
                return new Binary(c.op.Type == IsabelleStatementLexer.IMPLIES ? BinaryOperator.Implies : BinaryOperator.Iff, Term(c.term(0)), Term(c.term(1)), span);
            case P.MetaImpExprContext c:
                return new Binary(BinaryOperator.MetaImplies, Term(c.term(0)), Term(c.term(1)), span);
            case P.QuantExprContext c:
                {
                    var kind = c.quant.Type switch
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
                    return new BinderTerm(kind, QuantBinders(c.quantBinders()), Term(c.term()), span);
                }

            case P.BigOpExprContext c:
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
                    return new BigOperator(big, variable, domain, Term(c.term()), span);
                }

            case P.IteExprContext c:
                return new IfThenElse(Term(c.term(0)), Term(c.term(1)), Term(c.term(2)), span);
            case P.LetExprContext c:
                return new LetIn(Pattern(c.pattern()), Term(c.term(0)), Term(c.term(1)), span);
            case P.AppExprContext c:
                return Application(c.application());
            default:
                throw Error(context.Start, "unsupported term");
        }
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

    private Term Application(P.ApplicationContext context)
    {
        var arguments = context.argument();
        var head = Argument(arguments[0]);
        return arguments.Length == 1 ? head : new Application(head, arguments.Skip(1).Select(Argument).ToList(), Span(context));
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
                return new Collection(CollectionKind.Tuple, c.term().Select(Term).ToList(), span);
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
                return new Collection(CollectionKind.Set, c.term().Select(Term).ToList(), span);
            case P.ListPrimaryContext c:
                return new Collection(CollectionKind.List, c.term().Select(Term).ToList(), span);
            case P.CongruencePrimaryContext c:
                return new Congruence(Term(c.term(0)), Term(c.term(1)), Term(c.term(2)), "mod", span);
            case P.AbsPrimaryContext c:
                return new Unary(UnaryOperator.Abs, Term(c.term()), span);
            case P.FloorPrimaryContext c:
                return new Unary(UnaryOperator.Floor, Term(c.term()), span);
            case P.CeilPrimaryContext c:
                return new Unary(UnaryOperator.Ceil, Term(c.term()), span);
            case P.SetBigOpPrimaryContext c:
                return new Application(new Identifier(c.op.Type == IsabelleStatementLexer.SUM ? "Sum" : "Prod", Span(c.op)), [Argument(c.argument())], span);
            default:
                throw Error(context.Start, "unsupported term");
        }
    });
}
