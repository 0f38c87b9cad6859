// The status bar's text for the last verdict: pure, so `npm test` checks it without VS Code.

/** What `proofagent.prove` answers (agent/ProofAgent.Lsp ProveResult). */
export interface ProveResult {
  verdict: string;
  message: string;
  theorem?: string;
  counterexample?: string;
}

export interface StatusView {
  text: string;
  tooltip: string;
  isError: boolean;
}

/** The status bar item for a result; anything that is not a well-formed result reads as an error, never as proved. */
export function statusFor(result: unknown): StatusView {
  if (!isProveResult(result)) {
    return { text: "$(error) ProofAgent: no answer", tooltip: "The server's answer was not a proof result.", isError: true };
  }
  const theorem = result.theorem ? ` ${result.theorem}` : "";
  switch (result.verdict) {
    case "proved":
      return { text: `$(check) ProofAgent:${theorem} proved`, tooltip: result.message, isError: false };
    case "cancelled":
      return { text: `$(circle-slash) ProofAgent:${theorem} cancelled`, tooltip: result.message, isError: false };
    default: {
      const why = result.counterexample ? `counterexample ${result.counterexample}` : result.verdict;
      return { text: `$(error) ProofAgent:${theorem} ${why}`, tooltip: result.message, isError: true };
    }
  }
}

export function isProveResult(value: unknown): value is ProveResult {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return typeof v.verdict === "string" && typeof v.message === "string"
    && (v.theorem === undefined || typeof v.theorem === "string")
    && (v.counterexample === undefined || typeof v.counterexample === "string");
}

/** The argument of `proofagent.prove` for the theorem at a cursor position (0-based line, UTF-16 character). */
export function proveAtArguments(uri: string, line: number, character: number): [{ uri: string; position: { line: number; character: number } }] {
  return [{ uri, position: { line, character } }];
}
