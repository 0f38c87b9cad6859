using System.Diagnostics;

namespace ProofAgent.Agent;

/// <summary>
/// The budget and event sink of one request, shared by its stages: every prover call, sample and tool call is counted
/// here, and <see cref="Exhausted"/> is what every stage asks before the next one. Not thread-safe: one request runs its
/// stages in sequence.
/// </summary>
public sealed class AttemptContext
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly IProgress<ProofEvent>? _progress;
    private readonly List<bool> _sampleResults = [];
    private readonly List<string> _sessionKillers = [];

    public AttemptContext(ProofBudget budget, IProgress<ProofEvent>? progress)
    {
        Budget = budget;
        _progress = progress;
    }

    public ProofBudget Budget { get; }

    /// <summary>Prover calls so far: whole-file checks and interactive steps.</summary>
    public int ProverCalls { get; private set; }

    /// <summary>Model samples drawn so far.</summary>
    public int Samples { get; private set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public long NowMs => _clock.ElapsedMilliseconds;

    public TimeSpan Remaining => Budget.WallClock - _clock.Elapsed;

    /// <summary>Whether each whole-proof sample checked so far was accepted, in the order drawn (for pass@k).</summary>
    public IReadOnlyList<bool> SampleResults => _sampleResults;

    /// <summary>Agent mode: tool calls so far.</summary>
    public int ToolCalls { get; private set; }

    /// <summary>True when the wall clock or the prover-call budget is spent.</summary>
    public bool Exhausted => Remaining <= TimeSpan.Zero || ProverCalls >= Budget.MaxProverCalls;

    /// <summary>
    /// A multiplier of the per-tactic limit: a search that ran out of steps before the budget ran out is repeated with
    /// longer steps, so the closers that only timed out (nia, nra) get another chance.
    /// </summary>
    public int TacticTimeoutScale
    {
        get;
        set => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The scale is at least 1.");
    } = 1;

    /// <summary>The time one tactic may take now: the per-tactic limit (times the scale), cut to what is left.</summary>
    public TimeSpan TacticTimeout
    {
        get
        {
            var limit = Budget.TacticTimeout * TacticTimeoutScale;
            return Remaining < limit ? Remaining : limit;
        }
    }

    /// <summary>Set when a check answered that the prover is not installed: the attempt ends with that verdict.</summary>
    public Verdict.Unavailable? Unavailable { get; set; }

    public void CountProverCall() => ProverCalls++;

    public void CountSample() => Samples++;

    public void RecordSample(bool proved) => _sampleResults.Add(proved);

    public void CountToolCall() => ToolCalls++;

    /// <summary>Tactics during which an interactive session was lost (a crash, a flood of output, a hang), in order.</summary>
    public IReadOnlyList<string> SessionKillers => _sessionKillers;

    /// <summary>Records a tactic that lost a session, so that a replacement session is not lost to it again.</summary>
    public void MarkSessionKiller(string tactic)
    {
        if (!_sessionKillers.Contains(tactic, StringComparer.Ordinal))
        {
            _sessionKillers.Add(tactic);
        }
    }

    public bool IsSessionKiller(string tactic) => _sessionKillers.Contains(tactic, StringComparer.Ordinal);

    public void Emit(ProofEvent proofEvent)
    {
        _progress?.Report(proofEvent);
    }

    public void Note(string message) => Emit(new ProofEvent.Note(NowMs, message));

    /// <summary>A check budget cut to the time left (at least 5 s so that a final check can run).</summary>
    public ResourceBudget CheckBudget(TimeSpan? minimum = null)
    {
        var floor = minimum ?? TimeSpan.FromSeconds(5);
        var wall = Remaining < Budget.CheckTimeout ? Remaining : Budget.CheckTimeout;
        return ResourceBudget.Default.WithWallClock(wall < floor ? floor : wall);
    }
}
