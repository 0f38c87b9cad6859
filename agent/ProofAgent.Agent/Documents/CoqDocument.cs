using ProofAgent.Agent.Coq;

namespace ProofAgent.Agent.Documents;

/// <summary>A Coq file: every <c>Admitted</c> (or missing) proof is a target; sentences are Coq's own (the Coq scanner and lexer).</summary>
public sealed class CoqDocument : ProofDocument
{
    private readonly IReadOnlyList<CoqGap> _gaps;

    public CoqDocument(string source, ISourceScanner scanner)
        : base(ProofLanguage.Coq, source, scanner)
    {
        _gaps = CoqProofFile.FindGaps(scanner, source);
        Targets = [.. _gaps.Select(g => new ProofTarget(g.Name, g.Statement, CoqProofFile.Header(source, g), source[..g.ProofEnd]))];
    }

    public IReadOnlyList<CoqGap> Gaps => _gaps;

    public override IReadOnlyList<ProofTarget> Targets { get; }

    public override string Fill(IReadOnlyList<string?> scripts) => CoqProofFile.Fill(Source, _gaps, scripts);

    public override Candidate? Candidate(int index, string proof, IReadOnlyList<string?> solved)
    {
        var script = CoqProofFile.ExtractScript(proof);
        if (CoqProofFile.StatesTheorem(Scanner, proof, _gaps[index].Name))
        {
            // A complete file (its own imports, helper lemmas): checked as it is; the statement check decides.
            return new Candidate(proof.Trim() + "\n", script, IsCompleteFile: true);
        }

        if (script.Count == 0 || script.Any(s => Scanner.Scan(s).Findings.Count > 0))
        {
            return null;
        }

        return new Candidate(Fill(With(solved, index, string.Join("\n", script))), script, IsCompleteFile: false);
    }

    public override IReadOnlyList<string> Steps(string proof) => CoqProofFile.ExtractScript(proof);

    public override string Script(IReadOnlyList<string> steps) => string.Join("\n", steps);
}
