using System.Diagnostics;

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

/// <summary>
/// The start every checker shares, in one order: the static gate, then the probe, then (by the caller) the prover. A
/// textual escape hatch is the verdict whether or not the prover is installed here; a missing prover is
/// <c>unavailable</c>; otherwise the caller goes on with the prover that will run (its path and identity).
/// </summary>
public static class CheckStart
{
    /// <summary>An early result (the gate's verdict, or unavailability), or the available prover to go on with.</summary>
    public static async Task<(CheckResult? Early, ProverAvailability.Available? Available)> RunAsync(
        string prover,
        Verdict? gateVerdict,
        IReadOnlyList<Diagnostic> gateDiagnostics,
        Func<CancellationToken, Task<ProverAvailability>> probe,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(clock);
        var unknown = ProverIdentity.Unknown(prover);
        if (gateVerdict is not null)
        {
            return (new CheckResult(gateVerdict, [], gateDiagnostics, unknown, new ResourceUsage(clock.Elapsed)), null);
        }

        return await probe(cancellationToken) switch
        {
            ProverAvailability.Available available => (null, available),
            ProverAvailability.Missing missing => (new CheckResult(missing.ToVerdict(), [], gateDiagnostics, unknown, new ResourceUsage(clock.Elapsed)), null),
            var other => throw new InvalidOperationException($"unknown availability {other}"),
        };
    }
}
