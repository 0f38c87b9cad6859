using ProofAgent.Hosting;
using ProofAgent.Provers;

namespace ProofAgent.Api.Checking;

/// <summary>
/// Which prover (name, version, toolchain hash) answers for each language. The checkers re-probe whenever their
/// executables change on disk (<see cref="ProofAgent.Provers.Processes.ProbeCache"/>), so the identity here, and the
/// verification cache's key built from it, is always the binary that runs: an upgraded or swapped prover is never
/// served the old one's verdicts.
/// </summary>
public sealed class ProverDirectory(ProverCatalog catalog)
{
    public ProverCatalog Catalog => catalog;

    public Task<ProverAvailability> ProbeAsync(ProofLanguage language, CancellationToken cancellationToken) =>
        catalog.Checker(language).ProbeAsync(cancellationToken);
}
