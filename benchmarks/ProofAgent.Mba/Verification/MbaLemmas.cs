namespace ProofAgent.Mba;

/// <summary>A bitwise subterm and its form over the conjunction basis (<c>x|y = x + y - (x&amp;y)</c>): a lemma for the solver to prove.</summary>
public sealed record MbaLemma(MbaExpr Atom, MbaExpr BasisForm);

/// <summary>
/// A linear MBA identity split into solver-sized steps: the lemmas <c>atom = basis form</c>, one per distinct maximal
/// bitwise subterm, and the identity with every atom replaced by its basis form, which is an identity of polynomials in
/// the variable conjunctions (a ring normalization). If the solver proves every lemma and the rewritten identity valid,
/// the original is valid: replacing a subterm by a term equal to it on all inputs leaves the function unchanged.
/// </summary>
public sealed record MbaLemmaQuestion(IReadOnlyList<MbaLemma> Lemmas, MbaExpr Lhs, MbaExpr Rhs);

public static class MbaLemmas
{
    /// <summary>The lemma decomposition, or null when <c>lhs - rhs</c> is not a linear MBA (or has more than 12 variables).</summary>
    public static MbaLemmaQuestion? Build(MbaExpr lhs, MbaExpr rhs, int bits)
    {
        ArgumentNullException.ThrowIfNull(lhs);
        ArgumentNullException.ThrowIfNull(rhs);
        if (!MbaLinearity.IsLinearIdentityQuestion(lhs, rhs, bits))
        {
            return null;
        }

        var variables = MbaWords.Variables(lhs, rhs);
        if (variables.Count > 12)
        {
            return null;
        }

        var lemmas = new SortedDictionary<string, MbaLemma>(StringComparer.Ordinal);
        var left = Replace(lhs, bits, variables, lemmas);
        var right = Replace(rhs, bits, variables, lemmas);
        return new MbaLemmaQuestion([.. lemmas.Values], left, right);
    }

    /// <summary>
    /// A bitwise function as Σ c_S · (∧ S) over conjunctions of <paramref name="variables"/> (the empty conjunction is the
    /// all-ones word -1, so its coefficient becomes a constant), from the Möbius transform of its truth table.
    /// </summary>
    public static MbaExpr BasisForm(MbaExpr bitwise, int bits, IReadOnlyList<string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return MbaSimplifier.ConjunctionBasisForm(MbaLinearity.TruthVector(new MbaEvaluator(bitwise, bits, variables)), variables, bits);
    }

    private static MbaExpr Replace(MbaExpr expr, int bits, IReadOnlyList<string> variables, SortedDictionary<string, MbaLemma> lemmas)
    {
        if (expr is MbaVar or MbaConst)
        {
            return expr;
        }

        if (MbaLinearity.Classify(expr, bits) == MbaClass.Bitwise)
        {
            var key = expr.ToString();
            if (lemmas.TryGetValue(key, out var known))
            {
                return known.BasisForm;
            }

            var basis = BasisForm(expr, bits, variables);
            if (basis.ToString() == key)
            {
                // Already a basis conjunction: nothing to prove.
                return expr;
            }

            lemmas[key] = new MbaLemma(expr, basis);
            return basis;
        }

        return expr switch
        {
            MbaUnary u => new MbaUnary(u.Op, Replace(u.Operand, bits, variables, lemmas)),
            MbaBinary b => new MbaBinary(b.Op, Replace(b.Left, bits, variables, lemmas), Replace(b.Right, bits, variables, lemmas)),
            _ => expr,
        };
    }
}
