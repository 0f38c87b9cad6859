(* expect: unsound *)
(* statement: renamed_statement.stmt *)
Theorem hard_thing' : 0 = 0.
Proof. reflexivity. Qed.
