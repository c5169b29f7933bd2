import type * as vscode from 'vscode';
import type { ClientProvider } from '../clientProvider';
import type { CredentialStore } from '../credentialStore';
import type { AiStudiosConfig } from '../config';
import type { UserInterfaceHolder } from '../ui/userInterface';
import type { TakeHistory } from '../player/take';
import type { Player } from '../player/player';
import type { AudioCache, CaptionWriter } from '../core';
import type { VoiceLabels } from '../voiceLabels';
import type { DurationMemory } from '../timing/durationMemory';

/** What every command module receives from extension.ts. */
export interface CommandDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  ui: UserInterfaceHolder;
  store: CredentialStore;
  clients: ClientProvider;
  takes: TakeHistory;
  /** The window's one player panel, owned by activate(). */
  player: Player;
  config(scope?: vscode.Uri): AiStudiosConfig;
  /** Names of the account's voices, for display. */
  voiceLabels: VoiceLabels;
  /** The shared audio cache in the extension's global storage. */
  audioCache(): AudioCache;
  /** Speaking rates and real part lengths learned from takes (for the duration estimates). */
  durations: DurationMemory;
  /** Makes caption files (dist/captionWriter.js, loaded on first use). */
  writeCaptions: CaptionWriter;
}
