// The live trace of a proof job: one row per event of /v1/proofs/{id}/events, rendered as it arrives. Event types
// the page does not know (a newer server) are still shown, as their JSON.
import { h } from "./dom.js";

const stageNames = {
  wholeProof: "whole proofs",
  sketch: "sketches",
  refinement: "tactic search",
  portfolio: "portfolio",
  finalCheck: "final check",
};

const stage = (s) => stageNames[s] ?? s ?? "";
const ms = (n) => (typeof n === "number" ? `${n} ms` : "");
const at = (e) => (typeof e.atMs === "number" ? `${(e.atMs / 1000).toFixed(1)} s` : "");

/** Counterexample values `x = 1, y = 2` in a stable (sorted) order. */
export const formatModel = (model) =>
  Object.keys(model ?? {})
    .sort()
    .map((k) => `${k} = ${model[k]}`)
    .join(", ");

function row(type, time, ...content) {
  return h("li", { class: `trace-event trace-${type}`, "data-type": type }, h("span", { class: "trace-time" }, time), h("span", { class: "trace-body" }, ...content));
}

/** The row for one event ({type, data}); `data` is the event's parsed JSON. */
export function renderEvent(type, data) {
  switch (type) {
    case "status":
      return row("status", "", h("b", {}, data.status), data.attempt ? ` (attempt ${data.attempt})` : "", data.reason ? ` — ${data.reason}` : "");
    case "stageStarted":
      return row(type, at(data), "▶ ", h("b", {}, stage(data.stage)), ` ${data.theorem ?? ""}`);
    case "stageFinished":
      return row(
        type,
        at(data),
        data.succeeded ? "✔ " : "✘ ",
        h("b", {}, stage(data.stage)),
        ` ${data.succeeded ? "succeeded" : "gave up"} (${data.proverCalls} prover calls, ${ms(data.elapsedMs)})`,
      );
    case "candidateChecked":
      return row(
        type,
        at(data),
        `${stage(data.stage)}: candidate checked → `,
        h("span", { class: `verdict-word verdict-${data.verdict}` }, data.verdict),
        data.reason ? ` — ${data.reason}` : "",
        ` (${ms(data.elapsedMs)})`,
        h("details", {}, h("summary", {}, "candidate"), h("pre", {}, data.candidate ?? "")),
      );
    case "tacticApplied":
      return row(type, at(data), h("code", {}, data.tactic), ` ${data.goalsBefore} → ${data.goalsAfter} goal${data.goalsAfter === 1 ? "" : "s"} (${ms(data.elapsedMs)})`);
    case "goalRefuted":
      return row(
        type,
        at(data),
        h("b", {}, "goal refuted"),
        ` by ${data.solver}: `,
        h("code", {}, data.goal),
        h("div", { class: "counterexample" }, "counterexample: ", h("code", {}, formatModel(data.model))),
      );
    case "note":
      return row(type, at(data), data.message ?? "");
    case "result":
      return row(type, "", "result: ", h("span", { class: `verdict-word verdict-${data.verdict}` }, data.verdict), data.reason ? ` — ${data.reason}` : "");
    default:
      return row(type, at(data), h("b", {}, type), " ", h("code", {}, JSON.stringify(data)));
  }
}

/** A trace list that keeps at most `limit` rows (a long search can send thousands) and counts the rest. */
export class TraceList {
  constructor(list, limit = 1500) {
    this.list = list;
    this.limit = limit;
    this.hidden = 0;
    this.more = null;
    this.latest = null;
  }

  clear() {
    this.list.replaceChildren();
    this.hidden = 0;
    this.more = null;
    this.latest = null;
  }

  add(type, data) {
    const element = renderEvent(type, data);
    if (this.list.children.length < this.limit && this.more === null) {
      this.list.appendChild(element);
    } else {
      // Past the limit: keep the first rows (the start of every stage), the latest row, and a count of the others.
      if (this.more === null) {
        this.more = this.list.appendChild(h("li", { class: "trace-more" }));
      } else {
        this.latest.remove();
        this.hidden++;
      }
      this.more.textContent = this.hidden > 0 ? `… ${this.hidden} more events not shown` : "…";
      this.latest = this.list.appendChild(element);
    }
    const container = this.list.parentElement;
    if (container && container.scrollHeight - container.scrollTop - container.clientHeight < 80) {
      container.scrollTop = container.scrollHeight;
    }
  }
}
