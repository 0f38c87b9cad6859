namespace ProofAgent.Agent.Documents;

/// <summary>
/// A Lean 4 file with <c>sorry</c> (found by the Lean scanner, the gate's own): one target, the first theorem with a hole; a
/// proof is a tactic block whose top-level tactics are the steps a REPL session replays on proof states.
/// </summary>
public sealed class LeanDocument : FirstTheoremDocument
{
    public LeanDocument(string source, ISourceScanner scanner)
        : base(ProofLanguage.Lean4, source, scanner, scan => !scan.Holes.Any() ? null : scan.Theorems.FirstOrDefault(t => t.HasHole) ?? scan.Theorems.FirstOrDefault())
    {
    }

    public override Candidate? Candidate(int index, string proof, IReadOnlyList<string?> solved)
    {
        var scan = Scanner.Scan(proof);
        if (scan.Theorems.FirstOrDefault(t => t.Name == TheoremName) is { } stated)
        {
            return new Candidate(proof.Trim() + "\n", TacticSteps(stated.Proof(proof)), IsCompleteFile: true);
        }

        if (scan.Findings.Count > 0)
        {
            return null;
        }

        var steps = TacticSteps(proof);
        return steps.Count == 0 ? null : new Candidate(Fill([Script(steps)]), steps, IsCompleteFile: false);
    }

    public override string Script(IReadOnlyList<string> steps) => "by\n  " + string.Join("\n  ", steps.Select(s => s.Replace("\n", "\n  ", StringComparison.Ordinal)));

    /// <summary>The top-level tactics of a tactic block (<c>by</c> dropped): a line at the block's indentation starts a step, deeper lines continue it.</summary>
    public override IReadOnlyList<string> Steps(string proof) => TacticSteps(proof);

    /// <summary>The top-level tactics of a tactic block (see <see cref="Steps"/>).</summary>
    public static IReadOnlyList<string> TacticSteps(string proof)
    {
        var text = proof.Trim();
        if (text.StartsWith("by", StringComparison.Ordinal) && (text.Length == 2 || char.IsWhiteSpace(text[2])))
        {
            text = text[2..];
        }

        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
        {
            return [];
        }

        var indent = lines.Min(l => l.Length - l.TrimStart().Length);
        var steps = new List<string>();
        foreach (var line in lines)
        {
            var depth = line.Length - line.TrimStart().Length;
            if (depth <= indent || steps.Count == 0)
            {
                steps.Add(line.Trim());
            }
            else
            {
                steps[^1] += "\n" + line[indent..];
            }
        }

        return steps;
    }
}
