import { test } from "node:test";
import assert from "node:assert/strict";
import { split, join, offsetOf, editorOffset, masked } from "../src/split.js";

const addComm = `(* A comment that says Theorem fake : False. *)
Require Import Coq.Arith.PeanoNat.

Theorem add_comm_example : forall n m : nat, n + m = m + n.
Proof.
  intros n m.
  induction n as [| n IH]; simpl.
  - rewrite IHx. reflexivity.
Qed.
`;

test("Coq: the statement is the first Theorem sentence; comments and qualified names do not split", () => {
  const parts = split(addComm, "coq");
  assert.equal(parts.ok, true);
  assert.equal(parts.statement.text, "Theorem add_comm_example : forall n m : nat, n + m = m + n.");
  assert.equal(parts.header.text, "(* A comment that says Theorem fake : False. *)\nRequire Import Coq.Arith.PeanoNat.\n\n");
  assert.ok(parts.proof.text.startsWith("Proof.\n"));
  // Split at line ends, the compiled file is the editor's text: line 8 column 13 is `IHx`.
  assert.equal(join(parts.header.text, parts.statement.text, parts.proof.text), addComm);
  const at = editorOffset([parts.header, parts.statement, parts.proof], 8, 13);
  assert.equal(addComm.slice(at, at + 3), "IHx");
});

test("Coq: a statement and proof on one line map positions across the line break the server adds", () => {
  const text = "Theorem t : 1 = 1. Proof. reflexivity. Qed.";
  const parts = split(text, "coq");
  assert.equal(parts.statement.text, "Theorem t : 1 = 1.");
  assert.equal(parts.proof.text, " Proof. reflexivity. Qed.");
  // The server compiles "Theorem t : 1 = 1.\n Proof. reflexivity. Qed.\n": `reflexivity` is at line 2, column 9.
  const compiled = join(parts.header.text, parts.statement.text, parts.proof.text);
  assert.equal(compiled.slice(offsetOf(compiled, 2, 9)).slice(0, 11), "reflexivity");
  const at = editorOffset([parts.header, parts.statement, parts.proof], 2, 9);
  assert.equal(text.slice(at, at + 11), "reflexivity");
});

test("Coq: without a theorem the split says what it looked for", () => {
  const parts = split("Definition x := 1.\n", "coq");
  assert.equal(parts.ok, false);
  assert.match(parts.message, /Theorem/);
});

test("Columns count code points, not UTF-16 units", () => {
  const text = "Theorem t : forall (h𝔸 : nat), h𝔸 = h𝔸.\n";
  // 𝔸 is one code point but two UTF-16 units: column 32 is the second `h𝔸`.
  const at = offsetOf(text, 1, 32);
  assert.equal(text.slice(at, at + 3), "h𝔸");
});

/** The split's three texts (header, statement, proof), after checking that it succeeded. */
const texts = (text, language) => {
  const parts = split(text, language);
  assert.equal(parts.ok, true, parts.message);
  return [parts.header.text, parts.statement.text, parts.proof.text];
};

test("Lean 4: the statement runs to `:= by` outside brackets; the proof is the tactics", () => {
  const text = "import Mathlib\n\n/-- doc with theorem inside -/\ntheorem foo (x : ℝ) (h : x = (2 : ℝ)) : x + 0 = 2 := by\n  simp [h]\n";
  assert.deepEqual(texts(text, "lean4"), ["import Mathlib\n\n/-- doc with theorem inside -/\n", "theorem foo (x : ℝ) (h : x = (2 : ℝ)) : x + 0 = 2 := by", "  simp [h]\n"]);
});

test("Lean 4: a default argument's := inside brackets is not the end of the statement", () => {
  assert.deepEqual(texts("theorem t (n : Nat := 0) : n = n := rfl", "lean4"), ["", "theorem t (n : Nat := 0) : n = n :=", " rfl"]);
});

test("SMT-LIB: the script is the statement, with no proof", () => {
  assert.deepEqual(texts("(check-sat)\n", "smt"), ["", "(check-sat)\n", ""]);
});

test("Isabelle: header to `begin`, statement to the first proof keyword outside strings", () => {
  const text = 'theory Scratch\n  imports Main\nbegin\n\nlemma add_zero: "n + (0::nat) = n by"\n  by simp\n\nend\n';
  assert.deepEqual(texts(text, "isabelle"), ["theory Scratch\n  imports Main\nbegin\n\n", 'lemma add_zero: "n + (0::nat) = n by"', "  by simp\n\nend\n"]);
});

test("F*: the statement is the val declarations, the proof the lets", () => {
  const text = "module Scratch\n\nval add_zero : n:nat -> Lemma (n + 0 == n)\nlet add_zero n = ()\n";
  assert.deepEqual(texts(text, "fstar"), ["module Scratch\n\n", "val add_zero : n:nat -> Lemma (n + 0 == n)", "let add_zero n = ()\n"]);
});

test("Masking keeps every offset and newline", () => {
  const text = 'a (* b\n "c" *) "d\n(*" e';
  const m = masked(text, "coq");
  assert.equal(m.length, text.length);
  assert.equal(m.split("\n").length, text.split("\n").length);
  assert.ok(!m.includes("b") && !m.includes("d") && m.includes("e"));
});
