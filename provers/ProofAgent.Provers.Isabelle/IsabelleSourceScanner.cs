namespace ProofAgent.Provers.Isabelle;

/// <summary>Isabelle's <see cref="ISourceScanner"/>: <see cref="IsabelleSourceScan"/>, the soundness gate's own static pass.</summary>
public sealed class IsabelleSourceScanner : ISourceScanner
{
    public ProofLanguage Language => ProofLanguage.Isabelle;

    public ScannedSource Scan(string source)
    {
        var scan = IsabelleSourceScan.Scan(source);
        var holeLines = scan.Holes.Select(h => h.Line).ToList();
        var theorems = scan.Theorems.Select((t, i) =>
        {
            // The scanner keeps lines, not offsets: a hole belongs to the goal whose lines it falls in.
            var nextLine = i + 1 < scan.Theorems.Count ? scan.Theorems[i + 1].Line : int.MaxValue;
            return new ScannedTheorem(t.Name, $"lemma {t.Name}: {t.Statement}", holeLines.Any(l => l >= t.Line && l < nextLine));
        }).ToList();
        return new ScannedSource(string.Join(" ", scan.Imports), theorems, scan.Findings);
    }
}
