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
            int end;
            if (theorem.Ending is not null)
            {
                end = scan.Sentences[theorem.EndSentenceIndex].End;
            }
            else
            {
                // No ending: the hole runs just after "Proof." when only tactics follow, else just after the statement.
                var next = theorem.SentenceIndex + 1 < scan.Sentences.Count ? scan.Sentences[theorem.SentenceIndex + 1] : null;
                end = next is not null && next.Code is "Proof." ? next.End : statement.End;
            }

            theorems.Add(new ScannedTheorem(theorem.Name, statement.Text.Trim(), theorem.Ending is null or "Admitted")
            {
                Span = new ProofSpan(statement.Start, statement.End, end),
            });
        }

        return new ScannedSource(string.Empty, theorems, scan.Findings);
    }
}
