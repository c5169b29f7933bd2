import * as vscode from 'vscode';
import * as path from 'path';
import { ClientProvider } from './clientProvider';
import { CredentialStore } from './credentialStore';
import { readConfig } from './config';
import { AudioCache } from './core';
import type { CommandDeps } from './commands/commandDeps';
import { registerGenerateCommands } from './commands/generateCommands';
import { registerKeyCommands } from './commands/keyCommands';
import { registerPlayerCommands } from './commands/playerCommands';
import { registerPreviewCommand } from './commands/previewCommand';
import { registerVoiceCommands } from './commands/voiceCommands';
import { TakeHistory } from './player/take';
import { PlayerPanel } from './player/playerPanel';
import { UserInterfaceHolder } from './ui/userInterface';
import { createVoiceStatusBar } from './voiceStatusBar';
import { VoiceLabels } from './voiceLabels';

/** What activate() returns; `testing` exists only when the extension runs under tests. */
export interface ExtensionApi {
  testing?: { ui: UserInterfaceHolder; takes: TakeHistory; logUri: vscode.Uri; player: () => PlayerPanel | undefined };
}

/** Wires the extension together; everything else happens lazily inside the commands. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('AI Studios Audio', { log: true });
  const store = new CredentialStore(context.secrets);
  const clients = new ClientProvider(store, log, context.extensionMode !== vscode.ExtensionMode.Production);
  const ui = new UserInterfaceHolder();
  const takes = new TakeHistory();
  let cache: { maxBytes: number; instance: AudioCache } | undefined;
  const voiceLabels = new VoiceLabels(context.globalState);
  const deps: CommandDeps = {
    context,
    log,
    ui,
    store,
    clients,
    takes,
    config: readConfig,
    voiceLabels,
    audioCache: () => {
      // One instance (its prunes are coalesced), replaced only when the size limit changes.
      const maxBytes = readConfig().cacheMaxBytes;
      if (cache?.maxBytes !== maxBytes)
        cache = {
          maxBytes,
          instance: new AudioCache({
            directory: path.join(context.globalStorageUri.fsPath, 'audio-cache'),
            maxBytes,
            logger: clients.logger,
          }),
        };
      return cache.instance;
    },
  };
  context.subscriptions.push(
    log,
    store,
    clients,
    vscode.commands.registerCommand('aistudios.showLog', () => log.show(true)),
    ...registerKeyCommands(deps),
    ...registerGenerateCommands(deps),
    ...registerVoiceCommands(deps),
    ...registerPreviewCommand(deps),
    ...registerPlayerCommands(context, { log, takes }),
    createVoiceStatusBar(() => readConfig(vscode.window.activeTextEditor?.document.uri), voiceLabels),
  );
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { testing: { ui, takes, logUri: context.logUri, player: () => PlayerPanel.current } }
    : {};
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
