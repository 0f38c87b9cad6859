using ProofAgent.Core.Provers;
using ProofAgent.Provers.Smt;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>Long-lived SMT solver processes for the commands that ask many questions (<c>mba</c>, <c>synth mba</c>).</summary>
internal static class SolverSessions
{
    /// <summary>
    /// A long-lived z3 (or cvc5) whose every process (probe, session, restart after a timeout) goes through the
    /// catalog's runner, that is through the sandbox of <see cref="SandboxOption"/>, with the catalog's executables.
    /// </summary>
    public static SmtSession Open(ProverCatalog catalog, string solver, SmtSessionOptions? session = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var runner = catalog.Runner;
        return solver == "cvc5"
            ? SmtSession.Cvc5(runner, catalog.Settings.Smt, session, runner.Isolation)
            : SmtSession.Z3(runner, catalog.Settings.Smt, session, runner.Isolation);
    }
}
