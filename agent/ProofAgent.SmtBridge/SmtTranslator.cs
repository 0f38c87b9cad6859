namespace ProofAgent.SmtBridge;

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
