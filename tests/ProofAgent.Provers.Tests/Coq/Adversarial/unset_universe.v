(* expect: unsound *)
Unset Universe Checking.
Theorem trivial_claim : True.
Proof. exact I. Qed.
