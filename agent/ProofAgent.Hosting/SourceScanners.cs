using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.FStar;
using ProofAgent.Provers.Isabelle;
using ProofAgent.Provers.Lean;

namespace ProofAgent.Hosting;

/// <summary>
/// The static scanner of each language, the adapters' own (the one their checker's gate runs): what the agent reads
/// holes and theorems with. Scanners are pure, so one instance per language serves every caller.
/// </summary>
public static class SourceScanners
{
    private static readonly ISourceScanner Coq = new CoqSourceScanner();
    private static readonly ISourceScanner Lean = new LeanSourceScanner();
    private static readonly ISourceScanner Isabelle = new IsabelleSourceScanner();
    private static readonly ISourceScanner FStar = new FStarSourceScanner();

    /// <summary>The scanner of a language, or null when the language has none (SMT-LIB).</summary>
    public static ISourceScanner? For(ProofLanguage language) => language switch
    {
        ProofLanguage.Coq => Coq,
        ProofLanguage.Lean4 => Lean,
        ProofLanguage.Isabelle => Isabelle,
        ProofLanguage.FStar => FStar,
        _ => null,
    };
}
