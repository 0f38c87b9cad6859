using System.Diagnostics;
using ProofAgent.Provers.Smt;

namespace ProofAgent.Mba;

/// <summary>What <c>agent mba bench</c> measures at each width.</summary>
public sealed record MbaBenchmarkOptions
{
    public static MbaBenchmarkOptions Default { get; } = new();

    /// <summary>Generated identities confirmed by the truth-table theorem.</summary>
    public int Count { get; init; } = 1000;

    /// <summary>How many of them the solver confirms, lemma-assisted.</summary>
    public int SolverCount { get; init; } = 1000;

    /// <summary>How many of them the solver is asked whole, for comparison.</summary>
    public int DirectCount { get; init; } = 20;

    /// <summary>Non-identities (mutated identities) to refute.</summary>
    public int RefuteCount { get; init; } = 200;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<int> Widths { get; init; } = [8, 16];

    /// <summary>The first option out of range, named as the CLI spells it, or null.</summary>
    public string? Problem() =>
        Count < 1 || SolverCount < 0 || DirectCount < 0 || RefuteCount < 0 || Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromSeconds(600)
            ? "--count must be positive, --z3-count, --direct-count and --refute-count not negative, --timeout 0-600 s"
            : null;
}

/// <summary>One method on one set of questions: how many were answered which way, and how fast.</summary>
public sealed record MbaBenchmarkRun(int Questions, int Identities, int Counterexamples, int Unknown, TimeSpan Elapsed, TimeSpan Slowest)
{
    public double PerSecond => Questions == 0 || Elapsed <= TimeSpan.Zero ? 0 : Questions / Elapsed.TotalSeconds;
}

/// <summary>The measurements at one width; <see cref="WrongVerdicts"/> counts refuted identities and confirmed non-identities.</summary>
public sealed record MbaBenchmarkRow(
    int Bits,
    MbaBenchmarkRun TruthTable,
    MbaBenchmarkRun SolverLemmas,
    int LemmaQueries,
    int ProvenLemmas,
    MbaBenchmarkRun SolverDirect,
    int DirectQueries,
    int NonIdentities,
    MbaBenchmarkRun TruthTableRefuted,
    MbaBenchmarkRun SolverRefuted,
    int WrongVerdicts);

/// <summary>
/// Identities per second, at each width, in one run: the truth-table theorem, the solver lemma-assisted
/// (<see cref="MbaLemmas"/>), the solver asked whole; and mutated identities refuted, every counterexample re-evaluated.
/// </summary>
public static class MbaBenchmark
{
    public static async Task<IReadOnlyList<MbaBenchmarkRow>> RunAsync(MbaBenchmarkOptions options, ISmtSolver solver, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(solver);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(options), problem);
        }

        var smt = MbaVerifyOptions.Default.WithSmtTimeout(options.Timeout);
        var tableOnly = MbaVerifyOptions.Default.WithStrategy(MbaStrategy.TruthTableOnly);
        var rows = new List<MbaBenchmarkRow>();
        foreach (var bits in options.Widths)
        {
            var largest = Math.Max(options.Count, Math.Max(options.SolverCount, Math.Max(options.DirectCount, options.RefuteCount)));
            var identities = new MbaGenerator(MbaGeneratorOptions.Default.WithBits(bits).WithDepth(2).WithSeed(bits)).Generate(largest).ToList();
            IEnumerable<(MbaExpr, MbaExpr)> First(int n) => identities.Take(n).Select(i => (i.Obfuscated, i.Simple));

            var table = await MeasureAsync(new MbaVerifier(null, tableOnly), First(options.Count), bits, cancellationToken);
            var lemmaVerifier = new MbaVerifier(solver, smt.WithStrategy(MbaStrategy.SmtLemmas));
            var lemmas = await MeasureAsync(lemmaVerifier, First(options.SolverCount), bits, cancellationToken);
            var (lemmaQueries, provenLemmas) = (lemmaVerifier.SolverQueries, lemmaVerifier.ProvenLemmas);
            var directVerifier = new MbaVerifier(solver, smt.WithStrategy(MbaStrategy.SmtOnly));
            var direct = await MeasureAsync(directVerifier, First(options.DirectCount), bits, cancellationToken);

            // Non-identities: each identity's simple side plus a term that is not the zero function.
            var random = new Random(bits);
            var mutants = identities.Take(options.RefuteCount).Select(i => (i.Obfuscated, Mutate(i.Simple, random, bits))).ToList();
            var tableRefuted = await MeasureAsync(new MbaVerifier(null, tableOnly), mutants, bits, cancellationToken);
            var solverRefuted = await MeasureAsync(lemmaVerifier, mutants, bits, cancellationToken);
            var wrong = table.Counterexamples + lemmas.Counterexamples + direct.Counterexamples + tableRefuted.Identities + solverRefuted.Identities + (options.Count - table.Identities);
            rows.Add(new MbaBenchmarkRow(bits, table, lemmas, lemmaQueries, provenLemmas, direct, directVerifier.SolverQueries, mutants.Count, tableRefuted, solverRefuted, wrong));
        }

        return rows;
    }

    /// <summary>Adds a term that is not the zero function (odd multiple of x &amp; 1, a constant, or -(x | y)), so lhs == rhs' is false.</summary>
    private static MbaExpr Mutate(MbaExpr simple, Random random, int bits)
    {
        var x = new MbaVar("x");
        var odd = new MbaConst((2 * random.Next(0, 1 << Math.Min(bits - 1, 15))) + 1);
        MbaExpr extra = random.Next(3) switch
        {
            0 => new MbaBinary(MbaBinaryOp.Mul, odd, new MbaBinary(MbaBinaryOp.And, x, new MbaConst(1))),
            1 => odd,
            _ => new MbaUnary(MbaUnaryOp.Neg, new MbaBinary(MbaBinaryOp.Or, x, new MbaVar("y"))),
        };
        return new MbaBinary(MbaBinaryOp.Add, simple, extra);
    }

    private static async Task<MbaBenchmarkRun> MeasureAsync(MbaVerifier verifier, IEnumerable<(MbaExpr Lhs, MbaExpr Rhs)> questions, int bits, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int total = 0, identities = 0, counterexamples = 0, unknown = 0;
        var slowest = TimeSpan.Zero;
        foreach (var (lhs, rhs) in questions)
        {
            var started = clock.Elapsed;
            switch (await verifier.VerifyAsync(lhs, rhs, bits, cancellationToken))
            {
                case MbaVerdict.Identity:
                    identities++;
                    break;
                case MbaVerdict.Counterexample:
                    counterexamples++;
                    break;
                default:
                    unknown++;
                    break;
            }

            total++;
            slowest = clock.Elapsed - started > slowest ? clock.Elapsed - started : slowest;
        }

        return new MbaBenchmarkRun(total, identities, counterexamples, unknown, clock.Elapsed, slowest);
    }
}
