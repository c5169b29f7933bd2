import * as vscode from 'vscode';

/** Wires the extension together; everything else happens lazily inside the commands. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('AI Studios Audio', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('aistudios.showLog', () => log.show(true)),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
