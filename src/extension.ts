import * as vscode from 'vscode';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharedAudioCache } from './audioCacheProvider';
import { ClientProvider } from './clientProvider';
import { CredentialStore } from './credentialStore';
import { readConfig } from './config';
import type { CommandDeps } from './commands/commandDeps';
import { registerGenerateCommands } from './commands/generateCommands';
import { registerKeyCommands } from './commands/keyCommands';
import { registerPlayerCommands } from './commands/playerCommands';
import { registerPreviewCommand } from './commands/previewCommand';
import { registerVoiceCommands } from './commands/voiceCommands';
import { Player } from './player/player';
import type { PlayerPanel } from './player/playerPanel';
import { TakeHistory } from './player/take';
import { UserInterfaceHolder } from './ui/userInterface';
import { createVoiceStatusBar } from './voiceStatusBar';
import { VoiceLabels } from './voiceLabels';
import { WalkthroughState } from './walkthroughState';

/** What activate() returns; `testing` exists only when the extension runs under tests. */
export interface ExtensionApi {
  testing?: {
    ui: UserInterfaceHolder;
    takes: TakeHistory;
    logUri: vscode.Uri;
    player: () => PlayerPanel | undefined;
    walkthrough: WalkthroughState;
    voiceLabels: VoiceLabels;
    globalState: vscode.Memento;
  };
}

/** Wires the extension together; everything else happens lazily inside the commands. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('AI Studios Audio', { log: true });
  const store = new CredentialStore(context.secrets);
  const clients = new ClientProvider(
    store,
    log,
    context.extensionMode !== vscode.ExtensionMode.Production,
    context.globalState,
  );
  const ui = new UserInterfaceHolder();
  const takes = new TakeHistory();
  const player = new Player({ extensionUri: context.extensionUri, log, takes, ui });
  const voiceLabels = new VoiceLabels(context.globalState, async () => {
    const api = await clients.get();
    return api?.client.listModels();
  });
  // When the cache folder cannot be used, this window works in a temporary folder of its own, removed at the end.
  const fallbackCache = path.join(os.tmpdir(), `aistudios-audio-cache-${process.pid}-${Date.now().toString(36)}`);
  let warnedUnusableCache = false;
  const deps: CommandDeps = {
    context,
    log,
    ui,
    store,
    clients,
    takes,
    player,
    config: readConfig,
    voiceLabels,
    audioCache: sharedAudioCache(
      path.join(context.globalStorageUri.fsPath, 'audio-cache'),
      () => readConfig().cacheMaxBytes,
      clients.logger,
      {
        fallbackDirectory: fallbackCache,
        onUnusable: (problem) => {
          clients.logger.warn(`${problem.message}${problem.code ? ` [${problem.code}]` : ''}`);
          if (warnedUnusableCache) return;
          warnedUnusableCache = true;
          void ui.current.showMessage(
            'warning',
            vscode.l10n.t('{0} Audio is made without the cache in this window.', problem.message),
            {},
          );
        },
      },
    ),
  };
  const walkthrough = new WalkthroughState(clients, takes, context.globalState);
  context.subscriptions.push(
    { dispose: () => void fs.rm(fallbackCache, { recursive: true, force: true }).catch(() => undefined) },
    log,
    walkthrough,
    store,
    clients,
    takes,
    player,
    vscode.commands.registerCommand('aistudios.showLog', () => log.show(true)),
    ...registerKeyCommands(deps),
    ...registerGenerateCommands(deps),
    ...registerVoiceCommands(deps),
    ...registerPreviewCommand(deps),
    ...registerPlayerCommands(deps),
    store.onDidChange(() => voiceLabels.keyChanged()),
    createVoiceStatusBar(
      () => readConfig(vscode.window.activeTextEditor?.document.uri),
      voiceLabels,
      store.onDidChange,
    ),
  );
  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
        testing: {
          ui,
          takes,
          logUri: context.logUri,
          player: () => player.current,
          walkthrough,
          voiceLabels,
          globalState: context.globalState,
        },
      }
    : {};
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
