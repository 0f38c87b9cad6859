// The service checks `header + statement + proof` and proves `header + statement` (agent/ProofAgent.Api/README.md).
// The page has one editor, so it splits the text into those parts, and maps the positions of the prover's
// diagnostics (line and column in the file the server compiled) back into the editor.
//
// Splitting works on a "masked" copy of the text in which comments and strings are blanked out (same length, newlines
// kept), so that a keyword inside a comment or a string never splits anything.

/** Blanks every code unit of text[from, to) except newlines. */
function blank(chars, from, to) {
  for (let i = from; i < to; i++) {
    if (chars[i] !== "\n") chars[i] = " ";
  }
}

/**
 * The masked text: comments and string contents replaced by spaces. `nested` are nestable comment delimiters,
 * `line` a line-comment opener, `quote` how a quote is escaped inside a string ("double" or "backslash").
 */
function mask(text, { nested = [], line = null, quote = "backslash", extraStrings = [] }) {
  const chars = text.split(""); // UTF-16 code units: the masked text keeps every offset
  let i = 0;
  const n = text.length;
  const startsWith = (s, at) => text.startsWith(s, at);
  /** The offset after the nested run of `pairs` (opener, closer) that opens at `at`. */
  const skipNested = (at, pairs) => {
    let depth = 0;
    let k = at;
    while (k < n) {
      const opener = pairs.find(([o]) => startsWith(o, k));
      const closer = opener ? null : pairs.find(([, c]) => startsWith(c, k));
      if (opener) {
        depth++;
        k += opener[0].length;
      } else if (closer) {
        depth--;
        k += closer[1].length;
        if (depth === 0) break;
      } else {
        k++;
      }
    }
    return k;
  };
  while (i < n) {
    const open = nested.find(([o]) => startsWith(o, i));
    if (open) {
      const from = i;
      i = skipNested(i, [open]);
      blank(chars, from, i);
      continue;
    }
    if (line && startsWith(line, i)) {
      const end = text.indexOf("\n", i);
      const to = end < 0 ? n : end;
      blank(chars, i, to);
      i = to;
      continue;
    }
    if (text[i] === '"') {
      const from = i;
      i++;
      while (i < n) {
        if (quote === "backslash" && text[i] === "\\") {
          i += 2;
        } else if (text[i] === '"') {
          if (quote === "double" && text[i + 1] === '"') {
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          i++;
        }
      }
      blank(chars, from + 1, Math.max(from + 1, i - 1));
      continue;
    }
    const other = extraStrings.find(([o]) => startsWith(o, i));
    if (other) {
      const [o, c] = other;
      const from = i;
      i = skipNested(i, extraStrings); // any of the string delimiters nests inside another
      blank(chars, from + o.length, Math.max(from + o.length, i - c.length));
      continue;
    }
    i++;
  }
  return chars.join("");
}

const syntax = {
  coq: { nested: [["(*", "*)"]], quote: "double" },
  lean4: { nested: [["/-", "-/"]], line: "--", quote: "backslash" },
  isabelle: { nested: [["(*", "*)"]], quote: "backslash", extraStrings: [["\\<open>", "\\<close>"], ["‹", "›"], ["{*", "*}"]] },
  fstar: { nested: [["(*", "*)"]], line: "//", quote: "backslash" },
  smt: { nested: [], line: ";", quote: "double" },
};

/** Exported for the tests: the masked text of a language. */
export const masked = (text, language) => mask(text, syntax[language] ?? syntax.coq);

/** Where the proof starts after a statement that ends at `end`: one line break is the separator the server adds back. */
function proofStart(text, end) {
  if (text[end] === "\n") return end + 1;
  if (text[end] === "\r" && text[end + 1] === "\n") return end + 2;
  return end;
}

const result = (text, headerEnd, statementStart, statementEnd) => {
  const proofFrom = proofStart(text, statementEnd);
  return {
    ok: true,
    header: { start: 0, end: headerEnd, text: text.slice(0, headerEnd) },
    statement: { start: statementStart, end: statementEnd, text: text.slice(statementStart, statementEnd) },
    proof: { start: proofFrom, end: text.length, text: text.slice(proofFrom) },
  };
};

const failure = (message) => ({ ok: false, message });

const coqTheorem = /^(?:#\[[^\]]*\]\s*)*(?:(?:Local|Global|Polymorphic|Monomorphic|Program)\s+)*(Theorem|Lemma|Fact|Remark|Corollary|Proposition|Property|Example)\b/;

function splitCoq(text) {
  const m = masked(text, "coq");
  let sentenceStart = 0;
  const end = /\.(?=\s|$)/g;
  for (let found = end.exec(m); found; found = end.exec(m)) {
    const sentence = m.slice(sentenceStart, found.index + 1);
    const lead = sentence.length - sentence.trimStart().length;
    if (coqTheorem.test(sentence.slice(lead))) {
      return result(text, sentenceStart + lead, sentenceStart + lead, found.index + 1);
    }
    sentenceStart = found.index + 1;
  }
  return failure("no Theorem or Lemma ending with '.' was found: the statement is the first `Theorem name : P.` of the file");
}

function splitLean(text) {
  const m = masked(text, "lean4");
  const decl = /(^|\n)([ \t]*(?:@\[[^\]]*\]\s*)?(?:(?:private|protected|noncomputable)\s+)*(?:theorem|lemma|example)\b)/g.exec(m);
  if (!decl) return failure("no `theorem`, `lemma` or `example` was found: the statement is the first `theorem name : P :=` of the file");
  const start = decl.index + decl[1].length + (decl[2].length - decl[2].trimStart().length);
  let depth = 0;
  for (let i = start; i < m.length; i++) {
    const ch = m[i];
    if ("([{⟨".includes(ch)) depth++;
    else if (")]}⟩".includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && ch === ":" && m[i + 1] === "=") {
      let end = i + 2;
      const by = /^\s*by\b/.exec(m.slice(end));
      if (by) end += by[0].length;
      return result(text, start, start, end);
    }
  }
  return failure("the theorem has no `:=`: write `theorem name : P := by` followed by the proof");
}

function splitIsabelle(text) {
  const m = masked(text, "isabelle");
  const begin = /\btheory\b[\s\S]*?\bbegin\b/.exec(m);
  const headerEnd = begin ? begin.index + begin[0].length : 0;
  const goal = /\b(lemma|theorem|corollary|proposition|schematic_goal)\b/g;
  goal.lastIndex = headerEnd;
  const found = goal.exec(m);
  if (!found) return failure("no `lemma` or `theorem` was found after the theory header");
  const proofKeyword = /\b(by|proof|apply|using|unfolding|including|supply|subgoal|sorry|oops|done)\b|(?<![\w.])\.\.?(?![\w.])/g;
  proofKeyword.lastIndex = found.index + found[0].length;
  const proof = proofKeyword.exec(m);
  if (!proof) return failure(`the ${found[1]} has no proof: write it after the statement (\`by simp\`, \`proof ... qed\`, \`sorry\`)`);
  let statementEnd = proof.index;
  while (statementEnd > found.index && /\s/.test(text[statementEnd - 1])) statementEnd--;
  return result(text, found.index, found.index, statementEnd);
}

function splitFStar(text) {
  const m = masked(text, "fstar");
  const val = /(^|\n)val\b/.exec(m);
  if (!val) return failure("no `val name : type` was found: the statement of an F* proof is its `val` declarations, followed by the `let`s that prove them");
  const start = val.index + val[1].length;
  const impl = /\n(let|\[@)/g;
  impl.lastIndex = start;
  const proof = impl.exec(m);
  if (!proof) return failure("no `let` follows the `val` declarations: write the definitions that prove them");
  let end = proof.index;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return result(text, start, start, end);
}

/** Splits the editor's text into header, statement and proof (each with its range), or says why it cannot. */
export function split(text, language) {
  switch (language) {
    case "coq":
      return splitCoq(text);
    case "lean4":
      return splitLean(text);
    case "isabelle":
      return splitIsabelle(text);
    case "fstar":
      return splitFStar(text);
    case "smt":
      return text.trim().length === 0
        ? failure("the SMT-LIB script is empty")
        : { ok: true, header: { start: 0, end: 0, text: "" }, statement: { start: 0, end: text.length, text }, proof: { start: text.length, end: text.length, text: "" } };
    default:
      return failure(`unknown language '${language}'`);
  }
}

/** The file the server compiles from parts: each non-empty part on its own lines (CheckInput.Join in the service). */
export function join(...parts) {
  return parts
    .filter((p) => p.length > 0)
    .map((p) => (p.endsWith("\n") ? p : p + "\n"))
    .join("");
}

/** The UTF-16 offset in `text` of a 1-based line and 1-based column counted in code points (clamped to the line). */
export function offsetOf(text, line, column) {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return text.length;
    start = next + 1;
  }
  let end = text.indexOf("\n", start);
  if (end < 0) end = text.length;
  let offset = start;
  for (let c = 1; c < column && offset < end; c++) {
    offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
  }
  return Math.min(offset, end);
}

/**
 * Maps a diagnostic's 1-based line and column (code points) in the compiled file `join(parts...)` to an offset in the
 * editor, given each sent part's text and its start in the editor. A position on a line break the server added maps
 * to the end of its part.
 */
export function editorOffset(parts, line, column) {
  const sent = parts.filter((p) => p.text.length > 0);
  const joined = join(...sent.map((p) => p.text));
  const target = offsetOf(joined, Math.max(1, line), Math.max(1, column));
  let at = 0;
  for (const part of sent) {
    const length = part.text.length + (part.text.endsWith("\n") ? 0 : 1);
    if (target < at + length) {
      return part.start + Math.min(target - at, part.text.length);
    }
    at += length;
  }
  const last = sent[sent.length - 1];
  return last ? last.start + last.text.length : 0;
}
