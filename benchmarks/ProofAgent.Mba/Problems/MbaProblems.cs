using System.Globalization;
using System.Text;
using ProofAgent.Problems;

namespace ProofAgent.Mba;

/// <summary>One MBA problem in every output form. <see cref="CoqProof"/> is set when exhaustive checking is feasible.</summary>
public sealed record MbaProblem(string Id, int Bits, string Lhs, string Rhs, string GroundTruth, string Method, string Lean, string CoqStatement, string? CoqProof, string Markdown) : ISynthesizedProblem;

/// <summary>Writes MBA identities as Lean 4 (<c>BitVec n</c>), Coq (<c>Z</c> modulo 2^n) and Markdown.</summary>
public static class MbaProblems
{
    /// <summary>Exhaustive Coq proofs only when variables × bits is at most this (2^16 evaluations by vm_compute).</summary>
    public const int CoqExhaustiveMaxBits = 16;

    public static MbaProblem Build(string id, MbaExpr lhs, MbaExpr rhs, int bits, MbaVerdict verdict)
    {
        var variables = MbaWords.Variables(lhs, rhs);
        var name = "mba_" + new string(id.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').ToArray());
        var truth = verdict.Name;
        var method = verdict.Method?.Name() ?? "none";
        var holds = verdict is MbaVerdict.Identity;
        var lean = Lean(name, lhs, rhs, bits, variables, holds);
        var coq = CoqStatement(name, lhs, rhs, bits, variables, holds);
        string? proof = null;
        if (holds && variables.Count * bits <= CoqExhaustiveMaxBits && variables.Count > 0)
        {
            proof = CoqExhaustiveProof(name, lhs, rhs, bits, variables);
        }

        var md = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# {id}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Over {bits}-bit words with two's-complement wrap-around (C precedence: unary `~ -`, then `*`, then `+ -`, then `&`, then `^`, then `|`), {(holds ? "prove" : "disprove")} that for all {string.Join(", ", variables.Select(v => $"`{v}`"))}:")
            .AppendLine()
            .AppendLine("```c")
            .AppendLine(CultureInfo.InvariantCulture, $"{lhs} == {rhs}")
            .AppendLine("```")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Ground truth: **{truth}** (established by {method}).");
        if (verdict is MbaVerdict.Counterexample ce)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Counterexample: {MbaVerifier.Describe(ce.Assignment)} (lhs = {ce.Lhs}, rhs = {ce.Rhs}).");
        }

        return new MbaProblem(id, bits, lhs.ToString(), rhs.ToString(), truth, method, lean, coq, proof, md.ToString());
    }

    public static string Lean(string name, MbaExpr lhs, MbaExpr rhs, int bits, IReadOnlyList<string> variables, bool holds)
    {
        var binders = variables.Count == 0 ? string.Empty : $"∀ {string.Join(' ', variables)} : BitVec {bits}, ";
        var equation = $"{MbaRender.Lean(lhs, bits)} = {MbaRender.Lean(rhs, bits)}";
        var claim = holds ? $"{binders}{equation}" : $"¬ ({binders}{equation})";
        return $"theorem {name} : {claim} := by\n  sorry\n";
    }

    private static string Definitions(MbaExpr lhs, MbaExpr rhs, IReadOnlyList<string> variables)
    {
        var parameters = variables.Count == 0 ? string.Empty : $"({string.Join(' ', variables)} : Z)";
        return "Require Import ZArith Lia.\nOpen Scope Z_scope.\n\n" +
            $"Definition lhs {parameters} : Z := {MbaRender.Coq(lhs)}.\n" +
            $"Definition rhs {parameters} : Z := {MbaRender.Coq(rhs)}.\n";
    }

    private static string Claim(string name, IReadOnlyList<string> variables, int bits, bool holds)
    {
        var args = string.Join(' ', variables);
        var bounds = string.Concat(variables.Select(v => $"0 <= {v} < 2^{bits} -> "));
        var binders = variables.Count == 0 ? string.Empty : $"forall {string.Join(' ', variables)} : Z, ";
        var equation = $"(lhs {args}) mod 2^{bits} = (rhs {args}) mod 2^{bits}";
        return holds ? $"Theorem {name} : {binders}{bounds}{equation}." : $"Theorem {name} : ~ ({binders}{bounds}{equation}).";
    }

    public static string CoqStatement(string name, MbaExpr lhs, MbaExpr rhs, int bits, IReadOnlyList<string> variables, bool holds) =>
        Definitions(lhs, rhs, variables) + "\n" + Claim(name, variables, bits, holds) + "\nAdmitted.\n";

    /// <summary>A complete Coq file proving the identity by evaluating both sides at every assignment (vm_compute).</summary>
    public static string CoqExhaustiveProof(string name, MbaExpr lhs, MbaExpr rhs, int bits, IReadOnlyList<string> variables)
    {
        var b = new StringBuilder(Definitions(lhs, rhs, variables));
        b.Append("""

            Fixpoint all_below (n : nat) (P : Z -> bool) : bool :=
              match n with
              | O => true
              | S k => P (Z.of_nat k) && all_below k P
              end.

            Lemma all_below_spec : forall n P, all_below n P = true -> forall x, 0 <= x < Z.of_nat n -> P x = true.
            Proof.
              induction n as [|n IH]; intros P H x Hx; simpl in *.
              - lia.
              - apply andb_prop in H as [H1 H2].
                destruct (Z.eq_dec x (Z.of_nat n)) as [->|Hne]; [exact H1|].
                apply IH; [exact H2|]. lia.
            Qed.

            """);
        var size = $"(Z.to_nat (2^{bits}))";
        var args = string.Join(' ', variables);
        var check = $"Z.eqb ((lhs {args}) mod 2^{bits}) ((rhs {args}) mod 2^{bits})";
        for (var i = variables.Count - 1; i >= 0; i--)
        {
            check = $"all_below {size} (fun {variables[i]} => {check})";
        }

        b.AppendLine(CultureInfo.InvariantCulture, $"Lemma {name}_table : {check} = true.")
            .AppendLine("Proof. vm_compute. reflexivity. Qed.")
            .AppendLine()
            .AppendLine(Claim(name, variables, bits, holds: true))
            .AppendLine("Proof.")
            .AppendLine(CultureInfo.InvariantCulture, $"  intros {args} {string.Join(' ', variables.Select(v => "H" + v))}.")
            .AppendLine("  apply Z.eqb_eq.");
        // Peel one variable at a time: all_below_spec gives the inner check at that value.
        var hyp = $"{name}_table";
        for (var i = 0; i < variables.Count; i++)
        {
            var v = variables[i];
            b.AppendLine(CultureInfo.InvariantCulture, $"  pose proof (all_below_spec _ _ {hyp} {v}) as T{i}.")
                .AppendLine(CultureInfo.InvariantCulture, $"  rewrite Z2Nat.id in T{i} by lia.")
                .AppendLine(CultureInfo.InvariantCulture, $"  specialize (T{i} H{v}).");
            hyp = $"T{i}";
        }

        b.AppendLine(CultureInfo.InvariantCulture, $"  exact {hyp}.")
            .AppendLine("Qed.");
        return b.ToString();
    }
}
