namespace ProofAgent.Grammars.Mba;

/// <summary>Where a node starts in the source: 1-based line, 1-based column.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public static SourcePosition None { get; } = new(0, 0);

    public override string ToString() => $"{Line}:{Column}";
}

public enum MbaUnaryOp
{
    /// <summary>Bitwise complement <c>~</c>.</summary>
    Not,

    /// <summary>Two's-complement negation <c>-</c>.</summary>
    Neg,
}

public enum MbaBinaryOp
{
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
}

/// <summary>
/// An MBA expression. Closed hierarchy: <see cref="MbaVar"/>, <see cref="MbaConst"/>, <see cref="MbaUnary"/>, <see cref="MbaBinary"/>.
/// <see cref="Depth"/> is computed at construction, so consumers can bound their recursion.
/// </summary>
public abstract record MbaExpr
{
    private protected MbaExpr(SourcePosition position, int depth)
    {
        Position = position;
        Depth = depth;
    }

    public SourcePosition Position { get; }

    /// <summary>Height of the tree: 1 for a leaf.</summary>
    public int Depth { get; }

    /// <summary>C syntax, fully parenthesised where precedence requires it (re-parses to the same tree).</summary>
    public sealed override string ToString() => MbaPrinter.Print(this);
}

public sealed record MbaVar : MbaExpr
{
    public MbaVar(string name, SourcePosition position = default)
        : base(position, 1) => Name = name;

    public string Name { get; }
}

/// <summary>A non-negative integer literal; its value is taken modulo 2^n when evaluated at n bits.</summary>
public sealed record MbaConst : MbaExpr
{
    public MbaConst(System.Numerics.BigInteger value, SourcePosition position = default)
        : base(position, 1) => Value = value;

    public System.Numerics.BigInteger Value { get; }
}

public sealed record MbaUnary : MbaExpr
{
    public MbaUnary(MbaUnaryOp op, MbaExpr operand, SourcePosition position = default)
        : base(position, operand.Depth + 1)
    {
        Op = op;
        Operand = operand;
    }

    public MbaUnaryOp Op { get; }

    public MbaExpr Operand { get; }
}

public sealed record MbaBinary : MbaExpr
{
    public MbaBinary(MbaBinaryOp op, MbaExpr left, MbaExpr right, SourcePosition position = default)
        : base(position, Math.Max(left.Depth, right.Depth) + 1)
    {
        Op = op;
        Left = left;
        Right = right;
    }

    public MbaBinaryOp Op { get; }

    public MbaExpr Left { get; }

    public MbaExpr Right { get; }
}

/// <summary>Bad MBA text: what was wrong and where (1-based line and column).</summary>
public sealed class MbaSyntaxException(string message, int line, int column)
    : Exception($"{line}:{column}: {message}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    public string Reason { get; } = message;
}
