(* expect: timeout *)
(* Exponential computation: the checker must kill it at the time limit. *)
Fixpoint blow (n : nat) : nat := match n with 0 => 1 | S m => blow m + blow m end.
Theorem blow_up : blow 60 = 0.
Proof. vm_compute. reflexivity. Qed.
