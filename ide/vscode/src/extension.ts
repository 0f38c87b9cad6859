import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { needsRestart, proofFilePattern, readSettings, serverCommand, serverSettings, ProofAgentSettings } from "./settings";
import { proveAtArguments, statusFor } from "./status";

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem;
let current: ProofAgentSettings;

function settings(): ProofAgentSettings {
  const configuration = vscode.workspace.getConfiguration("proofagent");
  return readSettings((key) => configuration.get(key));
}

function showResult(result: unknown): void {
  const view = statusFor(result);
  status.text = view.text;
  status.tooltip = view.tooltip;
  status.backgroundColor = view.isError ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
  status.show();
}

async function start(): Promise<void> {
  current = settings();
  const { command, args } = serverCommand(current);
  const serverOptions: ServerOptions = { command, args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", pattern: proofFilePattern }],
    initializationOptions: serverSettings(current),
    outputChannelName: "ProofAgent",
    middleware: {
      // Lens and action commands run through here too: the status bar shows the verdict of every Prove.
      executeCommand: async (name, commandArgs, next) => {
        const result = await next(name, commandArgs);
        if (name === "proofagent.prove") {
          showResult(result);
        }
        return result;
      },
    },
  };
  client = new LanguageClient("proofagent", "ProofAgent", serverOptions, clientOptions);
  await client.start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 0);
  status.text = "ProofAgent";
  status.tooltip = "The verdict of the last Prove";
  status.command = "proofagent.proveAtCursor";
  status.show();
  context.subscriptions.push(status);

  context.subscriptions.push(vscode.commands.registerCommand("proofagent.proveAtCursor", async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !client) {
      void vscode.window.showWarningMessage("ProofAgent: open a proof file (.v, .lean, .thy) first.");
      return;
    }
    const position = editor.selection.active;
    status.text = "$(sync~spin) ProofAgent: proving…";
    const result = await client.sendRequest("workspace/executeCommand", {
      command: "proofagent.prove",
      arguments: proveAtArguments(editor.document.uri.toString(), position.line, position.character),
    });
    showResult(result);
  }));

  context.subscriptions.push(vscode.commands.registerCommand("proofagent.restartServer", async () => {
    await stop();
    await start();
  }));

  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (!event.affectsConfiguration("proofagent")) {
      return;
    }
    const next = settings();
    if (needsRestart(current, next)) {
      await stop();
      await start();
      return;
    }
    current = next;
    await client?.sendNotification("workspace/didChangeConfiguration", { settings: serverSettings(next) });
  }));

  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}
