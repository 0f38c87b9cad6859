(* expect: failed *)
(* Nothing is left defined: the only theorem is aborted. *)
Theorem not_really : 1 = 2.
Proof.
Abort.
