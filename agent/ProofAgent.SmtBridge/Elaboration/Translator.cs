using System.Text;

namespace ProofAgent.SmtBridge.Elaboration;

/// <summary>
/// The elaborator: types a statement's AST (numerals, coercions, binders), and prints SMT-LIB with the prover's
/// semantics. It is the same for every language; what differs (arithmetic typing, division, type names, the library
/// functions) comes from the language's <see cref="LanguageProfile"/>. One instance translates one statement or goal.
/// </summary>
internal sealed partial class Translator
{
    private const int MaxExpandedExponent = 64;
    private const int MaxExpandedTerms = 2_000;
    private const int MaxLiteralDigits = 20_000;

    private readonly LanguageProfile _language;
    private readonly List<string> _declarations = [];
    private readonly List<string> _background = [];
    private readonly List<string> _approximations = [];
    private readonly Dictionary<string, string> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hoisted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedSymbols = new(StringComparer.Ordinal);
    private readonly HashSet<string> _freshBound = new(StringComparer.Ordinal);
    private int _fresh;

    public Translator(ProofLanguage language, string defaultScope = "nat")
    {
        _language = LanguageProfile.For(language);
        DefaultScope = defaultScope;
    }

    /// <summary>Coq's innermost open scope (<c>R</c>, <c>Z</c>, <c>nat</c>): the type of numerals nothing else types.</summary>
    public string DefaultScope { get; }

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
}
