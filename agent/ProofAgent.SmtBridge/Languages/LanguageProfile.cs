using ProofAgent.Provers;
using ProofAgent.SmtBridge.Elaboration;

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

/// <summary>What dividing a real by zero gives.</summary>
internal enum RealDivisionByZero
{
    /// <summary>Lean, Isabelle: <c>x / 0 = 0</c>.</summary>
    Zero,

    /// <summary>Coq: <c>x / y = x * Rinv y</c>, and <c>Rinv 0</c> is one unspecified real.</summary>
    UnspecifiedInverse,
}

/// <summary>
/// Everything the elaborator needs to know about one prover language: its arithmetic semantics, its type names, and
/// the table of library functions it translates. The elaborator itself is the same for every language.
/// </summary>
internal sealed record LanguageProfile
{
    public required ProofLanguage Language { get; init; }

    public required ArithmeticTyping Typing { get; init; }

    public required IntegerDivision IntegerDivision { get; init; }

    public required RealDivisionByZero RealDivisionByZero { get; init; }

    /// <summary>Isabelle: <c>/</c> is division in a field only (integers divide with <c>div</c>).</summary>
    public bool SlashIsFieldDivision { get; init; }

    /// <summary>The type of an exponent when the language fixes it (Isabelle: <c>^ :: 'a ⇒ nat ⇒ 'a</c>); null: as elaborated.</summary>
    public Ty? ExponentType { get; init; }

    /// <summary>The names of the types the bridge translates (<c>ℝ</c>, <c>R</c>, <c>real</c>, ...).</summary>
    public required IReadOnlyDictionary<string, Ty> Types { get; init; }

    /// <summary>Whether a name on its own denotes a type (so that a binder <c>(x : T)</c> declares a variable rather than assumes a fact).</summary>
    public required Func<string, bool> IsTypeName { get; init; }

    /// <summary>Whether an application of this head denotes a type (<c>Finset ℕ</c>, <c>list Z</c>, <c>nat set</c>).</summary>
    public required Func<string, bool> IsTypeConstructor { get; init; }

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
}
