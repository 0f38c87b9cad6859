namespace ProofAgent.Mba;

/// <summary>The instructions of <see cref="MbaProgram"/>: push a variable or a constant, or combine the top of the stack.</summary>
internal enum MbaOpCode : byte
{
    Var,
    Const,
    Not,
    Neg,

    // One instruction per binary operator, in the order of MbaBinaryOp, so that compiling an operator is an addition.
    Add = Neg + 1 + MbaBinaryOp.Add,
    Sub = Neg + 1 + MbaBinaryOp.Sub,
    Mul = Neg + 1 + MbaBinaryOp.Mul,
    And = Neg + 1 + MbaBinaryOp.And,
    Or = Neg + 1 + MbaBinaryOp.Or,
    Xor = Neg + 1 + MbaBinaryOp.Xor,
}

/// <summary>
/// An expression as a postfix program over a value stack, compiled by an iterative walk (safe for any tree the parser
/// accepts). The scalar <see cref="MbaEvaluator"/> and the vectorised <see cref="MbaExhaustive"/> run the same program.
/// Constants are reduced modulo 2^n; a variable's operand is its index in the variable list.
/// </summary>
internal sealed class MbaProgram
{
    private MbaProgram(MbaOpCode[] codes, ulong[] operands, int maxStack)
    {
        Codes = codes;
        Operands = operands;
        MaxStack = maxStack;
    }

    public MbaOpCode[] Codes { get; }

    public ulong[] Operands { get; }

    /// <summary>The deepest the value stack gets (at least 1).</summary>
    public int MaxStack { get; }

    public static MbaProgram Compile(MbaExpr expr, int bits, IReadOnlyList<string> variables)
    {
        ArgumentNullException.ThrowIfNull(expr);
        ArgumentNullException.ThrowIfNull(variables);
        if (bits is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "width must be between 1 and 64 bits");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count; i++)
        {
            index[variables[i]] = i;
        }

        var codes = new List<MbaOpCode>();
        var operands = new List<ulong>();
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
                    codes.Add(MbaOpCode.Var);
                    operands.Add(index.TryGetValue(v.Name, out var slot) ? (ulong)slot : throw new ArgumentException($"variable '{v.Name}' is not in the variable list", nameof(variables)));
                    depth++;
                    break;
                case MbaConst c:
                    codes.Add(MbaOpCode.Const);
                    operands.Add(MbaWords.Reduce(c.Value, bits));
                    depth++;
                    break;
                case MbaUnary u:
                    codes.Add(u.Op == MbaUnaryOp.Not ? MbaOpCode.Not : MbaOpCode.Neg);
                    operands.Add(0);
                    break;
                case MbaBinary b:
                    codes.Add(MbaOpCode.Add + (byte)(b.Op - MbaBinaryOp.Add));
                    operands.Add(0);
                    depth--;
                    break;
            }

            maxDepth = Math.Max(maxDepth, depth);
        }

        return new MbaProgram([.. codes], [.. operands], Math.Max(1, maxDepth));
    }
}
