(* expect: unsound *)
(* A native plugin could patch the kernel. *)
Declare ML Module "ltac_plugin".
Theorem t : True.
Proof. exact I. Qed.
