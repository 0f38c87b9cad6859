using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Grammars;
using ProofAgent.Provers;
using ProofAgent.Provers.Smt;

namespace ProofAgent.SmtBridge;

/// <summary>Options of the goal-to-SMT bridge.</summary>
public sealed partial record SmtBridgeOptions
{
    public static SmtBridgeOptions Default { get; } = new();

    /// <summary>
    /// The scope of a goal printed by Coq: unknown, since the printer omits the scope a file opened. Numerals that only
    /// the scope would type make such a goal untranslatable rather than wrongly typed (<c>9951 / 4779</c> is 2 in
    /// <c>nat</c> but a fraction in <c>R</c>).
    /// </summary>
    public const string UnknownScope = "?";

    /// <summary>Coq's open scope for numerals that nothing else types (<c>R</c>, <c>Z</c>, <c>nat</c>); Coq's own default is <c>nat</c>.</summary>
    public string CoqScope { get; init; } = "nat";

    public SmtBridgeOptions WithCoqScope(string scope) => this with { CoqScope = scope };

    /// <summary>The options for a Coq file: the scope its last <c>Open Scope</c> before <paramref name="end"/> opened (else <c>nat</c>).</summary>
    public static SmtBridgeOptions ForCoqSource(string source, int? end = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = end is { } e && e >= 0 && e < source.Length ? source[..e] : source;
        var scope = "nat";
        foreach (Match match in OpenScope().Matches(text))
        {
            scope = match.Groups[1].Value;
        }

        return Default.WithCoqScope(scope);
    }

    [GeneratedRegex(@"(?m)^\s*(?:#\[\s*\w+\s*\]\s*)?(?:Local\s+|Global\s+)?Open\s+Scope\s+([A-Za-z_]+)\s*\.")]
    private static partial Regex OpenScope();
}

/// <summary>Translates statements and goals to SMT-LIB with the prover's semantics.</summary>
public static class SmtTranslator
{
    /// <summary>Translates a parsed theorem statement (Lean 4, Coq or Isabelle/HOL).</summary>
    public static SmtTranslation Translate(TheoremStatement statement, SmtBridgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(statement);
        options ??= SmtBridgeOptions.Default;
        return statement.Language switch
        {
            ProofLanguage.Lean4 or ProofLanguage.Isabelle => new Translator(statement.Language).Statement(statement),
            ProofLanguage.Coq => new Translator(ProofLanguage.Coq, options.CoqScope).Statement(statement),
            _ => new SmtTranslation.NotTranslated($"statements of {statement.Language} are not translated", statement.Span),
        };
    }

    /// <summary>Translates a goal as the prover prints it: each hypothesis's type and the conclusion are parsed, then translated.</summary>
    public static SmtTranslation TranslateGoal(ProofLanguage language, Goal goal, SmtBridgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(goal);
        options ??= SmtBridgeOptions.Default;
        if (language is not (ProofLanguage.Lean4 or ProofLanguage.Coq))
        {
            throw new NotSupportedException($"goals of {language} are not translated; supported: lean4, coq");
        }

        try
        {
            var hypotheses = new List<(IReadOnlyList<string>, Term)>();
            foreach (var hypothesis in goal.Hypotheses)
            {
                var type = StatementParser.ParseTerm(language, hypothesis.Type);
                hypotheses.Add((hypothesis.Names, type));
                if (hypothesis.Body is { } body)
                {
                    // A let-bound hypothesis "x := v : T": x is a variable equal to v.
                    var value = StatementParser.ParseTerm(language, body);
                    foreach (var name in hypothesis.Names)
                    {
                        hypotheses.Add(([name + "_def"], new Binary(BinaryOperator.Eq, new Identifier(name, value.Span), value, value.Span)));
                    }
                }
            }

            var conclusion = StatementParser.ParseTerm(language, goal.Conclusion);
            return new Translator(language, options.CoqScope).Goal(hypotheses, conclusion);
        }
        catch (StatementSyntaxException exception)
        {
            return new SmtTranslation.NotTranslated("does not parse: " + exception.Message, new SourceSpan(exception.Line, exception.Column, exception.Line, exception.Column));
        }
    }
}

/// <summary>
/// <see cref="IGoalOracle"/> for Lean 4 and Coq goals: translate, then ask the SMT solver whether the negation is
/// satisfiable. Counterexamples are reported only when the translation is exact (no abstracted functions).
/// Without <paramref name="options"/>, numerals of a Coq goal that only the file's open scope would type make the goal
/// untranslatable (the printed goal does not show the scope); pass options with the file's scope
/// (<see cref="SmtBridgeOptions.ForCoqSource"/>) to have them typed.
/// </summary>
public sealed class SmtGoalOracle(ISmtSolver solver, SmtBridgeOptions? options = null, ILogger<SmtGoalOracle>? logger = null) : IGoalOracle
{
    private readonly SmtBridgeOptions _options = options ?? SmtBridgeOptions.Default;
    private readonly bool _coqScopeGiven = options is not null; // options given by the caller name the scope on purpose
    private readonly ILogger<SmtGoalOracle> _logger = logger ?? NullLogger<SmtGoalOracle>.Instance;

    public async Task<GoalVerdict> DecideAsync(ProofLanguage language, Goal goal, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(goal);
        if (language is not (ProofLanguage.Lean4 or ProofLanguage.Coq))
        {
            return new GoalVerdict.Untranslatable($"goals of {language.Id()} are not translated to SMT; supported: lean4, coq");
        }

        // A printed Coq goal does not show the file's open scope: numerals only a scope would type are not guessed.
        var options = language == ProofLanguage.Coq && !_coqScopeGiven
            ? _options.WithCoqScope(SmtBridgeOptions.UnknownScope)
            : _options;
        var translation = SmtTranslator.TranslateGoal(language, goal, options);
        return await DecideAsync(translation, timeout, cancellationToken);
    }

    /// <summary>
    /// Decides the first theorem of a source file (Lean 4, Isabelle or Coq, with the file's Coq scope): parse it where it
    /// stands in the file, translate, ask the solver.
    /// </summary>
    public async Task<GoalVerdict> DecideStatementAsync(ProofLanguage language, string source, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (language is not (ProofLanguage.Lean4 or ProofLanguage.Isabelle or ProofLanguage.Coq))
        {
            return new GoalVerdict.Untranslatable($"statements of {language.Id()} are not translated to SMT; supported: lean4, isabelle, coq");
        }

        if (SourceStatement.Extract(language, source) is not { } text)
        {
            return new GoalVerdict.Untranslatable("the file states no theorem");
        }

        if (!StatementParser.TryParse(language, text, out var statement, out var error))
        {
            return new GoalVerdict.Untranslatable("the statement does not parse: " + error!.Message);
        }

        var options = language == ProofLanguage.Coq ? SmtBridgeOptions.ForCoqSource(source, text.Length - text.TrimStart().Length) : _options;
        return await DecideAsync(SmtTranslator.Translate(statement!, options), timeout, cancellationToken);
    }

    /// <summary>Decides an already translated statement or goal.</summary>
    public async Task<GoalVerdict> DecideAsync(SmtTranslation translation, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(translation);
        switch (translation)
        {
            case SmtTranslation.NotTranslated not:
                return new GoalVerdict.Untranslatable(not.At.Line > 0 ? $"{not.Reason} (at {not.At})" : not.Reason);
            case SmtTranslation.Translated t:
                {
                    var answer = await solver.ProveValidAsync(t.Declarations, t.Formula, timeout, cancellationToken);
                    _logger.LogDebug("SMT answer {Answer} for a goal of {Length} characters", answer.GetType().Name, t.Formula.Length);
                    return answer switch
                    {
                        ValidityAnswer.Valid v => new GoalVerdict.Valid(v.Solver),
                        ValidityAnswer.Counterexample c when t.IsExact => new GoalVerdict.Counterexample(UserModel(c.Model, t), c.Solver),
                        ValidityAnswer.Counterexample => new GoalVerdict.Unknown("the solver found a model, but only of an approximation: " + string.Join("; ", t.Approximations)),
                        ValidityAnswer.Unknown u => new GoalVerdict.Unknown(u.Reason),
                        _ => new GoalVerdict.Unknown("no answer"),
                    };
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(translation));
        }
    }

    /// <summary>The model restricted to the user's variables, under their own names.</summary>
    public static IReadOnlyDictionary<string, string> UserModel(SmtModel model, SmtTranslation.Translated translation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(translation);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (symbol, value) in model.Values)
        {
            if (translation.SymbolNames.TryGetValue(symbol, out var name))
            {
                result[name] = value;
            }
        }

        return result;
    }
}
