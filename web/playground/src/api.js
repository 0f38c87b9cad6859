// The page's client of the service: JSON requests with the API key, RFC 9457 problems turned into one readable
// sentence (401 and 429 say what to do, with Retry-After), and the proof-job event stream with resumption.
import { SseParser } from "./sse.js";

const keyName = "proofagent.apiKey";

/** A request the server refused or could not answer; `message` is meant for the person at the page. */
export class ApiError extends Error {
  constructor(message, { status = 0, field = null, retryAfter = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date), or null. */
export function retryAfterSeconds(header, now = Date.now()) {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** One sentence for a failed answer: what happened and what to do. */
export function describeProblem(status, problem, retryAfter) {
  const detail = problem?.detail ?? problem?.title ?? "";
  switch (status) {
    case 401:
      return `The server needs an API key (401 Unauthorized): enter it in the “API key” field${detail ? ` — ${detail}` : ""}.`;
    case 429:
      return `The server is busy (429 Too Many Requests)${detail ? `: ${detail}` : ""}. Retry after ${retryAfter ?? "a few"} s.`;
    case 400:
      return `The request was rejected${problem?.field ? ` (field ${problem.field})` : ""}: ${detail || "bad request"}.`;
    case 404:
      return `Not found (404)${detail ? `: ${detail}` : ""}.`;
    case 409:
      return `Conflict (409)${detail ? `: ${detail}` : ""}.`;
    default:
      return `The server answered ${status}${detail ? `: ${detail}` : ""}.`;
  }
}

export class Api {
  /** @param {URL | string} base the page's own address: the API is served by the same server */
  constructor(base = document.baseURI, storage = globalThis.sessionStorage) {
    this.base = base;
    this.storage = storage;
  }

  get key() {
    return this.storage?.getItem(keyName) ?? "";
  }

  set key(value) {
    if (value) this.storage?.setItem(keyName, value);
    else this.storage?.removeItem(keyName);
  }

  url(path) {
    return new URL(path, this.base).toString();
  }

  headers(extra = {}) {
    const headers = { Accept: "application/json", ...extra };
    if (this.key) headers["X-Api-Key"] = this.key;
    return headers;
  }

  /** Sends a request; resolves to {status, headers, body} for 2xx, throws ApiError otherwise. */
  async request(method, path, body = undefined, { signal } = {}) {
    let response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers: this.headers(body === undefined ? {} : { "Content-Type": "application/json" }),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (error?.name === "AbortError") throw error;
      throw new ApiError(`Cannot reach the server (${error?.message ?? error}).`);
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      const retryAfter = retryAfterSeconds(response.headers.get("Retry-After"));
      throw new ApiError(describeProblem(response.status, json, retryAfter), { status: response.status, field: json?.field ?? null, retryAfter });
    }
    return { status: response.status, headers: response.headers, body: json };
  }

  /**
   * Reads a job's event stream until its `end` event, calling onEvent for each; a dropped connection is resumed with
   * Last-Event-ID (the server replays from there), a few times with a growing pause. Resolves to the `end` data.
   */
  async stream(path, onEvent, { signal, attempts = 5 } = {}) {
    let lastEventId = null;
    let ended = null;
    for (let attempt = 0; ended === null; attempt++) {
      const parser = new SseParser((event) => {
        if (event.type === "end") ended = event;
        onEvent(event);
      });
      try {
        const headers = this.headers({ Accept: "text/event-stream" });
        if (lastEventId !== null) headers["Last-Event-ID"] = lastEventId;
        const response = await fetch(this.url(path), { headers, signal, cache: "no-store" });
        if (!response.ok) {
          let problem = null;
          try {
            problem = await response.json();
          } catch {
            problem = null;
          }
          const retryAfter = retryAfterSeconds(response.headers.get("Retry-After"));
          throw new ApiError(describeProblem(response.status, problem, retryAfter), { status: response.status, retryAfter });
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(value);
          if (parser.lastEventId !== null) lastEventId = parser.lastEventId;
          if (ended !== null) {
            await reader.cancel();
            break;
          }
        }
      } catch (error) {
        if (error?.name === "AbortError" || error instanceof ApiError || attempt + 1 >= attempts) throw error;
      }
      if (ended === null) {
        if (attempt + 1 >= attempts) throw new ApiError("The event stream kept closing before the job ended.");
        await pause(1000 * (attempt + 1), signal);
      }
    }
    return ended;
  }
}

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new DOMException("aborted", "AbortError"));
      },
      { once: true },
    );
  });
}
