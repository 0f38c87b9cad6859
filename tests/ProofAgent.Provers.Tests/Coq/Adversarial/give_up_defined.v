(* expect: incomplete *)
Definition answer : { n : nat | n = 42 }.
Proof. exists 42. give_up. Defined.
Theorem uses_answer : True.
Proof. exact I. Qed.
