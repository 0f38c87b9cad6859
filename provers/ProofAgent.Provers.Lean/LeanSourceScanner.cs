namespace ProofAgent.Provers.Lean;

/// <summary>Lean 4's <see cref="ISourceScanner"/>: <see cref="LeanSourceScan"/>, the soundness gate's own static pass.</summary>
public sealed class LeanSourceScanner : ISourceScanner
{
    public ProofLanguage Language => ProofLanguage.Lean4;

    public ScannedSource Scan(string source)
    {
        var scan = LeanSourceScan.Scan(source);
        var anyHole = scan.Holes.Count > 0;
        var theorems = scan.Theorems.Select(t =>
        {
            var span = new ProofSpan(t.KeywordStart, t.AssignStart is { } assign ? assign + 2 : t.End, t.End);
            var statement = source[t.KeywordStart..(t.AssignStart ?? t.End)].Trim();
            return new ScannedTheorem(t.Name, statement, anyHole && LeanSourceScan.Scan(t.Proof(source)).Holes.Count > 0) { Span = span };
        }).ToList();
        return new ScannedSource(scan.Header, theorems, [.. scan.Holes, .. scan.Violations]);
    }
}
