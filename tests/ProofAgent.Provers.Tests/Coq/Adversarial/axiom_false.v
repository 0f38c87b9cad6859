(* expect: unsound *)
Axiom cheat : False.
Theorem one_is_two : 1 = 2.
Proof. destruct cheat. Qed.
