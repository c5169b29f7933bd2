import * as vscode from 'vscode';
import { isAiStudiosError } from '../core/errors';
import type { CommandDeps } from '../commands/commandDeps';

/** Options for turning a failure into a notification. */
export interface PresentOptions {
  /** What was being done, e.g. "intro.mp3 was not created". */
  context: string;
  /** Runs the whole operation again (offered for failures that may pass). */
  retry?: () => unknown;
}

/** Turns any failure into one notification that says what happened and what to do, with buttons that help. */
export async function presentError(deps: CommandDeps, error: unknown, options: PresentOptions): Promise<void> {
  if ((isAiStudiosError(error) && error.kind === 'cancelled') || (error instanceof Error && error.name === 'AbortError')) {
    deps.clients.logger.info(`${options.context}: cancelled.`);
    return;
  }
  const setKey = vscode.l10n.t('Set API Key');
  const retry = vscode.l10n.t('Retry');
  const selectVoice = vscode.l10n.t('Select Voice');
  const showLog = vscode.l10n.t('Show Log');
  const actions: string[] = [];
  let advice = '';
  let message: string;
  if (isAiStudiosError(error)) {
    message = error.message;
    switch (error.kind) {
      case 'auth':
        advice = vscode.l10n.t('Set a valid API key and try again.');
        actions.push(setKey);
        break;
      case 'badRequest':
        advice = vscode.l10n.t('Check that the text is in the voice model\'s language, or pick another voice.');
        actions.push(selectVoice);
        break;
      case 'quota':
        advice = vscode.l10n.t('Add credits to your AI Studios account, then try again.');
        break;
      case 'rateLimit':
      case 'server':
      case 'network':
      case 'timeout':
      case 'protocol':
      case 'download':
        advice = vscode.l10n.t('This may pass: try again in a moment.');
        break;
      case 'input':
        break;
    }
  } else {
    message = error instanceof Error ? error.message : String(error);
  }
  if (options.retry && !(isAiStudiosError(error) && (error.kind === 'auth' || error.kind === 'input' || error.kind === 'badRequest'))) {
    actions.push(retry);
  }
  actions.push(showLog);
  deps.clients.logger.error(`${options.context}: ${message}`);
  const text = [options.context + ':', message, advice].filter(Boolean).join(' ');
  const choice = await deps.ui.current.showMessage('error', text, {}, ...actions);
  if (choice === setKey) await vscode.commands.executeCommand('aistudios.setApiKey');
  else if (choice === selectVoice) await vscode.commands.executeCommand('aistudios.selectVoice');
  else if (choice === retry) await options.retry?.();
  else if (choice === showLog) deps.log.show(true);
}

/** Finds the stored client; when there is none, offers to set the key and carries on once it is set. */
export async function requireClient(deps: CommandDeps): Promise<Awaited<ReturnType<CommandDeps['clients']['get']>>> {
  const existing = await deps.clients.get();
  if (existing) return existing;
  const setKey = vscode.l10n.t('Set API Key');
  const choice = await deps.ui.current.showMessage('warning', vscode.l10n.t('No AI Studios API key is set.'), {}, setKey);
  if (choice !== setKey) return undefined;
  const stored = await vscode.commands.executeCommand<boolean>('aistudios.setApiKey');
  return stored ? deps.clients.get() : undefined;
}
