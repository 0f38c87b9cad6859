(* expect: incomplete *)
(* The main theorem is closed with Qed, but rests on an admitted lemma. *)
Lemma helper : forall n : nat, n * 0 = 1.
Admitted.
Theorem main : 0 = 1.
Proof. rewrite <- (helper 5). reflexivity. Qed.
