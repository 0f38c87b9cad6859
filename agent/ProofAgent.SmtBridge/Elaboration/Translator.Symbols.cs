using System.Globalization;
using System.Text;

namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>Symbols: fresh and user names, hoisted function applications, and the printing of connectives and reasons.</summary>
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

        if (BoundNamesIn(argument))
        {
            throw new UntranslatableException($"{kind} of a term with bound variables", span);
        }

        var name = Fresh(kind);
        _declarations.Add($"(declare-const {name} Real)");
        _background.Add(definition(name));
        _hoisted[key] = name;
        return name;
    }

    /// <summary>Whether an SMT term mentions a quantified variable (then it cannot be hoisted to a constant).</summary>
    private bool BoundNamesIn(string smt) => _freshBound.Any(b => ContainsSymbol(smt, b));

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
