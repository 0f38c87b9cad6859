using System.Collections.Frozen;

namespace ProofAgent.SmtBridge.Languages;

/// <summary>How a language types the leaves of an arithmetic tree (<c>+ - * / % ^</c>) and the numerals in it.</summary>
internal enum ArithmeticTyping
{
    /// <summary>Lean 4's <c>binop%</c>: the leaves are coerced to the largest type among them and the expected type; numerals default to ℕ.</summary>
    CoerceToLargest,

    /// <summary>Coq: no implicit coercions; a tree has its typed leaves' one type, else the type of its numerals' scope.</summary>
    NumeralScopes,

    /// <summary>Isabelle/HOL: no coercions and no subtyping; every leaf has the tree's one type, and numerals alone do not fix it.</summary>
    Strict,
}

/// <summary>Integer division and remainder.</summary>
internal enum IntegerDivision
{
    /// <summary>Lean's <c>Int.ediv</c>/<c>Int.emod</c> (SMT-LIB's <c>div</c>/<c>mod</c>): the remainder is never negative.</summary>
    Euclidean,

    /// <summary>Coq's <c>Z.div</c>/<c>Z.modulo</c>, Isabelle's <c>div</c>/<c>mod</c>: the quotient rounds toward −∞, the remainder has the divisor's sign.</summary>
    Floor,
}

/// <summary>
/// The arithmetic semantics of a language: how it types a tree, how it divides, and what its exponents are. A real divided by
/// zero is zero in all three (Lean, Isabelle, and Coq since 8.16: <c>Rinv_0 : / 0 = 0</c>), so that is not a parameter.
/// </summary>
/// <param name="Typing">How the leaves of a tree and its numerals get their type.</param>
/// <param name="IntegerDivision">Integer division and remainder.</param>
/// <param name="SlashIsFieldDivision">Isabelle: <c>/</c> is division in a field only (integers divide with <c>div</c>).</param>
/// <param name="ExponentType">The type of an exponent when the language fixes it (Isabelle: <c>^ :: 'a ⇒ nat ⇒ 'a</c>); null: as elaborated.</param>
internal sealed record ArithmeticSemantics(
    ArithmeticTyping Typing,
    IntegerDivision IntegerDivision,
    bool SlashIsFieldDivision = false,
    Ty? ExponentType = null);

/// <summary>Which names denote types, so that a binder <c>(x : T)</c> declares a variable rather than assumes a fact.</summary>
/// <param name="IsTypeName">Whether a name on its own denotes a type.</param>
/// <param name="IsTypeConstructor">Whether an application of this head denotes a type (<c>Finset ℕ</c>, <c>list Z</c>, <c>nat set</c>).</param>
internal sealed record TypeNaming(Func<string, bool> IsTypeName, Func<string, bool> IsTypeConstructor)
{
    /// <summary>
    /// Coq, Lean: a set of type constructors that denote a type alone (<c>Prop</c>, <c>ℕ</c>) or applied (<c>list Z</c>);
    /// a module's type <c>M.t</c> applied is one too.
    /// </summary>
    public static TypeNaming Constructors(params string[] names)
    {
        var set = names.ToFrozenSet(StringComparer.Ordinal);
        return new(set.Contains, name => set.Contains(name) || name.EndsWith(".t", StringComparison.Ordinal));
    }
}

/// <summary>
/// Everything the elaborator needs to know about one prover language (<see cref="For"/>): its type names, its arithmetic
/// semantics, and the table of library functions it translates. The elaborator itself is the same for every language.
/// </summary>
internal sealed record LanguageProfile
{
    /// <summary>The names of the types the bridge translates (<c>ℝ</c>, <c>R</c>, <c>real</c>, ...).</summary>
    public required IReadOnlyDictionary<string, Ty> Types { get; init; }

    public required TypeNaming Naming { get; init; }

    public required ArithmeticSemantics Arithmetic { get; init; }

    public required FunctionTable Library { get; init; }

    /// <summary>The reason given for a function the table does not hold.</summary>
    public required Func<string, string> UnknownFunction { get; init; }

    public static LanguageProfile For(ProofLanguage language) => language switch
    {
        ProofLanguage.Lean4 => Lean4Language.Profile,
        ProofLanguage.Coq => CoqLanguage.Profile,
        ProofLanguage.Isabelle => IsabelleLanguage.Profile,
        _ => throw new NotSupportedException($"{language.Id()} is not translated to SMT; supported: lean4, coq, isabelle"),
    };

    /// <summary>The type table from each translated type's names in the language (several where it has aliases: <c>ℕ</c>, <c>Nat</c>).</summary>
    public static IReadOnlyDictionary<string, Ty> TypeNames(string[] nat, string[] @int, string[] rat, string[] real, string[] complex, string[] prop) =>
        new (string[] Names, Ty Type)[] { (nat, Ty.Nat), (@int, Ty.Int), (rat, Ty.Rat), (real, Ty.Real), (complex, Ty.Complex), (prop, Ty.Prop) }
            .SelectMany(entry => entry.Names.Select(name => KeyValuePair.Create(name, entry.Type)))
            .ToFrozenDictionary(StringComparer.Ordinal);
}
