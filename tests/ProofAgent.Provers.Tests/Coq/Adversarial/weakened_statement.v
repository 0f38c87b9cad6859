(* expect: unsound *)
(* statement: weakened_statement.stmt *)
(* Same name, weaker proposition. *)
Theorem n_plus_zero : forall n : nat, n + 0 = n \/ True.
Proof. intro n. right. exact I. Qed.
