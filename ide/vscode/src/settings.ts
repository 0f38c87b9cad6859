// The extension's own logic, free of the `vscode` module so that `npm test` runs it with plain Node.

/** The extension's settings (`proofagent.*`), as read from the workspace configuration. */
export interface ProofAgentSettings {
  path: string;
  serviceUrl: string;
  apiKey: string;
  model: string;
  budgetSeconds: number;
  tacticTimeoutSeconds: number;
  checkTimeoutSeconds: number;
  unsafeNoSandbox: boolean;
}

export const defaults: ProofAgentSettings = {
  path: "agent",
  serviceUrl: "",
  apiKey: "",
  model: "",
  budgetSeconds: 120,
  tacticTimeoutSeconds: 4,
  checkTimeoutSeconds: 60,
  unsafeNoSandbox: false,
};

/** Reads every setting through `get` (VS Code's `WorkspaceConfiguration.get`), falling back to the defaults on a wrong type. */
export function readSettings(get: (key: string) => unknown): ProofAgentSettings {
  const text = (key: keyof ProofAgentSettings): string => {
    const value = get(key);
    return typeof value === "string" ? value.trim() : (defaults[key] as string);
  };
  const number = (key: keyof ProofAgentSettings): number => {
    const value = get(key);
    return typeof value === "number" && Number.isFinite(value) ? value : (defaults[key] as number);
  };
  const flag = get("unsafeNoSandbox");
  return {
    path: text("path") || defaults.path,
    serviceUrl: text("serviceUrl"),
    apiKey: text("apiKey"),
    model: text("model"),
    budgetSeconds: number("budgetSeconds"),
    tacticTimeoutSeconds: number("tacticTimeoutSeconds"),
    checkTimeoutSeconds: number("checkTimeoutSeconds"),
    unsafeNoSandbox: typeof flag === "boolean" ? flag : defaults.unsafeNoSandbox,
  };
}

/** The command that starts the server: `agent lsp [--unsafe-no-sandbox]`. The service URL and key travel as settings. */
export function serverCommand(settings: ProofAgentSettings): { command: string; args: string[] } {
  const args = ["lsp"];
  if (settings.unsafeNoSandbox) {
    args.push("--unsafe-no-sandbox");
  }
  return { command: settings.path, args };
}

/**
 * The settings as the server reads them (`initializationOptions`, `workspace/didChangeConfiguration`): the names of
 * agent/ProofAgent.Lsp's LspSettings; empty strings clear the optional ones.
 */
export function serverSettings(settings: ProofAgentSettings): Record<string, string | number | null> {
  return {
    serviceUrl: settings.serviceUrl || null,
    apiKey: settings.apiKey || null,
    model: settings.model || null,
    budgetSeconds: settings.budgetSeconds,
    tacticTimeoutSeconds: settings.tacticTimeoutSeconds,
    checkTimeoutSeconds: settings.checkTimeoutSeconds,
  };
}

/** True when a change of these settings needs a new server process (the others are sent to the running one). */
export function needsRestart(before: ProofAgentSettings, after: ProofAgentSettings): boolean {
  return before.path !== after.path || before.unsafeNoSandbox !== after.unsafeNoSandbox;
}

/** The file extensions the server reads; others are ignored by it, and not sent by the extension. */
export const proofFilePattern = "**/*.{v,lean,thy,fst,fsti,smt2}";
