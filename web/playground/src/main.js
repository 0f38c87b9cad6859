// The playground page: wires the editor, the examples, Check (POST /v1/check) and Prove (POST /v1/proofs and its
// event stream) together. Everything the server sends is shown as text.
import { Api, ApiError } from "./api.js";
import { $, h } from "./dom.js";
import { createDiffView, createEditor } from "./editor.js";
import { languageById, languages } from "./languages.js";
import { editorOffset, join } from "./split.js";
import { TraceList } from "./trace.js";

const api = new Api();
const ui = {
  language: $("#language"),
  examples: $("#examples"),
  check: $("#check"),
  prove: $("#prove"),
  cancel: $("#cancel"),
  budget: $("#budget"),
  model: $("#model"),
  mode: $("#mode"),
  key: $("#api-key"),
  banner: $("#banner"),
  splitInfo: $("#split-info"),
  welcome: $("#welcome"),
  serverInfo: $("#server-info"),
  checkPanel: $("#check-panel"),
  verdict: $("#verdict"),
  checkSummary: $("#check-summary"),
  theorems: $("#theorems"),
  diagnostics: $("#diagnostics"),
  jobPanel: $("#job-panel"),
  jobStatus: $("#job-status"),
  jobInfo: $("#job-info"),
  proofResult: $("#proof-result"),
  proofSummary: $("#proof-summary"),
  proofActions: $("#proof-actions"),
  proofDiff: $("#proof-diff"),
  insertProof: $("#insert-proof"),
  copyProof: $("#copy-proof"),
  copyState: $("#copy-state"),
};
const trace = new TraceList($("#trace"));

/** What is running: at most one check and one proof job at a time. */
const state = { checking: false, job: null, diff: null, proof: null, lastLoaded: null };

// ---- banner ------------------------------------------------------------------------------------------------------

function showBanner(message, kind = "error") {
  ui.banner.textContent = message;
  ui.banner.className = `banner-${kind}`;
  ui.banner.hidden = false;
}

function hideBanner() {
  ui.banner.hidden = true;
}

/** Shows a failure; a 401 also takes the focus to the key field. */
function showFailure(error) {
  if (error?.name === "AbortError") return;
  showBanner(error instanceof ApiError ? error.message : `Unexpected error: ${error?.message ?? error}`);
  if (error instanceof ApiError && error.status === 401) ui.key.focus();
}

// ---- editor, languages and examples ---------------------------------------------------------------------------

// The examples menu: the repository's examples/ files, which the server embeds and lists (no copy in this bundle).
const examples = await loadExamples();
const first = examples.find((e) => e.path === "coq/add_comm.v") ?? examples[0];
const editor = createEditor($("#editor"), {
  text: first?.text ?? languages[0].template,
  language: first?.language ?? "coq",
  commands: { check: () => runCheck(), prove: () => runProve() },
  onChange: () => describeSplit(),
});
state.lastLoaded = editor.text;

for (const language of languages) {
  ui.language.append(h("option", { value: language.id }, language.label));
}
ui.language.value = editor.language;

const groups = new Map();
for (const [index, example] of examples.entries()) {
  if (!groups.has(example.group)) groups.set(example.group, ui.examples.appendChild(h("optgroup", { label: example.group })));
  groups.get(example.group).append(h("option", { value: String(index), title: example.path }, example.name));
}

async function loadExamples() {
  try {
    const response = await fetch("examples.json", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`examples.json: ${response.status}`);
    return await response.json();
  } catch (error) {
    showFailure(error); // the page still works from the languages' templates
    return [];
  }
}

function load(text, languageId) {
  editor.language = languageId;
  editor.text = text;
  ui.language.value = languageId;
  state.lastLoaded = text;
  ui.checkPanel.hidden = true;
  describeSplit();
  updateProveAvailability();
}

ui.examples.addEventListener("change", () => {
  const example = examples[Number(ui.examples.value)];
  if (example) load(example.text, example.language);
});

ui.language.addEventListener("change", () => {
  const language = languageById(ui.language.value);
  // An untouched example or template is replaced by the new language's template; the user's own text is kept.
  if (editor.text === state.lastLoaded || editor.text.trim() === "") load(language.template, language.id);
  else {
    editor.language = language.id;
    describeSplit();
    updateProveAvailability();
  }
  ui.examples.value = "";
});

function lineOf(offset) {
  return editor.view.state.doc.lineAt(offset).number;
}

/** The 1-based column of an offset, in code points (as the service counts them). */
function columnOf(offset) {
  const line = editor.view.state.doc.lineAt(offset);
  return [...line.text.slice(0, offset - line.from)].length + 1;
}

function describeSplit() {
  const parts = editor.parts;
  if (!parts.ok) {
    ui.splitInfo.textContent = parts.message;
    ui.splitInfo.classList.add("warning");
    return;
  }
  ui.splitInfo.classList.remove("warning");
  if (editor.language === "smt") {
    ui.splitInfo.textContent = "The whole script is checked: proved when every (check-sat) answers unsat.";
    return;
  }
  const { statement, proof } = parts;
  const lines = (a, b) => (a === b ? `line ${a}` : `lines ${a}–${b}`);
  ui.splitInfo.textContent =
    `Statement: ${lines(lineOf(statement.start), lineOf(statement.end))} (shaded); ` +
    (proof.text.trim() ? `proof: ${lines(lineOf(proof.start), lineOf(proof.end))}.` : "no proof yet: Prove can find one.");
}

function updateProveAvailability() {
  const provable = languageById(editor.language).provable;
  ui.prove.disabled = !provable || state.job !== null;
  ui.prove.title = provable ? "Find a proof of the statement (Ctrl+Shift+Enter)" : "SMT-LIB scripts are checked, not proved: use Check";
}

// ---- API key ------------------------------------------------------------------------------------------------------

ui.key.value = api.key;
ui.key.addEventListener("change", () => {
  syncKey();
  hideBanner();
});

/** Takes the key field's value (a shortcut pressed in the field comes before its `change` event). */
function syncKey() {
  if (api.key !== ui.key.value.trim()) api.key = ui.key.value.trim();
}

// ---- server information: models, modes, provers --------------------------------------------------------------------

async function loadServerInfo() {
  try {
    const { body: health } = await api.request("GET", "health");
    for (const name of health.models ?? []) ui.model.append(h("option", { value: name }, name));
    const missing = (health.provers ?? []).filter((p) => !p.available);
    for (const prover of missing) {
      const option = [...ui.language.options].find((o) => o.value === prover.language);
      if (option) {
        option.textContent = `${languageById(prover.language).label} (not installed)`;
        option.title = prover.reason ?? "";
      }
    }
    const available = (health.provers ?? []).filter((p) => p.available).map((p) => `${p.name} ${p.version}`);
    ui.serverInfo.textContent =
      `Server: ${available.length ? available.join(", ") : "no prover installed"}; ` +
      `${health.models?.length ? `models: ${health.models.join(", ")}` : "no model (automation only)"}; ` +
      `authentication: ${health.auth}.`;
    if (health.auth === "api-key") ui.key.closest("label").classList.add("needed");
  } catch (error) {
    showFailure(error);
  }
}

/** The string values an OpenAPI schema allows (inline, behind a $ref, or in a nullable oneOf/anyOf), or null. */
function enumOf(schema, schemas, depth = 0) {
  if (!schema || depth > 4) return null;
  if (Array.isArray(schema.enum)) return schema.enum.filter((v) => typeof v === "string");
  const ref = typeof schema.$ref === "string" ? schemas[schema.$ref.split("/").pop()] : null;
  if (ref) return enumOf(ref, schemas, depth + 1);
  for (const option of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    const values = enumOf(option, schemas, depth + 1);
    if (values?.length) return values;
  }
  return null;
}

/** The proof modes the server takes, read from its OpenAPI document (older servers have none: the field is not sent). */
async function loadModes() {
  let modes = [];
  try {
    const { body: document } = await api.request("GET", "openapi/v1.json");
    const schemas = document?.components?.schemas ?? {};
    const mode = schemas.ProofRequestBody?.properties?.mode;
    if (mode) modes = enumOf(mode, schemas) ?? ["pipeline", "agent"];
  } catch {
    modes = [];
  }
  ui.mode.replaceChildren(...(modes.length ? modes.map((m) => h("option", { value: m }, m)) : [h("option", { value: "" }, "(not offered)")]));
  ui.mode.disabled = modes.length === 0;
  ui.mode.title = modes.length ? "pipeline: the staged loop; agent: the model drives the prover" : "this server takes no proof mode";
}

// ---- Check ----------------------------------------------------------------------------------------------------------

function sentParts() {
  const parts = editor.parts;
  if (!parts.ok) throw new ApiError(parts.message);
  return parts;
}

async function runCheck() {
  if (state.checking) return;
  syncKey();
  let parts;
  try {
    parts = sentParts();
    if (editor.language !== "smt" && parts.proof.text.trim() === "") {
      throw new ApiError("There is no proof after the statement: write one (e.g. `Proof. … Qed.`), or use Prove to find one.");
    }
  } catch (error) {
    showFailure(error);
    return;
  }
  state.checking = true;
  ui.check.disabled = true;
  hideBanner();
  ui.welcome.hidden = true;
  ui.checkPanel.hidden = false;
  setVerdict(ui.verdict, "checking", "checking…");
  ui.checkSummary.textContent = "";
  ui.theorems.replaceChildren();
  ui.diagnostics.replaceChildren();
  editor.showDiagnostics([]);
  const tracking = editor.track();
  try {
    const sent = [parts.header, parts.statement, parts.proof];
    const { body: report, headers } = await api.request("POST", "v1/check", {
      language: editor.language,
      header: parts.header.text,
      statement: parts.statement.text,
      proof: parts.proof.text,
    });
    renderReport(report, headers.get("X-Cache"), sent, tracking);
  } catch (error) {
    setVerdict(ui.verdict, "error", "not checked");
    ui.checkSummary.textContent = error.message;
    showFailure(error);
  } finally {
    tracking.stop();
    state.checking = false;
    ui.check.disabled = false;
  }
}

function setVerdict(element, verdict, text = verdict) {
  element.textContent = text;
  element.dataset.verdict = verdict;
  element.className = `verdict verdict-${verdict}`;
}

function renderReport(report, cache, sent, tracking) {
  setVerdict(ui.verdict, report.verdict);
  const seconds = typeof report.elapsedMs === "number" ? `${(report.elapsedMs / 1000).toFixed(2)} s` : "";
  ui.checkSummary.replaceChildren(
    report.reason ? h("span", { class: "reason" }, report.reason, h("br")) : "",
    `${report.prover?.name ?? "?"} ${report.prover?.version ?? ""} · ${seconds}${cache ? ` · cache ${cache}` : ""}`,
    report.results?.length ? ` · (check-sat) answers: ${report.results.join(", ")}` : "",
  );
  for (const theorem of report.theorems ?? []) {
    ui.theorems.append(
      h(
        "li",
        { class: "theorem", "data-name": theorem.name },
        h("div", {}, h("b", {}, theorem.name), " ", h("span", { class: `verdict-word verdict-${theorem.verdict}` }, theorem.verdict)),
        theorem.statement ? h("pre", { class: "kernel-statement", title: "the statement as the kernel sees it" }, theorem.statement) : "",
        h("div", { class: "axioms" }, theorem.axioms?.length ? `axioms: ${theorem.axioms.join(", ")}` : "no axioms"),
      ),
    );
  }
  const marks = [];
  for (const diagnostic of report.diagnostics ?? []) {
    const located = diagnostic.line > 0;
    const offset = located ? tracking.map(editorOffset(sent, diagnostic.line, diagnostic.column)) : null;
    const line = located ? lineOf(offset) : null;
    const severity = ["error", "warning", "info"].includes(diagnostic.severity) ? diagnostic.severity : "info";
    if (located) marks.push({ ...editor.extentAt(offset), severity, message: diagnostic.message, source: report.prover?.name });
    const item = h(
      "li",
      { class: `diagnostic diagnostic-${severity}`, "data-line": line ?? "", tabindex: located ? "0" : null },
      h("span", { class: "where" }, located ? `line ${line}, column ${columnOf(offset)}` : "file"),
      ` ${severity}: `,
      h("span", { class: "message" }, diagnostic.message),
    );
    if (located) {
      const go = () => editor.focusAt(offset);
      item.addEventListener("click", go);
      item.addEventListener("keydown", (e) => {
        if (e.key === "Enter") go();
      });
    }
    ui.diagnostics.append(item);
  }
  editor.showDiagnostics(marks);
}

// ---- Prove ----------------------------------------------------------------------------------------------------------

async function runProve() {
  if (state.job !== null || !languageById(editor.language).provable) return;
  syncKey();
  let parts;
  try {
    parts = sentParts();
  } catch (error) {
    showFailure(error);
    return;
  }
  const seconds = Number(ui.budget.value);
  if (!(seconds > 0 && seconds <= 3600)) {
    showBanner("The budget must be between 1 and 3600 seconds.");
    ui.budget.focus();
    return;
  }
  hideBanner();
  const body = { language: editor.language, header: parts.header.text, statement: parts.statement.text, budget: { seconds } };
  if (ui.model.value) body.model = ui.model.value;
  if (!ui.mode.disabled && ui.mode.value) body.mode = ui.mode.value;
  const job = { id: null, controller: new AbortController(), original: join(parts.header.text, parts.statement.text), language: editor.language };
  state.job = job;
  updateProveAvailability();
  ui.welcome.hidden = true;
  ui.jobPanel.hidden = false;
  ui.proofResult.hidden = true;
  state.diff?.destroy();
  state.diff = null;
  trace.clear();
  setVerdict(ui.jobStatus, "submitting", "submitting…");
  ui.jobInfo.textContent = "";
  delete ui.jobInfo.dataset.job;
  try {
    const { body: accepted } = await api.request("POST", "v1/proofs", body, { signal: job.controller.signal });
    job.id = accepted.id;
    ui.jobInfo.dataset.job = accepted.id;
    ui.cancel.hidden = false;
    ui.cancel.disabled = false;
    const extra = Object.entries(accepted).filter(([k]) => !["id", "status", "location", "events"].includes(k));
    ui.jobInfo.textContent =
      `Job ${accepted.id}: ${seconds} s budget, ${body.model ? `model ${body.model}` : "no model"}` +
      (body.mode ? `, mode ${body.mode}` : "") +
      extra.map(([k, v]) => `; ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join("");
    setVerdict(ui.jobStatus, accepted.status);
    const end = await api.stream(`v1/proofs/${encodeURIComponent(accepted.id)}/events`, (event) => onJobEvent(event), { signal: job.controller.signal });
    finishJob(job, JSON.parse(end.data));
  } catch (error) {
    if (error?.name !== "AbortError") {
      setVerdict(ui.jobStatus, "error", job.id ? "stream lost" : "not started");
      showFailure(error);
    }
  } finally {
    if (state.job === job) state.job = null;
    ui.cancel.hidden = true;
    updateProveAvailability();
  }
}

function onJobEvent(event) {
  if (event.type === "end") return;
  let data;
  try {
    data = JSON.parse(event.data);
  } catch {
    data = { message: event.data };
  }
  if (event.type === "status") setVerdict(ui.jobStatus, data.status);
  trace.add(event.type, data);
}

function finishJob(submitted, job) {
  setVerdict(ui.jobStatus, job.status);
  const result = job.result;
  ui.proofResult.hidden = false;
  ui.proofActions.hidden = true;
  ui.copyState.textContent = "";
  ui.proofResult.dataset.verdict = result?.verdict ?? job.status;
  if (!result) {
    ui.proofSummary.textContent = job.status === "cancelled" ? "The job was cancelled." : `The job ended ${job.status}${job.error ? `: ${job.error}` : "."}`;
    return;
  }
  const counterexamples = (result.theorems ?? []).filter((t) => t.counterexample);
  ui.proofSummary.replaceChildren(
    h("span", { class: `verdict-word verdict-${result.verdict}` }, result.verdict),
    result.reason ? ` — ${result.reason}` : "",
    typeof result.elapsedMs === "number" ? ` (${result.proverCalls} prover calls, ${(result.elapsedMs / 1000).toFixed(1)} s)` : "",
    ...(result.theorems ?? []).filter((t) => t.found).map((t) => h("div", {}, `${t.name}: found by ${t.foundBy ?? "?"}`)),
    ...counterexamples.map((t) => h("div", { class: "counterexample" }, `${t.name} is false: `, h("code", {}, t.counterexample))),
  );
  if (result.verdict === "proved" && typeof result.proof === "string") {
    state.proof = result.proof;
    ui.proofActions.hidden = false;
    state.diff = createDiffView(ui.proofDiff, { original: submitted.original, proof: result.proof, language: submitted.language });
  }
}

ui.cancel.addEventListener("click", async () => {
  const job = state.job;
  if (!job?.id) return;
  ui.cancel.disabled = true;
  try {
    const { body } = await api.request("DELETE", `v1/proofs/${encodeURIComponent(job.id)}`);
    setVerdict(ui.jobStatus, body.status);
  } catch (error) {
    ui.cancel.disabled = false;
    showFailure(error);
  }
});

ui.insertProof.addEventListener("click", () => {
  if (state.proof === null) return;
  editor.text = state.proof;
  state.lastLoaded = null;
  editor.view.focus();
});

ui.copyProof.addEventListener("click", async () => {
  if (state.proof === null) return;
  try {
    await navigator.clipboard.writeText(state.proof);
    ui.copyState.textContent = "copied";
  } catch {
    ui.copyState.textContent = "the browser refused the clipboard: select the proof and copy it";
  }
});

// ---- keyboard and start ---------------------------------------------------------------------------------------------

ui.check.addEventListener("click", () => runCheck());
ui.prove.addEventListener("click", () => runProve());
document.addEventListener("keydown", (event) => {
  // Inside the editor its own keymap handles these; elsewhere on the page they work too.
  if (event.defaultPrevented || event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  event.preventDefault();
  if (event.shiftKey) runProve();
  else runCheck();
});
window.addEventListener("pagehide", () => state.job?.controller.abort());
// A promise nobody awaited that failed is a bug: it stays on the console (the browser tests fail on it) and is shown.
window.addEventListener("unhandledrejection", (event) => showFailure(event.reason));

describeSplit();
updateProveAvailability();
loadServerInfo();
loadModes();
// A marker for people and tests: the page's script ran to the end.
document.body.dataset.ready = "true";
