(* "*)" *) Theorem t : True. Proof. "unterminated (* .
