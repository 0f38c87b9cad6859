using ProofAgent.Provers.Processes;
using Xunit;

namespace ProofAgent.Provers.Tests.Checking;

/// <summary>
/// The order every checker follows (<see cref="CheckPipeline"/>): scan, probe, run. The steps here are scripted, so each
/// test sees which steps ran and what each answer carries; the real checkers' order is tested on their escape hatches
/// with missing provers in the security tests (GateOrderTests).
/// </summary>
public sealed class CheckPipelineTests
{
    private static readonly ProofTask Task = new(ProofLanguage.Coq, "text");
    private static readonly ProverAvailability.Available Found = new(new ProverIdentity("coq", "8.16.1", "abc"), "/usr/bin/coqc");
    private static readonly ProverAvailability.Missing Absent = new("coq", "'coqc' was not found on PATH", "install it");
    private static readonly Diagnostic Finding = new(DiagnosticSeverity.Error, 3, 1, "an axiom");

    [Fact(Timeout = 10_000)]
    public async Task Should_answer_a_decided_scan_without_probing_or_running()
    {
        var steps = new Steps(new GateScan<string>.Decided(new Verdict.Unsound(["line 3: an axiom"]), [Finding]), Found);

        var result = await steps.CheckAsync();

        Assert.IsType<Verdict.Unsound>(result.Verdict);
        Assert.Equal([Finding], result.Diagnostics);
        Assert.Equal(ProverIdentity.Unknown("coq"), result.Prover);
        Assert.Equal((0, 0), (steps.Probes, steps.Runs));
    }

    [Fact(Timeout = 10_000)]
    public async Task Should_answer_unavailable_with_the_scan_notes_when_the_prover_is_missing()
    {
        var steps = new Steps(new GateScan<string>.Passed("reading", [Finding]), Absent);

        var result = await steps.CheckAsync();

        var unavailable = Assert.IsType<Verdict.Unavailable>(result.Verdict);
        Assert.Equal("install it", unavailable.InstallHint);
        Assert.Equal([Finding], result.Diagnostics);
        Assert.Equal(ProverIdentity.Unknown("coq"), result.Prover);
        Assert.Equal((1, 0), (steps.Probes, steps.Runs));
    }

    [Fact(Timeout = 10_000)]
    public async Task Should_give_the_scan_answer_that_waits_for_the_prover_only_when_it_is_missing()
    {
        var hole = new GateScan<string>.Decided(new Verdict.Incomplete(["line 3: Admitted"]), [Finding]);
        var missing = new Steps(new GateScan<string>.Passed("reading", [], hole), Absent);
        var found = new Steps(new GateScan<string>.Passed("reading", [], hole), Found);

        var withoutProver = await missing.CheckAsync();
        var withProver = await found.CheckAsync();

        Assert.IsType<Verdict.Incomplete>(withoutProver.Verdict);
        Assert.Equal([Finding], withoutProver.Diagnostics);
        Assert.IsType<Verdict.Proved>(withProver.Verdict);
        Assert.Equal(1, found.Runs);
    }

    [Fact(Timeout = 10_000)]
    public async Task Should_run_with_the_reading_and_build_results_with_the_probed_identity()
    {
        var steps = new Steps(new GateScan<string>.Passed("reading", []), Found);

        var result = await steps.CheckAsync();

        Assert.Equal("reading", steps.Seen?.Reading);
        Assert.Same(Task, steps.Seen?.Task);
        Assert.Equal("/usr/bin/coqc", steps.Seen?.ExecutablePath);
        Assert.IsType<Verdict.Proved>(result.Verdict);
        Assert.Equal(Found.Identity, result.Prover);
        Assert.Equal(2, result.Usage.ProcessRuns);
        Assert.True(result.Usage.Elapsed > TimeSpan.Zero);
    }

    [Fact]
    public void Should_read_a_static_gate_judgment_as_decided_or_passed()
    {
        var unsound = GateScan.From("reading", StaticGate.Judge([new GateFinding(3, 1, "an axiom", IsHole: false)]));
        var clean = GateScan.From("reading", StaticGate.Judge([]));

        Assert.IsType<Verdict.Unsound>(Assert.IsType<GateScan<string>.Decided>(unsound).Verdict);
        Assert.Equal("reading", Assert.IsType<GateScan<string>.Passed>(clean).Reading);
    }

    private sealed class Steps(GateScan<string> scan, ProverAvailability availability)
    {
        public int Probes { get; private set; }

        public int Runs { get; private set; }

        public CheckRun<string>? Seen { get; private set; }

        public Task<CheckResult> CheckAsync() =>
            CheckPipeline.RunAsync("coq", Task, _ => scan, ProbeAsync, RunAsync, CancellationToken.None);

        private Task<ProverAvailability> ProbeAsync(CancellationToken cancellationToken)
        {
            Probes++;
            return System.Threading.Tasks.Task.FromResult(availability);
        }

        private Task<CheckResult> RunAsync(CheckRun<string> run, CancellationToken cancellationToken)
        {
            Runs++;
            Seen = run;
            return System.Threading.Tasks.Task.FromResult(run.Result(Verdict.Proved.Instance, [], processRuns: 2));
        }
    }
}
