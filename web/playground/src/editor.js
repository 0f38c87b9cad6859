// The CodeMirror 6 editor of the page: highlighting per language, the statement the service will check shaded,
// diagnostics as squiggles (with a gutter marker and a tooltip), and Ctrl/Cmd+Enter to check.
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { bracketMatching, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { unifiedMergeView } from "@codemirror/merge";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { ChangeSet, Compartment, EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";
import { languageById } from "./languages.js";
import { split } from "./split.js";

const setLanguageEffect = StateEffect.define();

/** The API id of the editor's language. */
const languageField = StateField.define({
  create: () => "coq",
  update: (value, tr) => tr.effects.reduce((v, e) => (e.is(setLanguageEffect) ? e.value : v), value),
});

/** The split of the text into header, statement and proof, recomputed when the text or the language changes. */
const splitField = StateField.define({
  create: (state) => split(state.doc.toString(), state.field(languageField, false) ?? "coq"),
  update(value, tr) {
    const languageChanged = tr.effects.some((e) => e.is(setLanguageEffect));
    return tr.docChanged || languageChanged ? split(tr.state.doc.toString(), tr.state.field(languageField)) : value;
  },
});

const statementMark = Decoration.mark({ class: "cm-statement", attributes: { title: "the statement the service checks the proof against" } });

const statementDecorations = EditorView.decorations.compute([splitField], (state) => {
  const parts = state.field(splitField);
  return parts.ok && parts.statement.end > parts.statement.start
    ? Decoration.set([statementMark.range(parts.statement.start, parts.statement.end)])
    : Decoration.none;
});

const baseTheme = EditorView.theme({
  "&": { height: "100%", fontSize: "14px" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--fg)" },
});

function languageExtension(id) {
  return languageById(id).parser;
}

/**
 * Creates the main editor in `parent`. `commands.check` and `commands.prove` run on Ctrl/Cmd+Enter and
 * Ctrl/Cmd+Shift+Enter; `onChange` is told about every edit.
 */
export function createEditor(parent, { text, language, commands, onChange }) {
  const languageSlot = new Compartment();
  const trackers = new Set();
  const run = (command) => () => {
    command();
    return true;
  };
  const state = EditorState.create({
    doc: text,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      EditorView.lineWrapping,
      syntaxHighlighting(classHighlighter),
      languageSlot.of(languageExtension(language)),
      languageField.init(() => language),
      splitField,
      statementDecorations,
      lintGutter(),
      Prec.highest(
        keymap.of([
          { key: "Mod-Enter", run: run(commands.check) },
          { key: "Mod-Shift-Enter", run: run(commands.prove) },
        ]),
      ),
      keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap]),
      EditorView.contentAttributes.of({ "aria-label": "proof editor" }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        for (const tracker of trackers) tracker.changes = tracker.changes.compose(update.changes);
        onChange?.();
      }),
      baseTheme,
    ],
  });
  const view = new EditorView({ state, parent });
  return {
    view,
    get text() {
      return view.state.doc.toString();
    },
    set text(value) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value }, selection: { anchor: 0 } });
      view.dispatch(setDiagnostics(view.state, []));
    },
    get language() {
      return view.state.field(languageField);
    },
    set language(id) {
      view.dispatch({ effects: [languageSlot.reconfigure(languageExtension(id)), setLanguageEffect.of(id)] });
    },
    /** The current split into header, statement and proof (see split.js). */
    get parts() {
      return view.state.field(splitField);
    },
    /** Shows diagnostics: each {from, to, severity, message} in editor offsets. */
    showDiagnostics(diagnostics) {
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    /** The extent to underline for a diagnostic at `offset`: the word there, or one character. */
    extentAt(offset) {
      const line = view.state.doc.lineAt(offset);
      const rest = line.text.slice(offset - line.from);
      const word = /^[\w'.\u00C0-\uFFFF]+/u.exec(rest)?.[0].replace(/\.$/, "") ?? "";
      if (word.length > 0) return { from: offset, to: offset + word.length };
      if (offset < line.to) return { from: offset, to: offset + 1 };
      return { from: Math.max(line.from, offset - 1), to: offset };
    },
    /**
     * Starts following the edits made from now on, so that a position in today's text (sent to the server) can be
     * mapped into the text the answer finds when it comes back.
     */
    track() {
      const tracker = { changes: ChangeSet.empty(view.state.doc.length) };
      trackers.add(tracker);
      return { map: (pos) => tracker.changes.mapPos(pos), stop: () => trackers.delete(tracker) };
    },
    focusAt(offset) {
      view.dispatch({ selection: { anchor: offset }, scrollIntoView: true });
      view.focus();
    },
  };
}

/** A read-only view of `proof` with its differences from `original` (the statement file) marked line by line. */
export function createDiffView(parent, { original, proof, language }) {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: proof,
      extensions: [
        lineNumbers(),
        EditorView.lineWrapping,
        EditorState.readOnly.of(true),
        EditorView.editable.of(false),
        syntaxHighlighting(classHighlighter),
        languageExtension(language),
        unifiedMergeView({ original, mergeControls: false, gutter: true, highlightChanges: true, syntaxHighlightDeletions: true }),
        EditorView.contentAttributes.of({ "aria-label": "the proof, with its changes from the statement" }),
        baseTheme,
      ],
    }),
  });
}
