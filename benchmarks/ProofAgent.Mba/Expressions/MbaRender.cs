using System.Globalization;
using System.Text;

namespace ProofAgent.Mba;

/// <summary>Renders expressions as SMT-LIB bit-vector terms, Lean 4 <c>BitVec n</c> terms and Coq <c>Z</c> terms.</summary>
public static class MbaRender
{
    public static string SmtName(string variable) => "|" + variable + "|";

    public static string Smt(MbaExpr expr, int bits)
    {
        var builder = new StringBuilder();
        SmtInto(builder, expr, bits);
        return builder.ToString();
    }

    private static void SmtInto(StringBuilder b, MbaExpr expr, int bits)
    {
        switch (expr)
        {
            case MbaVar v:
                b.Append(SmtName(v.Name));
                break;
            case MbaConst c:
                b.Append("(_ bv").Append(MbaWords.Reduce(c.Value, bits).ToString(CultureInfo.InvariantCulture)).Append(' ').Append(bits).Append(')');
                break;
            case MbaUnary u:
                b.Append(u.Op == MbaUnaryOp.Not ? "(bvnot " : "(bvneg ");
                SmtInto(b, u.Operand, bits);
                b.Append(')');
                break;
            case MbaBinary bin:
                b.Append('(').Append(bin.Op switch
                {
                    MbaBinaryOp.Add => "bvadd",
                    MbaBinaryOp.Sub => "bvsub",
                    MbaBinaryOp.Mul => "bvmul",
                    MbaBinaryOp.And => "bvand",
                    MbaBinaryOp.Or => "bvor",
                    _ => "bvxor",
                }).Append(' ');
                SmtInto(b, bin.Left, bits);
                b.Append(' ');
                SmtInto(b, bin.Right, bits);
                b.Append(')');
                break;
        }
    }

    /// <summary>Lean 4 term over <c>BitVec n</c>: <c>+ - * &amp;&amp;&amp; ||| ^^^ ~~~</c>, literals as <c>(5 : BitVec n)</c>; fully parenthesised.</summary>
    public static string Lean(MbaExpr expr, int bits) => expr switch
    {
        MbaVar v => v.Name,
        MbaConst c => $"({MbaWords.Reduce(c.Value, bits).ToString(CultureInfo.InvariantCulture)} : BitVec {bits})",
        MbaUnary { Op: MbaUnaryOp.Not } u => $"(~~~{Lean(u.Operand, bits)})",
        MbaUnary u => $"(-{Lean(u.Operand, bits)})",
        MbaBinary b => $"({Lean(b.Left, bits)} {LeanOp(b.Op)} {Lean(b.Right, bits)})",
        _ => throw new ArgumentOutOfRangeException(nameof(expr)),
    };

    private static string LeanOp(MbaBinaryOp op) => op switch
    {
        MbaBinaryOp.And => "&&&",
        MbaBinaryOp.Or => "|||",
        MbaBinaryOp.Xor => "^^^",
        _ => MbaPrinter.Symbol(op),
    };

    /// <summary>Coq term over <c>Z</c> (two's-complement infinite words; the statement reduces modulo 2^n at the end).</summary>
    public static string Coq(MbaExpr expr) => expr switch
    {
        MbaVar v => v.Name,
        MbaConst c => c.Value.ToString(CultureInfo.InvariantCulture),
        MbaUnary { Op: MbaUnaryOp.Not } u => $"(Z.lnot {Coq(u.Operand)})",
        MbaUnary u => $"(- {Coq(u.Operand)})",
        MbaBinary b => b.Op switch
        {
            MbaBinaryOp.Add => $"({Coq(b.Left)} + {Coq(b.Right)})",
            MbaBinaryOp.Sub => $"({Coq(b.Left)} - {Coq(b.Right)})",
            MbaBinaryOp.Mul => $"({Coq(b.Left)} * {Coq(b.Right)})",
            MbaBinaryOp.And => $"(Z.land {Coq(b.Left)} {Coq(b.Right)})",
            MbaBinaryOp.Or => $"(Z.lor {Coq(b.Left)} {Coq(b.Right)})",
            _ => $"(Z.lxor {Coq(b.Left)} {Coq(b.Right)})",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(expr)),
    };

    /// <summary>Parses an SMT-LIB bit-vector value: <c>#x0f</c>, <c>#b0101</c> or <c>(_ bv15 8)</c>.</summary>
    public static bool TryParseSmtValue(string text, out ulong value)
    {
        text = text.Trim();
        value = 0;
        if (text.StartsWith("#x", StringComparison.Ordinal))
        {
            return ulong.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (text.StartsWith("#b", StringComparison.Ordinal))
        {
            foreach (var ch in text[2..])
            {
                if (ch is not ('0' or '1'))
                {
                    return false;
                }

                value = (value << 1) | (ch == '1' ? 1UL : 0UL);
            }

            return true;
        }

        if (text.StartsWith("(_ bv", StringComparison.Ordinal))
        {
            var end = text.IndexOf(' ', 5);
            return end > 5 && ulong.TryParse(text[5..end], NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        return false;
    }
}
