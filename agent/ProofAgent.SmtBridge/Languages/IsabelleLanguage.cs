using static ProofAgent.SmtBridge.Languages.FunctionTable;

namespace ProofAgent.SmtBridge.Languages;

/// <summary>
/// Isabelle/HOL (Complex_Main), statements only: no subtyping, so every leaf of a tree has its one type and the casts
/// (<c>real</c>, <c>of_nat</c>, <c>nat</c>) are written; floor <c>div</c>/<c>mod</c>; <c>/</c> and <c>inverse</c> only in
/// fields, with <c>x / 0 = 0</c>; an odd <c>sqrt</c>. Only the functions below are translated: any other one (<c>fib</c>,
/// <c>card</c>, <c>powr</c>) is reported by name, because guessing its HOL meaning could make a false statement valid.
/// </summary>
internal static class IsabelleLanguage
{
    public static LanguageProfile Profile { get; } = new()
    {
        Types = LanguageProfile.TypeNames(nat: ["nat"], @int: ["int"], rat: ["rat"], real: ["real"], complex: ["complex"], prop: ["bool"]),

        // Type variables ('a) are types too: a binder (x :: 'a) declares x, it does not assume a fact.
        Naming = new(
            IsTypeName: name => name is "nat" or "int" or "real" or "rat" or "complex" or "bool" || name.StartsWith('\''),
            IsTypeConstructor: name => name is "set" or "list" or "multiset" or "option" or "fset"),
        Arithmetic = new(ArithmeticTyping.Strict, IntegerDivision.Floor, SlashIsFieldDivision: true, ExponentType: Ty.Nat),
        Library = new FunctionTable(Rules()),
        UnknownFunction = name => $"Isabelle function {name} is not translated",
    };

    private static IEnumerable<LibraryRule> Rules()
    {
        // of_nat and of_int go to the type of their context; real and int are of_nat at real and int.
        foreach (var name in new[] { "real", "real_of_nat" })
        {
            yield return Function(name, 1, Ty.Real, (t, c) => t.Cast(c, Ty.Nat, Ty.Real));
        }

        yield return Function("int", 1, Ty.Int, (t, c) => t.Cast(c, Ty.Nat, Ty.Int));
        yield return Function("of_nat", 1, ResultType.OfContext, (t, c) => t.Cast(c, Ty.Nat, null));
        yield return Function("real_of_int", 1, Ty.Real, (t, c) => t.Cast(c, Ty.Int, Ty.Real));
        yield return Function("of_int", 1, ResultType.OfContext, (t, c) => t.Cast(c, Ty.Int, null));
        yield return Function("nat", 1, Ty.Nat, (t, c) => t.NatOfInt(c));
        yield return Function("Suc", 1, Ty.Nat, (t, c) => t.Successor(c));
        yield return Function("inverse", 1, ResultType.OfContext, (t, c) => t.FieldInverse(c));
        yield return Function("sqrt", 1, Ty.Real, (t, c) => t.OddSqrt(c));
        yield return Function("abs", 1, ResultType.OfArguments, (t, c) => t.Abs(c));
        yield return Function("min", 2, ResultType.OfArguments, (t, c) => t.MinMax(c, min: true));
        yield return Function("max", 2, ResultType.OfArguments, (t, c) => t.MinMax(c, min: false));
        yield return Function("floor", 1, Ty.Int, (t, c) => t.Rounding(c, floor: true));
        yield return Function("ceiling", 1, Ty.Int, (t, c) => t.Rounding(c, floor: false));
        yield return Function("exp", 1, Ty.Real, (t, c) => t.Uninterpreted(c, Translator.KnownBounds.Positive));
        foreach (var name in new[] { "sin", "cos" })
        {
            yield return Function(name, 1, Ty.Real, (t, c) => t.Uninterpreted(c, Translator.KnownBounds.UnitInterval));
        }

        yield return Function("ln", 1, Ty.Real, (t, c) => t.Uninterpreted(c));

        yield return Predicate("prime", 1, (t, c) => t.Prime(c, Ty.Nat));
    }
}
