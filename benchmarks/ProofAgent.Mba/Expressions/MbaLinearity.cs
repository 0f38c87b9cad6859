namespace ProofAgent.Mba;

/// <summary>The MBA class of an expression at a given width.</summary>
public enum MbaClass
{
    /// <summary>No variables: a constant.</summary>
    Constant,

    /// <summary>Only variables, ~ &amp; | ^ and the constants 0 and -1: a bitwise function.</summary>
    Bitwise,

    /// <summary>An integer linear combination of bitwise functions (and constants).</summary>
    Linear,

    /// <summary>Anything else (products of non-constants, bitwise operations on sums, other constants under bitwise operators).</summary>
    Nonlinear,
}

/// <summary>
/// Classifies expressions and decides linear MBA identities by the truth-table theorem: a linear combination of
/// bitwise functions is zero on all n-bit words iff it is zero when every variable is 0 or all-ones (2^k points).
/// </summary>
public static class MbaLinearity
{
    public static MbaClass Classify(MbaExpr expr, int bits) => ClassifyWithValue(expr, bits).Class;

    private static (MbaClass Class, ulong Value) ClassifyWithValue(MbaExpr expr, int bits)
    {
        var mask = MbaWords.Mask(bits);
        switch (expr)
        {
            case MbaVar:
                return (MbaClass.Bitwise, 0);
            case MbaConst c:
                return (MbaClass.Constant, MbaWords.Reduce(c.Value, bits));
            case MbaUnary u:
                {
                    var (cls, value) = ClassifyWithValue(u.Operand, bits);
                    if (cls == MbaClass.Constant)
                    {
                        return (cls, (u.Op == MbaUnaryOp.Not ? ~value : 0UL - value) & mask);
                    }

                    if (cls == MbaClass.Nonlinear)
                    {
                        return (cls, 0);
                    }

                    // ~e = -e - 1 and -e are linear in e; ~ of a bitwise function is bitwise.
                    return (u.Op == MbaUnaryOp.Not && cls == MbaClass.Bitwise ? MbaClass.Bitwise : MbaClass.Linear, 0);
                }

            case MbaBinary b:
                {
                    var (lc, lv) = ClassifyWithValue(b.Left, bits);
                    var (rc, rv) = ClassifyWithValue(b.Right, bits);
                    if (lc == MbaClass.Constant && rc == MbaClass.Constant)
                    {
                        var v = b.Op switch
                        {
                            MbaBinaryOp.Add => lv + rv,
                            MbaBinaryOp.Sub => lv - rv,
                            MbaBinaryOp.Mul => lv * rv,
                            MbaBinaryOp.And => lv & rv,
                            MbaBinaryOp.Or => lv | rv,
                            _ => lv ^ rv,
                        };
                        return (MbaClass.Constant, v & mask);
                    }

                    if (lc == MbaClass.Nonlinear || rc == MbaClass.Nonlinear)
                    {
                        return (MbaClass.Nonlinear, 0);
                    }

                    switch (b.Op)
                    {
                        case MbaBinaryOp.Add:
                        case MbaBinaryOp.Sub:
                            return (MbaClass.Linear, 0);
                        case MbaBinaryOp.Mul:
                            return (lc == MbaClass.Constant || rc == MbaClass.Constant ? MbaClass.Linear : MbaClass.Nonlinear, 0);
                        default:
                            // A bitwise operator needs bitwise operands; 0 and all-ones are the constant bitwise functions.
                            var leftBitwise = lc == MbaClass.Bitwise || (lc == MbaClass.Constant && (lv == 0 || lv == mask));
                            var rightBitwise = rc == MbaClass.Bitwise || (rc == MbaClass.Constant && (rv == 0 || rv == mask));
                            return (leftBitwise && rightBitwise ? MbaClass.Bitwise : MbaClass.Nonlinear, 0);
                    }
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(expr));
        }
    }

    /// <summary>True when <c>lhs - rhs</c> is a linear MBA at this width (so the truth-table theorem decides it).</summary>
    public static bool IsLinearIdentityQuestion(MbaExpr lhs, MbaExpr rhs, int bits) =>
        Classify(new MbaBinary(MbaBinaryOp.Sub, lhs, rhs), bits) != MbaClass.Nonlinear;

    /// <summary>
    /// The "integer truth table" of a linear MBA f over <paramref name="variables"/>: entry s (bit j of s = variable j)
    /// is -f(x) with x_j = all-ones when bit j is set, else 0, which equals Σ a_i·e_i(s) mod 2^n for f = Σ a_i·e_i.
    /// </summary>
    public static ulong[] TruthVector(MbaEvaluator f)
    {
        var k = f.Variables.Count;
        if (k > 24)
        {
            throw new ArgumentException($"{k} variables: the truth table would have 2^{k} rows", nameof(f));
        }

        var mask = MbaWords.Mask(f.Bits);
        var result = new ulong[1 << k];
        Span<ulong> values = stackalloc ulong[Math.Max(1, k)];
        for (var s = 0; s < result.Length; s++)
        {
            for (var j = 0; j < k; j++)
            {
                values[j] = ((s >> j) & 1) != 0 ? mask : 0;
            }

            result[s] = (0UL - f.Evaluate(values)) & mask;
        }

        return result;
    }
}
