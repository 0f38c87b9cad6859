using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;

// Process-heavy tests (coqc, z3) on 2 cores: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ProofAgent.Mba.Tests;

/// <summary>
/// Real tools for the tests (guard them with <see cref="RequiresToolsFactAttribute"/>), under resource limits; the
/// sandbox around them is tested in ProofAgent.Security.Tests.
/// </summary>
internal static class Tools
{
    private static readonly ProcessRunner Runner = new(new ResourceLimitIsolation());

    public static ISmtSolver Z3() => ProcessSmtSolver.Z3(Runner);

    /// <summary>One long-lived z3 process (dispose it).</summary>
    public static SmtSession Z3Session(SmtSessionOptions? options = null) => SmtSession.Z3(Runner, session: options);

    /// <summary>One long-lived cvc5 process (dispose it).</summary>
    public static SmtSession Cvc5Session() => SmtSession.Cvc5(Runner);

    public static async Task<CheckResult> CheckCoqAsync(string source, CancellationToken cancellationToken = default) =>
        await new CoqChecker(CoqOptions.Default.WithTrustedFeatures(KernelFeature.Recursion), Runner).CheckAsync(new ProofTask(ProofLanguage.Coq, source).WithBudget(ResourceBudget.Default.WithWallClock(TimeSpan.FromSeconds(120))), cancellationToken);
}
