(* A miniF2F-style statement over the reals, proved with the standard library's tactics. *)
Require Import Coq.Reals.Reals.
Require Import Coq.micromega.Lra.
Open Scope R_scope.

Theorem two_x_bound : forall x : R, 0 < x -> x < 3 -> 2 * x + 1 < 7.
Proof.
  intros x Hpos Hlt.
  lra.
Qed.
