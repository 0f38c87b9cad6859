using System.Diagnostics;
using ProofAgent.Problems;

namespace ProofAgent.BusyBeaver;

/// <summary>What <c>agent synth bb</c> asks for.</summary>
public sealed record BbSynthesisOptions
{
    /// <summary>Number of states (1 to 5).</summary>
    public int States { get; init; } = 2;

    /// <summary>Problems to write (0: none, the enumeration only).</summary>
    public int Count { get; init; } = 20;

    public BbEnumerationOptions Enumeration { get; init; } = BbEnumerationOptions.Default;

    /// <summary>Re-verify every decision's certificate with the independent <see cref="CertificateChecker"/>.</summary>
    public bool Recheck { get; init; }

    public BbSynthesisOptions WithStates(int states) => this with { States = states };

    public BbSynthesisOptions WithCount(int count) => this with { Count = count };

    public BbSynthesisOptions WithSimulationSteps(long steps) => this with { Enumeration = Enumeration with { SimulationSteps = steps } };

    public BbSynthesisOptions WithRecheck(bool recheck) => this with { Recheck = recheck };

    /// <summary>The first option out of range, named as the CLI spells it, or null.</summary>
    public string? Problem() =>
        States is < 1 or > 5 ? $"--states must be between 1 and 5, got {States}"
        : Count < 0 ? $"--count must not be negative, got {Count}"
        : Enumeration.SimulationSteps is < 1 or > 10_000_000_000 ? $"--sim-steps must be between 1 and 10^10, got {Enumeration.SimulationSteps}"
        : null;
}

/// <summary>The independent re-check of every certificate (<see cref="BbSynthesisOptions.Recheck"/>).</summary>
public sealed record BbRecheckReport(long Accepted, long Rejected, IReadOnlyList<string> RejectedMachines, TimeSpan Elapsed);

/// <summary>The outcome of <see cref="BbSynthesis.RunAsync"/>: the enumeration, its decisions by parameters, and the problems written.</summary>
public sealed record BbSynthesisReport(
    EnumerationReport Enumeration,
    IReadOnlyDictionary<string, long> ByParameters,
    IReadOnlyList<string> UndecidedMachines,
    BbRecheckReport? Recheck,
    TimeSpan EnumerationTime,
    IReadOnlyList<BbProblem> Problems,
    ProblemSetReport Written);

/// <summary>
/// Enumerates every n-state machine in tree normal form, decides each one (re-checking certificates on request), picks
/// the hardest problems and writes them: the longest halting machines under the halting templates, then cyclers with
/// long transients, then machines the other deciders settle.
/// </summary>
public static class BbSynthesis
{
    /// <summary>At most this many undecided machines are listed (all are counted).</summary>
    public const int MaxListedUndecided = 1000;

    /// <summary>At most this many rejected certificates are listed (all are counted).</summary>
    public const int MaxListedRejections = 100;

    /// <summary>Halting machines and cyclers kept as problem candidates (the rest only counted).</summary>
    private const int MaxCandidates = 100_000;

    public static async Task<BbSynthesisReport> RunAsync(BbSynthesisOptions options, ProblemSetTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(options), problem);
        }

        var tally = new Tally(options);
        var clock = Stopwatch.StartNew();
        var report = Enumeration.Run(options.States, options.Enumeration, tally.Visit, cancellationToken);
        var elapsed = clock.Elapsed;
        var problems = tally.Problems();
        var written = await ProblemSetWriter.WriteAsync(problems, target, cancellationToken);
        var recheck = options.Recheck ? new BbRecheckReport(tally.Rechecked, tally.RecheckFailures, tally.RecheckRejected, Stopwatch.GetElapsedTime(0, tally.RecheckTicks)) : null;
        return new BbSynthesisReport(report, tally.ByParameters, tally.Undecided, recheck, elapsed, problems, written);
    }

    /// <summary>The name of a decision's decider with the parameters that settled it, e.g. <c>ngram-cps-history(2; 3, 3)</c>.</summary>
    public static string Parameters(BbDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Certificate switch
        {
            BbCertificate.NGramCps { Augmentation: CpsAugmentation.History } c => $"{c.Decider}({c.History}; {c.Left}, {c.Right})",
            BbCertificate.NGramCps c => $"{c.Decider}({c.Left}, {c.Right})",
            BbCertificate.RepWl w => $"repwl({w.BlockLength}, {w.Threshold})",
            { } certificate => decision.Decider ?? certificate.Kind,
            null => decision.Decider ?? "none",
        };
    }

    /// <summary>The bookkeeping of one enumeration, fed machine by machine.</summary>
    private sealed class Tally(BbSynthesisOptions options)
    {
        private readonly List<EnumeratedMachine> _halting = [];
        private readonly List<EnumeratedMachine> _cyclers = [];

        // Other non-halting machines in machine order: only the first Count are kept (their certificates can be large).
        private readonly SortedSet<string> _otherNames = new(StringComparer.Ordinal);
        private readonly Dictionary<string, EnumeratedMachine> _others = new(StringComparer.Ordinal);
        private readonly List<string> _undecided = [];
        private readonly List<string> _recheckRejected = [];
        private readonly SortedDictionary<string, long> _byParameters = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, long> ByParameters => _byParameters;

        public IReadOnlyList<string> Undecided => _undecided;

        public IReadOnlyList<string> RecheckRejected => _recheckRejected;

        public long Rechecked { get; private set; }

        public long RecheckFailures { get; private set; }

        public long RecheckTicks { get; private set; }

        public void Visit(EnumeratedMachine m)
        {
            if (m.Decision.Certificate is { } certificate)
            {
                var key = Parameters(m.Decision);
                _byParameters[key] = _byParameters.GetValueOrDefault(key) + 1;
                if (options.Recheck)
                {
                    Recheck(m.Machine, certificate);
                }
            }

            switch (m.Decision.Verdict)
            {
                case BbVerdict.Undecided:
                    if (_undecided.Count < MaxListedUndecided)
                    {
                        _undecided.Add(m.Machine.ToString());
                    }

                    break;
                case BbVerdict.NonHalting when m.Decision.Certificate is not BbCertificate.Cycler:
                    var name = m.Machine.ToString();
                    if (_otherNames.Add(name))
                    {
                        _others[name] = m;
                    }

                    if (_otherNames.Count > options.Count)
                    {
                        _others.Remove(_otherNames.Max!);
                        _otherNames.Remove(_otherNames.Max!);
                    }

                    break;
                default:
                    var bucket = m.Decision.Verdict == BbVerdict.Halts ? _halting : _cyclers;
                    if (bucket.Count < MaxCandidates)
                    {
                        bucket.Add(m);
                    }

                    break;
            }
        }

        /// <summary>The hardest first: longest halting machines, then cyclers with long transients, then other deciders.</summary>
        public List<BbProblem> Problems()
        {
            var k = options.Count;
            var problems = new List<BbProblem>();
            var longest = _halting.OrderByDescending(m => m.Decision.Steps).ThenBy(m => m.Machine.ToString(), StringComparer.Ordinal).ToList();
            var templates = new[] { BbTemplate.HaltsExactly, BbTemplate.HaltsWithin, BbTemplate.NotWithin };
            for (var i = 0; i < longest.Count && problems.Count < (k + 1) / 2; i++)
            {
                var m = longest[i];
                var template = templates[i % templates.Length];
                var bound = template switch
                {
                    BbTemplate.HaltsExactly => m.Decision.Steps,
                    BbTemplate.HaltsWithin => m.Decision.Steps + (m.Decision.Steps / 4),
                    _ => m.Decision.Steps - 1,
                };
                problems.Add(BbProblems.Build(m.Machine, m.Decision, template, bound));
            }

            var cyclers = _cyclers.OrderByDescending(m => ((BbCertificate.Cycler)m.Decision.Certificate!).T2).ThenBy(m => m.Machine.ToString(), StringComparer.Ordinal);
            foreach (var m in cyclers.Take(Math.Max(0, k - problems.Count - (k / 4))))
            {
                problems.Add(BbProblems.Build(m.Machine, m.Decision, BbTemplate.NeverHalts, 0));
            }

            foreach (var m in _otherNames.Select(name => _others[name]).Take(Math.Max(0, k - problems.Count)))
            {
                problems.Add(BbProblems.Build(m.Machine, m.Decision, BbTemplate.NeverHalts, 0));
            }

            return problems;
        }

        private void Recheck(TuringMachine machine, BbCertificate certificate)
        {
            var started = Stopwatch.GetTimestamp();
            if (CertificateChecker.Check(machine, certificate, out var why))
            {
                Rechecked++;
            }
            else if (++RecheckFailures <= MaxListedRejections)
            {
                _recheckRejected.Add($"{machine}: {why}");
            }

            RecheckTicks += Stopwatch.GetTimestamp() - started;
        }
    }
}
