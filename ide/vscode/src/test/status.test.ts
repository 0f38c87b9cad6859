import { test } from "node:test";
import * as assert from "node:assert/strict";
import { isProveResult, proveAtArguments, statusFor } from "../status";

test("a proved result reads as proved, with the server's message as tooltip", () => {
  const view = statusFor({ verdict: "proved", message: "'t' proved (found by tactic search)", theorem: "t" });
  assert.equal(view.text, "$(check) ProofAgent: t proved");
  assert.equal(view.tooltip, "'t' proved (found by tactic search)");
  assert.equal(view.isError, false);
});

test("a refuted statement shows its counterexample", () => {
  const view = statusFor({ verdict: "failed", message: "the statement is false", theorem: "off", counterexample: "n = 0" });
  assert.equal(view.text, "$(error) ProofAgent: off counterexample n = 0");
  assert.equal(view.isError, true);
});

test("other verdicts are errors named by their verdict, cancellation is not", () => {
  assert.equal(statusFor({ verdict: "timeout", message: "m" }).text, "$(error) ProofAgent: timeout");
  assert.equal(statusFor({ verdict: "cancelled", message: "m", theorem: "t" }).isError, false);
});

test("anything that is not a proof result is an error, never proved", () => {
  for (const value of [undefined, null, "proved", { verdict: "proved" }, { verdict: 1, message: "x" }, { verdict: "proved", message: "x", theorem: 3 }]) {
    assert.equal(isProveResult(value), false);
    assert.equal(statusFor(value).isError, true);
  }
});

test("prove-at-cursor passes the position for the server to find the theorem", () => {
  assert.deepEqual(proveAtArguments("file:///a.v", 3, 7), [{ uri: "file:///a.v", position: { line: 3, character: 7 } }]);
});
