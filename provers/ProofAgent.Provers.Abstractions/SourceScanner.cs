namespace ProofAgent.Provers;

/// <summary>Where a theorem's statement and proof lie in the text (UTF-16 offsets).</summary>
/// <param name="StatementStart">Start of the declaration.</param>
/// <param name="ProofStart">Just after the statement: a proof that replaces the hole starts here.</param>
/// <param name="ProofEnd">Just after the proof: its last sentence, or its hole (Coq without an ending: after <c>Proof.</c>, else after the statement).</param>
public sealed record ProofSpan(int StatementStart, int ProofStart, int ProofEnd);

/// <summary>A declared theorem as its language's scanner reads it.</summary>
/// <param name="Name">The theorem's name (given or assigned).</param>
/// <param name="Statement">What an interactive session is asked to prove (Coq: the statement sentence; Lean 4: the declaration up to <c>:=</c>; Isabelle: <c>lemma name: P</c>).</param>
/// <param name="HasHole">The proof is a hole (<c>Admitted</c>, <c>sorry</c>, ...) or missing.</param>
public sealed record ScannedTheorem(string Name, string Statement, bool HasHole)
{
    /// <summary>Where it lies in the text, for the languages whose scanner keeps offsets (Coq, Lean 4).</summary>
    public ProofSpan? Span { get; init; }

    /// <summary>The proof's text (empty when the scanner keeps no offsets).</summary>
    public string Proof(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Span is { } span ? source[span.ProofStart..span.ProofEnd] : string.Empty;
    }
}

/// <summary>A source file as its language's static scanner reads it: the header, the theorems, and what the soundness gate finds.</summary>
/// <param name="Header">The imports a session needs (Lean 4: the import header; Isabelle: the imported theories; Coq, F*: empty).</param>
/// <param name="Theorems">The declared theorems, in source order.</param>
/// <param name="Findings">The holes and escape hatches of the language's static gate, the same its checker rejects early.</param>
public sealed record ScannedSource(string Header, IReadOnlyList<ScannedTheorem> Theorems, IReadOnlyList<GateFinding> Findings)
{
    /// <summary>The module's name (F*), when the language has one.</summary>
    public string? ModuleName { get; init; }

    public IEnumerable<GateFinding> Holes => Findings.Where(f => f.IsHole);

    public IEnumerable<GateFinding> Violations => Findings.Where(f => !f.IsHole);
}

/// <summary>
/// A language's static reading of a source, with no prover process: each adapter implements it with its checker's own
/// scanner, so the agent finds holes and theorems exactly where the soundness gate does. Pure and thread-safe.
/// </summary>
public interface ISourceScanner
{
    ProofLanguage Language { get; }

    ScannedSource Scan(string source);
}
