(* expect: unsound *)
Local Unset Positivity Checking.
Inductive Bad : Type := wrap : (Bad -> False) -> Bad.
Definition unwrap (b : Bad) : Bad -> False := match b with wrap f => f end.
Theorem paradox : False.
Proof.
  pose (f := fun b : Bad => unwrap b b).
  exact (f (wrap f)).
Qed.
