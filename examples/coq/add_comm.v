(* A small, complete proof: `agent check examples/coq/add_comm.v` says `proved`. *)
Require Import Coq.Arith.PeanoNat.

Theorem add_comm_example : forall n m : nat, n + m = m + n.
Proof.
  intros n m.
  induction n as [| n IH]; simpl.
  - rewrite Nat.add_0_r. reflexivity.
  - rewrite IH. rewrite Nat.add_succ_r. reflexivity.
Qed.
