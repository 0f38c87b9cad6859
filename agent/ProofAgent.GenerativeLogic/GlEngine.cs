using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProofAgent.GenerativeLogic;

/// <summary>Options of a run. Results do not depend on <see cref="Jobs"/>.</summary>
public sealed record GlOptions
{
    public static GlOptions Default { get; } = new();

    public int Jobs { get; init; } = Environment.ProcessorCount;

    public ConjectureOptions Conjectures { get; init; } = ConjectureOptions.Default;

    public SaturationLimits Limits { get; init; } = SaturationLimits.Default;

    /// <summary>Drop theorems that follow from the others by forward chaining alone.</summary>
    public bool Compress { get; init; } = true;

    public GlOptions WithJobs(int jobs) => this with { Jobs = jobs };

    public GlOptions WithConjectures(ConjectureOptions conjectures) => this with { Conjectures = conjectures };
}

/// <summary>The outcome of a run: counts, every proved theorem in proof order (compressed ones marked), and timings.</summary>
public sealed record GlResult(
    Theory Theory,
    int Generated,
    int AfterFilters,
    IReadOnlyList<ProvedTheorem> Proved,
    IReadOnlyList<Statement> Unproved,
    IReadOnlyDictionary<string, long> PhaseMilliseconds)
{
    /// <summary>The theorems kept after compression.</summary>
    public IReadOnlyList<ProvedTheorem> Theorems => [.. Proved.Where(t => t.RedundantGiven is null)];
}

/// <summary>Generative Logic: conjectures from the definitions, filtered, proved (theorems reused as rules), compressed.</summary>
public sealed class GlEngine(GlOptions options, ILogger<GlEngine>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<GlEngine>.Instance;

    public GlResult Run(Theory theory, CancellationToken cancellationToken = default)
    {
        var phases = new Dictionary<string, long>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var generator = new ConjectureGenerator(theory, options.Conjectures);
        var model = new FiniteModel(theory, generator.Operations, options.Conjectures.ModelSize, cancellationToken);
        var candidates = generator.Generate(model, cancellationToken);
        phases["generate"] = clock.ElapsedMilliseconds;
        _logger.LogInformation("{Count} candidate conjectures from {Operations} operations", candidates.Count, generator.Operations.Count);

        clock.Restart();
        var keep = new bool[candidates.Count];
        Parallel.For(0, candidates.Count, ParallelOptionsFor(cancellationToken), i => keep[i] = !model.HasCounterexample(candidates[i]));
        var filtered = candidates.Where((_, i) => keep[i]).ToList();
        phases["filter"] = clock.ElapsedMilliseconds;
        _logger.LogInformation("{Count} conjectures survive the counterexample filter (model: {Size} numerals, {Table} table entries)", filtered.Count, model.Size, model.TableSize);

        clock.Restart();
        var prover = new Prover(theory, options.Limits);
        var proved = new List<ProvedTheorem>();
        var pending = filtered.ToList();
        for (var pass = 1; pending.Count > 0; pass++)
        {
            var newlyProved = 0;
            // Size classes in order; inside a class conjectures are proved in parallel against the same theorem snapshot,
            // so the result does not depend on the number of jobs.
            foreach (var group in pending.GroupBy(s => s.Premises.Count).OrderBy(g => g.Key).ToList())
            {
                var items = group.ToList();
                var snapshot = proved.ToList();
                var proofs = new TheoremProof?[items.Count];
                Parallel.For(0, items.Count, ParallelOptionsFor(cancellationToken), i =>
                {
                    // Skip statements that already follow from the snapshot without induction (cheap) or prove them.
                    proofs[i] = prover.Prove(items[i], snapshot, allowInduction: true, cancellationToken);
                });
                for (var i = 0; i < items.Count; i++)
                {
                    if (proofs[i] is { } proof)
                    {
                        var name = "T" + (proved.Count + 1).ToString("D3", CultureInfo.InvariantCulture);
                        proved.Add(new ProvedTheorem(name, items[i], proof, Uses(proof)));
                        pending.Remove(items[i]);
                        newlyProved++;
                    }
                }
            }

            _logger.LogInformation("pass {Pass}: {Count} proved, {Pending} pending", pass, newlyProved, pending.Count);
            if (newlyProved == 0)
            {
                break;
            }
        }

        phases["prove"] = clock.ElapsedMilliseconds;
        clock.Restart();
        if (options.Compress)
        {
            proved = Compress(theory, proved, cancellationToken);
        }

        phases["compress"] = clock.ElapsedMilliseconds;
        return new GlResult(theory, candidates.Count, filtered.Count, proved, pending, phases);
    }

    private ParallelOptions ParallelOptionsFor(CancellationToken ct) => new() { MaxDegreeOfParallelism = Math.Max(1, options.Jobs), CancellationToken = ct };

    internal static IReadOnlyList<string> Uses(TheoremProof proof)
    {
        IEnumerable<ProofBlock> blocks = proof switch
        {
            TheoremProof.Direct d => [d.Block],
            TheoremProof.Induction i => [i.Typing, i.Base, i.Step],
            _ => [],
        };
        return [.. blocks.SelectMany(b => b.Steps).Select(s => s switch
        {
            ProofStep.Apply a => a.Rule,
            ProofStep.Witness w => w.Rule,
            _ => "",
        }).Where(r => r.StartsWith("theorem:", StringComparison.Ordinal)).Select(r => r["theorem:".Length..]).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// In proof order: a theorem that follows by forward chaining (no induction) from the earlier theorems still kept is
    /// marked redundant. Its proof stays in the graph (others may use it).
    /// </summary>
    private List<ProvedTheorem> Compress(Theory theory, List<ProvedTheorem> proved, CancellationToken ct)
    {
        var prover = new Prover(theory, options.Limits with { MaxWitnesses = Math.Min(options.Limits.MaxWitnesses, 16) });
        var kept = proved.Select(_ => true).ToArray();
        var result = proved.ToList();
        for (var i = 0; i < proved.Count; i++)
        {
            var others = proved.Take(i).Where((_, j) => kept[j]).ToList();
            if (prover.Prove(proved[i].Statement, others, allowInduction: false, ct) is TheoremProof.Direct direct)
            {
                kept[i] = false;
                result[i] = proved[i] with { RedundantGiven = Uses(direct) };
            }
        }

        _logger.LogInformation("compressor: {Kept} of {Count} theorems kept", kept.Count(k => k), proved.Count);
        return result;
    }
}
