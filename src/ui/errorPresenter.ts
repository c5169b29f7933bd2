import * as vscode from 'vscode';
import { isAiStudiosError } from '../core';
import type { CommandDeps } from '../commands/commandDeps';

/** Options for turning a failure into a notification. */
export interface PresentOptions {
  /** What was being done, e.g. "intro.mp3 was not created". */
  context: string;
  /** Runs the whole operation again (offered for failures that may pass, and after a new key is set). */
  retry?: () => unknown;
}

/** Whether an error only says that the user (or a cancel) stopped the operation. */
export function isCancellation(error: unknown): boolean {
  return (
    (isAiStudiosError(error) && error.kind === 'cancelled') || (error instanceof Error && error.name === 'AbortError')
  );
}

/** Turns any failure into one notification that says what happened and what to do, with buttons that help. */
export async function presentError(deps: CommandDeps, error: unknown, options: PresentOptions): Promise<void> {
  if (isCancellation(error)) {
    deps.clients.logger.info(`${options.context}: cancelled.`);
    return;
  }
  const setKey = vscode.l10n.t('Set API Key');
  const retry = vscode.l10n.t('Retry');
  const selectVoice = vscode.l10n.t('Select Voice');
  const openSettings = vscode.l10n.t('Open Settings');
  const showLog = vscode.l10n.t('Show Log');
  const actions: string[] = [];
  let advice = '';
  // Core errors never carry a key; anything else is redacted anyway before it is shown.
  const message = deps.clients.redact(error instanceof Error ? error.message : String(error));
  const kind = isAiStudiosError(error) ? error.kind : undefined;
  switch (kind) {
    case 'auth':
      advice = vscode.l10n.t('Set a valid API key and try again.');
      actions.push(setKey);
      break;
    case 'badRequest':
      advice = vscode.l10n.t("Check that the text is in the voice model's language, or pick another voice.");
      actions.push(selectVoice);
      break;
    case 'quota':
      advice = vscode.l10n.t('Add credits to your AI Studios account, then try again.');
      break;
    case 'input':
      actions.push(openSettings);
      break;
    case undefined:
      advice = vscode.l10n.t('The log has the details.');
      break;
    default:
      advice = vscode.l10n.t('This may pass: try again in a moment.');
  }
  if (options.retry && kind !== 'auth' && kind !== 'input' && kind !== 'badRequest') actions.push(retry);
  actions.push(showLog);
  deps.clients.logger.error(`${options.context}: ${message}`);
  const text = [options.context + ':', message, advice].filter(Boolean).join(' ');
  const choice = await deps.ui.current.showMessage('error', text, {}, ...actions);
  if (choice === setKey) {
    // Once a working key is stored, carry on with what the user was doing.
    const stored = await vscode.commands.executeCommand<boolean>('aistudios.setApiKey');
    if (stored) await options.retry?.();
  } else if (choice === selectVoice) await vscode.commands.executeCommand('aistudios.selectVoice');
  else if (choice === openSettings) await vscode.commands.executeCommand('workbench.action.openSettings', 'aistudios');
  else if (choice === retry) await options.retry?.();
  else if (choice === showLog) deps.log.show(true);
}

/** presentError without waiting for the user: the caller goes on (e.g. releases a lock) while the message is up. */
export function reportError(deps: CommandDeps, error: unknown, options: PresentOptions): void {
  presentError(deps, error, options).catch((failure: unknown) =>
    deps.clients.logger.error(`Showing an error failed: ${deps.clients.redact(String(failure))}`),
  );
}
