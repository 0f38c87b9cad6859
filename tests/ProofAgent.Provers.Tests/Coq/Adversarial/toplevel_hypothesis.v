(* expect: unsound *)
(* Outside a section, Hypothesis declares a global axiom. *)
Hypothesis absurd : False.
Theorem anything_goes : 0 = 1.
Proof. contradiction. Qed.
