import * as vscode from 'vscode';
import { failureDetail, isAiStudiosError } from '../core';
import type { CommandDeps } from '../commands/commandDeps';
import { errorResponse, type ErrorAction, type ErrorAdvice } from './errorResponse';
import { describeError } from './errorMessages';

/** Options for turning a failure into a notification. */
export interface PresentOptions {
  /** What was being done, e.g. "intro.mp3 was not created". */
  context: string;
  /** Runs the whole operation again (offered for retryable failures, and after a new key is set). */
  retry?: () => unknown;
}

/** How long a status bar note stays (ms). */
const STATUS_NOTE_MS = 6000;

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
    // The progress notification just vanished: a quiet note says the cancel was heard (and nothing was saved).
    deps.ui.current.showStatusMessage(
      `$(circle-slash) ${vscode.l10n.t('{0}: cancelled.', options.context)}`,
      STATUS_NOTE_MS,
    );
    return;
  }
  // Core errors never carry a key; anything else is redacted anyway before it is shown. Raw system errors are said
  // in words (describeError); their code and raw text go to the log only.
  const logged = deps.clients.redact(error instanceof Error ? error.message : String(error));
  const message = deps.clients.redact(describeError(error));
  const response = errorResponse(error, options.retry !== undefined);
  const labels: Record<ErrorAction, string> = {
    setApiKey: vscode.l10n.t('Set API Key'),
    retry: vscode.l10n.t('Retry'),
    selectVoice: vscode.l10n.t('Select Voice'),
    openSettings: vscode.l10n.t('Open Settings'),
    showLog: vscode.l10n.t('Show Log'),
  };
  const advice: Record<ErrorAdvice, string> = {
    setValidKey: vscode.l10n.t('Set a valid API key and try again.'),
    checkLanguage: vscode.l10n.t("Check that the text is in the voice model's language, or pick another voice."),
    addCredits: vscode.l10n.t('Add credits to your AI Studios account, then try again.'),
    mayPass: vscode.l10n.t('This may pass: try again in a moment.'),
    seeLog: vscode.l10n.t('The log has the details.'),
    none: '',
  };
  deps.clients.logger.error(`${options.context}: ${logged}`);
  deps.clients.logger.debug(`${options.context}: ${deps.clients.redact(failureDetail(error))}`);
  const text = [options.context + ':', message, advice[response.advice]].filter(Boolean).join(' ');
  const choice = await deps.ui.current.showMessage('error', text, {}, ...response.actions.map((a) => labels[a]));
  if (choice === labels.setApiKey) {
    // Once a working key is stored, carry on with what the user was doing.
    const stored = await vscode.commands.executeCommand<boolean>('aistudios.setApiKey');
    if (stored) await options.retry?.();
  } else if (choice === labels.selectVoice) await vscode.commands.executeCommand('aistudios.selectVoice');
  else if (choice === labels.openSettings)
    await vscode.commands.executeCommand('workbench.action.openSettings', 'aistudios');
  else if (choice === labels.retry) await options.retry?.();
  else if (choice === labels.showLog) deps.log.show(true);
}

/** presentError without waiting for the user: the caller goes on (e.g. releases a lock) while the message is up. */
export function reportError(deps: CommandDeps, error: unknown, options: PresentOptions): void {
  presentError(deps, error, options).catch((failure: unknown) =>
    deps.clients.logger.error(`Showing an error failed: ${deps.clients.redact(String(failure))}`),
  );
}
