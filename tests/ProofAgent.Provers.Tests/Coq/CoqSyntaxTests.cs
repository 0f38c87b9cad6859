using ProofAgent.Provers.Coq;
using Xunit;

namespace ProofAgent.Provers.Tests.Coq;

public sealed class CoqSyntaxTests
{
    [Fact]
    public void Sentences_split_on_terminating_periods_bullets_and_braces_not_on_qualified_names()
    {
        var sentences = CoqSyntax.SplitSentences("""
            Require Import Coq.Arith.PeanoNat. (* a comment. with periods. *)
            Theorem t : 1 = 1 /\ "a.b" = "a.b".
            Proof.
              split.
              - reflexivity.
              - { reflexivity. }
            Qed.
            """);

        Assert.Equal(
            ["Require Import Coq.Arith.PeanoNat.", "Theorem t : 1 = 1 /\\ \"a.b\" = \"a.b\".", "Proof.", "split.", "-", "reflexivity.", "-", "{", "reflexivity.", "}", "Qed."],
            sentences.Select(s => s.Text.Trim()));
    }

    [Fact]
    public void Masking_blanks_nested_comments_and_strings_but_keeps_offsets()
    {
        const string Source = "a (* b (* c *) d *) \"Axiom \"\"x\"\"\" e\nf";

        var masked = ProofAgent.Syntax.CoqLexer.Mask(Source);

        Assert.Equal(Source.Length, masked.Length);
        Assert.DoesNotContain("Axiom", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("c", masked, StringComparison.Ordinal);
        Assert.Equal('\n', masked[Source.IndexOf('\n', StringComparison.Ordinal)]);
        Assert.EndsWith("e\nf", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Rocq_9_stdlib_prefixes_are_mapped_outside_comments()
    {
        var mapped = CoqSyntax.MapStdlibToCoq("From Stdlib Require Import Reals. (* From Stdlib *)\nCheck Stdlib.Init.Nat.add.");

        Assert.Equal("From Coq Require Import Reals. (* From Stdlib *)\nCheck Coq.Init.Nat.add.", mapped);
    }

    [Fact]
    public void The_scan_finds_theorems_their_endings_and_module_paths()
    {
        var scan = CoqSourceScan.Scan("""
            Module M.
              Lemma inner : True. Proof. exact I. Qed.
            End M.
            Section S.
              Variable n : nat.
              Theorem uses_n : n = n. Proof. reflexivity. Defined.
            End S.
            Theorem open_one : 1 = 2.
            Admitted.
            """);

        Assert.Equal(["M.inner", "uses_n", "open_one"], scan.Theorems.Select(t => t.QualifiedSuffix));
        Assert.Equal(["Qed", "Defined", "Admitted"], scan.Theorems.Select(t => t.Ending));
        Assert.Empty(scan.Violations);
        Assert.Contains(scan.Holes, h => h.Message.Contains("open_one", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Axiom a : False.", "declares an axiom")]
    [InlineData("Local Axiom a : False.", "declares an axiom")]
    [InlineData("#[universes(polymorphic)] Parameters (a b : False).", "declares an axiom")]
    [InlineData("Hypothesis h : False.", "outside a section")]
    [InlineData("Time Unset Guard Checking.", "disables a kernel check")]
    [InlineData("Unset Universe Checking.", "disables a kernel check")]
    [InlineData("#[bypass_check(positivity)] Inductive X := c : (X -> False) -> X.", "bypass_check")]
    [InlineData("Declare ML Module \"x\".", "native code")]
    [InlineData("Load \"/root/secret.v\".", "outside the proof")]
    [InlineData("Add Rec LoadPath \"/\" as Root.", "LoadPath")]
    [InlineData("Extraction \"/tmp/out.ml\" nat.", "writes files")]
    public void The_scan_rejects_escape_hatches(string sentence, string reason)
    {
        var violation = Assert.Single(CoqSourceScan.Scan(sentence).Violations);
        Assert.Contains(reason, violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scan_is_not_fooled_by_comments_or_strings()
    {
        var scan = CoqSourceScan.Scan("(* Axiom a : False. Admitted. *) Definition s := \"Unset Guard Checking. admit\".");

        Assert.Empty(scan.Findings);
    }

    [Fact]
    public void The_statement_only_file_keeps_context_and_drops_proofs()
    {
        const string Source = "Require Import Arith.\nDefinition f x := x + 1.\nTheorem t : f 1 = 2.\nProof. reflexivity. Qed.\nLemma u : True. exact I. Qed.\n";

        var statement = CoqSourceScan.StatementOnly(Source, CoqSourceScan.Scan(Source));

        Assert.Equal("Require Import Arith.\nDefinition f x := x + 1.\nTheorem t : f 1 = 2.\nAdmitted.\nLemma u : True.\nAdmitted.\n", statement.Replace("\r", string.Empty, StringComparison.Ordinal));
    }
}
