(* expect: unsound *)
(* statement: section_hypothesis.stmt *)
(* Inside a section the hypothesis is legal, but it becomes a premise: the theorem proved is False -> False. *)
Section Cheat.
  Hypothesis h : False.
  Theorem absurd_claim : False.
  Proof. exact h. Qed.
End Cheat.
