using System.Collections.Immutable;

namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>What a name stands for: its SMT symbol, its type, its value when it is a known constant (the index of an expanded sum), and whether a quantifier binds it.</summary>
internal sealed record Binding(string Smt, Ty Type, Ex? Value, bool Bound);

/// <summary>The names in scope, and Coq's innermost numeral scope (<c>%R</c>, <c>%Z</c>, ...) when one is open.</summary>
internal sealed record Env(ImmutableDictionary<string, Binding> Names, string? Scope)
{
    public static Env Empty { get; } = new(ImmutableDictionary.Create<string, Binding>(StringComparer.Ordinal), null);

    public bool HasBound => Names.Values.Any(b => b.Bound);

    public Env With(string name, Binding binding) => this with { Names = Names.SetItem(name, binding) };
}
