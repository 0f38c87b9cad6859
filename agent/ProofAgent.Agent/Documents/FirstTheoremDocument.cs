namespace ProofAgent.Agent.Documents;

/// <summary>
/// A document with one target, a theorem the language's scan picks (Lean 4 and Isabelle): its statement, stated after the
/// file's header; a solved script goes into the file through the language's portfolio (<see cref="LanguagePortfolios.Fill"/>).
/// </summary>
public abstract class FirstTheoremDocument : ProofDocument
{
    /// <param name="pick">The theorem to prove in the scan of <paramref name="source"/> (null: nothing to prove).</param>
    protected FirstTheoremDocument(ProofLanguage language, string source, ISourceScanner scanner, Func<ScannedSource, ScannedTheorem?> pick)
        : base(language, source, scanner)
    {
        ArgumentNullException.ThrowIfNull(pick);
        var scan = Scanner.Scan(source);
        var theorem = pick(scan);
        Targets = theorem is null
            ? []
            : [new ProofTarget(theorem.Name, theorem.Statement, scan.Header, source)];
        TheoremName = theorem?.Name;
    }

    public string? TheoremName { get; }

    public override IReadOnlyList<ProofTarget> Targets { get; }

    public override string Fill(IReadOnlyList<string?> scripts) =>
        scripts.Count > 0 && scripts[0] is { } script ? LanguagePortfolios.Fill(Language, Source, script) : Source;
}
