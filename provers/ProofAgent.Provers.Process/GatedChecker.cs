namespace ProofAgent.Provers.Processes;

/// <summary>
/// The skeleton of a checker that runs one prover executable behind a static gate: the probe (cached, and probed again
/// whenever the executable changes on disk, so a result names the binary that ran) and the path every check takes
/// (<see cref="CheckPipeline"/>: the gate, the probe, then the run). An adapter says only how it probes, what its gate
/// reads, and how it runs.
/// </summary>
/// <typeparam name="TScan">The gate's reading of the text, handed on to the run.</typeparam>
/// <param name="language">The language it checks.</param>
/// <param name="prover">The prover's name in results and logs (<c>fstar</c>, <c>isabelle</c>).</param>
public abstract class GatedChecker<TScan>(ProofLanguage language, string prover) : IProofChecker
{
    private readonly ProbeCache _probe = new();

    public ProofLanguage Language => language;

    /// <summary>The executable the probe watches (a name on PATH, or a path).</summary>
    protected abstract string Executable { get; }

    public Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken = default) =>
        _probe.GetAsync([Executable], ProbeCoreAsync, cancellationToken);

    public Task<CheckResult> CheckAsync(ProofTask task, CancellationToken cancellationToken = default) =>
        CheckPipeline.RunAsync(prover, task, t => GateScan.From(Scan(t.Source)), ProbeAsync, RunAsync, cancellationToken);

    /// <summary>Runs the version probe (called again only when the executable changes).</summary>
    protected abstract Task<ProverAvailability> ProbeCoreAsync();

    /// <summary>The static gate: its verdict (null when the text passes), its diagnostics, and its reading of the text.</summary>
    protected abstract (Verdict? Verdict, IReadOnlyList<Diagnostic> Diagnostics, TScan Scan) Scan(string source);

    /// <summary>The prover's run, for a text the gate passed and a prover the probe found.</summary>
    protected abstract Task<CheckResult> RunAsync(CheckRun<TScan> run, CancellationToken cancellationToken);
}
