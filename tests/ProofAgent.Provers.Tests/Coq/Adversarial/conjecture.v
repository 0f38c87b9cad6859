(* expect: unsound *)
Conjecture collatz : forall n : nat, n = 0 \/ n <> 0 -> 1 = 1.
Theorem uses_collatz : 1 = 1.
Proof. apply (collatz 0). left. reflexivity. Qed.
