using ProofAgent.Provers.Smt;

namespace ProofAgent.Cli.Infrastructure;

/// <summary>Long-lived SMT solver processes for the commands that ask many questions (<c>mba</c>, <c>synth mba</c>).</summary>
internal static class SolverSessions
{
    /// <summary>
    /// A long-lived z3 (or cvc5) whose every process (probe, session, restart after a timeout) goes through the
    /// host's runner, that is through the sandbox of <see cref="SandboxOption"/>, with the host's executables.
    /// </summary>
    public static SmtSession Open(ProverHost host, string solver, SmtSessionOptions? session = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        return solver == "cvc5"
            ? SmtSession.Cvc5(host.Runner, host.Settings.Smt, session, host.Isolation)
            : SmtSession.Z3(host.Runner, host.Settings.Smt, session, host.Isolation);
    }
}
