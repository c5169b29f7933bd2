import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/commandDeps';

/** Finds the stored client; when there is none, offers to set the key and carries on once it is set. */
export async function requireClient(deps: CommandDeps): Promise<Awaited<ReturnType<CommandDeps['clients']['get']>>> {
  const existing = await deps.clients.get();
  if (existing) return existing;
  const setKey = vscode.l10n.t('Set API Key');
  const choice = await deps.ui.current.showMessage(
    'warning',
    vscode.l10n.t('No AI Studios API key is set.'),
    {},
    setKey,
  );
  if (choice !== setKey) return undefined;
  const stored = await vscode.commands.executeCommand<boolean>('aistudios.setApiKey');
  return stored ? deps.clients.get() : undefined;
}
