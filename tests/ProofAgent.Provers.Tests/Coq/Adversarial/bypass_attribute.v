(* expect: unsound *)
#[bypass_check(guard)]
Fixpoint loop (n : nat) : False := loop n.
Theorem from_loop : False.
Proof. exact (loop 0). Qed.
