(* expect: incomplete *)
Require Import Coq.Program.Tactics.
Program Definition pred_of (n : nat) (H : n <> 0) : { m : nat | S m = n } := match n with O => _ | S m => m end.
Admit Obligations.
Theorem uses_obligation : True.
Proof. exact I. Qed.
