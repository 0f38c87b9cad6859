namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>Finite sums, products and cardinalities over index sets with constant bounds, expanded term by term.</summary>
internal sealed partial class Translator
{
    /// <summary>The values of a finite index set with constant bounds: range, Icc, Ico, Ioc, Ioo, filter of those, literal sets.</summary>
    private (List<BigInteger> Values, Term? Filter, BoundVariable? FilterVariable, Ty Type) Enumerate(Term set, Env env, Ty elementType, SourceSpan span)
    {
        switch (set)
        {
            case Application { Function: Identifier { Name: "Finset.range" }, Arguments: [var n] }:
                {
                    var bound = Elab(n, env, Ty.Nat);
                    return (Range(0, Constant(bound, span) - 1, span), null, null, Ty.Nat);
                }

            case Application { Function: Identifier { Name: var name }, Arguments: [var lo, var hi] } when name is "Finset.Icc" or "Finset.Ico" or "Finset.Ioc" or "Finset.Ioo":
                {
                    var t = TreeType([lo, hi], env, elementType.IsNumeric ? elementType : null, span);
                    if (!t.IsIntegral)
                    {
                        throw new UntranslatableException($"{name} over {t}", span);
                    }

                    var low = Constant(Emit(lo, env, t), span);
                    var high = Constant(Emit(hi, env, t), span);
                    if (name[^2] == 'o')
                    {
                        low += 1;
                    }

                    if (name[^1] == 'o')
                    {
                        high -= 1;
                    }

                    return (Range(low, high, span), null, null, t);
                }

            case Application { Function: Identifier { Name: "Finset.filter" }, Arguments: [BinderTerm { Kind: BinderKind.Lambda, Variables: [var v] } predicate, var inner] }:
                {
                    var (values, filter, _, t) = Enumerate(inner, env, elementType, span);
                    if (filter is not null)
                    {
                        throw new UntranslatableException("nested Finset.filter", span);
                    }

                    return (values, predicate.Body, v, t);
                }

            default:
                throw new UntranslatableException("finite set " + Describe(set), set.Span);
        }
    }

    private static BigInteger Constant(Ex ex, SourceSpan span) => ex.Value ?? throw new UntranslatableException("bound of a finite sum that is not a constant", span);

    private static List<BigInteger> Range(BigInteger low, BigInteger high, SourceSpan span)
    {
        if (high - low + 1 > MaxExpandedTerms)
        {
            throw new UntranslatableException($"finite sum of {high - low + 1} terms (more than {MaxExpandedTerms})", span);
        }

        var values = new List<BigInteger>();
        for (var i = low; i <= high; i++)
        {
            values.Add(i);
        }

        return values;
    }

    private Ty BigVariableType(BigOperator big, Env env) =>
        big.Variable.Type is { } t ? ElabType(t, env) : big.Domain is Application { Function: Identifier { Name: "Finset.range" } } ? Ty.Nat : big.Domain is Application { Arguments.Count: 2 } a ? TryTreeType(a.Arguments[0], env) ?? TryTreeType(a.Arguments[1], env) ?? Ty.Nat : Ty.Nat;

    private Ex Big(BigOperator big, Env env, Ty ty)
    {
        if (big.Domain is null)
        {
            throw new UntranslatableException("big operator without a finite set", big.Span);
        }

        var elementType = BigVariableType(big, env);
        var (values, filter, filterVariable, domainType) = Enumerate(big.Domain, env, elementType, big.Span);
        var type = big.Variable.Type is not null ? elementType : domainType;
        var terms = new List<Ex>();
        var conditions = new List<string?>();
        foreach (var value in values)
        {
            var constant = Literal(value, type);
            var inner = env.With(big.Variable.Name, new Binding(constant.Smt, type, constant, false));
            string? condition = null;
            if (filter is not null)
            {
                var filterEnv = env.With(filterVariable!.Name, new Binding(constant.Smt, type, constant, false));
                condition = Prop(filter, filterEnv);
                if (condition == "false")
                {
                    continue;
                }

                if (condition == "true")
                {
                    condition = null;
                }
            }

            terms.Add(Elab(big.Body, inner, ty));
            conditions.Add(condition);
        }

        var resultType = terms.Count > 0 ? terms.MaxBy(t => t.Type.Rank)!.Type : ty;
        var neutral = big.Kind == BigOperatorKind.Sum ? BigInteger.Zero : BigInteger.One;
        var accumulated = Literal(neutral, resultType);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = Coerce(terms[i], resultType, big.Span);
            if (conditions[i] is { } condition)
            {
                term = new Ex($"(ite {condition} {term.Smt} {Literal(neutral, resultType).Smt})", resultType);
            }

            accumulated = Arith(big.Kind == BigOperatorKind.Sum ? BinaryOperator.Add : BinaryOperator.Mul, accumulated, term, resultType, big.Span);
        }

        return accumulated;
    }

    private Ex Card(Term set, Env env, SourceSpan span)
    {
        var (values, filter, variable, type) = Enumerate(set, env, Ty.Nat, span);
        if (filter is null)
        {
            return Literal(values.Count, Ty.Nat);
        }

        var terms = values.Select(v =>
        {
            var constant = Literal(v, type);
            return Prop(filter, env.With(variable!.Name, new Binding(constant.Smt, type, constant, false)));
        }).Where(c => c != "false").ToList();
        var certain = terms.Count(c => c == "true");
        var open = terms.Where(c => c != "true").Select(c => $"(ite {c} 1 0)").ToList();
        return open.Count == 0 ? Literal(certain, Ty.Nat) : new Ex($"(+ {certain} {string.Join(" ", open)})", Ty.Nat);
    }
}
