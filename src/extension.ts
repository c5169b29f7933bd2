// The activation bundle (dist/extension.js): activate() registers the commands, the status bar item, the player's
// serializer and the preview's content provider, sets the walkthrough's keys, and loads nothing else. The commands'
// work — markdown parser, API client, audio, player — lives in dist/engine.js, loaded by the first command (or
// restored panel, or preview) that needs it. Nothing is read from disk or the network here: settings and global
// state are already in memory, and the secrets are not read (the walkthrough's key step uses what was last known).
import * as vscode from 'vscode';
import * as path from 'path';
import { COMMAND_IDS, PLAYER_VIEW_TYPE, PREVIEW_SCHEME } from './contributions';
import type { TestingApi } from './engine';
import { EngineLoader, type EngineModule } from './engineLoader';
import { onDidChangeSettings, voiceForDisplay } from './settings';
import { createVoiceStatusBar } from './voiceStatusBar';
import { VoiceLabels } from './voiceLabels';
import { setWalkthroughContextFromMemory } from './walkthroughContext';
import { startNarrationViewWhenNeeded } from './narrationViewStarter';

/** What activate() returns; `testing` exists only when the extension runs under tests. */
export interface ExtensionApi {
  testing?: TestingApi & {
    voiceLabels: VoiceLabels;
    globalState: vscode.Memento;
    context: vscode.ExtensionContext;
    engineLoaded: () => boolean;
  };
}

/** Registers what the manifest promises; the engine is loaded by the first use. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const keyChanged = new vscode.EventEmitter<void>();
  // Names are looked up only once the extension was used in this window: before that, nothing reads the key.
  const voiceLabels: VoiceLabels = new VoiceLabels(context.globalState, () =>
    engine.isLoaded ? engine.get().listVoices() : Promise.resolve(undefined),
  );
  const engine: EngineLoader = new EngineLoader(context, { voiceLabels, keyChanged }, requireEngine);
  context.subscriptions.push(keyChanged, engine);
  for (const id of COMMAND_IDS) {
    // The first call loads the engine, which registers the real command in this one's place, then runs it.
    engine.standIn(
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        engine.get();
        return vscode.commands.executeCommand(id, ...args);
      }),
    );
  }
  engine.standIn(
    vscode.window.registerWebviewPanelSerializer(PLAYER_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => engine.get().revive(panel, state),
    }),
  );
  // A preview restored with the window asks for its text before anything else ran.
  engine.standIn(
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
      provideTextDocumentContent: (uri) => engine.get().previewContent(uri),
    }),
  );
  setWalkthroughContextFromMemory(context.globalState);
  context.subscriptions.push(
    // Once loaded, the engine listens for this itself.
    onDidChangeSettings((e) => {
      if (e.affects('region') && !engine.isLoaded) void engine.get().warnIfKeyRegionDiffers();
    }),
    createVoiceStatusBar(
      () => voiceForDisplay(vscode.window.activeTextEditor?.document.uri),
      voiceLabels,
      keyChanged.event,
    ),
    // The narration in the editor loads the engine on first need: a script visible with the view on.
    startNarrationViewWhenNeeded(() => engine.get().startNarrationView()),
  );
  if (context.extensionMode !== vscode.ExtensionMode.Test) return {};
  return {
    testing: {
      get ui() {
        return engine.get().testing.ui;
      },
      get takes() {
        return engine.get().testing.takes;
      },
      get walkthrough() {
        return engine.get().testing.walkthrough;
      },
      get durations() {
        return engine.get().testing.durations;
      },
      narrationView: () => engine.get().testing.narrationView(),
      logUri: context.logUri,
      player: () => engine.get().testing.player(),
      voiceLabels,
      globalState: context.globalState,
      context,
      engineLoaded: () => engine.isLoaded,
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** dist/engine.js, beside this bundle; not bundled into it (esbuild.js builds it as its own entry). */
function requireEngine(): EngineModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, so esbuild leaves it alone
  return require(path.join(__dirname, 'engine.js')) as EngineModule;
}
