using ProofAgent.Agent.Coq;
using ProofAgent.Hosting;
using ProofAgent.Provers;
using ProofAgent.Provers.Processes;
using ProofAgent.Provers.Smt;
using ProofAgent.SmtBridge;
using ProofAgent.Testing;
using Xunit;

namespace ProofAgent.Agent.Tests;

/// <summary>The loop through the real Coq checker and coqidetop, with a scripted chat client.</summary>
public sealed class AgentLoopTests
{
    private const string Square = """
        Require Import Reals.
        Open Scope R_scope.

        Theorem two_xy_le : forall x y : R, 2 * x * y <= x ^ 2 + y ^ 2.
        Proof.
        Admitted.
        """;

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public async Task A_correct_whole_proof_from_the_model_is_accepted_by_the_final_check()
    {
        var chat = new ScriptedEngine("Here is the proof:\n```coq\nintros x y.\nassert (H : 0 <= (x - y) ^ 2) by apply pow2_ge_0.\nnra.\n```");
        var request = new ProofRequest(ProofLanguage.Coq, Square) { UseAutomation = false }.WithBudget(Agents.Budget(samples: 1));
        var events = new List<ProofEvent>();

        var outcome = await Agents.Runner(chat.Model()).ProveAsync(request, new Collect(events));

        Assert.True(outcome.IsProved, outcome.Verdict.Summary);
        Assert.Equal(ProofStage.WholeProof, Assert.Single(outcome.Theorems).FoundBy);
        Assert.Contains("nra.", outcome.Proof, StringComparison.Ordinal);
        Assert.DoesNotContain("Admitted", outcome.Proof, StringComparison.Ordinal);
        Assert.Contains(events, e => e is ProofEvent.CandidateChecked { Stage: ProofStage.FinalCheck, Verdict: "proved" });
        Assert.Contains("```coq\n" + Square.Trim(), Assert.Single(chat.Prompts), StringComparison.Ordinal);
    }

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public async Task A_broken_proof_becomes_a_sketch_whose_holes_automation_closes()
    {
        // The assertion's tactic is wrong (a hole), and the last step is missing; the rest of the structure is kept.
        // The repair round gets the same broken answer again, so the sketch is what closes it.
        var chat = new ScriptedEngine("```coq\nintros x y.\nassert (H : 0 <= (x - y) ^ 2) by reflexivity.\nexact I.\n```");
        var request = new ProofRequest(ProofLanguage.Coq, Square) { UseAutomation = false }.WithBudget(Agents.Budget(samples: 1));
        var events = new List<ProofEvent>();

        var outcome = await Agents.Runner(chat.Model()).ProveAsync(request, new Collect(events));

        Assert.True(outcome.IsProved, outcome.Verdict.Summary + "\n" + string.Join("\n", events));
        Assert.Equal(ProofStage.Sketch, Assert.Single(outcome.Theorems).FoundBy);
        Assert.Contains("assert (H : 0 <= (x - y) ^ 2).", outcome.Proof, StringComparison.Ordinal);
        Assert.DoesNotContain("reflexivity", outcome.Proof, StringComparison.Ordinal);
        Assert.Contains(events, e => e is ProofEvent.CandidateChecked { Stage: ProofStage.WholeProof, Verdict: not "proved" });
        Assert.Contains(events, e => e is ProofEvent.TacticApplied { Stage: ProofStage.Sketch });
    }

    [RequiresFact(false, "coqc", "coqidetop.opt", "z3")]
    public async Task A_false_lemma_is_pruned_by_a_z3_counterexample()
    {
        const string source = """
            Require Import Reals.
            Open Scope R_scope.

            Theorem false_bound (x y : R) : 0 < x -> 0 < y -> x * y <= x + y.
            Proof.
            Admitted.
            """;
        var oracle = new SmtGoalOracle(Z3(), SmtBridgeOptions.ForCoqSource(source));
        var request = new ProofRequest(ProofLanguage.Coq, source).WithBudget(Agents.Budget(seconds: 90) with { TacticTimeout = TimeSpan.FromSeconds(3) });
        var events = new List<ProofEvent>();

        var outcome = await Agents.Runner(oracle: oracle).ProveAsync(request, new Collect(events));

        Assert.False(outcome.IsProved);
        var refuted = Assert.Single(events.OfType<ProofEvent.GoalRefuted>());
        Assert.Equal("z3", refuted.Solver);
        Assert.Contains("x", refuted.Model.Keys);
        Assert.NotNull(outcome.Counterexample);
        Assert.Contains("counterexample", outcome.Verdict.Summary, StringComparison.Ordinal);

        // The counterexample is real: it satisfies the hypotheses and falsifies the conclusion.
        var x = double.Parse(Normalize(refuted.Model["x"]), System.Globalization.CultureInfo.InvariantCulture);
        var y = double.Parse(Normalize(refuted.Model["y"]), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(x > 0 && y > 0 && x * y > x + y, $"x = {x}, y = {y}");
    }

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public async Task Without_a_model_the_search_proves_a_lemma_the_fixed_portfolio_cannot()
    {
        // lia/nra alone fail: the function hypothesis must be rewritten first.
        const string source = """
            Require Import Reals.
            Open Scope R_scope.

            Theorem f_at_one (f : R -> R) : (forall x, f x = 5 * x + 4) -> f 1 = 9.
            Proof.
            Admitted.
            """;
        var request = new ProofRequest(ProofLanguage.Coq, source).WithBudget(Agents.Budget());

        var outcome = await Agents.Runner().ProveAsync(request);

        Assert.True(outcome.IsProved, outcome.Verdict.Summary);
        Assert.Equal(ProofStage.Refinement, Assert.Single(outcome.Theorems).FoundBy);
        Assert.Contains("rewrite", outcome.Proof, StringComparison.Ordinal);
        Assert.Equal(ProofStage.FinalCheck, outcome.Stages[^1].Stage);
    }

    [Fact]
    public void Gaps_are_found_and_filled_without_touching_the_statement()
    {
        const string source = "Require Import Arith.\nLemma a : 1 = 1.\nProof. reflexivity. Qed.\nTheorem b (n : nat) : n + 0 = n.\nProof.\nAdmitted.\n";
        var gaps = CoqProofFile.FindGaps(SourceScanners.For(ProofLanguage.Coq)!, source);

        var gap = Assert.Single(gaps);
        Assert.Equal("b", gap.Name);
        var filled = CoqProofFile.Fill(source, gaps, ["lia."]);
        Assert.Contains("Theorem b (n : nat) : n + 0 = n.\nProof.\n  lia.\nQed.", filled, StringComparison.Ordinal);
        Assert.Contains(CoqProofFile.AutomationImports, filled, StringComparison.Ordinal);
        Assert.DoesNotContain("Admitted", filled, StringComparison.Ordinal);
        Assert.StartsWith(CoqProofFile.AutomationImports + "\nRequire Import Arith.\nLemma a : 1 = 1.\nProof. reflexivity. Qed.\n", filled, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_are_extracted_from_model_answers()
    {
        Assert.Equal(["intros.", "lia."], CoqProofFile.ExtractScript("Sure!\n```coq\nTheorem t : True.\nProof.\nintros.\nlia.\nQed.\n```\nDone."));
        Assert.Equal(["nra."], CoqProofFile.ExtractScript("nra."));
        Assert.Equal("assert (H : 0 <= x).", ProofAgent.Agent.Stages.CoqSketchStage.AssertionOf("assert (H : 0 <= x) by lra."));
        Assert.Null(ProofAgent.Agent.Stages.CoqSketchStage.AssertionOf("lra."));
    }

    [Fact]
    public void Lean_and_Isabelle_holes_are_filled_by_the_portfolio()
    {
        Assert.Equal("theorem t : 1 + 1 = 2 := by norm_num", LanguagePortfolios.Fill(ProofLanguage.Lean4, "theorem t : 1 + 1 = 2 := by sorry", "by norm_num"));
        Assert.Equal("lemma t: \"1 + 1 = (2::nat)\"\n  by simp", LanguagePortfolios.Fill(ProofLanguage.Isabelle, "lemma t: \"1 + 1 = (2::nat)\"\n  sorry", "by simp"));
        Assert.True(LanguagePortfolios.HasHole(ProofLanguage.Isabelle, "  oops"));
        Assert.False(LanguagePortfolios.HasHole(ProofLanguage.Lean4, "theorem t : True := trivial"));
    }

    [RequiresFact(false, "z3")]
    public async Task A_false_lean_or_isabelle_statement_is_refuted_before_any_prover_call()
    {
        // No Lean or Isabelle is needed: the oracle settles the statement first, and the budget is not spent on it.
        var oracle = new SmtGoalOracle(Z3());
        const string lean = "import Mathlib\n\ntheorem off (n : ℕ) (h₀ : n ≠ 1) : n + 1 = 2 * n := by\n  sorry\n";
        const string isabelle = "theory Off imports Main begin\n\nlemma off:\n  fixes n :: nat\n  assumes \"n \\<noteq> 1\"\n  shows \"n + 1 = 2 * n\"\n  sorry\n\nend\n";

        foreach (var (language, source) in new[] { (ProofLanguage.Lean4, lean), (ProofLanguage.Isabelle, isabelle) })
        {
            var events = new List<ProofEvent>();
            var outcome = await Agents.Runner(oracle: oracle).ProveAsync(new ProofRequest(language, source).WithBudget(Agents.Budget(seconds: 30)), new Collect(events));

            Assert.False(outcome.IsProved);
            Assert.Contains("statement is false", outcome.Verdict.Summary, StringComparison.Ordinal);
            Assert.Equal(0, outcome.ProverCalls);
            var n = int.Parse(Assert.Single(events.OfType<ProofEvent.GoalRefuted>()).Model["n"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(n != 1 && n + 1 != 2 * n, $"n = {n} is not a counterexample");
            Assert.Equal($"n = {n}", outcome.Counterexample);
        }
    }

    [RequiresFact(false, "z3")]
    public async Task A_true_statement_is_never_called_false()
    {
        // Valid by z3, but only Lean's kernel makes a proof: without Lean here the answer is "unavailable", not a verdict.
        var oracle = new SmtGoalOracle(Z3());
        var source = "theorem fine (n : ℕ) (h₀ : n ≠ 1) : n + 1 ≤ 2 * n + 1 := by\n  sorry\n";
        var events = new List<ProofEvent>();

        var outcome = await Agents.Runner(oracle: oracle).ProveAsync(new ProofRequest(ProofLanguage.Lean4, source).WithBudget(Agents.Budget(seconds: 30)), new Collect(events));

        Assert.Empty(events.OfType<ProofEvent.GoalRefuted>());
        Assert.Null(outcome.Counterexample);
        Assert.Contains(events, e => e is ProofEvent.Note { Message: var m } && m.Contains("valid by z3", StringComparison.Ordinal));
        if (SkipReasons.Tools("lean", "lake") is not null)
        {
            Assert.IsType<Verdict.Unavailable>(outcome.Verdict);
        }
    }

    [RequiresFact(false, "coqc", "coqidetop.opt")]
    public async Task A_tactic_that_loses_the_session_is_dropped_and_the_search_goes_on_in_a_new_session()
    {
        // The real Coq, with one fault injected: the first `lia` step kills its session (as a flood of output or a crash
        // would). The search must open a new session, leave `lia` out, and still prove the theorem.
        var access = Agents.Access();
        var faulty = new FaultInjectingProver(access.Interactive(ProofLanguage.Coq)!, tactic => tactic.Contains("(solve [lia])", StringComparison.Ordinal));
        var runner = new ProofAgentRunner(access with { Interactive = language => language == ProofLanguage.Coq ? faulty : null });
        var request = new ProofRequest(ProofLanguage.Coq, "Theorem t : forall a b : nat, a + 2 * b = b + a + b.\nProof.\nAdmitted.\n").WithBudget(Agents.Budget(seconds: 90));
        var events = new List<ProofEvent>();

        var outcome = await runner.ProveAsync(request, new Collect(events));

        Assert.Equal(1, faulty.Faults);
        Assert.Equal(2, faulty.Opened);
        Assert.True(outcome.IsProved, outcome.Verdict.Summary + "\n" + string.Join("\n", events));
        Assert.Contains(events, e => e is ProofEvent.Note { Message: var m } && m.Contains("searching in a new Coq session, without 'lia'", StringComparison.Ordinal));
    }

    /// <summary>Real sessions, except that the first tactic matching <paramref name="kills"/> crashes its session.</summary>
    private sealed class FaultInjectingProver(IInteractiveProver inner, Func<string, bool> kills) : IInteractiveProver
    {
        public int Faults { get; private set; }

        public int Opened { get; private set; }

        public ProofLanguage Language => inner.Language;

        private bool Kills(string tactic) => kills(tactic);

        public async Task<IProverSession> OpenAsync(string header, ResourceBudget budget, CancellationToken cancellationToken = default)
        {
            Opened++;
            return new Session(this, await inner.OpenAsync(header, budget, cancellationToken));
        }

        private sealed class Session(FaultInjectingProver owner, IProverSession real) : IProverSession
        {
            private bool _crashed;

            public ProverIdentity Identity => real.Identity;

            public bool IsHealthy => !_crashed && real.IsHealthy;

            public int Uses => real.Uses;

            public Task<StepResult> StartProofAsync(string statement, CancellationToken cancellationToken = default) =>
                _crashed ? throw new ProverCrashedException("crashed before") : real.StartProofAsync(statement, cancellationToken);

            public Task<StepResult> RunTacticAsync(ProofStateId state, string tactic, CancellationToken cancellationToken = default)
            {
                if (_crashed)
                {
                    throw new ProverCrashedException("crashed before");
                }

                if (owner.Faults == 0 && owner.Kills(tactic))
                {
                    owner.Faults++;
                    _crashed = true;
                    throw new ProverCrashedException("injected: more than 2097152 characters without a complete frame");
                }

                return real.RunTacticAsync(state, tactic, cancellationToken);
            }

            public ValueTask DisposeAsync() => real.DisposeAsync();
        }
    }

    private static ProcessSmtSolver Z3() => ProcessSmtSolver.Z3(new ProcessRunner(new ResourceLimitIsolation()));

    private static string Normalize(string value)
    {
        // z3 prints rationals as (/ a b) and negatives as (- a).
        var text = value.Trim();
        if (text.StartsWith("(/", StringComparison.Ordinal))
        {
            var parts = text.Trim('(', ')').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) / double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return text.Trim('(', ')').Replace("- ", "-", StringComparison.Ordinal);
    }

}
