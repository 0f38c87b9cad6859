(* expect: unsound *)
(* statement: notation_redefined.stmt *)
(* The text of the statement is unchanged, its meaning is not: + now means *. *)
Require Import Coq.Arith.PeanoNat.
Local Notation "x + y" := (Nat.mul x y) : nat_scope.
Theorem plus_one_id : forall n : nat, n + 1 = n.
Proof. intro n. apply Nat.mul_1_r. Qed.
