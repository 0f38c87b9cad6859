import { test } from "node:test";
import assert from "node:assert/strict";
import { SseParser } from "../src/sse.js";
import { describeProblem, retryAfterSeconds } from "../src/api.js";

const parse = (chunks) => {
  const events = [];
  const parser = new SseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return { events, parser };
};

test("SSE: events split across chunks anywhere, with ids, names and multi-line data", () => {
  const stream = 'id: 1\nevent: status\ndata: {"status":"queued"}\n\n: keep-alive\n\nid: 2\nevent: note\ndata: line one\ndata: line two\n\nevent: end\ndata: {}\n\n';
  for (let cut = 0; cut <= stream.length; cut++) {
    const { events, parser } = parse([stream.slice(0, cut), stream.slice(cut)]);
    assert.deepEqual(events, [
      { id: "1", type: "status", data: '{"status":"queued"}' },
      { id: "2", type: "note", data: "line one\nline two" },
      { id: null, type: "end", data: "{}" },
    ]);
    assert.equal(parser.lastEventId, "2");
  }
});

test("SSE: CRLF and CR line ends, a split CRLF, no space after the colon, and an event without data is not dispatched", () => {
  const { events } = parse(["event: a\r", "\ndata:x\r\r", "event: b\n\n", "data: y\r\n\r\n"]);
  assert.deepEqual(events, [
    { id: null, type: "a", data: "x" },
    { id: null, type: "message", data: "y" },
  ]);
});

test("Retry-After in seconds or as an HTTP date", () => {
  assert.equal(retryAfterSeconds("5"), 5);
  assert.equal(retryAfterSeconds(null), null);
  assert.equal(retryAfterSeconds("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")), 10);
  assert.equal(retryAfterSeconds("soon"), null);
});

test("Problems become sentences that say what to do", () => {
  assert.match(describeProblem(401, { detail: "a valid API key is required" }), /API key.*401|401.*API key/);
  assert.match(describeProblem(429, { detail: "every slot is busy" }, 5), /429.*every slot is busy.*Retry after 5 s/);
  assert.match(describeProblem(400, { detail: "'budget.seconds' must be in (0, 3600]", field: "budget.seconds" }), /field budget\.seconds/);
});
