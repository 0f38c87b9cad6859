using ProofAgent.Hosting;
using ProofAgent.Provers;
using Xunit;

namespace ProofAgent.Agent.Tests;

/// <summary>The adapters' scanners as the agent sees them (<see cref="ISourceScanner"/>): theorems, holes and where proofs lie.</summary>
public sealed class SourceScannerTests
{
    [Fact]
    public void Should_give_coq_theorems_with_their_holes_and_the_span_a_proof_replaces()
    {
        const string source = "Lemma done_ : True.\nProof. exact I. Qed.\nTheorem open_ : 1 = 1.\nProof.\nAdmitted.\nLemma bare : 2 = 2.\nProof.\n";
        var scan = SourceScanners.For(ProofLanguage.Coq)!.Scan(source);

        Assert.Equal(["done_", "open_", "bare"], scan.Theorems.Select(t => t.Name));
        Assert.Equal([false, true, true], scan.Theorems.Select(t => t.HasHole));
        var open = scan.Theorems[1];
        Assert.Equal("Theorem open_ : 1 = 1.", open.Statement);
        Assert.Equal("\nProof.\nAdmitted.", open.Proof(source));
        Assert.Equal(source.IndexOf("Proof.\n", source.IndexOf("bare", StringComparison.Ordinal), StringComparison.Ordinal) + "Proof.".Length, scan.Theorems[2].Span!.ProofEnd);
        Assert.Contains(scan.Findings, f => f.IsHole);
    }

    [Fact]
    public void Should_give_the_lean_declaration_up_to_its_proof_and_mark_the_theorem_with_sorry()
    {
        const string source = "import Mathlib\n\ntheorem a : 1 = 1 := by\n  rfl\n\ntheorem b (n : Nat) : n + 0 = n := by\n  sorry\n";
        var scan = SourceScanners.For(ProofLanguage.Lean4)!.Scan(source);

        Assert.Equal(["a", "b"], scan.Theorems.Select(t => t.Name));
        Assert.Equal([false, true], scan.Theorems.Select(t => t.HasHole));
        Assert.Equal("theorem b (n : Nat) : n + 0 = n", scan.Theorems[1].Statement);
        Assert.Equal(" by\n  sorry\n", scan.Theorems[1].Proof(source));
        Assert.Contains("import Mathlib", scan.Header, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_give_isabelle_goals_as_sessions_state_them_and_place_each_hole_in_its_goal()
    {
        const string source = "theory T imports Main begin\nlemma a: \"True\" by simp\nlemma b: \"x = x\"\n  sorry\nend\n";
        var scan = SourceScanners.For(ProofLanguage.Isabelle)!.Scan(source);

        Assert.Equal(["a", "b"], scan.Theorems.Select(t => t.Name));
        Assert.Equal([false, true], scan.Theorems.Select(t => t.HasHole));
        Assert.StartsWith("lemma b: ", scan.Theorems[1].Statement, StringComparison.Ordinal);
        Assert.Equal("Main", scan.Header);
    }

    [Fact]
    public void Should_give_the_fstar_module_and_its_admit_and_no_scanner_for_smt()
    {
        var scan = SourceScanners.For(ProofLanguage.FStar)!.Scan("module M\nlet lemma_x () : Lemma (1 == 1) = admit ()\n");

        Assert.Equal("M", scan.ModuleName);
        Assert.Single(scan.Holes);
        Assert.Null(SourceScanners.For(ProofLanguage.Smt));
    }
}
