namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>Types: type expressions, and the type of an arithmetic tree under the language's typing rule.</summary>
internal sealed partial class Translator
{
    private bool IsTypeLike(Term type) => type switch
    {
        Identifier id => _language.Naming.IsTypeName(id.Name),
        Application { Function: Identifier head } => _language.Naming.IsTypeConstructor(head.Name),
        Binary { Operator: BinaryOperator.Arrow, Left: var left, Right: var right } => IsTypeLike(left) && IsTypeLike(right),
        Binary { Operator: BinaryOperator.ProductType } => true,
        _ => false,
    };

    private Ty ElabType(Term type, Env env)
    {
        switch (type)
        {
            case Identifier id when _language.Types.TryGetValue(id.Name, out var named):
                return named;
            case Binary { Operator: BinaryOperator.Arrow } arrow:
                {
                    var parameters = new List<Ty>();
                    Term current = arrow;
                    while (current is Binary { Operator: BinaryOperator.Arrow } a)
                    {
                        parameters.Add(ElabType(a.Left, env));
                        current = a.Right;
                    }

                    return new Ty(TyKind.Fun, parameters, ElabType(current, env));
                }

            default:
                return new Ty(TyKind.Opaque, Name: Describe(type));
        }
    }

    private static void CollectLeaves(Term term, List<Term> leaves)
    {
        switch (term)
        {
            case Binary { Operator: BinaryOperator.Pow } b:
                CollectLeaves(b.Left, leaves);
                break;
            case Binary { Operator: BinaryOperator.Add or BinaryOperator.Sub or BinaryOperator.Mul or BinaryOperator.Div or BinaryOperator.IntDiv or BinaryOperator.Mod } b:
                CollectLeaves(b.Left, leaves);
                CollectLeaves(b.Right, leaves);
                break;
            case Unary { Operator: UnaryOperator.Neg } u:
                CollectLeaves(u.Operand, leaves);
                break;
            default:
                leaves.Add(term);
                break;
        }
    }

    private Ty? TryTreeType(Term term, Env env)
    {
        var leaves = new List<Term>();
        CollectLeaves(term, leaves);
        var known = leaves.Select(l => LeafType(l, env)).OfType<Ty>().ToList();
        return known.Count == 0 ? null : known.MaxBy(t => t.Rank);
    }

    /// <summary>The type of an arithmetic tree (or of several trees compared with each other), from its leaves and the expected type.</summary>
    private Ty TreeType(IReadOnlyList<Term> roots, Env env, Ty? expected, SourceSpan span)
    {
        var leaves = new List<Term>();
        foreach (var root in roots)
        {
            CollectLeaves(root, leaves);
        }

        var known = leaves.Select(l => LeafType(l, env)).OfType<Ty>().ToList();
        if (known.Any(t => t.Kind == TyKind.Prop))
        {
            return known.All(t => t.Kind == TyKind.Prop) ? Ty.Prop : throw new UntranslatableException("mixes propositions and numbers", span);
        }

        foreach (var ty in known)
        {
            if (!ty.IsNumeric)
            {
                throw new UntranslatableException($"arithmetic in {ty}", span);
            }
        }

        return _language.Arithmetic.Typing switch
        {
            ArithmeticTyping.Strict => StrictTreeType(leaves, known, env, expected, span),
            ArithmeticTyping.NumeralScopes => ScopedTreeType(known, env, expected, span),
            _ => LargestTreeType(leaves, known, expected, span),
        };
    }

    /// <summary>Lean's binop%: the largest type among the leaves and the expected type; numerals alone are ℕ.</summary>
    private static Ty LargestTreeType(List<Term> leaves, List<Ty> known, Ty? expected, SourceSpan span)
    {
        if (expected is { IsNumeric: true })
        {
            known.Add(expected);
        }

        if (leaves.Any(l => l is NumberLiteral n && n.Text.Contains('.', StringComparison.Ordinal)) && known.All(t => t.IsIntegral))
        {
            throw new UntranslatableException("decimal literal without a field type", span);
        }

        return known.Count == 0 ? Ty.Nat : known.MaxBy(t => t.Rank)!;
    }

    /// <summary>Coq: no coercions, so the typed leaves agree; numerals alone take the expected type or the open scope's.</summary>
    private Ty ScopedTreeType(List<Ty> known, Env env, Ty? expected, SourceSpan span)
    {
        if (known.Select(t => t.Kind).Distinct().Count() > 1)
        {
            throw new UntranslatableException($"ill-typed arithmetic: {string.Join(" and ", known.Select(t => t.ToString()).Distinct(StringComparer.Ordinal))} without coercion", span);
        }

        return known.Count > 0 ? known[0] : expected is { IsNumeric: true } ? expected : ScopeType(env.Scope ?? DefaultScope, span);
    }

    /// <summary>
    /// Isabelle/HOL has no subtyping: every leaf has the one type of the tree. Where the leaves disagree, Isabelle's
    /// coercion inference would place coercions we do not reproduce, so this is not translated.
    /// </summary>
    private Ty StrictTreeType(List<Term> leaves, List<Ty> known, Env env, Ty? expected, SourceSpan span)
    {
        foreach (var leaf in leaves)
        {
            switch (leaf)
            {
                case Application { Function: Identifier f } when _language.Library.Function(f.Name) is null && !(env.Names.TryGetValue(f.Name, out var b) && b.Type.Kind == TyKind.Fun):
                    throw new UntranslatableException(_language.UnknownFunction(f.Name), leaf.Span);
                case Binary { Operator: BinaryOperator.RealPow }:
                    throw new UntranslatableException("powr (real exponent) is not translated", leaf.Span);
            }
        }

        var kinds = known.Select(t => t.ToString()).Distinct(StringComparer.Ordinal).ToList();
        if (kinds.Count > 1 || (kinds.Count == 1 && expected is { IsNumeric: true } && !known[0].Equals(expected)))
        {
            throw new UntranslatableException($"mixed types without explicit casts: {string.Join(" and ", kinds.Concat(expected is { IsNumeric: true } ? [expected.ToString()] : []).Distinct(StringComparer.Ordinal))} (Isabelle's implicit coercions are not reproduced)", span);
        }

        return known.Count > 0 ? known[0] : expected is { IsNumeric: true } ? expected : throw new UntranslatableException("numerals of an unconstrained type (the statement is polymorphic)", span);
    }

    /// <summary>The type of Coq numerals in a scope (<c>%R</c>, <c>Open Scope Z_scope</c>).</summary>
    private static Ty ScopeType(string scope, SourceSpan span) => scope switch
    {
        "R" or "R_scope" => Ty.Real,
        "Z" or "Z_scope" => Ty.Int,
        "nat" or "nat_scope" => Ty.Nat,
        "Q" or "Q_scope" => Ty.Rat,
        SmtBridgeOptions.UnknownScope => throw new UntranslatableException("numerals whose type only Coq's open scope decides (a printed goal does not show the scope)", span),
        _ => throw new UntranslatableException($"numerals in scope %{scope}", span),
    };

    /// <summary>The type a leaf has on its own, or null when its context decides (numerals, ↑x).</summary>
    private Ty? LeafType(Term leaf, Env env)
    {
        switch (leaf)
        {
            case Identifier id when env.Names.TryGetValue(id.Name, out var binding):
                return binding.Type.Kind == TyKind.Fun ? null : binding.Type;
            case Identifier id when _language.Library.Constant(id.Name) is { } constant:
                return constant.Type;
            case TypeAscription a:
                return ElabType(a.Type, env);
            case Scoped s:
                return TryTreeType(s.Value, env with { Scope = s.Scope }) ?? ScopeType(s.Scope, s.Span);
            case Unary { Operator: UnaryOperator.Factorial }:
                return Ty.Nat;
            case Unary { Operator: UnaryOperator.Floor or UnaryOperator.Ceil }:
                return Ty.Int;
            case Unary { Operator: UnaryOperator.Inverse or UnaryOperator.Abs } u:
                return TryTreeType(u.Operand, env);
            case Application { Function: Identifier f } app:
                {
                    if (env.Names.TryGetValue(f.Name, out var binding) && binding.Type.Kind == TyKind.Fun)
                    {
                        return binding.Type.Result;
                    }

                    return _language.Library.Function(f.Name) is { } rule
                        ? rule.Result.Fixed ?? (rule.Result.LikeArguments ? app.Arguments.Select(a => TryTreeType(a, env)).OfType<Ty>().MaxBy(t => t.Rank) : null)
                        : null;
                }

            case BigOperator big:
                {
                    var ty = BigVariableType(big, env);
                    return TryTreeType(big.Body, env.With(big.Variable.Name, new Binding("?", ty, null, true)));
                }

            case IfThenElse ite:
                return new[] { TryTreeType(ite.Then, env), TryTreeType(ite.Else, env) }.OfType<Ty>().MaxBy(t => t.Rank);
            case Binary { Operator: BinaryOperator.Eq or BinaryOperator.Ne or BinaryOperator.Lt or BinaryOperator.Le or BinaryOperator.Gt or BinaryOperator.Ge or BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Arrow or BinaryOperator.Iff or BinaryOperator.Dvd }:
                return Ty.Prop;
            case Unary { Operator: UnaryOperator.Not }:
                return Ty.Prop;
            default:
                return null;
        }
    }
}
