using System.Numerics;

namespace ProofAgent.Mba;

/// <summary>
/// Recovers a simple form of a linear MBA, as SiMBA does: evaluate on the 2^k corner inputs, take the Möbius transform
/// into the basis of variable conjunctions, and prefer a single bitwise term (plus a constant) when the table allows it.
/// The result is re-checked by the truth-table theorem before it is returned.
/// </summary>
public static class MbaSimplifier
{
    /// <summary>The simplest equivalent form found, or null when the input is not a linear MBA (or has more than 12 variables).</summary>
    public static MbaExpr? Simplify(MbaExpr expr, int bits)
    {
        if (MbaLinearity.Classify(expr, bits) == MbaClass.Nonlinear)
        {
            return null;
        }

        var variables = MbaWords.Variables(expr);
        if (variables.Count > 12)
        {
            return null;
        }

        var k = variables.Count;
        var mask = MbaWords.Mask(bits);
        var r = MbaLinearity.TruthVector(new MbaEvaluator(expr, bits, variables));
        var candidates = new List<MbaExpr>();

        candidates.Add(ConjunctionBasisForm(r, variables, bits));

        if (k is >= 1 and <= 3)
        {
            var table = new BitwiseTable(variables);
            // r = a·[g] (one term) or r = r0 + a·[g] (a constant plus one term).
            foreach (var offset in new[] { 0UL, r[0] })
            {
                ulong a = 0;
                var g = 0;
                var ok = true;
                for (var s = 0; s < r.Length && ok; s++)
                {
                    var d = (r[s] - offset) & mask;
                    if (d == 0)
                    {
                        continue;
                    }

                    if (a == 0)
                    {
                        a = d;
                    }

                    ok = d == a;
                    g |= 1 << s;
                }

                if (!ok)
                {
                    continue;
                }

                var parts = new List<(long, MbaExpr?)>();
                if (offset != 0)
                {
                    parts.Add((MbaWords.Signed((0UL - offset) & mask, bits), null));
                }

                if (a != 0)
                {
                    parts.Add((MbaWords.Signed(a, bits), table.Smallest(g)));
                }

                candidates.Add(Sum(parts));
            }
        }

        var best = candidates.OrderBy(e => e.ToString().Length).ThenBy(e => e.ToString(), StringComparer.Ordinal).First();
        // Belt and braces: the answer must agree with the input on the truth table.
        return MbaLinearity.IsLinearIdentityQuestion(expr, best, bits)
            && new MbaVerifier(null, MbaVerifyOptions.Default.WithStrategy(MbaStrategy.TruthTableOnly)).VerifyAsync(expr, best, bits).GetAwaiter().GetResult() is MbaVerdict.Identity
            ? best
            : throw new InvalidOperationException($"simplifier produced a non-equivalent form for {expr}");
    }

    /// <summary>
    /// The function with truth vector <paramref name="truthVector"/> (over <paramref name="variables"/>) as
    /// Σ c_S · (∧ S) over conjunctions of the variables, from the Möbius transform of the vector; the empty conjunction
    /// is the all-ones word -1, so its coefficient becomes a constant.
    /// </summary>
    public static MbaExpr ConjunctionBasisForm(ulong[] truthVector, IReadOnlyList<string> variables, int bits)
    {
        ArgumentNullException.ThrowIfNull(truthVector);
        ArgumentNullException.ThrowIfNull(variables);

        // Möbius transform: r = Σ_S c_S [S ⊆ s]  ⇒  c_S = Σ_{T ⊆ S} (-1)^{|S|-|T|} r_T.
        var mask = MbaWords.Mask(bits);
        var k = variables.Count;
        var c = (ulong[])truthVector.Clone();
        for (var j = 0; j < k; j++)
        {
            for (var s = 0; s < c.Length; s++)
            {
                if (((s >> j) & 1) != 0)
                {
                    c[s] = (c[s] - c[s ^ (1 << j)]) & mask;
                }
            }
        }

        var terms = new List<(long Coefficient, MbaExpr? Term)>();
        for (var s = 0; s < c.Length; s++)
        {
            if (c[s] == 0)
            {
                continue;
            }

            // The empty conjunction is the all-ones function, i.e. the word -1: c·(-1) is the constant -c.
            if (s == 0)
            {
                terms.Add((MbaWords.Signed((0UL - c[0]) & mask, bits), null));
                continue;
            }

            MbaExpr? conjunction = null;
            for (var j = 0; j < k; j++)
            {
                if (((s >> j) & 1) != 0)
                {
                    MbaExpr v = new MbaVar(variables[j]);
                    conjunction = conjunction is null ? v : new MbaBinary(MbaBinaryOp.And, conjunction, v);
                }
            }

            terms.Add((MbaWords.Signed(c[s], bits), conjunction));
        }

        return Sum(terms);
    }

    /// <summary>Σ coefficient·term (a null term is a constant), as a readable expression; 0 when empty.</summary>
    public static MbaExpr Sum(IEnumerable<(long Coefficient, MbaExpr? Term)> terms)
    {
        MbaExpr? result = null;
        foreach (var (coefficient, term) in terms)
        {
            if (coefficient == 0)
            {
                continue;
            }

            var magnitude = BigInteger.Abs(coefficient);
            MbaExpr piece = term is null
                ? new MbaConst(magnitude)
                : magnitude.IsOne ? term : new MbaBinary(MbaBinaryOp.Mul, new MbaConst(magnitude), term);
            if (result is null)
            {
                result = coefficient < 0 ? new MbaUnary(MbaUnaryOp.Neg, piece) : piece;
            }
            else
            {
                result = new MbaBinary(coefficient < 0 ? MbaBinaryOp.Sub : MbaBinaryOp.Add, result, piece);
            }
        }

        return result ?? new MbaConst(0);
    }
}
