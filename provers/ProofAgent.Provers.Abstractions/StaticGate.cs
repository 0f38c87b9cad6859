namespace ProofAgent.Provers;

/// <summary>One finding of a language's static soundness scan: a hole (incomplete) or a violation (unsound).</summary>
public sealed record GateFinding(int Line, int Column, string Message, bool IsHole);

/// <summary>The verdict rule every static scan shares: any violation makes the text unsound, else any hole makes it incomplete.</summary>
public static class StaticGate
{
    /// <summary>The static verdict (null when the text passes) and one error diagnostic per finding.</summary>
    public static (Verdict? Verdict, IReadOnlyList<Diagnostic> Diagnostics) Judge(IEnumerable<GateFinding> findings)
    {
        var all = findings.ToList();
        var diagnostics = all.Select(f => new Diagnostic(DiagnosticSeverity.Error, f.Line, f.Column, f.Message)).ToList();
        var violations = all.Where(f => !f.IsHole).Select(f => $"line {f.Line}: {f.Message}").ToList();
        if (violations.Count > 0)
        {
            return (new Verdict.Unsound(violations), diagnostics);
        }

        var holes = all.Where(f => f.IsHole).Select(f => $"line {f.Line}: {f.Message}").ToList();
        return (holes.Count > 0 ? new Verdict.Incomplete(holes) : null, diagnostics);
    }
}
