using System.Diagnostics.Metrics;

namespace ProofAgent.Api;

/// <summary>The service's own instruments (meter <c>ProofAgent.Api</c>), exported at <c>/metrics</c> by OpenTelemetry.</summary>
public sealed class ApiMetrics : IDisposable
{
    public const string MeterName = "ProofAgent.Api";

    private readonly Meter _meter = new(MeterName, "1.0");

    public ApiMetrics()
    {
        Checks = _meter.CreateCounter<long>("proofagent.checks", description: "Checks answered, by language, verdict and cache (hit|miss).");
        CheckDuration = _meter.CreateHistogram<double>("proofagent.check.duration", unit: "s", description: "Time to answer a check.");
        Rejected = _meter.CreateCounter<long>("proofagent.rejected", description: "Requests refused, by reason (saturated|bad_request|unauthorized).");
        Jobs = _meter.CreateCounter<long>("proofagent.jobs", description: "Proof jobs by final status.");
    }

    public Counter<long> Checks { get; }

    public Histogram<double> CheckDuration { get; }

    public Counter<long> Rejected { get; }

    public Counter<long> Jobs { get; }

    /// <summary>Registers an observable gauge (pool occupancy, queue length).</summary>
    public void Gauge(string name, Func<IEnumerable<Measurement<long>>> observe, string description) =>
        _meter.CreateObservableGauge(name, observe, description: description);

    public void Dispose() => _meter.Dispose();
}
