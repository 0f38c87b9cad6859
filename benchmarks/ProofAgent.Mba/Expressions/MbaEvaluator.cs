namespace ProofAgent.Mba;

/// <summary>
/// An expression compiled to a flat postfix program over n-bit words (1 ≤ n ≤ 64, two's-complement wrap-around).
/// Evaluation is iterative, so it is safe for any tree the parser accepts.
/// </summary>
public sealed class MbaEvaluator
{
    private readonly MbaProgram _program;
    private readonly ulong _mask;

    public MbaEvaluator(MbaExpr expr, int bits, IReadOnlyList<string> variables)
        : this(MbaProgram.Compile(expr, bits, variables), bits, variables)
    {
    }

    internal MbaEvaluator(MbaProgram program, int bits, IReadOnlyList<string> variables)
    {
        _program = program;
        _mask = MbaWords.Mask(bits);
        Bits = bits;
        Variables = variables;
    }

    public int Bits { get; }

    public IReadOnlyList<string> Variables { get; }

    /// <summary>The value at the given variable assignment (each taken modulo 2^n).</summary>
    public ulong Evaluate(ReadOnlySpan<ulong> values)
    {
        var codes = _program.Codes;
        var operands = _program.Operands;
        Span<ulong> stack = _program.MaxStack <= 256 ? stackalloc ulong[_program.MaxStack] : new ulong[_program.MaxStack];
        var top = -1;
        for (var i = 0; i < codes.Length; i++)
        {
            switch (codes[i])
            {
                case MbaOpCode.Var: stack[++top] = values[(int)operands[i]] & _mask; break;
                case MbaOpCode.Const: stack[++top] = operands[i]; break;
                case MbaOpCode.Not: stack[top] = ~stack[top]; break;
                case MbaOpCode.Neg: stack[top] = 0UL - stack[top]; break;
                case MbaOpCode.Add: stack[top - 1] += stack[top]; top--; break;
                case MbaOpCode.Sub: stack[top - 1] -= stack[top]; top--; break;
                case MbaOpCode.Mul: stack[top - 1] *= stack[top]; top--; break;
                case MbaOpCode.And: stack[top - 1] &= stack[top]; top--; break;
                case MbaOpCode.Or: stack[top - 1] |= stack[top]; top--; break;
                case MbaOpCode.Xor: stack[top - 1] ^= stack[top]; top--; break;
            }
        }

        return stack[0] & _mask;
    }
}

/// <summary>Word helpers shared by the MBA code.</summary>
public static class MbaWords
{
    public static ulong Mask(int bits) => bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;

    public static ulong Reduce(System.Numerics.BigInteger value, int bits)
    {
        var modulus = System.Numerics.BigInteger.One << bits;
        var r = value % modulus;
        if (r.Sign < 0)
        {
            r += modulus;
        }

        return (ulong)r;
    }

    /// <summary>The signed reading of an n-bit word (for printing coefficients: 255 at 8 bits is -1).</summary>
    public static long Signed(ulong word, int bits)
    {
        word &= Mask(bits);
        if (bits == 64)
        {
            return unchecked((long)word);
        }

        return word >= 1UL << (bits - 1) ? (long)word - (1L << bits) : (long)word;
    }

    /// <summary>Variables of an expression, sorted ordinally (iterative walk).</summary>
    public static IReadOnlyList<string> Variables(params MbaExpr[] exprs)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var stack = new Stack<MbaExpr>(exprs);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case MbaVar v: names.Add(v.Name); break;
                case MbaUnary u: stack.Push(u.Operand); break;
                case MbaBinary b: stack.Push(b.Left); stack.Push(b.Right); break;
            }
        }

        return [.. names];
    }

    /// <summary>Multiplicative inverse of an odd word modulo 2^n (Newton iteration).</summary>
    public static ulong InverseOdd(ulong a, int bits)
    {
        if ((a & 1) == 0)
        {
            throw new ArgumentException("only odd numbers are invertible modulo 2^n", nameof(a));
        }

        var x = a; // correct to 3 bits
        for (var i = 0; i < 6; i++)
        {
            x *= 2 - (a * x);
        }

        return x & Mask(bits);
    }
}
