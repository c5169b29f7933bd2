// The extension's second bundle (dist/engine.js): everything the commands need — the core (markdown parser, API client,
// audio), the generation, the player — built on the first use of a command, the serializer or the preview, never at
// activation. extension.ts registers stand-ins that load this once and hand over to what it registers.
import * as vscode from 'vscode';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharedAudioCache } from './audioCacheProvider';
import { ClientProvider } from './clientProvider';
import { CredentialStore } from './credentialStore';
import { readConfig } from './config';
import type { CommandDeps } from './commands/commandDeps';
import type { CaptionWriter } from './core';
import { registerGenerateCommands } from './commands/generateCommands';
import { registerKeyCommands, warnIfKeyRegionDiffers } from './commands/keyCommands';
import { registerPlayerCommands } from './commands/playerCommands';
import { registerPreviewCommand, renderPreview } from './commands/previewCommand';
import { registerSampleCommand } from './commands/sampleCommand';
import { registerVoiceCommands } from './commands/voiceCommands';
import { Player } from './player/player';
import type { PlayerPanel } from './player/playerPanel';
import { TakeHistory } from './player/take';
import { UserInterfaceHolder } from './ui/userInterface';
import type { VoiceLabels } from './voiceLabels';
import { WalkthroughState } from './walkthroughState';
import { DurationMemory } from './timing/durationMemory';
import { NarrationView } from './editorView/narrationView';

/** The seams integration tests use (only under tests). */
export interface TestingApi {
  ui: UserInterfaceHolder;
  takes: TakeHistory;
  logUri: vscode.Uri;
  player: () => PlayerPanel | undefined;
  walkthrough: WalkthroughState;
  durations: DurationMemory;
  /** The narration view, once started. */
  narrationView: () => NarrationView | undefined;
}

/** What activate() made already and the engine shares. */
export interface EngineShared {
  voiceLabels: VoiceLabels;
  /** Fired when the stored key changes (the status bar looks the voice's name up again). */
  keyChanged: vscode.EventEmitter<void>;
}

/** The loaded engine, as extension.ts sees it. */
export interface Engine {
  /** Brings back a player panel after a window reload (the serializer's work). */
  revive(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** The text of a narration preview (one restored with the window, asked for before the engine was loaded). */
  previewContent(uri: vscode.Uri): Promise<string>;
  /** The region setting changed before the engine listened for it. */
  warnIfKeyRegionDiffers(): Promise<void>;
  /** Starts the narration in the editor (decorations, CodeLens, status bar, duration warnings), once. */
  startNarrationView(): void;
  /** The account's voices, for their names; undefined without a key. */
  listVoices(): Promise<readonly { id: string; label: string }[] | undefined>;
  testing: TestingApi;
}

/**
 * Builds the pieces and registers the real commands, the serializer and the preview's content provider (the stand-ins
 * are gone by now); everything is disposed with the extension's subscriptions.
 */
export function startEngine(context: vscode.ExtensionContext, shared: EngineShared): Engine {
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
  const durations = new DurationMemory(context.globalState);
  const player = new Player({ extensionUri: context.extensionUri, log, takes, ui });
  const { voiceLabels } = shared;
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
    durations,
    writeCaptions: (...args) => loadCaptionWriter().makeCaptionFiles(...args),
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
  const walkthrough = new WalkthroughState(clients, takes, context.globalState, player.onDidStartPlayback);
  context.subscriptions.push(
    { dispose: () => void fs.rm(fallbackCache, { recursive: true, force: true }).catch(() => undefined) },
    log,
    walkthrough,
    store,
    clients,
    takes,
    durations,
    player,
    vscode.commands.registerCommand('aistudios.showLog', () => log.show(true)),
    ...registerKeyCommands(deps),
    ...registerGenerateCommands(deps),
    ...registerVoiceCommands(deps),
    ...registerPreviewCommand(deps),
    ...registerPlayerCommands(deps),
    registerSampleCommand(deps),
    store.onDidChange(() => {
      voiceLabels.keyChanged();
      shared.keyChanged.fire();
    }),
  );
  let narrationView: NarrationView | undefined;
  const startNarrationView = () => {
    if (narrationView) return;
    narrationView = new NarrationView({
      config: readConfig,
      durations,
      audioCache: deps.audioCache,
      host: async () => (await clients.get().catch(() => undefined))?.baseUrl,
      log,
      voiceLabels,
    });
    context.subscriptions.push(narrationView);
  };
  return {
    startNarrationView,
    revive: async (panel, state) => {
      await player.revive(panel, state);
    },
    previewContent: (uri) => renderPreview(deps, vscode.Uri.parse(uri.query)),
    warnIfKeyRegionDiffers: () => warnIfKeyRegionDiffers(deps),
    listVoices: async () => {
      const api = await clients.get();
      return api?.client.listModels();
    },
    testing: {
      ui,
      takes,
      logUri: context.logUri,
      player: () => player.current,
      walkthrough,
      durations,
      narrationView: () => narrationView,
    },
  };
}

let captionWriter: { makeCaptionFiles: CaptionWriter } | undefined;

/** dist/captionWriter.js, beside this bundle, loaded the first time captions are made (see src/captionWriter.ts). */
function loadCaptionWriter(): { makeCaptionFiles: CaptionWriter } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, so esbuild leaves it alone
  return (captionWriter ??= require(path.join(__dirname, 'captionWriter.js')) as { makeCaptionFiles: CaptionWriter });
}
