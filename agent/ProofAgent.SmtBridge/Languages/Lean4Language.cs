using static ProofAgent.SmtBridge.Languages.FunctionTable;

namespace ProofAgent.SmtBridge.Languages;

/// <summary>
/// Lean 4 with Mathlib: the names a statement or a printed goal uses, as written (<c>Real.sqrt</c>, or <c>sqrt</c>
/// after <c>open Real</c>). Kept apart from Coq's and Isabelle's tables so that a name means what it means in Lean only
/// (a Lean statement that writes <c>Rabs</c> is untranslatable, not silently read as Coq's).
/// </summary>
internal static class Lean4Language
{
    public static LanguageProfile Profile { get; } = new()
    {
        Types = LanguageProfile.TypeNames(
            nat: ["ℕ", "Nat"], @int: ["ℤ", "Int"], rat: ["ℚ", "Rat"], real: ["ℝ", "Real"], complex: ["ℂ", "Complex"], prop: ["Prop"]),
        Naming = TypeNaming.Constructors(
            "Finset", "Set", "List", "Multiset", "Fin", "Equiv", "Polynomial", "Matrix", "ZMod", "Fintype", "Prop", "Type",
            "NNReal", "ℝ≥0", "ℕ+", "PNat", "EReal", "ENNReal", "Option", "Nat", "Int", "Rat", "Real", "Complex", "ℕ", "ℤ", "ℚ", "ℝ", "ℂ"),
        Arithmetic = new(ArithmeticTyping.CoerceToLargest, IntegerDivision.Euclidean),
        Library = new FunctionTable(Rules()),
        UnknownFunction = name => name,
    };

    private static IEnumerable<LibraryRule> Rules()
    {
        foreach (var name in new[] { "Real.sqrt", "sqrt", "√" })
        {
            yield return Function(name, 1, Ty.Real, (t, c) => t.RealSqrt(c));
        }

        yield return Function("abs", 1, ResultType.OfArguments, (t, c) => t.Abs(c));
        foreach (var (name, result) in new (string, ResultType)[] { ("min", ResultType.OfArguments), ("max", ResultType.OfArguments), ("Nat.min", Ty.Nat), ("Nat.max", Ty.Nat) })
        {
            yield return Function(name, 2, result, (t, c) => t.MinMax(c, min: name.EndsWith("min", StringComparison.Ordinal)));
        }

        yield return Function("Int.floor", 1, Ty.Int, (t, c) => t.Rounding(c, floor: true));
        yield return Function("Int.ceil", 1, Ty.Int, (t, c) => t.Rounding(c, floor: false));
        yield return Function("Nat.floor", 1, Ty.Nat, (t, c) => t.Rounding(c, floor: true, toNat: true));
        yield return Function("Nat.ceil", 1, Ty.Nat, (t, c) => t.Rounding(c, floor: false, toNat: true));
        yield return Function("Int.toNat", 1, Ty.Nat, (t, c) => t.IntToNat(c));
        yield return Function("Int.natAbs", 1, Ty.Nat, (t, c) => t.NatAbs(c));

        // Nat.gcd takes naturals; Int.gcd takes integers of the context and gives a natural; gcd is GCDMonoid's.
        yield return Function("Nat.gcd", 2, Ty.Nat, (t, c) => t.GcdLcm(c, gcd: true, argument: Ty.Nat));
        yield return Function("Nat.lcm", 2, Ty.Nat, (t, c) => t.GcdLcm(c, gcd: false, argument: Ty.Nat));
        yield return Function("Int.gcd", 2, Ty.Nat, (t, c) => t.GcdLcm(c, gcd: true, result: Ty.Nat));
        yield return Function("Int.lcm", 2, Ty.Nat, (t, c) => t.GcdLcm(c, gcd: false, result: Ty.Nat));
        yield return Function("gcd", 2, ResultType.OfArguments, (t, c) => t.GcdLcm(c, gcd: true));
        yield return Function("lcm", 2, ResultType.OfArguments, (t, c) => t.GcdLcm(c, gcd: false));

        yield return Function("Nat.factorial", 1, Ty.Nat, (t, c) => t.Factorial(c));
        yield return Function("Nat.choose", 2, Ty.Nat, (t, c) => t.Choose(c));
        yield return Function("choose", 2, ResultType.OfContext, (t, c) => t.Choose(c));

        // Int.ofNat : ℕ → ℤ; Nat.cast and Int.cast (what ↑ elaborates to) go to the type of their context.
        yield return Function("Int.ofNat", 1, Ty.Int, (t, c) => t.Cast(c, Ty.Nat, Ty.Int));
        yield return Function("Nat.cast", 1, ResultType.OfContext, (t, c) => t.Cast(c, null, null));
        yield return Function("Int.cast", 1, ResultType.OfContext, (t, c) => t.Cast(c, null, null));

        foreach (var name in new[] { "Real.exp", "exp" })
        {
            yield return Function(name, 1, Ty.Real, (t, c) => t.Uninterpreted(c, Translator.KnownBounds.Positive));
        }

        foreach (var name in new[] { "Real.sin", "Real.cos", "sin", "cos" })
        {
            yield return Function(name, 1, Ty.Real, (t, c) => t.Uninterpreted(c, Translator.KnownBounds.UnitInterval));
        }

        foreach (var name in new[] { "Real.log", "Real.tan", "Real.arctan", "tan" })
        {
            yield return Function(name, 1, Ty.Real, (t, c) => t.Uninterpreted(c));
        }

        foreach (var name in new[] { "Real.logb", "logb", "Real.rpow" })
        {
            yield return Function(name, 2, Ty.Real, (t, c) => t.Uninterpreted(c));
        }

        yield return Function("Finset.card", 1, Ty.Nat, (t, c) => t.Card(c));
        yield return Function("Finset.sum", 2, ResultType.OfArguments, (t, c) => t.FinsetBigOperator(c, BigOperatorKind.Sum));
        yield return Function("Finset.prod", 2, ResultType.OfArguments, (t, c) => t.FinsetBigOperator(c, BigOperatorKind.Product));

        yield return Constant("Real.pi", Ty.Real, (t, span) => t.Pi(span));
        yield return Constant("π", Ty.Real, (t, span) => t.Pi(span));

        yield return Predicate("Nat.Prime", 1, (t, c) => t.Prime(c, Ty.Nat));
        yield return Predicate("Prime", 1, (t, c) => t.Prime(c, Ty.Nat));
        yield return Predicate("Even", 1, (t, c) => t.Parity(c, even: true));
        yield return Predicate("Odd", 1, (t, c) => t.Parity(c, even: false));
        yield return Predicate("IsLeast", 2, (t, c) => t.Extremum(c, least: true));
        yield return Predicate("IsGreatest", 2, (t, c) => t.Extremum(c, least: false));
        yield return Predicate("Nat.Coprime", 2, (t, c) => t.Coprime(c));
        yield return Predicate("Nat.coprime", 2, (t, c) => t.Coprime(c));
    }
}
