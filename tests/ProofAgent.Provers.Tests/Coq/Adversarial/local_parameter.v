(* expect: unsound *)
(* Attributes and locality prefixes do not hide a declaration. *)
#[local] Parameter anything : forall P : Prop, P.
Theorem fermat_for_free : forall n : nat, n = n + 1.
Proof. intro n. apply anything. Qed.
