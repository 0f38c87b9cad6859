using System.Text.RegularExpressions;

namespace ProofAgent.Agent.Documents;

/// <summary>
/// An F* module with <c>admit ()</c> (found by the F* scanner, the gate's own): one target; no interactive sessions here,
/// so a proof is a replacement for the hole or a complete module, checked whole.
/// </summary>
public sealed partial class FStarDocument : ProofDocument
{
    public FStarDocument(string source, ISourceScanner scanner)
        : base(ProofLanguage.FStar, source, scanner)
    {
        var scan = scanner.Scan(source);
        Targets = scan.Holes.Any() ? [new ProofTarget(scan.ModuleName ?? "(module)", "", "", source)] : [];
    }

    public override IReadOnlyList<ProofTarget> Targets { get; }

    public override bool HasSessions => false;

    public override string Fill(IReadOnlyList<string?> scripts) =>
        scripts.Count > 0 && scripts[0] is { } script ? Admit().Replace(Source, _ => script, 1) : Source;

    public override Candidate? Candidate(int index, string proof, IReadOnlyList<string?> solved)
    {
        var file = proof.Contains("module ", StringComparison.Ordinal) ? proof.Trim() + "\n" : Fill([proof.Trim()]);
        return Scanner.Scan(file).Holes.Any() ? null : new Candidate(file, [], IsCompleteFile: file != Fill([proof.Trim()]));
    }

    public override IReadOnlyList<string> Steps(string proof) => [];

    public override string Script(IReadOnlyList<string> steps) => string.Join("\n", steps);

    [GeneratedRegex(@"\badmit\s*\(\s*\)")]
    private static partial Regex Admit();
}
