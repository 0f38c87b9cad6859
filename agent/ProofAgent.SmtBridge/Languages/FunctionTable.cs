namespace ProofAgent.SmtBridge.Languages;

/// <summary>A use of a library function: its arguments, the names in scope, the type its context expects, and where it stands.</summary>
internal sealed record FunctionCall(string Name, IReadOnlyList<Term> Arguments, Env Env, Ty Expected, SourceSpan Span);

/// <summary>
/// The type of a function's result as known before its arguments are elaborated; it types the arithmetic tree the call
/// stands in. <see cref="OfArguments"/>: the largest type among the arguments (<c>abs</c>, <c>min</c>); <see cref="OfContext"/>:
/// the tree's type decides (a cast whose target is not written, like <c>Nat.cast</c> or Isabelle's <c>of_nat</c>).
/// </summary>
internal readonly record struct ResultType(Ty? Fixed, bool LikeArguments)
{
    public static ResultType OfArguments { get; } = new(null, true);

    public static ResultType OfContext { get; } = new(null, false);

    public static implicit operator ResultType(Ty type) => new(type, false);
}

/// <summary>One entry of a prover's library, found by its name as the prover prints or the user writes it.</summary>
internal abstract record LibraryRule(string Name);

/// <summary>A function to numbers: how many arguments it takes, its result type, and its meaning in SMT-LIB.</summary>
internal sealed record FunctionRule(string Name, int Arity, ResultType Result, Func<Translator, FunctionCall, Ex> Translate) : LibraryRule(Name);

/// <summary>A predicate (a function to Prop): how many arguments it takes and its meaning as an SMT-LIB formula.</summary>
internal sealed record PredicateRule(string Name, int Arity, Func<Translator, FunctionCall, string> Translate) : LibraryRule(Name);

/// <summary>A constant (π): its type and its meaning.</summary>
internal sealed record ConstantRule(string Name, Ty Type, Func<Translator, SourceSpan, Ex> Translate) : LibraryRule(Name);

/// <summary>
/// The functions, predicates and constants of one prover's library that the bridge translates, by name: one row each.
/// Names not in the table are untranslatable in that language.
/// </summary>
internal sealed class FunctionTable
{
    private readonly Dictionary<string, FunctionRule> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PredicateRule> _predicates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConstantRule> _constants = new(StringComparer.Ordinal);

    public FunctionTable(IEnumerable<LibraryRule> rules)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!names.Add(rule.Name))
            {
                throw new ArgumentException($"{rule.Name} is in the table twice", nameof(rules));
            }

            switch (rule)
            {
                case FunctionRule f:
                    _functions.Add(f.Name, f);
                    break;
                case PredicateRule p:
                    _predicates.Add(p.Name, p);
                    break;
                case ConstantRule c:
                    _constants.Add(c.Name, c);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(rules), rule, "unknown kind of rule");
            }
        }
    }

    public IEnumerable<LibraryRule> Rules => _functions.Values.Cast<LibraryRule>().Concat(_predicates.Values).Concat(_constants.Values);

    public FunctionRule? Function(string name) => _functions.GetValueOrDefault(name);

    public PredicateRule? Predicate(string name) => _predicates.GetValueOrDefault(name);

    public ConstantRule? Constant(string name) => _constants.GetValueOrDefault(name);

    public static FunctionRule Function(string name, int arity, ResultType result, Func<Translator, FunctionCall, Ex> translate) => new(name, arity, result, translate);

    public static PredicateRule Predicate(string name, int arity, Func<Translator, FunctionCall, string> translate) => new(name, arity, translate);

    public static ConstantRule Constant(string name, Ty type, Func<Translator, SourceSpan, Ex> translate) => new(name, type, translate);
}
