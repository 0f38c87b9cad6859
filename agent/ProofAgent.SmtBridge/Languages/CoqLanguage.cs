using static ProofAgent.SmtBridge.Languages.FunctionTable;

namespace ProofAgent.SmtBridge.Languages;

/// <summary>
/// Coq (Rocq) with the standard library's Reals, ZArith and Arith: no implicit coercions (the casts <c>INR</c>,
/// <c>IZR</c>, <c>Z.of_nat</c> are written), numerals typed by their scope, floor division on <c>Z</c>, and
/// <c>x / 0 = x * Rinv 0</c> with <c>Rinv 0</c> unspecified. Its own table, so that a name means what it means in Coq.
/// </summary>
internal static class CoqLanguage
{
    public static LanguageProfile Profile { get; } = new()
    {
        Types = LanguageProfile.TypeNames(nat: ["nat"], @int: ["Z"], rat: ["Q"], real: ["R"], complex: ["C"], prop: ["Prop"]),
        Naming = TypeNaming.Constructors("R", "Z", "nat", "Q", "C", "list", "Ensemble", "positive", "bool", "Prop", "Type", "Set"),
        Arithmetic = new(ArithmeticTyping.NumeralScopes, IntegerDivision.Floor),
        Library = new FunctionTable(Rules()),
        UnknownFunction = name => name,
    };

    private static IEnumerable<LibraryRule> Rules()
    {
        foreach (var name in new[] { "sqrt", "R_sqrt.sqrt" })
        {
            yield return Function(name, 1, Ty.Real, (t, c) => t.RealSqrt(c));
        }

        yield return Function("Rabs", 1, Ty.Real, (t, c) => t.Abs(c, Ty.Real));
        yield return Function("Z.abs", 1, Ty.Int, (t, c) => t.Abs(c));
        foreach (var (name, result) in new (string, ResultType)[] { ("Rmin", Ty.Real), ("Rmax", Ty.Real), ("Z.min", Ty.Int), ("Z.max", Ty.Int), ("Nat.min", Ty.Nat), ("Nat.max", Ty.Nat), ("min", ResultType.OfArguments), ("max", ResultType.OfArguments) })
        {
            yield return Function(name, 2, result, (t, c) => t.MinMax(c, min: name.EndsWith("min", StringComparison.Ordinal)));
        }

        yield return Function("up", 1, Ty.Int, (t, c) => t.Up(c));

        // Coquelicot's floor : R -> Z (IZR (floor x) <= x < IZR (floor x) + 1).
        yield return Function("floor", 1, Ty.Int, (t, c) => t.Rounding(c, floor: true));
        yield return Function("Z.to_nat", 1, Ty.Nat, (t, c) => t.ZToNat(c));
        yield return Function("Z.abs_nat", 1, Ty.Nat, (t, c) => t.NatAbs(c));

        // Nat.gcd and Z.gcd take and give their own type; gcd is Nat.gcd or Z.gcd by the scope of its arguments.
        foreach (var (module, type) in new (string, Ty?)[] { ("Nat.", Ty.Nat), ("Z.", Ty.Int), ("", null) })
        {
            ResultType result = type is null ? ResultType.OfArguments : type;
            yield return Function(module + "gcd", 2, result, (t, c) => t.GcdLcm(c, gcd: true, argument: type));
            yield return Function(module + "lcm", 2, result, (t, c) => t.GcdLcm(c, gcd: false, argument: type));
        }

        yield return Function("fact", 1, Ty.Nat, (t, c) => t.Factorial(c));
        yield return Function("choose", 2, Ty.Nat, (t, c) => t.Choose(c));

        // The casts are written in Coq; their argument's numerals are read in the source type's scope.
        yield return Function("INR", 1, Ty.Real, (t, c) => t.Cast(c, Ty.Nat, Ty.Real));
        yield return Function("IZR", 1, Ty.Real, (t, c) => t.Cast(c, Ty.Int, Ty.Real));
        yield return Function("Q2R", 1, Ty.Real, (t, c) => t.Cast(c, Ty.Rat, Ty.Real));
        yield return Function("IQR", 1, ResultType.OfContext, (t, c) => t.Cast(c, null, null));
        foreach (var name in new[] { "Z.of_nat", "Z_of_nat" })
        {
            yield return Function(name, 1, Ty.Int, (t, c) => t.Cast(c, Ty.Nat, Ty.Int));
        }

        yield return Function("exp", 1, Ty.Real, (t, c) => t.Uninterpreted(c, Translator.KnownBounds.Positive));
        foreach (var name in new[] { "sin", "cos" })
        {
            yield return Function(name, 1, Ty.Real, (t, c) => t.Uninterpreted(c, Translator.KnownBounds.UnitInterval));
        }

        foreach (var name in new[] { "ln", "tan" })
        {
            yield return Function(name, 1, Ty.Real, (t, c) => t.Uninterpreted(c));
        }

        yield return Function("Rpower", 2, Ty.Real, (t, c) => t.Uninterpreted(c));

        // Not in the standard library: files define it (ln x / ln a). An uninterpreted symbol abstracts any definition,
        // so "valid" stays sound, and a model is not reported as a counterexample.
        yield return Function("logb", 2, Ty.Real, (t, c) => t.Uninterpreted(c));

        yield return Constant("PI", Ty.Real, (t, span) => t.Pi(span));

        // Znumtheory's prime is a predicate on Z.
        yield return Predicate("prime", 1, (t, c) => t.Prime(c, Ty.Int));
        foreach (var name in new[] { "Nat.Even", "Z.Even", "Nat.even" })
        {
            yield return Predicate(name, 1, (t, c) => t.Parity(c, even: true));
        }

        foreach (var name in new[] { "Nat.Odd", "Z.Odd", "Nat.odd" })
        {
            yield return Predicate(name, 1, (t, c) => t.Parity(c, even: false));
        }
    }
}
