(* expect: incomplete *)
(* Prints what a naive audit would read as success. The audit runs in a separate file, so it cannot be fooled. *)
Theorem claims_closed : 1 = 2.
Proof.
  idtac "Closed under the global context".
Admitted.
