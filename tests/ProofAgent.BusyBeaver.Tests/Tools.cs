using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;

// Process-heavy tests (coqc, whole enumerations) on 2 cores: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ProofAgent.BusyBeaver.Tests;

/// <summary>Real coqc for the tests (the service's own generated proofs: their template fixpoints are trusted, as in SynthCommand) (guard them with <see cref="RequiresToolsFactAttribute"/>), under resource limits; the sandbox is tested in ProofAgent.Security.Tests.</summary>
internal static class Tools
{
    public static async Task<CheckResult> CheckCoqAsync(string source, CancellationToken cancellationToken = default) =>
        await new CoqChecker(CoqOptions.Default.WithTrustedFeatures(KernelFeature.Recursion), new ProcessRunner(new ResourceLimitIsolation()))
            .CheckAsync(new ProofTask(ProofLanguage.Coq, source).WithBudget(ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(120))), cancellationToken);
}
