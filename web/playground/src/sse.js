// A Server-Sent Events parser over fetch(): the browser's EventSource cannot send the API key header, and it reconnects
// on its own after the server ends the stream. This one is fed text chunks and emits {id, type, data} events as the
// specification (HTML, "Parsing an event stream") defines them.

export class SseParser {
  #buffer = "";
  #data = [];
  #type = "";
  #id = null;
  #onEvent;

  /** @param {(event: {id: string | null, type: string, data: string}) => void} onEvent */
  constructor(onEvent) {
    this.#onEvent = onEvent;
  }

  /** The id of the last event that carried one (for Last-Event-ID on a reconnect). */
  lastEventId = null;

  /** Feeds a decoded chunk; complete lines are processed, a partial last line waits for the next chunk. */
  push(chunk) {
    this.#buffer += chunk;
    let newline;
    while ((newline = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.#buffer.slice(0, newline);
      const width = this.#buffer.startsWith("\r\n", newline) ? 2 : 1;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (width === 1 && this.#buffer[newline] === "\r" && newline === this.#buffer.length - 1) break;
      this.#buffer = this.#buffer.slice(newline + width);
      this.#line(line);
    }
  }

  #line(line) {
    if (line === "") {
      this.#dispatch();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.#data.push(value);
        break;
      case "event":
        this.#type = value;
        break;
      case "id":
        if (!value.includes("\0")) this.#id = value;
        break;
      default:
        break; // "retry" and unknown fields: ignored
    }
  }

  #dispatch() {
    if (this.#id !== null) this.lastEventId = this.#id;
    if (this.#data.length > 0) {
      this.#onEvent({ id: this.#id, type: this.#type || "message", data: this.#data.join("\n") });
    }
    this.#data = [];
    this.#type = "";
    this.#id = null;
  }
}
