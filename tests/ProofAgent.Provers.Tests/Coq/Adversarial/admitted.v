(* expect: incomplete *)
(* Admitted is accepted silently by coqc (exit 0): only the audit sees the hole. *)
Theorem plus_comm_claim : forall n m : nat, n + m = m + n.
Proof.
Admitted.
