import * as vscode from 'vscode';

/** Ties a VS Code cancellation token to an AbortSignal, the currency of the core. */
export function abortSignalFor(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
