using System.Diagnostics;
using System.Text;
using ProofAgent.Provers.Smt;

namespace ProofAgent.SmtBridge;

/// <summary>What happened to one statement in a triage run.</summary>
public sealed record TriageOutcome(
    string Name,
    string? Split,
    bool Translated,
    string? Reason,
    string Answer,
    IReadOnlyDictionary<string, string>? Model,
    bool? ModelChecked,
    string? Solver,
    long ElapsedMs);

/// <summary>Triage of theorem statements: parse, translate, decide with the SMT solver; counterexamples are re-checked.</summary>
public sealed class StatementTriage(ISmtSolver solver, ISmtSolver? checker = null)
{
    private readonly SmtGoalOracle _oracle = new(solver);

    public async Task<TriageOutcome> TriageAsync(
        string name, string? split, ProofLanguage language, string text, TimeSpan timeout, CancellationToken cancellationToken = default, SmtBridgeOptions? options = null)
    {
        var stopwatch = Stopwatch.StartNew();
        TheoremStatement statement;
        try
        {
            statement = StatementParser.Parse(language, text);
        }
        catch (StatementSyntaxException exception)
        {
            return new TriageOutcome(name, split, false, "does not parse: " + exception.Message, "untranslated", null, null, null, stopwatch.ElapsedMilliseconds);
        }

        var translation = SmtTranslator.Translate(statement, options ?? (language == ProofLanguage.Coq ? SmtBridgeOptions.ForCoqSource(text) : null));
        if (translation is SmtTranslation.NotTranslated not)
        {
            return new TriageOutcome(name, split, false, $"{not.Reason} (at {not.At})", "untranslated", null, null, null, stopwatch.ElapsedMilliseconds);
        }

        var translated = (SmtTranslation.Translated)translation;
        var verdict = await _oracle.DecideAsync(translated, timeout, cancellationToken);
        switch (verdict)
        {
            case GoalVerdict.Valid v:
                return new TriageOutcome(name, split, true, null, "valid", null, null, v.Solver, stopwatch.ElapsedMilliseconds);
            case GoalVerdict.Counterexample c:
                {
                    var confirmed = checker is null ? (bool?)null : await ConfirmAsync(translated, c.Model, timeout, cancellationToken);
                    return new TriageOutcome(name, split, true, confirmed == false ? "the model did not survive re-checking" : null, confirmed == false ? "unknown" : "counterexample", c.Model, confirmed, c.Solver, stopwatch.ElapsedMilliseconds);
                }

            case GoalVerdict.Unknown u:
                return new TriageOutcome(name, split, true, u.Reason, "unknown", null, null, solver.Name, stopwatch.ElapsedMilliseconds);
            default:
                return new TriageOutcome(name, split, true, verdict.ToString(), "unknown", null, null, solver.Name, stopwatch.ElapsedMilliseconds);
        }
    }

    /// <summary>The index of the parenthesis closing the one at <paramref name="start"/>, or -1.</summary>
    private static int SExprEnd(string text, int start)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            depth += text[i] switch
            {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            if (depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Substitutes the model's values for the statement's variables and asks a second solver whether the hypotheses hold
    /// and the conclusion fails at that point. Only models whose values are all numerals can be checked.
    /// </summary>
    public async Task<bool?> ConfirmAsync(SmtTranslation.Translated translation, IReadOnlyDictionary<string, string> model, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(translation);
        ArgumentNullException.ThrowIfNull(model);
        if (checker is null)
        {
            return null;
        }

        var pins = new StringBuilder();
        foreach (var (symbol, name) in translation.SymbolNames.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!model.TryGetValue(name, out var value))
            {
                continue;
            }

            if (value.Contains("root-obj", StringComparison.Ordinal) || value.Contains("_ ", StringComparison.Ordinal))
            {
                return null;
            }

            if (value.StartsWith("(lambda (", StringComparison.Ordinal))
            {
                // A function from the model: pin it on every argument, (forall (params) (= (f params) body)).
                var parameters = SExprEnd(value, "(lambda ".Length);
                if (parameters < 0)
                {
                    return null;
                }

                var list = value["(lambda ".Length..(parameters + 1)];
                var body = value[(parameters + 1)..^1].Trim();
                var names = System.Text.RegularExpressions.Regex.Matches(list, @"\(([^\s()]+) [^()]+\)").Select(m => m.Groups[1].Value).ToList();
                pins.Append("(assert (forall ").Append(list).Append(" (= (").Append(symbol).Append(' ').Append(string.Join(" ", names)).Append(") ").Append(body).Append(")))\n");
                continue;
            }

            pins.Append("(assert (= ").Append(symbol).Append(' ').Append(value).Append("))\n");
        }

        var answer = await checker.ProveValidAsync(translation.Declarations + pins, translation.Formula, timeout, cancellationToken);
        return answer switch
        {
            ValidityAnswer.Counterexample => true,
            ValidityAnswer.Valid => false,
            _ => null,
        };
    }
}
