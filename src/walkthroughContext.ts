// The walkthrough's context keys as activate() sets them: from what is in memory only (settings, global state), so
// activation reads nothing. The key's presence is remembered from the last time it was known (WalkthroughState
// records it); once the engine runs, WalkthroughState keeps every key true to the state.
import * as vscode from 'vscode';
import { isSetByUser } from './settings';

/** The context keys the walkthrough's steps complete on (package.json: `onContext:` completion events). */
export const WALKTHROUGH_CONTEXT = {
  /** A key is stored (or, in the demo, the fake server's token stands in for one). */
  hasKey: 'aistudios.hasApiKey',
  /** The writer chose a voice: model or language set in settings, or picked with Select Voice. */
  voiceChosen: 'aistudios.voiceChosen',
  /** A take was generated, in this window or before. */
  hasTake: 'aistudios.hasTake',
  /** The player played a take, in this window or before. */
  hasPlayed: 'aistudios.hasPlayed',
} as const;

/** Global state: a take was made (in any window, ever). */
export const MADE_A_TAKE_KEY = 'aistudios.madeATake';
/** Global state: the voices picked with Select Voice, most recent first. */
export const RECENT_MODELS_KEY = 'aistudios.recentModels';
/** Global state: the player played a take (in any window, ever). */
export const PLAYED_A_TAKE_KEY = 'aistudios.playedATake';
/** Global state: whether a key was stored when it was last looked at (secrets are not read at activation). */
export const HAD_KEY_KEY = 'aistudios.hadApiKey';

/** The walkthrough's keys from memory; `hasKey` as last known. */
export function walkthroughContextFromMemory(state: vscode.Memento): Record<string, boolean> {
  return {
    [WALKTHROUGH_CONTEXT.hasKey]: state.get<boolean>(HAD_KEY_KEY, false),
    [WALKTHROUGH_CONTEXT.voiceChosen]: isVoiceChosen(state),
    [WALKTHROUGH_CONTEXT.hasTake]: state.get<boolean>(MADE_A_TAKE_KEY, false),
    [WALKTHROUGH_CONTEXT.hasPlayed]: state.get<boolean>(PLAYED_A_TAKE_KEY, false),
  };
}

/** Whether the writer chose a voice: model or language set in settings, or a voice picked with Select Voice. */
export function isVoiceChosen(state: vscode.Memento): boolean {
  return isSetByUser(['model', 'language']) || state.get<string[]>(RECENT_MODELS_KEY, []).length > 0;
}

/** Sets the walkthrough's keys at activation (a message to the window, not a read). */
export function setWalkthroughContextFromMemory(state: vscode.Memento): void {
  for (const [key, value] of Object.entries(walkthroughContextFromMemory(state)))
    void vscode.commands.executeCommand('setContext', key, value);
}
