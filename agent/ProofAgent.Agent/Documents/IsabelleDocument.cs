namespace ProofAgent.Agent.Documents;

/// <summary>
/// An Isabelle theory with <c>sorry</c>/<c>oops</c> (found by the Isabelle scanner, the gate's own): one target, the first
/// goal; a proof's steps are its proof commands (<c>apply</c>, <c>using</c>, <c>by</c>), replayed by the step prover.
/// </summary>
public sealed class IsabelleDocument : FirstTheoremDocument
{
    public IsabelleDocument(string source, ISourceScanner scanner)
        : base(ProofLanguage.Isabelle, source, scanner, scan => scan.Holes.Any() ? scan.Theorems.FirstOrDefault() : null)
    {
    }

    public override Candidate? Candidate(int index, string proof, IReadOnlyList<string?> solved)
    {
        if (proof.Contains("theory ", StringComparison.Ordinal) || Scanner.Scan(proof).Theorems.Any(t => t.Name == TheoremName))
        {
            var scan = Scanner.Scan(proof);
            return scan.Holes.Any() ? null : new Candidate(proof.Trim() + "\n", [], IsCompleteFile: true);
        }

        var steps = ProofCommands(proof);
        if (steps.Count == 0 || Scanner.Scan($"theory T imports Main begin\nlemma t: True\n{proof}\nend").Holes.Any())
        {
            return null;
        }

        return new Candidate(Fill([Script(steps)]), steps, IsCompleteFile: false);
    }

    /// <summary>Proof commands as they are; a bare method (what the step prover and sledgehammer give) becomes <c>apply (m)</c>; <c>done</c> ends a script that does not end in <c>by</c>.</summary>
    public override string Script(IReadOnlyList<string> steps)
    {
        var commands = steps.Select(s => IsCommand(s) ? s : $"apply ({s})").ToList();
        var last = commands.Count == 0 ? "" : commands[^1];
        var closed = last.StartsWith("by", StringComparison.Ordinal) || last is "done";
        return string.Join("\n  ", closed ? commands : [.. commands, "done"]);
    }

    private static bool IsCommand(string step) =>
        new[] { "apply", "by", "using", "unfolding", "done", "proof", "qed", "have", "show", "then", "hence", "thus", "from", "with", "next", "case", "fix", "assume", "obtain", "note", "moreover", "ultimately", "also", "finally" }
            .Any(k => step.StartsWith(k, StringComparison.Ordinal) && (step.Length == k.Length || !char.IsLetterOrDigit(step[k.Length])));

    public override IReadOnlyList<string> Steps(string proof) => ProofCommands(proof);

    /// <summary>One proof command per line (Isar blocks are not split).</summary>
    public static IReadOnlyList<string> ProofCommands(string proof) =>
        [.. proof.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l is not "done" and not "proof -" and not "qed")];
}
