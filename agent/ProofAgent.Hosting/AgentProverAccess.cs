using Microsoft.Extensions.Logging;
using ProofAgent.Agent;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq.IdeTop;
using ProofAgent.Provers.Isabelle;
using ProofAgent.Provers.Lean;
using ProofAgent.Provers.Processes;

namespace ProofAgent.Hosting;

/// <summary>
/// How <see cref="ProverHost"/> builds the agent's provers: the catalog's checkers, and the interactive provers of every
/// language under the host's isolation (Coq: coqidetop; Lean 4: the checker's REPL sessions; Isabelle: the step prover,
/// with sledgehammer as its goal automation).
/// </summary>
internal static class AgentProverAccess
{
    public static ProverAccess FromCatalog(ProverCatalog catalog, IProcessIsolation isolation, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var coq = new CoqInteractiveProver(catalog.Settings.Coq, isolation, loggers);
        var isabelle = new IsabelleStepProver(catalog.Settings.Isabelle, isolation, loggers?.CreateLogger<IsabelleStepProver>());
        var sledgehammer = new SledgehammerAutomation();
        return new ProverAccess(catalog.Checker, language => language switch
        {
            ProofLanguage.Coq => coq,
            ProofLanguage.Lean4 => catalog.Checker(language) as IInteractiveProver,
            ProofLanguage.Isabelle => isabelle,
            _ => null,
        }, SourceScanners.For)
        {
            Automation = language => language == ProofLanguage.Isabelle ? sledgehammer : null,
        };
    }
}
