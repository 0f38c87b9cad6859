using System.Numerics;
using ProofAgent.Grammars;
using ProofAgent.Provers;

namespace ProofAgent.SmtBridge;

/// <summary>The result of translating a statement or goal. Closed: switch on the type.</summary>
public abstract record SmtTranslation
{
    private SmtTranslation()
    {
    }

    /// <summary>
    /// Declarations (with background facts: ℕ ≥ 0, definitions of √ and inverses) and the formula whose validity is
    /// the statement. <see cref="Approximations"/> lists what was abstracted (e.g. <c>Real.log</c> as an uninterpreted
    /// function): "valid" stays sound, but a counterexample may then be an artefact and is not reported as one.
    /// </summary>
    public sealed record Translated(string Declarations, string Formula, IReadOnlyList<string> Approximations, IReadOnlyDictionary<string, string> SymbolNames) : SmtTranslation
    {
        public bool IsExact => Approximations.Count == 0;

        /// <summary>The conjunction of the hypotheses alone (<c>true</c> when there are none), to detect vacuous statements.</summary>
        public string Hypotheses { get; init; } = "true";

        /// <summary>A complete script: declarations, the negated formula and <c>(check-sat)</c>.</summary>
        public string Script => $"{Declarations}(assert (not {Formula}))\n(check-sat)\n";
    }

    /// <summary>Outside the supported fragment: what was not understood and where.</summary>
    public sealed record NotTranslated(string Reason, SourceSpan At) : SmtTranslation;
}

internal enum TyKind
{
    Prop,
    Nat,
    Int,
    Rat,
    Real,
    Complex,
    Fun,
    Opaque,
}

internal sealed record Ty(TyKind Kind, IReadOnlyList<Ty>? Parameters = null, Ty? Result = null, string? Name = null)
{
    public static readonly Ty Prop = new(TyKind.Prop);
    public static readonly Ty Nat = new(TyKind.Nat);
    public static readonly Ty Int = new(TyKind.Int);
    public static readonly Ty Rat = new(TyKind.Rat);
    public static readonly Ty Real = new(TyKind.Real);
    public static readonly Ty Complex = new(TyKind.Complex);

    public bool IsNumeric => Kind is TyKind.Nat or TyKind.Int or TyKind.Rat or TyKind.Real;

    public bool IsIntegral => Kind is TyKind.Nat or TyKind.Int;

    public int Rank => Kind switch
    {
        TyKind.Nat => 0,
        TyKind.Int => 1,
        TyKind.Rat => 2,
        TyKind.Real => 3,
        _ => 4,
    };

    public string Sort => Kind switch
    {
        TyKind.Nat or TyKind.Int => "Int",
        TyKind.Rat or TyKind.Real => "Real",
        TyKind.Prop => "Bool",
        _ => throw new InvalidOperationException($"no SMT sort for {this}"),
    };

    public override string ToString() => Kind switch
    {
        TyKind.Nat => "ℕ",
        TyKind.Int => "ℤ",
        TyKind.Rat => "ℚ",
        TyKind.Real => "ℝ",
        TyKind.Complex => "ℂ",
        TyKind.Prop => "Prop",
        TyKind.Fun => string.Join(" → ", Parameters!.Select(p => p.ToString()).Append(Result!.ToString())),
        _ => Name ?? "?",
    };

    public bool Equals(Ty? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}

/// <summary>A translated expression: its SMT-LIB text, its type and, when it is a known integer, its value.</summary>
internal sealed record Ex(string Smt, Ty Type, BigInteger? Value = null);

/// <summary>Thrown inside the translator when a construct is outside the fragment.</summary>
internal sealed class UntranslatableException(string reason, SourceSpan at) : Exception(reason)
{
    public SourceSpan At { get; } = at;
}
