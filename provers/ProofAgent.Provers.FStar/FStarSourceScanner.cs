namespace ProofAgent.Provers.FStar;

/// <summary>F*'s <see cref="ISourceScanner"/>: <see cref="FStarSourceScan"/>, the soundness gate's own static pass (one target per module).</summary>
public sealed class FStarSourceScanner : ISourceScanner
{
    public ProofLanguage Language => ProofLanguage.FStar;

    public ScannedSource Scan(string source)
    {
        var scan = FStarSourceScan.Scan(source);
        return new ScannedSource(string.Empty, [], scan.Findings) { ModuleName = scan.ModuleName };
    }
}
