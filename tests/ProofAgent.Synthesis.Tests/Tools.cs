using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;

// Process-heavy tests (coqc, z3) on 2 cores: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ProofAgent.Synthesis.Tests;

/// <summary>Real tools for the tests (guard them with <see cref="RequiresToolsFactAttribute"/>).</summary>
internal static class Tools
{
    public static ISmtSolver Z3() => ProcessSmtSolver.Z3(new ProcessRunner());

    /// <summary>One long-lived z3 process (dispose it).</summary>
    public static SmtSession Z3Session(SmtSessionOptions? options = null) => SmtSession.Z3(new ProcessRunner(), session: options);

    /// <summary>The checker for the service's own generated proofs, whose template fixpoints are trusted (see SynthCommand).</summary>
    public static CoqChecker Coq() => new(CoqOptions.Default.WithTrustedFeatures(KernelFeature.Recursion), new ProcessRunner());

    public static async Task<CheckResult> CheckCoqAsync(string source, CancellationToken cancellationToken = default) =>
        await Coq().CheckAsync(new ProofTask(ProofLanguage.Coq, source).WithBudget(ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(120))), cancellationToken);
}
