using System.Collections.Immutable;
using System.Text;
using ProofAgent.Grammars;
using ProofAgent.Provers;

namespace ProofAgent.SmtBridge;

/// <summary>
/// Elaborates a statement's AST (types, numerals, coercions) and prints SMT-LIB with the prover's semantics.
/// Lean's arithmetic elaboration (binop%) is followed: the leaves of a tree of + - * / % (and the base of ^) are
/// coerced to the largest type among them and the expected type; numerals take that type, ℕ by default.
/// Coq inserts no coercions: a tree's type is its typed leaves' type, or its numerals' scope.
/// </summary>
internal sealed partial class Translator
{
    private const int MaxExpandedExponent = 64;
    private const int MaxExpandedTerms = 2_000;
    private const int MaxLiteralDigits = 20_000;

    private readonly ProofLanguage _dialect;
    private readonly List<string> _declarations = [];
    private readonly List<string> _background = [];
    private readonly List<string> _approximations = [];
    private readonly Dictionary<string, string> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hoisted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedSymbols = new(StringComparer.Ordinal);
    private int _fresh;

    private bool IsIsabelle => _dialect == ProofLanguage.Isabelle;

    /// <summary>Coq and Isabelle/HOL: integer division and modulo round toward −∞ (the remainder has the divisor's sign).</summary>
    private bool FloorsIntegers => _dialect is ProofLanguage.Coq or ProofLanguage.Isabelle;

    /// <summary>The Isabelle/HOL functions translated exactly (or, for the transcendental ones, as sound abstractions).</summary>
    private static readonly HashSet<string> IsabelleFunctions = new(StringComparer.Ordinal)
    {
        "real", "real_of_nat", "real_of_int", "of_nat", "of_int", "int", "nat", "Suc", "sqrt", "abs", "min", "max", "floor", "ceiling", "inverse",
        "exp", "sin", "cos", "ln",
    };

    public Translator(ProofLanguage dialect, string defaultScope = "nat")
    {
        _dialect = dialect;
        DefaultScope = defaultScope;
    }

    /// <summary>Coq's innermost open scope (<c>R</c>, <c>Z</c>, <c>nat</c>): the type of numerals nothing else types.</summary>
    public string DefaultScope { get; }

    private sealed record Binding(string Smt, Ty Type, Ex? Value, bool Bound);

    private sealed record Env(ImmutableDictionary<string, Binding> Names, string? Scope)
    {
        public static Env Empty { get; } = new(ImmutableDictionary.Create<string, Binding>(StringComparer.Ordinal), null);

        public bool HasBound => Names.Values.Any(b => b.Bound);

        public Env With(string name, Binding binding) => this with { Names = Names.SetItem(name, binding) };
    }

    private Env _root = Env.Empty;

    // ------------------------------------------------------------------ statements and goals

    public SmtTranslation Statement(TheoremStatement statement)
    {
        try
        {
            var hypotheses = new List<string>();
            var env = Env.Empty;
            foreach (var binder in statement.Binders)
            {
                if (binder.Type is null)
                {
                    throw new UntranslatableException($"binder {string.Join(" ", binder.Names)} has no type", binder.Span);
                }

                if (binder.Style == BinderStyle.Instance)
                {
                    throw new UntranslatableException("instance binder [" + Describe(binder.Type) + "]", binder.Span);
                }

                env = Bind(env, binder.Names, binder.Type, binder.Span, hypotheses);
            }

            foreach (var assumption in statement.Assumptions)
            {
                hypotheses.Add(Prop(assumption.Proposition, env));
            }

            (var conclusion, env) = PeelUniversals(statement.Conclusion, env, hypotheses);
            _root = env;
            return Finish(hypotheses, Prop(conclusion, env));
        }
        catch (UntranslatableException exception)
        {
            return new SmtTranslation.NotTranslated(exception.Message, exception.At);
        }
    }

    /// <summary>A goal: hypotheses in order (each "names : type", a type declaring variables, a proposition assuming it) and a conclusion.</summary>
    public SmtTranslation Goal(IReadOnlyList<(IReadOnlyList<string> Names, Term Type)> hypotheses, Term conclusion)
    {
        try
        {
            var assumed = new List<string>();
            var env = Env.Empty;
            foreach (var (names, type) in hypotheses)
            {
                env = Bind(env, names, type, type.Span, assumed);
            }

            (var body, env) = PeelUniversals(conclusion, env, assumed);
            _root = env;
            return Finish(assumed, Prop(body, env));
        }
        catch (UntranslatableException exception)
        {
            return new SmtTranslation.NotTranslated(exception.Message, exception.At);
        }
    }

    /// <summary>
    /// Moves the conclusion's leading ∀ binders and implication premises into the context: H → ∀x, A → P x is valid
    /// iff H ∧ A → P c is, for a fresh constant c. The solver then needs no quantifier there, and a counterexample
    /// names the values of x (a model never shows quantified variables). Stops at the first binder it cannot declare.
    /// </summary>
    private (Term Conclusion, Env Env) PeelUniversals(Term conclusion, Env env, List<string> hypotheses)
    {
        while (true)
        {
            switch (conclusion)
            {
                case Binary { Operator: BinaryOperator.Arrow or BinaryOperator.Implies or BinaryOperator.MetaImplies } b when !IsTypeLike(b.Left):
                    hypotheses.Add(Prop(b.Left, env));
                    conclusion = b.Right;
                    continue;
                case BinderTerm { Kind: BinderKind.Forall or BinderKind.MetaForall } q when q.Variables.All(v => v.Restriction is null):
                    {
                        // Types first, so that nothing is declared for a binder left to Quantifier (which names what it cannot translate).
                        var types = q.Variables.Select(v => v.Type is { } t && !IsTypeLike(t) ? null
                            : v.Type is { } type ? ElabType(type, env) : InferBinderType(v.Name, q.Body, v, env, q.Span)).ToList();
                        if (types.Any(ty => ty is not null && !(ty.IsNumeric || ty.Kind == TyKind.Prop)))
                        {
                            return (conclusion, env);
                        }

                        for (var i = 0; i < q.Variables.Count; i++)
                        {
                            var variable = q.Variables[i];
                            if (types[i] is { } ty)
                            {
                                env = Declare(env, variable.Name, ty, variable.Span);
                            }
                            else
                            {
                                hypotheses.Add(Prop(variable.Type!, env)); // ∀ (_ : x ≠ 0), P is an implication
                            }
                        }

                        conclusion = q.Body;
                        continue;
                    }
                default:
                    return (conclusion, env);
            }
        }
    }

    private Env Bind(Env env, IReadOnlyList<string> names, Term type, SourceSpan span, List<string> hypotheses)
    {
        if (IsTypeLike(type))
        {
            var ty = ElabType(type, env);
            foreach (var name in names)
            {
                env = Declare(env, name, ty, span);
            }

            return env;
        }

        // A hypothesis: its names are proofs, never used as values here.
        hypotheses.Add(Prop(type, env));
        return env;
    }

    private Env Declare(Env env, string name, Ty ty, SourceSpan span)
    {
        var smt = Symbol(name);
        switch (ty.Kind)
        {
            case TyKind.Nat or TyKind.Int or TyKind.Rat or TyKind.Real or TyKind.Prop:
                _declarations.Add($"(declare-const {smt} {ty.Sort})");
                if (RangeGuard(smt, ty, Fresh, out var witnesses) is { } guard)
                {
                    _declarations.AddRange(witnesses.Select(w => $"(declare-const {w} Int)"));
                    _background.Add(guard);
                }

                break;
            case TyKind.Fun:
                {
                    var parameters = ty.Parameters!;
                    if (parameters.Any(p => !p.IsNumeric && p.Kind != TyKind.Prop) || !(ty.Result!.IsNumeric || ty.Result.Kind == TyKind.Prop))
                    {
                        throw new UntranslatableException($"function {name} : {ty}", span);
                    }

                    if (parameters.Any(p => p.Kind == TyKind.Rat) || ty.Result.Kind == TyKind.Rat)
                    {
                        throw new UntranslatableException($"function {name} : {ty} over ℚ", span);
                    }

                    _declarations.Add($"(declare-fun {smt} ({string.Join(" ", parameters.Select(p => p.Sort))}) {ty.Result.Sort})");
                    if (ty.Result.Kind == TyKind.Nat)
                    {
                        var vars = parameters.Select((p, i) => $"(a{i} {p.Sort})");
                        var args = string.Join(" ", parameters.Select((_, i) => $"a{i}"));
                        _background.Add($"(forall ({string.Join(" ", vars)}) (>= ({smt} {args}) 0))");
                    }

                    break;
                }

            default:
                throw new UntranslatableException($"variable {name} : {ty}", span);
        }

        return env.With(name, new Binding(smt, ty, null, false));
    }

    /// <summary>
    /// What the SMT sort does not say about a variable <paramref name="smt"/> of type <paramref name="ty"/>: ℕ is
    /// nonnegative; ℚ is num / den with den &gt; 0 (the two integer witnesses, named by <paramref name="fresh"/>, are
    /// returned to be declared or bound by the caller). Null for the other types.
    /// </summary>
    private static string? RangeGuard(string smt, Ty ty, Func<string, string> fresh, out IReadOnlyList<string> witnesses)
    {
        witnesses = [];
        switch (ty.Kind)
        {
            case TyKind.Nat:
                return $"(>= {smt} 0)";
            case TyKind.Rat:
                var (num, den) = (fresh("num"), fresh("den"));
                witnesses = [num, den];
                return $"(and (> {den} 0) (= (* {smt} (to_real {den})) (to_real {num})))";
            default:
                return null;
        }
    }

    private SmtTranslation Finish(List<string> hypotheses, string conclusion)
    {
        var builder = new StringBuilder();
        foreach (var declaration in _declarations)
        {
            builder.Append(declaration).Append('\n');
        }

        foreach (var fact in _background)
        {
            builder.Append("(assert ").Append(fact).Append(")\n");
        }

        var formula = hypotheses.Count == 0 ? conclusion : $"(=> {And(hypotheses)} {conclusion})";
        return new SmtTranslation.Translated(builder.ToString(), formula, _approximations.Distinct(StringComparer.Ordinal).ToList(), _symbols)
        {
            Hypotheses = And(hypotheses),
        };
    }

    // ------------------------------------------------------------------ types

    private static readonly HashSet<string> TypeConstructors = new(StringComparer.Ordinal)
    {
        "Finset", "Set", "List", "Multiset", "Fin", "Equiv", "Polynomial", "Matrix", "ZMod", "Fintype", "Prop", "Type",
        "NNReal", "ℝ≥0", "ℕ+", "PNat", "EReal", "ENNReal", "Option", "Nat", "Int", "Rat", "Real", "Complex", "ℕ", "ℤ", "ℚ", "ℝ", "ℂ",
        "R", "Z", "nat", "Q", "C", "list", "Ensemble", "positive", "bool", "Prop",
    };

    private bool IsTypeLike(Term type) => type switch
    {
        Identifier id when IsIsabelle => id.Name is "nat" or "int" or "real" or "rat" or "complex" or "bool" || id.Name.StartsWith('\''),
        Application { Function: Identifier { Name: "set" or "list" or "multiset" or "option" or "fset" } } when IsIsabelle => true,
        Identifier id => TypeConstructors.Contains(id.Name) || (_dialect == ProofLanguage.Coq && id.Name is "Type" or "Set"),
        Application { Function: Identifier head } => TypeConstructors.Contains(head.Name) || head.Name.EndsWith(".t", StringComparison.Ordinal),
        Binary { Operator: BinaryOperator.Arrow, Left: var left, Right: var right } => IsTypeLike(left) && IsTypeLike(right),
        Binary { Operator: BinaryOperator.ProductType } => true,
        _ => false,
    };

    private Ty ElabType(Term type, Env env)
    {
        switch (type)
        {
            case Identifier { Name: "int" or "real" or "rat" or "complex" or "bool" } isabelle when IsIsabelle:
                return isabelle.Name switch
                {
                    "int" => Ty.Int,
                    "real" => Ty.Real,
                    "rat" => Ty.Rat,
                    "complex" => Ty.Complex,
                    _ => Ty.Prop,
                };
            case Identifier { Name: "ℕ" or "Nat" or "nat" }:
                return Ty.Nat;
            case Identifier { Name: "ℤ" or "Int" or "Z" }:
                return Ty.Int;
            case Identifier { Name: "ℚ" or "Rat" or "Q" }:
                return Ty.Rat;
            case Identifier { Name: "ℝ" or "Real" or "R" }:
                return Ty.Real;
            case Identifier { Name: "ℂ" or "Complex" or "C" }:
                return Ty.Complex;
            case Identifier { Name: "Prop" }:
                return Ty.Prop;
            case Binary { Operator: BinaryOperator.Arrow } arrow:
                {
                    var parameters = new List<Ty>();
                    Term current = arrow;
                    while (current is Binary { Operator: BinaryOperator.Arrow } a)
                    {
                        parameters.Add(ElabType(a.Left, env));
                        current = a.Right;
                    }

                    return new Ty(TyKind.Fun, parameters, ElabType(current, env));
                }

            default:
                return new Ty(TyKind.Opaque, Name: Describe(type));
        }
    }
}
