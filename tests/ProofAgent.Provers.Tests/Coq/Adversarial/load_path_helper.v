(* expect: unsound *)
(* Tries to pull an axiom from a helper file outside the job. *)
Add LoadPath "/tmp" as Helper.
Theorem t : True.
Proof. exact I. Qed.
