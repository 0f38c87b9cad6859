using ProofAgent.Grammars.Mba;

namespace ProofAgent.Synthesis.Mba;

/// <summary>
/// An expression compiled to a flat postfix program over n-bit words (1 ≤ n ≤ 64, two's-complement wrap-around).
/// Evaluation is iterative, so it is safe for any tree the parser accepts.
/// </summary>
public sealed class MbaEvaluator
{
    private enum Code : byte
    {
        Var,
        Const,
        Not,
        Neg,
        Add,
        Sub,
        Mul,
        And,
        Or,
        Xor,
    }

    private readonly Code[] _codes;
    private readonly ulong[] _operands;
    private readonly ulong _mask;
    private readonly int _maxStack;

    public MbaEvaluator(MbaExpr expr, int bits, IReadOnlyList<string> variables)
    {
        if (bits is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "width must be between 1 and 64 bits");
        }

        Bits = bits;
        _mask = MbaWords.Mask(bits);
        Variables = variables;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count; i++)
        {
            index[variables[i]] = i;
        }

        var codes = new List<Code>();
        var operands = new List<ulong>();
        // Iterative post-order walk.
        var stack = new Stack<(MbaExpr Node, bool Visited)>();
        stack.Push((expr, false));
        int depth = 0, maxDepth = 0;
        while (stack.Count > 0)
        {
            var (node, visited) = stack.Pop();
            if (!visited)
            {
                stack.Push((node, true));
                switch (node)
                {
                    case MbaUnary u:
                        stack.Push((u.Operand, false));
                        break;
                    case MbaBinary b:
                        stack.Push((b.Right, false));
                        stack.Push((b.Left, false));
                        break;
                }

                continue;
            }

            switch (node)
            {
                case MbaVar v:
                    codes.Add(Code.Var);
                    operands.Add(index.TryGetValue(v.Name, out var slot) ? (ulong)slot : throw new ArgumentException($"variable '{v.Name}' is not in the variable list", nameof(variables)));
                    depth++;
                    break;
                case MbaConst c:
                    codes.Add(Code.Const);
                    operands.Add(MbaWords.Reduce(c.Value, bits));
                    depth++;
                    break;
                case MbaUnary u:
                    codes.Add(u.Op == MbaUnaryOp.Not ? Code.Not : Code.Neg);
                    operands.Add(0);
                    break;
                case MbaBinary b:
                    codes.Add(b.Op switch
                    {
                        MbaBinaryOp.Add => Code.Add,
                        MbaBinaryOp.Sub => Code.Sub,
                        MbaBinaryOp.Mul => Code.Mul,
                        MbaBinaryOp.And => Code.And,
                        MbaBinaryOp.Or => Code.Or,
                        _ => Code.Xor,
                    });
                    operands.Add(0);
                    depth--;
                    break;
            }

            maxDepth = Math.Max(maxDepth, depth);
        }

        _codes = [.. codes];
        _operands = [.. operands];
        _maxStack = Math.Max(1, maxDepth);
    }

    public int Bits { get; }

    public IReadOnlyList<string> Variables { get; }

    /// <summary>The value at the given variable assignment (each taken modulo 2^n).</summary>
    public ulong Evaluate(ReadOnlySpan<ulong> values)
    {
        Span<ulong> stack = _maxStack <= 256 ? stackalloc ulong[_maxStack] : new ulong[_maxStack];
        var top = -1;
        for (var i = 0; i < _codes.Length; i++)
        {
            switch (_codes[i])
            {
                case Code.Var: stack[++top] = values[(int)_operands[i]] & _mask; break;
                case Code.Const: stack[++top] = _operands[i]; break;
                case Code.Not: stack[top] = ~stack[top]; break;
                case Code.Neg: stack[top] = 0UL - stack[top]; break;
                case Code.Add: stack[top - 1] += stack[top]; top--; break;
                case Code.Sub: stack[top - 1] -= stack[top]; top--; break;
                case Code.Mul: stack[top - 1] *= stack[top]; top--; break;
                case Code.And: stack[top - 1] &= stack[top]; top--; break;
                case Code.Or: stack[top - 1] |= stack[top]; top--; break;
                case Code.Xor: stack[top - 1] ^= stack[top]; top--; break;
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
