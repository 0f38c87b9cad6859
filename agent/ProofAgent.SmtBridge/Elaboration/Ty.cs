namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>The kinds of prover-side types the bridge distinguishes; everything else is <see cref="Opaque"/> (and untranslatable where used).</summary>
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

/// <summary>The prover-side type of a term (ℕ, ℤ, ℚ, ℝ, Prop, functions between them), and the SMT sort that carries it.</summary>
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
