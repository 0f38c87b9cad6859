using ProofAgent.Provers;

namespace ProofAgent.Grammars;

/// <summary>Where a node came from: 1-based line and column of its first and last character (columns count code points).</summary>
public readonly record struct SourceSpan(int Line, int Column, int EndLine, int EndColumn)
{
    public static SourceSpan None { get; } = new(0, 0, 0, 0);

    public override string ToString() => $"{Line}:{Column}";
}

public enum BinaryOperator
{
    Add,
    Sub,
    Mul,
    Div,
    /// <summary>Lean/Coq <c>%</c> and <c>mod</c>, Isabelle <c>mod</c>.</summary>
    Mod,
    /// <summary>Isabelle's <c>div</c> (integer division, written as a word).</summary>
    IntDiv,
    Pow,
    /// <summary>Isabelle's real power <c>powr</c>.</summary>
    RealPow,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Dvd,
    In,
    NotIn,
    Subset,
    StrictSubset,
    Union,
    Inter,
    SetDiff,
    Image,
    Preimage,
    Compose,
    And,
    Or,
    /// <summary><c>→</c> / <c>-&gt;</c>: implication between propositions, or a function type between types.</summary>
    Arrow,
    Iff,
    /// <summary>Isabelle's <c>\&lt;longrightarrow&gt;</c> (object-level implication).</summary>
    Implies,
    /// <summary>Isabelle's <c>\&lt;Longrightarrow&gt;</c> (meta implication).</summary>
    MetaImplies,
    ProductType,
    Cons,
    Append,
    /// <summary>Coq's <c>==</c> (setoid equality, e.g. on Q).</summary>
    Equiv,
}

public enum UnaryOperator
{
    Neg,
    Not,
    /// <summary>Lean's <c>↑x</c>: a coercion whose target the context decides.</summary>
    Coerce,
    Factorial,
    Inverse,
    Floor,
    Ceil,
    Abs,
}

public enum BinderKind
{
    Forall,
    Exists,
    ExistsUnique,
    Lambda,
    /// <summary>Isabelle's <c>\&lt;And&gt;</c>.</summary>
    MetaForall,
    The,
    Some,
    Least,
    Greatest,
}

public enum BigOperatorKind
{
    Sum,
    Product,
}

public enum CollectionKind
{
    Set,
    List,
    Tuple,
    AnonymousConstructor,
}

/// <summary>Isabelle interval sets: <c>{a..b}</c>, <c>{a..&lt;b}</c>, <c>{a&lt;..b}</c>, <c>{a&lt;..&lt;b}</c>, either end optional.</summary>
public enum RangeKind
{
    Closed,
    HalfOpenRight,
    HalfOpenLeft,
    Open,
}

/// <summary>A term of any of the three languages. Closed: switch on the type.</summary>
public abstract record Term(SourceSpan Span);

public sealed record Identifier(string Name, SourceSpan Span) : Term(Span);

/// <summary>A numeral as written (<c>42</c>, <c>2.5</c>).</summary>
public sealed record NumberLiteral(string Text, SourceSpan Span) : Term(Span);

public sealed record Application(Term Function, IReadOnlyList<Term> Arguments, SourceSpan Span) : Term(Span);

public sealed record Binary(BinaryOperator Operator, Term Left, Term Right, SourceSpan Span) : Term(Span);

public sealed record Unary(UnaryOperator Operator, Term Operand, SourceSpan Span) : Term(Span);

/// <summary><c>(e : T)</c> in Lean and Coq, <c>e::T</c> in Isabelle.</summary>
public sealed record TypeAscription(Term Value, Term Type, SourceSpan Span) : Term(Span);

/// <summary>Field access after a term: <c>(a 2019).den</c>, <c>σ.1</c>.</summary>
public sealed record Projection(Term Value, string Field, SourceSpan Span) : Term(Span);

/// <summary>A bound variable with an optional type and an optional restriction (<c>x &gt; 0</c>, <c>k ∈ S</c>).</summary>
public sealed record BoundVariable(string Name, Term? Type, BinaryOperator? RestrictionOperator, Term? Restriction, SourceSpan Span);

/// <summary><c>∀ x y : T, body</c>, <c>∃ x, body</c>, <c>fun x => body</c>, Isabelle <c>\&lt;And&gt;x. body</c>.</summary>
public sealed record BinderTerm(BinderKind Kind, IReadOnlyList<BoundVariable> Variables, Term Body, SourceSpan Span) : Term(Span);

/// <summary><c>∑ k in s, f k</c> (Domain = s), Isabelle <c>\&lt;Sum&gt;k\&lt;in&gt;S. f k</c>; a null Domain ranges over the whole type.</summary>
public sealed record BigOperator(BigOperatorKind Kind, BoundVariable Variable, Term? Domain, Term Body, SourceSpan Span) : Term(Span);

/// <summary><c>{ x : T | P x }</c>, Isabelle <c>{x. P x}</c>; an optional Domain for <c>{x \&lt;in&gt; S. P x}</c>.</summary>
public sealed record SetBuilder(BoundVariable Variable, Term? Domain, Term Predicate, SourceSpan Span) : Term(Span);

public sealed record Collection(CollectionKind Kind, IReadOnlyList<Term> Elements, SourceSpan Span) : Term(Span);

public sealed record IntervalSet(RangeKind Kind, Term? Low, Term? High, SourceSpan Span) : Term(Span);

public sealed record IfThenElse(Term Condition, Term Then, Term Else, SourceSpan Span) : Term(Span);

/// <summary><c>let p = v in body</c> (the pattern is an identifier or a tuple of them).</summary>
public sealed record LetIn(Term Pattern, Term Value, Term Body, SourceSpan Span) : Term(Span);

/// <summary>Lean <c>a ≡ b [MOD n]</c> / <c>[ZMOD n]</c>, Isabelle <c>[a = b] (mod n)</c>. Kind: <c>MOD</c>, <c>ZMOD</c>, <c>PMOD</c> or <c>mod</c>.</summary>
public sealed record Congruence(Term Left, Term Right, Term Modulus, string Kind, SourceSpan Span) : Term(Span);

/// <summary>Lean's <c>·</c> in <c>(· ≠ ·)</c>, Coq's <c>_</c>.</summary>
public sealed record Placeholder(SourceSpan Span) : Term(Span);

/// <summary>Coq's scope delimiter: <c>(e)%nat</c>, <c>1%Z</c>, <c>(e)%R</c>.</summary>
public sealed record Scoped(Term Value, string Scope, SourceSpan Span) : Term(Span);

/// <summary>An Isabelle schematic variable <c>?L</c> or symbol constant such as <c>\&lt;i&gt;</c>.</summary>
public sealed record Symbol(string Name, SourceSpan Span) : Term(Span);

public enum BinderStyle
{
    Explicit,
    Implicit,
    Instance,
}

/// <summary>A binder of a theorem header: Lean <c>(x y : ℝ)</c>, <c>(h₀ : 0 &lt; x)</c>; Coq <c>(a : R)</c>; Isabelle <c>fixes x :: real</c>.</summary>
public sealed record StatementBinder(IReadOnlyList<string> Names, Term? Type, BinderStyle Style, SourceSpan Span);

/// <summary>An Isabelle assumption, with its label when it has one.</summary>
public sealed record Assumption(string? Label, Term Proposition, SourceSpan Span);

/// <summary>
/// A parsed theorem statement. Lean and Coq put everything in <see cref="Binders"/> and <see cref="Conclusion"/>
/// (hypotheses are binders whose type is a proposition); Isabelle's <c>assumes</c> go to <see cref="Assumptions"/>
/// and several <c>shows</c> are joined with <see cref="BinaryOperator.And"/>.
/// </summary>
public sealed record TheoremStatement(
    ProofLanguage Language,
    string Name,
    IReadOnlyList<StatementBinder> Binders,
    IReadOnlyList<Assumption> Assumptions,
    Term Conclusion,
    SourceSpan Span);

/// <summary>A statement that does not parse: where (1-based line and column), and what was expected there.</summary>
public sealed class StatementSyntaxException : Exception
{
    public StatementSyntaxException(string message, int line, int column)
        : base($"{line}:{column}: {message}")
    {
        Reason = message;
        Line = line;
        Column = column;
    }

    public StatementSyntaxException()
        : this("syntax error", 1, 1)
    {
    }

    public StatementSyntaxException(string message)
        : this(message, 1, 1)
    {
    }

    public StatementSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Line = 1;
        Column = 1;
    }

    /// <summary>The message without the position prefix.</summary>
    public string Reason { get; }

    public int Line { get; }

    public int Column { get; }
}
