(* expect: unsound *)
(* Writes outside the proof. *)
Redirect "/tmp/proofagent-pwned" Print nat.
Theorem t : True.
Proof. exact I. Qed.
