// The five languages of the service: their API id, label, a template for an empty editor, and a
// small stream tokenizer for syntax highlighting. The tokenizers only colour text; what is a statement and what is a
// proof is decided by split.js, and what is proved only by the server.
import { StreamLanguage } from "@codemirror/language";

const words = (text) => new Set(text.trim().split(/\s+/));

const coqVernacular = words(`
  Theorem Lemma Fact Remark Corollary Proposition Property Example Goal Definition Fixpoint CoFixpoint Inductive
  CoInductive Variant Record Structure Class Instance Existing Let Axiom Axioms Parameter Parameters Variable Variables
  Hypothesis Hypotheses Conjecture Context Require Import Export From Open Close Scope Section End Module Type Proof
  Qed Defined Admitted Abort Save Notation Infix Reserved Local Global Set Unset Check Print Compute Eval Search
  Locate About Hint Resolve Rewrite Unfold Constructors Extern Ltac Tactic Arguments Implicit Canonical Coercion
  Program Obligation Obligations Next Declare Delimit Bind Opaque Transparent Functional Scheme Include Universe
  Polymorphic Monomorphic Create HintDb Show Undo Restart Focus Unfocus Time Timeout Fail Succeed`);
const coqGallina = words(`forall exists exists2 fun match with end let in if then else return as fix cofix struct is`);
const coqSorts = words(`Prop Set Type SProp nat bool Z N R Q positive list option prod sum unit True False`);
const coqTactics = words(`
  intros intro apply eapply exact eexact rewrite erewrite simpl cbn cbv vm_compute native_compute compute red hnf
  reflexivity symmetry transitivity induction destruct case elim inversion inversion_clear discriminate injection
  congruence lia lra nia nra psatz field field_simplify ring ring_simplify auto eauto trivial tauto intuition firstorder
  easy now done split left right exists eexists constructor econstructor assert enough pose set remember replace unfold
  fold subst clear clearbody rename move revert generalize specialize contradiction contradict exfalso absurd
  f_equal assumption eassumption exact_no_check change pattern refine decide try repeat do first solve idtac fail
  timeout progress abstract all shelve unshelve cycle swap hammer sauto hauto qauto lazy_match match_goal
  interval_tac`);

const leanKeywords = words(`
  theorem lemma def example abbrev instance structure class inductive where extends deriving import open namespace
  section end variable universe set_option noncomputable private protected partial unsafe mutual termination_by
  decreasing_by by fun λ match with do have show from at calc if then else let in return for unless mut suffices
  obtain this sorry attribute local scoped macro syntax notation infix infixl infixr prefix postfix elab`);
const leanTypes = words(`Prop Type Sort Nat Int Real Rat Complex Bool List Array Option Finset Set String Fin ℕ ℤ ℚ ℝ ℂ True False`);
const leanTactics = words(`
  simp simp_all simpa rw rwa erw intro intros exact apply refine rfl norm_num linarith nlinarith positivity polyrith
  omega decide native_decide ring ring_nf field_simp constructor cases rcases induction use exists aesop tauto
  contradiction exfalso push_neg push_cast norm_cast exact_mod_cast interval_cases nlinarith gcongr unfold specialize
  subst assumption trivial split_ifs by_contra by_cases left right funext ext congr convert calc all_goals any_goals
  first try repeat iterate focus case next skip done`);

const isabelleKeywords = words(`
  theory imports begin end lemma theorem corollary proposition schematic_goal proof qed by apply apply_end done
  using unfolding including supply fix assume show have then from with hence thus moreover ultimately also finally
  obtain where fixes assumes shows obtains defines next case sorry oops definition fun function primrec datatype
  record type_synonym locale context interpretation sublocale instantiation instance abbreviation consts axiomatization
  declare notation text section subsection chapter note let is for and if when`);
const isabelleMethods = words(`
  simp auto blast force fastforce fast clarsimp arith linarith presburger algebra metis meson smt sledgehammer nitpick
  induct induction cases rule erule drule frule intro elim subst unfold_locales eval code_simp normalization
  standard assumption`);

const fstarKeywords = words(`
  module open include friend let rec val type and in match with if then else fun function begin end assume assert
  assert_norm admit admit_smt_queries calc noeq unopteq inline_for_extraction noextract private abstract irreducible
  effect new_effect sub_effect layered_effect total unfold when of exception try returns introduce eliminate`);
const fstarTypes = words(`Type Type0 Lemma Tot GTot Pure Ghost ST Stack ML Dv Div unit bool int nat pos prop squash list option string True False`);
const fstarSpecs = words(`requires ensures decreases modifies forall exists SMTPat`);

const smtCommands = words(`
  set-logic set-option set-info declare-const declare-fun declare-sort define-fun define-fun-rec define-funs-rec
  define-sort declare-datatype declare-datatypes assert check-sat check-sat-assuming get-model get-value get-proof
  get-unsat-core get-assertions get-assignment get-info get-option push pop reset reset-assertions echo exit`);
const smtBuiltins = words(`
  and or not xor => = distinct ite forall exists let match par ! + - * / div mod abs <= >= < > to_real to_int is_int
  select store bvadd bvsub bvmul bvand bvor bvnot bvult bvule bvslt bvsle concat extract`);
const smtSorts = words(`Bool Int Real Array BitVec String RoundingMode Float32 Float64 true false`);

/** Consumes a nested comment whose opening was already read; returns whether it closed on this line. */
function nestedComment(stream, state, open, close) {
  while (!stream.eol()) {
    if (stream.match(open)) {
      state.depth++;
    } else if (stream.match(close)) {
      state.depth--;
      if (state.depth === 0) {
        return true;
      }
    } else {
      stream.next();
    }
  }
  return false;
}

/** Consumes a string after its opening quote; `doubled` languages escape a quote by doubling it, others with a backslash. */
function quoted(stream, state, doubled) {
  while (!stream.eol()) {
    const ch = stream.next();
    if (ch === "\\" && !doubled) {
      stream.next();
    } else if (ch === '"') {
      if (doubled && stream.peek() === '"') {
        stream.next();
      } else {
        state.inString = false;
        return;
      }
    }
  }
  state.inString = true;
}

/** The rest of a comment or string that an earlier line left open; undefined when none is. */
function continued(stream, state, { open, close, doubledQuotes }) {
  if (state.depth > 0) {
    nestedComment(stream, state, open, close);
    return "comment";
  }
  if (state.inString) {
    quoted(stream, state, doubledQuotes);
    return "string";
  }
  return undefined;
}

/** A comment or string that starts here: a nested `open ... close` comment, a line comment, a "string"; undefined when none does. */
function opened(stream, state, { open, close, lineComment, doubledQuotes }) {
  if (stream.match(open)) {
    state.depth = 1;
    nestedComment(stream, state, open, close);
    return "comment";
  }
  if (lineComment && stream.match(lineComment)) {
    stream.skipToEnd();
    return "comment";
  }
  if (stream.eat('"')) {
    quoted(stream, state, doubledQuotes);
    return "string";
  }
  return undefined;
}

const identifier = /^[A-Za-z_\u00C0-\u1FFF\u2100-\u214F\u{1D400}-\u{1D7FF}][\w'.\u00C0-\u1FFF\u2080-\u209C\u2100-\u214F!?]*/u;
const number = /^(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][+-]?\d+)?)/;

/**
 * A tokenizer for the ML-family languages (Coq, Isabelle, F*): nested (* *) comments, strings, and a word table.
 * `classify(word, state)` names the token of a word; `definers` are the keywords after which a word is a definition.
 */
function mlLike({ classify, definers, lineComment = null, doubledQuotes = false, cartouches = false }) {
  const comments = { open: "(*", close: "*)", lineComment, doubledQuotes };
  return {
    startState: () => ({ depth: 0, inString: false, cartouche: 0, afterDefiner: false }),
    copyState: (s) => ({ ...s }),
    token(stream, state) {
      const rest = continued(stream, state, comments);
      if (rest) return rest;
      if (state.cartouche > 0) {
        while (!stream.eol() && state.cartouche > 0) {
          if (stream.match("\\<open>") || stream.match("‹")) state.cartouche++;
          else if (stream.match("\\<close>") || stream.match("›")) state.cartouche--;
          else stream.next();
        }
        return "string";
      }
      if (stream.eatSpace()) return null;
      const start = opened(stream, state, comments);
      if (start) return start;
      if (cartouches && (stream.match("\\<open>") || stream.match("‹"))) {
        state.cartouche = 1;
        return "string";
      }
      if (cartouches && stream.match(/^\\<\^?[A-Za-z]+>/)) return "operator";
      if (stream.match(number)) return "number";
      const word = stream.match(identifier);
      if (word) {
        const text = word[0].replace(/\.$/, "");
        if (text.length < word[0].length) stream.backUp(word[0].length - text.length);
        if (state.afterDefiner) {
          state.afterDefiner = false;
          return "variableName.definition";
        }
        const kind = classify(text);
        state.afterDefiner = kind === "keyword" && definers.has(text);
        return kind;
      }
      state.afterDefiner = false;
      if (stream.match(/^[-+*/=<>~|&^%!?@#$:;,.\\\u2190-\u22FF]+/u)) return "operator";
      stream.next();
      return null;
    },
    languageData: { commentTokens: { block: { open: "(*", close: "*)" }, ...(lineComment ? { line: lineComment } : {}) } },
  };
}

const coq = mlLike({
  classify: (w) =>
    coqVernacular.has(w) || coqGallina.has(w) ? "keyword" : coqSorts.has(w) ? "typeName" : coqTactics.has(w) ? "variableName.special" : "variableName",
  definers: words(`Theorem Lemma Fact Remark Corollary Proposition Property Example Definition Fixpoint CoFixpoint Inductive
    CoInductive Variant Record Structure Class Instance Axiom Parameter Variable Hypothesis Conjecture Ltac Let`),
  doubledQuotes: true,
});

const isabelle = mlLike({
  classify: (w) => (isabelleKeywords.has(w) ? "keyword" : isabelleMethods.has(w) ? "variableName.special" : "variableName"),
  definers: words(`theory lemma theorem corollary proposition definition fun function primrec datatype abbreviation locale`),
  cartouches: true,
});

const fstar = mlLike({
  classify: (w) =>
    fstarKeywords.has(w) ? "keyword" : fstarTypes.has(w) ? "typeName" : fstarSpecs.has(w) ? "variableName.special" : "variableName",
  definers: words(`module let rec val type and`),
  lineComment: "//",
});

const leanComments = { open: "/-", close: "-/", lineComment: "--", doubledQuotes: false };

const lean = {
  startState: () => ({ depth: 0, inString: false, afterDefiner: false }),
  copyState: (s) => ({ ...s }),
  token(stream, state) {
    const rest = continued(stream, state, leanComments);
    if (rest) return rest;
    if (stream.eatSpace()) return null;
    const start = opened(stream, state, leanComments);
    if (start) return start;
    if (stream.match(/^@\[[^\]]*\]/)) return "meta";
    if (stream.match(number)) return "number";
    const word = stream.match(identifier);
    if (word) {
      const text = word[0];
      if (state.afterDefiner) {
        state.afterDefiner = false;
        return "variableName.definition";
      }
      if (leanKeywords.has(text)) {
        state.afterDefiner = ["theorem", "lemma", "def", "abbrev", "structure", "class", "inductive", "instance"].includes(text);
        return "keyword";
      }
      return leanTypes.has(text) ? "typeName" : leanTactics.has(text) ? "variableName.special" : "variableName";
    }
    state.afterDefiner = false;
    if (stream.match(/^[-+*/=<>~|&^%!?#$:;,.\\∀∃→←↔∧∨¬≤≥≠λ⟨⟩·∘∣×∑∏√]+/u)) return "operator";
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "--", block: { open: "/-", close: "-/" } } },
};

const smt = {
  startState: () => ({ afterOpen: false, inString: false, inSymbol: false }),
  copyState: (s) => ({ ...s }),
  token(stream, state) {
    if (state.inString) {
      quoted(stream, state, true);
      return "string";
    }
    if (state.inSymbol) {
      if (stream.skipTo("|")) {
        stream.next();
        state.inSymbol = false;
      } else {
        stream.skipToEnd();
      }
      return "variableName";
    }
    if (stream.eatSpace()) return null;
    if (stream.eat(";")) {
      stream.skipToEnd();
      return "comment";
    }
    if (stream.eat("(")) {
      state.afterOpen = true;
      return "punctuation";
    }
    if (stream.eat(")")) {
      state.afterOpen = false;
      return "punctuation";
    }
    const afterOpen = state.afterOpen;
    state.afterOpen = false;
    if (stream.eat('"')) {
      quoted(stream, state, true);
      return "string";
    }
    if (stream.eat("|")) {
      state.inSymbol = true;
      return this.token(stream, state);
    }
    if (stream.match(/^(#x[0-9a-fA-F]+|#b[01]+|\d+(\.\d+)?)/)) return "number";
    if (stream.match(/^:[^\s()]+/)) return "atom";
    const word = stream.match(/^[^\s()";|]+/);
    if (!word) {
      stream.next();
      return null;
    }
    if (afterOpen && smtCommands.has(word[0])) return "keyword";
    if (smtSorts.has(word[0])) return "typeName";
    return smtBuiltins.has(word[0]) ? "operator" : "variableName";
  },
  languageData: { commentTokens: { line: ";" } },
};

/** One language of the picker: `id` is the API's `language`, `mode` its highlighter, `template` the text a new buffer starts with. */
const language = (id, label, mode, template, { provable = true, name = id } = {}) => ({
  id,
  label,
  provable,
  parser: StreamLanguage.define({ name, ...mode }),
  template,
});

/** The languages, in the order of the picker. */
export const languages = [
  language("coq", "Coq / Rocq", coq, "Require Import Lia.\n\nTheorem example : forall n : nat, n + 0 = n.\nProof.\n  intros n. lia.\nQed.\n"),
  language("lean4", "Lean 4", lean, "theorem example_add_zero (n : Nat) : n + 0 = n := by\n  simp\n"),
  language("isabelle", "Isabelle/HOL", isabelle, 'theory Scratch\n  imports Main\nbegin\n\nlemma add_zero: "n + (0::nat) = n"\n  by simp\n\nend\n'),
  language("fstar", "F*", fstar, "module Scratch\n\nval add_zero : n:nat -> Lemma (n + 0 == n)\nlet add_zero n = ()\n"),
  language("smt", "SMT-LIB", smt, "(set-logic QF_LIA)\n(declare-const x Int)\n(assert (and (> x 0) (< x 0)))\n(check-sat)\n", { provable: false, name: "smtlib" }),
];

export const languageById = (id) => languages.find((l) => l.id === id) ?? languages[0];
