using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProofAgent.Provers.Smt;

namespace ProofAgent.SmtBridge;

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
