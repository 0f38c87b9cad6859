using System.Globalization;
using System.Text;
using ProofAgent.Problems;

namespace ProofAgent.BusyBeaver;

public enum BbTemplate
{
    /// <summary>M halts from the blank tape after exactly N steps with K ones.</summary>
    HaltsExactly,

    /// <summary>M halts within B steps.</summary>
    HaltsWithin,

    /// <summary>M never halts.</summary>
    NeverHalts,

    /// <summary>M does not halt within B steps.</summary>
    NotWithin,
}

/// <summary>One Busy Beaver problem in every output form; <see cref="CoqProof"/> is set when the product can prove it.</summary>
public sealed record BbProblem(string Id, string Machine, BbTemplate Template, long Bound, string GroundTruth, string? Decider, string Lean, string CoqStatement, string? CoqProof, string Markdown) : ISynthesizedProblem;

/// <summary>Writes Busy Beaver problems as self-contained Lean 4 and Coq files and Markdown.</summary>
public static class BbProblems
{
    /// <summary>Proofs by computation only up to this many steps (vm_compute on list tapes).</summary>
    public const long CoqMaxSteps = 100_000;

    public static BbProblem Build(TuringMachine machine, BbDecision decision, BbTemplate template, long bound)
    {
        var name = "bb_" + machine.ToString().Replace("-", "x", StringComparison.Ordinal);
        var (claimLean, claimCoq, text) = template switch
        {
            BbTemplate.HaltsExactly => (
                $"halted (run {bound} init) = true ∧ halted (run {bound - 1} init) = false ∧ ones (run {bound} init) = {decision.Ones}",
                $"halted (run {bound} init) = true /\\ halted (run {bound - 1} init) = false /\\ ones (run {bound} init) = {decision.Ones}%nat",
                $"halts from the blank tape after exactly {bound} steps, leaving {decision.Ones} ones"),
            BbTemplate.HaltsWithin => (
                $"∃ n, n ≤ {bound} ∧ halted (run n init) = true",
                $"exists n, (n <= {bound})%nat /\\ halted (run n init) = true",
                $"halts from the blank tape within {bound} steps"),
            BbTemplate.NeverHalts => (
                "∀ n, halted (run n init) = false",
                "forall n, halted (run n init) = false",
                "never halts from the blank tape"),
            _ => (
                $"∀ n, n ≤ {bound} → halted (run n init) = false",
                $"forall n, (n <= {bound})%nat -> halted (run n init) = false",
                $"does not halt from the blank tape within {bound} steps"),
        };
        var coqStatement = CoqPrelude(machine) + $"\nTheorem {name} : {claimCoq}.\nAdmitted.\n";
        var proof = CoqProof(machine, decision, template, bound, name, claimCoq);
        var md = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# {name}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"The {machine.States}-state, 2-symbol Turing machine `{machine}` (bbchallenge format: per state, for read symbol 0 then 1, the symbol written, the move L/R and the next state; `Z` and `---` halt, and halting counts as a step) {text}.")
            .AppendLine()
            .AppendLine("Prove this statement.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Ground truth: **true** (decided by {decision.Decider ?? "simulation"}).");
        return new BbProblem(name, machine.ToString(), template, bound, "true", decision.Decider, LeanFile(machine, name, claimLean), coqStatement, proof, md.ToString());
    }

    private static string? CoqProof(TuringMachine machine, BbDecision decision, BbTemplate template, long bound, string name, string claim)
    {
        var body = template switch
        {
            BbTemplate.HaltsExactly when bound <= CoqMaxSteps => "split; [|split]; vm_compute; reflexivity.",
            BbTemplate.HaltsWithin when decision.Steps <= CoqMaxSteps && decision.Steps <= bound =>
                $"exists {decision.Steps}%nat. split; [lia | vm_compute; reflexivity].",
            BbTemplate.NotWithin when bound <= CoqMaxSteps =>
                $"intros n Hn. apply (not_halted_before {bound}); [exact Hn | vm_compute; reflexivity].",
            BbTemplate.NeverHalts when decision.Certificate is BbCertificate.Cycler c && 2 * c.T2 <= CoqMaxSteps =>
                // Start the cycle one period late, when every cell of the cycle has been visited (equal list tapes).
                $"apply (cycle_forever {c.T2} {c.T2 - c.T1}); [lia | vm_compute; reflexivity | vm_compute; reflexivity].",
            _ => null,
        };
        return body is null ? null : CoqPrelude(machine) + CoqLemmas + $"\nTheorem {name} : {claim}.\nProof.\n  {body}\nQed.\n";
    }

    private static string CoqPrelude(TuringMachine machine)
    {
        var b = new StringBuilder("""
            Require Import Coq.Lists.List Coq.Arith.PeanoNat Lia.
            Import ListNotations.

            Inductive dir := L | R.
            Record trans := mk { wr : bool; mv : dir; nx : nat }.
            Record config := cfg { st : nat; lt : list bool; hd : bool; rt : list bool }.

            """);
        b.AppendLine(CultureInfo.InvariantCulture, $"(* {machine}: states A.. are 0..{machine.States - 1}; the halting state is {machine.States}; undefined transitions act as 1RZ. *)")
            .AppendLine(CultureInfo.InvariantCulture, $"Definition H : nat := {machine.States}.")
            .AppendLine("Definition delta (s : nat) (b : bool) : trans :=")
            .AppendLine("  match s, b with");
        foreach (var (s, read, write, right, next) in Rows(machine))
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"  | {s}, {Bool(read)} => mk {Bool(write)} {(right ? "R" : "L")} {next}");
        }

        b.Append("""
              | _, _ => mk true R H
              end.

            Definition step (c : config) : config :=
              if Nat.eqb (st c) H then c else
              let t := delta (st c) (hd c) in
              match mv t with
              | L => match lt c with
                     | [] => cfg (nx t) [] false (wr t :: rt c)
                     | b :: l => cfg (nx t) l b (wr t :: rt c)
                     end
              | R => match rt c with
                     | [] => cfg (nx t) (wr t :: lt c) false []
                     | b :: r => cfg (nx t) (wr t :: lt c) b r
                     end
              end.

            Definition run (n : nat) (c : config) : config := Nat.iter n step c.
            Definition init : config := cfg 0 [] false [].
            Definition halted (c : config) : bool := Nat.eqb (st c) H.
            Fixpoint count (l : list bool) : nat := match l with [] => 0 | b :: l => (if b then 1 else 0) + count l end.
            Definition ones (c : config) : nat := count (lt c) + (if hd c then 1 else 0) + count (rt c).

            """);
        return b.ToString();
    }

    private const string CoqLemmas = """

        Lemma step_halted : forall c, halted c = true -> step c = c.
        Proof. intros c Hc. unfold step. unfold halted in Hc. rewrite Hc. reflexivity. Qed.

        Lemma run_add : forall a b c, run (a + b) c = run a (run b c).
        Proof.
          induction a as [|a IH]; intros b c; [reflexivity|].
          change (step (run (a + b) c) = step (run a (run b c))). rewrite IH. reflexivity.
        Qed.

        Lemma halted_stays : forall n c, halted c = true -> halted (run n c) = true.
        Proof.
          induction n as [|n IH]; intros c Hc; [exact Hc|].
          change (halted (step (run n c)) = true).
          rewrite (step_halted _ (IH c Hc)). exact (IH c Hc).
        Qed.

        Lemma not_halted_before : forall m n, (n <= m)%nat -> halted (run m init) = false -> halted (run n init) = false.
        Proof.
          intros m n Hle Hm. destruct (halted (run n init)) eqn:Hn; [|reflexivity].
          replace m with ((m - n) + n)%nat in Hm by lia. rewrite run_add in Hm.
          rewrite (halted_stays _ _ Hn) in Hm. discriminate.
        Qed.

        Lemma cycle_forever : forall t p, (p > 0)%nat -> halted (run t init) = false -> run p (run t init) = run t init ->
          forall n, halted (run n init) = false.
        Proof.
          intros t p Hp Ht Hc.
          assert (Hk : forall k, run (k * p) (run t init) = run t init).
          { induction k as [|k IH]; [reflexivity|].
            replace (S k * p)%nat with (p + k * p)%nat by lia. rewrite run_add, IH. exact Hc. }
          intros n. apply (not_halted_before (n * p + t)); [nia|].
          rewrite run_add, Hk. exact Ht.
        Qed.

        """;

    private static string LeanFile(TuringMachine machine, string name, string claim)
    {
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture, $"namespace {name}")
            .AppendLine()
            .AppendLine("inductive Dir where")
            .AppendLine("  | L | R")
            .AppendLine()
            .AppendLine("structure Trans where")
            .AppendLine("  wr : Bool")
            .AppendLine("  mv : Dir")
            .AppendLine("  nx : Nat")
            .AppendLine()
            .AppendLine("structure Config where")
            .AppendLine("  st : Nat")
            .AppendLine("  lt : List Bool")
            .AppendLine("  hd : Bool")
            .AppendLine("  rt : List Bool")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"/-- `{machine}`; the halting state is {machine.States}; undefined transitions act as 1RZ. -/")
            .AppendLine(CultureInfo.InvariantCulture, $"def H : Nat := {machine.States}")
            .AppendLine()
            .AppendLine("def delta : Nat → Bool → Trans");
        foreach (var (s, read, write, right, next) in Rows(machine))
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"  | {s}, {Bool(read)} => ⟨{Bool(write)}, Dir.{(right ? "R" : "L")}, {next}⟩");
        }

        b.Append("""
              | _, _ => ⟨true, Dir.R, H⟩

            def step (c : Config) : Config :=
              if c.st = H then c else
              let t := delta c.st c.hd
              match t.mv, c.lt, c.rt with
              | Dir.L, [], _ => ⟨t.nx, [], false, t.wr :: c.rt⟩
              | Dir.L, b :: l, _ => ⟨t.nx, l, b, t.wr :: c.rt⟩
              | Dir.R, _, [] => ⟨t.nx, t.wr :: c.lt, false, []⟩
              | Dir.R, _, b :: r => ⟨t.nx, t.wr :: c.lt, b, r⟩

            def run : Nat → Config → Config
              | 0, c => c
              | n + 1, c => step (run n c)

            def init : Config := ⟨0, [], false, []⟩

            def halted (c : Config) : Bool := c.st == H

            def ones (c : Config) : Nat := (c.lt.filter id).length + (if c.hd then 1 else 0) + (c.rt.filter id).length

            """);
        b.AppendLine(CultureInfo.InvariantCulture, $"theorem {name} : {claim} := by")
            .AppendLine("  sorry")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"end {name}");
        return b.ToString();
    }

    /// <summary>The machine's transition table as the problem files state it (the halting state is numbered States; undefined transitions act as 1RZ).</summary>
    private static IEnumerable<(int State, bool Read, bool Write, bool Right, int Next)> Rows(TuringMachine machine)
    {
        for (var s = 0; s < machine.States; s++)
        {
            for (var r = 0; r < 2; r++)
            {
                var t = machine[s, r] ?? new Transition(1, 1, TuringMachine.Halt);
                yield return (s, r == 1, t.Write == 1, t.Move > 0, t.Next == TuringMachine.Halt ? machine.States : t.Next);
            }
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
