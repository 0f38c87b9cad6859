using System.Globalization;
using System.Text;

namespace ProofAgent.Grammars.Mba;

/// <summary>Prints expressions in C syntax with the minimum parentheses that C's precedence needs.</summary>
public static class MbaPrinter
{
    public static string Print(MbaExpr expr)
    {
        var builder = new StringBuilder();
        Write(builder, expr, 0);
        return builder.ToString();
    }

    /// <summary>Binding strength: larger binds tighter (| 1, ^ 2, &amp; 3, + - 4, * 5, unary 6, atoms 7).</summary>
    public static int Precedence(MbaExpr expr) => expr switch
    {
        MbaBinary { Op: MbaBinaryOp.Or } => 1,
        MbaBinary { Op: MbaBinaryOp.Xor } => 2,
        MbaBinary { Op: MbaBinaryOp.And } => 3,
        MbaBinary { Op: MbaBinaryOp.Add or MbaBinaryOp.Sub } => 4,
        MbaBinary { Op: MbaBinaryOp.Mul } => 5,
        MbaUnary => 6,
        _ => 7,
    };

    public static string Symbol(MbaBinaryOp op) => op switch
    {
        MbaBinaryOp.Add => "+",
        MbaBinaryOp.Sub => "-",
        MbaBinaryOp.Mul => "*",
        MbaBinaryOp.And => "&",
        MbaBinaryOp.Or => "|",
        MbaBinaryOp.Xor => "^",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static void Write(StringBuilder builder, MbaExpr expr, int context)
    {
        var precedence = Precedence(expr);
        var parens = precedence < context;
        if (parens)
        {
            builder.Append('(');
        }

        switch (expr)
        {
            case MbaVar v:
                builder.Append(v.Name);
                break;
            case MbaConst c:
                builder.Append(c.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case MbaUnary u:
                builder.Append(u.Op == MbaUnaryOp.Not ? '~' : '-');
                // "- -x" must not print as "--x"; a negative constant operand is impossible (literals are non-negative).
                if (u.Op == MbaUnaryOp.Neg && u.Operand is MbaUnary { Op: MbaUnaryOp.Neg })
                {
                    builder.Append(' ');
                }

                Write(builder, u.Operand, 6);
                break;
            case MbaBinary b:
                // Left-associative: the right operand of the same level needs parentheses (a - (b - c)).
                Write(builder, b.Left, precedence);
                builder.Append(' ').Append(Symbol(b.Op)).Append(' ');
                Write(builder, b.Right, precedence + 1);
                break;
        }

        if (parens)
        {
            builder.Append(')');
        }
    }
}
