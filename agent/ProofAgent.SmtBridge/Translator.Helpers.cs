using System.Globalization;
using System.Numerics;
using System.Text;
using ProofAgent.Grammars;
using ProofAgent.Provers;

namespace ProofAgent.SmtBridge;

/// <summary>Helpers: hoisted function applications, fresh symbols, printing.</summary>
internal sealed partial class Translator
{
    /// <summary>A fresh constant standing for a function of a ground term, with its defining fact; bound terms use a quantified axiom instead.</summary>
    private string Hoist(string kind, string argument, SourceSpan span, Func<string, string> definition)
    {
        var key = kind + " " + argument;
        if (_hoisted.TryGetValue(key, out var existing))
        {
            return existing;
        }

        if (_boundNamesInScope(argument))
        {
            throw new UntranslatableException($"{kind} of a term with bound variables", span);
        }

        var name = Fresh(kind);
        _declarations.Add($"(declare-const {name} Real)");
        _background.Add(definition(name));
        _hoisted[key] = name;
        return name;
    }

    private bool _boundNamesInScope(string smt) => _freshBound.Any(b => ContainsSymbol(smt, b));

    private readonly HashSet<string> _freshBound = new(StringComparer.Ordinal);

    private static bool ContainsSymbol(string smt, string symbol)
    {
        var index = 0;
        while ((index = smt.IndexOf(symbol, index, StringComparison.Ordinal)) >= 0)
        {
            var before = index == 0 ? ' ' : smt[index - 1];
            var after = index + symbol.Length >= smt.Length ? ' ' : smt[index + symbol.Length];
            if (before is ' ' or '(' && after is ' ' or ')')
            {
                return true;
            }

            index += symbol.Length;
        }

        return false;
    }

    /// <summary>A fresh name for a quantified variable: terms mentioning it cannot be hoisted to constants.</summary>
    private string FreshBound(string stem)
    {
        var name = Fresh(stem);
        _freshBound.Add(name);
        return name;
    }

    private string Fresh(string stem)
    {
        string name;
        do
        {
            name = $"{stem}_{++_fresh}";
        }
        while (_usedSymbols.Contains(name));

        _usedSymbols.Add(name);
        return name;
    }

    private string Symbol(string name)
    {
        var smt = "v_" + Sanitize(name);
        while (_usedSymbols.Contains(smt))
        {
            smt += "_";
        }

        _usedSymbols.Add(smt);
        _symbols[smt] = name;
        return smt;
    }

    internal static string Sanitize(string name)
    {
        var builder = new StringBuilder();
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value == '_'))
            {
                builder.Append((char)rune.Value);
            }
            else if (rune.Value is >= 0x2080 and <= 0x2089)
            {
                builder.Append((char)('0' + rune.Value - 0x2080));
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"_u{rune.Value:x}_");
            }
        }

        return builder.ToString();
    }

    private static string And(IReadOnlyList<string> parts) => parts.Count switch
    {
        0 => "true",
        1 => parts[0],
        _ => $"(and {string.Join(" ", parts)})",
    };

    private static string Or(IReadOnlyList<string> parts) => parts.Count switch
    {
        0 => "false",
        1 => parts[0],
        _ => $"(or {string.Join(" ", parts)})",
    };

    private static BigInteger IntegerSqrt(BigInteger n)
    {
        if (n < 2)
        {
            return n;
        }

        var x = (BigInteger)Math.Sqrt((double)n);
        while (x * x > n)
        {
            x--;
        }

        while ((x + 1) * (x + 1) <= n)
        {
            x++;
        }

        return x;
    }

    private static bool IsPrime(BigInteger n)
    {
        if (n < 2)
        {
            return false;
        }

        if (n > 1_000_000_000_000)
        {
            throw new UntranslatableException("primality of a very large constant", default);
        }

        for (BigInteger d = 2; d * d <= n; d++)
        {
            if ((n % d).IsZero)
            {
                return false;
            }
        }

        return true;
    }

    internal static string Describe(Term term)
    {
        var text = term switch
        {
            Identifier id => id.Name,
            Application { Function: Identifier f } => f.Name + " ...",
            Application => "an application",
            BigOperator b => b.Kind == BigOperatorKind.Sum ? "∑" : "∏",
            SetBuilder => "a set-builder",
            Collection c => "a " + c.Kind.ToString().ToLowerInvariant() + " literal",
            Projection p => "." + p.Field,
            Binary b => b.Operator.ToString(),
            Unary u => u.Operator.ToString(),
            BinderTerm q => q.Kind.ToString(),
            _ => term.GetType().Name,
        };
        return text;
    }
}

/// <summary>Result types of the functions the translator knows.</summary>
internal static class Builtins
{
    public static Ty? ResultType(ProofLanguage dialect, string name) => name switch
    {
        "real" or "real_of_nat" or "real_of_int" when dialect == ProofLanguage.Isabelle => Ty.Real,
        "int" when dialect == ProofLanguage.Isabelle => Ty.Int,
        "nat" or "Suc" when dialect == ProofLanguage.Isabelle => Ty.Nat,
        "of_nat" or "of_int" or "inverse" when dialect == ProofLanguage.Isabelle => null,
        "Real.sqrt" or "sqrt" or "√" or "Real.log" or "Real.exp" or "Real.sin" or "Real.cos" or "Real.tan" or "Real.logb" or "Real.arctan" or "Rpower" or "Real.rpow" or "ln" or "exp" or "sin" or "cos" or "tan" or "Rabs" or "INR" or "IZR" or "Q2R" or "Rmin" or "Rmax" or "logb" => Ty.Real,
        "Int.floor" or "Int.ceil" or "floor" or "ceiling" or "Z.of_nat" or "Z_of_nat" or "Int.ofNat" or "Z.abs" or "Z.gcd" or "Z.lcm" or "Z.min" or "Z.max" or "up" => Ty.Int,
        "Nat.gcd" or "Nat.lcm" or "Int.gcd" or "Int.lcm" or "Nat.factorial" or "Nat.choose" or "Nat.floor" or "Nat.ceil" or "Int.toNat" or "Int.natAbs" or "Finset.card" or "Z.to_nat" or "Z.abs_nat" or "Nat.min" or "Nat.max" => Ty.Nat,
        "fact" or "choose" => dialect == ProofLanguage.Coq ? Ty.Nat : null,
        _ => null,
    };

    public static bool IsPolymorphic(string name) => name is "abs" or "min" or "max" or "gcd" or "lcm" or "Finset.sum" or "Finset.prod";
}
