using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProofAgent.Api;

/// <summary>
/// The service's own instruments (meter <c>ProofAgent.Api</c>), exported at <c>/metrics</c> by OpenTelemetry. In a
/// cluster every measurement carries a <c>node</c> label (<see cref="ApiOptions.NodeName"/>), so one scrape per node
/// can be summed or told apart.
/// </summary>
public sealed class ApiMetrics : IDisposable
{
    public const string MeterName = "ProofAgent.Api";

    private readonly Meter _meter = new(MeterName, "1.0");
    private readonly KeyValuePair<string, object?>? _node;

    public ApiMetrics()
        : this(new ApiOptions())
    {
    }

    public ApiMetrics(ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _node = options.NodeName is { } node ? new KeyValuePair<string, object?>("node", node) : null;
        Checks = new(_meter.CreateCounter<long>("proofagent.checks", description: "Checks answered, by language, verdict and cache (hit|miss)."), _node);
        CheckDuration = new(_meter.CreateHistogram<double>("proofagent.check.duration", unit: "s", description: "Time to answer a check (queue wait included)."), _node);
        CheckWait = new(_meter.CreateHistogram<double>("proofagent.check.wait", unit: "s", description: "Time a check waited for a prover slot."), _node);
        Rejected = new(_meter.CreateCounter<long>("proofagent.rejected", description: "Requests refused, by reason (saturated|bad_request|unauthorized)."), _node);
        Jobs = new(_meter.CreateCounter<long>("proofagent.jobs", description: "Proof jobs by final status."), _node);
    }

    public TaggedCounter Checks { get; }

    public TaggedHistogram CheckDuration { get; }

    public TaggedHistogram CheckWait { get; }

    public TaggedCounter Rejected { get; }

    public TaggedCounter Jobs { get; }

    /// <summary>Registers an observable gauge (pool occupancy, queue length); each measurement gets the node label.</summary>
    public void Gauge(string name, Func<IEnumerable<Measurement<long>>> observe, string description)
    {
        ArgumentNullException.ThrowIfNull(observe);
        _meter.CreateObservableGauge(name, () => observe().Select(m => _node is { } node ? new Measurement<long>(m.Value, [.. m.Tags, node]) : m), description: description);
    }

    /// <summary>
    /// The two gauges of a job scheduler, named alike on a lone node and in a cluster so that one dashboard reads both:
    /// the jobs running on this node, and the jobs waiting for a worker (a cluster counts its whole queue).
    /// </summary>
    public void JobGauges(Func<long> running, Func<long> queued)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(queued);
        Gauge("proofagent.jobs.running", () => [new Measurement<long>(running())], "Proof jobs running on this node now.");
        Gauge("proofagent.jobs.queued", () => [new Measurement<long>(queued())], "Proof jobs waiting for a worker (in a cluster: cluster-wide).");
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>A counter whose measurements all carry the node label (when there is one).</summary>
public sealed class TaggedCounter(Counter<long> counter, KeyValuePair<string, object?>? node)
{
    public void Add(long delta, KeyValuePair<string, object?> tag)
    {
        if (node is { } n)
        {
            counter.Add(delta, tag, n);
        }
        else
        {
            counter.Add(delta, tag);
        }
    }

    public void Add(long delta, TagList tags)
    {
        if (node is { } n)
        {
            tags.Add(n);
        }

        counter.Add(delta, tags);
    }
}

/// <summary>A histogram whose measurements all carry the node label (when there is one).</summary>
public sealed class TaggedHistogram(Histogram<double> histogram, KeyValuePair<string, object?>? node)
{
    public void Record(double value, KeyValuePair<string, object?> tag) => Record(value, new TagList { tag });

    public void Record(double value, TagList tags)
    {
        if (node is { } n)
        {
            tags.Add(n);
        }

        histogram.Record(value, tags);
    }
}
