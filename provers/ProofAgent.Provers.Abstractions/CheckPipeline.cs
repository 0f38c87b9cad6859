using System.Diagnostics;

namespace ProofAgent.Provers;

/// <summary>
/// What a checker's static scan made of a text before any prover runs: a verdict already (<see cref="Decided"/>), or
/// its reading of the text, handed on to the run (<see cref="Passed"/>).
/// </summary>
/// <typeparam name="TReading">The adapter's reading of the text (its scan, the file it will check, ...).</typeparam>
public abstract record GateScan<TReading>
{
    private GateScan()
    {
    }

    /// <summary>The scan's verdict stands whether or not the prover is installed (an escape hatch is unsound everywhere).</summary>
    public sealed record Decided(Verdict Verdict, IReadOnlyList<Diagnostic> Diagnostics) : GateScan<TReading>;

    /// <summary>The text goes on to the prover.</summary>
    /// <param name="Reading">What the run works on.</param>
    /// <param name="Diagnostics">Notes of the scan, carried by the answer when the prover is missing.</param>
    /// <param name="WhenMissing">
    /// The scan's answer that waits for the prover, given only when the prover is missing (Coq's holes: with the prover
    /// there, its audit reports them theorem by theorem); null to answer <c>unavailable</c>.
    /// </param>
    public sealed record Passed(TReading Reading, IReadOnlyList<Diagnostic> Diagnostics, Decided? WhenMissing = null) : GateScan<TReading>;
}

/// <summary>Builds <see cref="GateScan{TReading}"/> from a static gate's judgment.</summary>
public static class GateScan
{
    /// <summary>Decided when the gate gave a verdict (see <see cref="StaticGate.Judge"/>), else passed with its diagnostics.</summary>
    public static GateScan<TReading> From<TReading>(TReading reading, (Verdict? Verdict, IReadOnlyList<Diagnostic> Diagnostics) judged) =>
        judged.Verdict is { } verdict
            ? new GateScan<TReading>.Decided(verdict, judged.Diagnostics)
            : new GateScan<TReading>.Passed(reading, judged.Diagnostics);

    /// <summary>The same, from a checker's static gate that returns its verdict, diagnostics and scan together.</summary>
    public static GateScan<TReading> From<TReading>((Verdict? Verdict, IReadOnlyList<Diagnostic> Diagnostics, TReading Reading) gate) =>
        From(gate.Reading, (gate.Verdict, gate.Diagnostics));
}

/// <summary>
/// One check that got past the scan and found its prover: the request, the adapter's reading of it, the prover that
/// runs, and the clock started when the check began. Every result of the run is built here, so each carries the
/// prover's identity and the time of the whole check.
/// </summary>
public sealed class CheckRun<TReading>(ProofTask task, TReading reading, ProverAvailability.Available prover, Stopwatch clock)
{
    public ProofTask Task => task;

    public TReading Reading => reading;

    /// <summary>The prover as probed: it goes into every result and every cache key.</summary>
    public ProverIdentity Identity => prover.Identity;

    /// <summary>The probed executable.</summary>
    public string ExecutablePath => prover.ExecutablePath;

    /// <summary>Started when the check began (before the scan); read it, never stop it.</summary>
    public Stopwatch Clock => clock;

    /// <summary>What the check cost so far.</summary>
    public ResourceUsage Usage(long? peakRssBytes = null, int processRuns = 0) => new(clock.Elapsed, peakRssBytes, processRuns);

    /// <summary>A result from the probed prover, timed now.</summary>
    /// <param name="processRuns">The prover processes the check started (0 when it answered before starting one).</param>
    /// <param name="peakRssBytes">The prover's peak resident memory, where it was measured.</param>
    public CheckResult Result(
        Verdict verdict, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<TheoremReport>? theorems = null, int processRuns = 0, long? peakRssBytes = null) =>
        new(verdict, theorems ?? [], diagnostics, Identity, Usage(peakRssBytes, processRuns));
}

/// <summary>
/// The one path of a check, for every prover: scan → probe → run (the prover, its audit, and the combination of their
/// verdicts, which the adapter owns). The order is the soundness gate's: a textual escape hatch is the verdict whether or
/// not the prover is installed here; a missing prover is <c>unavailable</c> (or the scan's waiting answer, see
/// <see cref="GateScan{TReading}.Passed.WhenMissing"/>); only then does the prover run. An answer given before the
/// probe names the prover as unknown.
/// </summary>
public static class CheckPipeline
{
    /// <param name="prover">The prover's name in an identity (<c>coq</c>, <c>lean4</c>, ...), for answers given before the probe.</param>
    /// <param name="task">The request.</param>
    /// <param name="scan">The adapter's static scan: pure, no process.</param>
    /// <param name="probe">The adapter's (cached) probe.</param>
    /// <param name="run">The adapter's run, audit and combination, with the prover found.</param>
    /// <param name="cancellationToken">Cancels the probe and the run.</param>
    public static async Task<CheckResult> RunAsync<TReading>(
        string prover,
        ProofTask task,
        Func<ProofTask, GateScan<TReading>> scan,
        Func<CancellationToken, Task<ProverAvailability>> probe,
        Func<CheckRun<TReading>, CancellationToken, Task<CheckResult>> run,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(run);
        var clock = Stopwatch.StartNew();
        var unknown = ProverIdentity.Unknown(prover);
        switch (scan(task))
        {
            case GateScan<TReading>.Decided decided:
                return Early(decided.Verdict, decided.Diagnostics);
            case GateScan<TReading>.Passed passed:
                return await probe(cancellationToken) switch
                {
                    ProverAvailability.Available available => await run(new CheckRun<TReading>(task, passed.Reading, available, clock), cancellationToken),
                    ProverAvailability.Missing missing => passed.WhenMissing is { } waiting
                        ? Early(waiting.Verdict, waiting.Diagnostics)
                        : Early(missing.ToVerdict(), passed.Diagnostics),
                    var other => throw new InvalidOperationException($"unknown availability {other}"),
                };
            case var other:
                throw new InvalidOperationException($"unknown scan outcome {other}");
        }

        CheckResult Early(Verdict verdict, IReadOnlyList<Diagnostic> diagnostics) =>
            new(verdict, [], diagnostics, unknown, new ResourceUsage(clock.Elapsed));
    }
}
