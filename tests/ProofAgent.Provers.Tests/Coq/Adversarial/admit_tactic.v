(* expect: incomplete *)
Theorem two_goals : True /\ 1 = 2.
Proof.
  split.
  - exact I.
  - admit.
Qed.
