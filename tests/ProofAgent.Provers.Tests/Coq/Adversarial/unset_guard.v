(* expect: unsound *)
Unset Guard Checking.
Fixpoint bogus (n : nat) : False := bogus n.
Set Guard Checking.
Theorem by_bogus : 1 = 2.
Proof. destruct (bogus 0). Qed.
