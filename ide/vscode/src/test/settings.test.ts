import { test } from "node:test";
import * as assert from "node:assert/strict";
import { defaults, needsRestart, readSettings, serverCommand, serverSettings } from "../settings";

test("readSettings falls back to the defaults for missing or mistyped values", () => {
  const values: Record<string, unknown> = { path: "  /opt/agent ", budgetSeconds: "ten", tacticTimeoutSeconds: 7, unsafeNoSandbox: "yes" };
  const settings = readSettings((key) => values[key]);
  assert.equal(settings.path, "/opt/agent");
  assert.equal(settings.budgetSeconds, defaults.budgetSeconds);
  assert.equal(settings.tacticTimeoutSeconds, 7);
  assert.equal(settings.unsafeNoSandbox, false);
  assert.equal(readSettings(() => undefined).path, "agent");
  assert.equal(readSettings((key) => (key === "path" ? "   " : undefined)).path, "agent");
});

test("serverCommand runs `agent lsp`, adding --unsafe-no-sandbox only when asked", () => {
  assert.deepEqual(serverCommand(defaults), { command: "agent", args: ["lsp"] });
  assert.deepEqual(serverCommand({ ...defaults, path: "/x/agent", unsafeNoSandbox: true }), { command: "/x/agent", args: ["lsp", "--unsafe-no-sandbox"] });
});

test("serverSettings uses the server's names and clears empty optional settings", () => {
  const sent = serverSettings({ ...defaults, serviceUrl: "http://127.0.0.1:8080", apiKey: "", model: "tiny", budgetSeconds: 30 });
  assert.deepEqual(sent, {
    serviceUrl: "http://127.0.0.1:8080",
    apiKey: null,
    model: "tiny",
    budgetSeconds: 30,
    tacticTimeoutSeconds: 4,
    checkTimeoutSeconds: 60,
  });
});

test("only the executable and the sandbox switch need a new server process", () => {
  assert.equal(needsRestart(defaults, { ...defaults, serviceUrl: "http://h:1" }), false);
  assert.equal(needsRestart(defaults, { ...defaults, model: "m" }), false);
  assert.equal(needsRestart(defaults, { ...defaults, path: "/other/agent" }), true);
  assert.equal(needsRestart(defaults, { ...defaults, unsafeNoSandbox: true }), true);
});
