(* expect: unsound *)
(* A consistent library axiom that is not on the allow-list: found only by Print Assumptions. *)
Require Import Coq.Logic.ClassicalUniqueChoice.
Theorem choice_used : forall (A B : Type) (R : A -> B -> Prop),
  (forall x, exists! y, R x y) -> exists f : A -> B, forall x, R x (f x).
Proof. exact (@unique_choice). Qed.
