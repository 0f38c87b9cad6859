namespace ProofAgent.SmtBridge;

/// <summary>The result of translating a statement or goal. Closed: switch on the type.</summary>
public abstract record SmtTranslation
{
    private SmtTranslation()
    {
    }

    /// <summary>
    /// Declarations (with background facts: ℕ ≥ 0, definitions of √ and inverses) and the formula whose validity is
    /// the statement. <see cref="Approximations"/> lists what was abstracted (e.g. <c>Real.log</c> as an uninterpreted
    /// function): "valid" stays sound, but a counterexample may then be an artefact and is not reported as one.
    /// </summary>
    public sealed record Translated(string Declarations, string Formula, IReadOnlyList<string> Approximations, IReadOnlyDictionary<string, string> SymbolNames) : SmtTranslation
    {
        public bool IsExact => Approximations.Count == 0;

        /// <summary>The conjunction of the hypotheses alone (<c>true</c> when there are none), to detect vacuous statements.</summary>
        public string Hypotheses { get; init; } = "true";

        /// <summary>A complete script: declarations, the negated formula and <c>(check-sat)</c>.</summary>
        public string Script => $"{Declarations}(assert (not {Formula}))\n(check-sat)\n";
    }

    /// <summary>Outside the supported fragment: what was not understood and where.</summary>
    public sealed record NotTranslated(string Reason, SourceSpan At) : SmtTranslation;
}
