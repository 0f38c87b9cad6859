using ProofAgent.Hosting;
using ProofAgent.Provers;
using ProofAgent.Provers.Coq;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;
using Xunit;

namespace ProofAgent.Security.Tests.Gate;

/// <summary>
/// Every checker follows the same order: static scan, then probe, then prover. A textual escape hatch must be reported
/// as <c>unsound</c> (a hole as <c>incomplete</c>) even where the prover is not installed, never as <c>unavailable</c>.
/// The provers here point at executables that do not exist.
/// </summary>
public sealed class GateOrderTests
{
    private static readonly ProverCatalog Missing = new(
        new ProverSettings(CoqOptions.Default with { Coqc = "/nonexistent/coqc" }, SmtOptions.Default with { Z3 = "/nonexistent/z3", Cvc5 = "/nonexistent/cvc5" })
        {
            Lean = ProofAgent.Provers.Lean.LeanOptions.Default with { Lean = "/nonexistent/lean", Lake = "/nonexistent/lake", Repl = "/nonexistent/repl" },
            Isabelle = ProofAgent.Provers.Isabelle.IsabelleOptions.Default.WithExecutable("/nonexistent/isabelle"),
            FStar = ProofAgent.Provers.FStar.FStarOptions.Default.WithExecutable("/nonexistent/fstar.exe"),
        },
        new ProcessRunner(new ResourceLimitIsolation()));

    public static TheoryData<string, string, string> EscapeHatches() => new()
    {
        { "coq", "Axiom cheat : False.\nTheorem t : False. Proof. exact cheat. Qed.\n", "unsound" },
        { "coq", "Theorem t : 1 = 2.\nProof.\nAdmitted.\n", "incomplete" },
        { "lean4", "theorem t : 1 = 2 := by\n  sorry\n", "incomplete" },
        { "lean4", "axiom cheat : False\ntheorem t : False := cheat\n", "unsound" },
        { "isabelle", "theory T imports Main begin\nlemma t: \"False\"\n  sorry\nend\n", "incomplete" },
        { "isabelle", "theory T imports Main begin\nlemma t: \"False\"\n  oops\nend\n", "incomplete" },
        { "isabelle", "theory T imports Main begin\naxiomatization where cheat: \"False\"\nlemma t: \"False\" by (rule cheat)\nend\n", "unsound" },
        { "isabelle", "theory T imports Main begin\ndeclare [[quick_and_dirty]]\nlemma t: \"False\" sorry\nend\n", "unsound" },
        { "fstar", "module T\nlet t : squash False = admit ()\n", "incomplete" },
        { "fstar", "module T\nassume val cheat : squash False\n", "unsound" },
        { "smt", "(assert true)\n(echo \"unsat\")\n(set-option :regular-output-channel \"/dev/null\")\n(check-sat)\n", "unsound" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(EscapeHatches))]
    public async Task An_escape_hatch_is_reported_whether_or_not_the_prover_is_installed(string language, string source, string verdict)
    {
        Assert.True(ProofLanguages.TryParse(language, out var lang));
        Assert.IsType<ProverAvailability.Missing>(await Missing.Checker(lang).ProbeAsync());

        var result = await Missing.Checker(lang).CheckAsync(new ProofTask(lang, source));

        Assert.Equal(verdict, result.Verdict.Name);
    }
}
