using System.Collections.Concurrent;
using ProofAgent.Core.Provers;
using ProofAgent.Provers;

namespace ProofAgent.Api.Checking;

/// <summary>
/// Which prover (name, version, toolchain) answers for each language, probed once and re-probed every minute so that an
/// upgrade of the prover changes the verification cache's key within a minute.
/// </summary>
public sealed class ProverDirectory(ProverCatalog catalog, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<ProofLanguage, (ProverAvailability Availability, DateTimeOffset At)> _probes = new();

    public ProverCatalog Catalog => catalog;

    public async Task<ProverAvailability> ProbeAsync(ProofLanguage language, CancellationToken cancellationToken)
    {
        if (_probes.TryGetValue(language, out var known) && time.GetUtcNow() - known.At < Freshness)
        {
            return known.Availability;
        }

        var availability = await catalog.Checker(language).ProbeAsync(cancellationToken);
        _probes[language] = (availability, time.GetUtcNow());
        return availability;
    }
}
