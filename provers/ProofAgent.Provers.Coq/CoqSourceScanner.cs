namespace ProofAgent.Provers.Coq;

/// <summary>Coq's <see cref="ISourceScanner"/>: <see cref="CoqSourceScan"/>, the soundness gate's own static pass.</summary>
public sealed class CoqSourceScanner : ISourceScanner
{
    public ProofLanguage Language => ProofLanguage.Coq;

    public ScannedSource Scan(string source)
    {
        var scan = CoqSourceScan.Scan(source);
        var theorems = new List<ScannedTheorem>(scan.Theorems.Count);
        foreach (var theorem in scan.Theorems)
        {
            var statement = scan.Sentences[theorem.SentenceIndex];
            theorems.Add(new ScannedTheorem(theorem.Name, statement.Text.Trim(), theorem.Ending is null or "Admitted") { Span = ProofSpanOf(scan, theorem) });
        }

        return new ScannedSource(string.Empty, theorems, scan.Findings);
    }

    /// <summary>
    /// Where <paramref name="theorem"/>'s statement and proof lie. Without an ending, the hole runs just after
    /// <c>Proof.</c> when only tactics follow, else just after the statement.
    /// </summary>
    public static ProofSpan ProofSpanOf(CoqScan scan, CoqTheorem theorem)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(theorem);
        var statement = scan.Sentences[theorem.SentenceIndex];
        if (theorem.Ending is not null)
        {
            return new ProofSpan(statement.Start, statement.End, scan.Sentences[theorem.EndSentenceIndex].End);
        }

        var next = theorem.SentenceIndex + 1 < scan.Sentences.Count ? scan.Sentences[theorem.SentenceIndex + 1] : null;
        return new ProofSpan(statement.Start, statement.End, next is not null && next.Code is "Proof." ? next.End : statement.End);
    }
}
