import * as vscode from 'vscode';
import { onDidChangeSettings } from './config';
import type { ClientProvider } from './clientProvider';
import { Disposable } from './disposable';
import type { TakeHistory } from './player/take';
import {
  HAD_KEY_KEY,
  MADE_A_TAKE_KEY,
  PLAYED_A_TAKE_KEY,
  WALKTHROUGH_CONTEXT,
  walkthroughContextFromMemory,
} from './walkthroughContext';

export { WALKTHROUGH_CONTEXT } from './walkthroughContext';

/**
 * Keeps the walkthrough's context keys true to the state, so a step the writer did before opening the walkthrough
 * (or in another window) shows as done, and one undone (the key removed) shows as not done. Playback counts once the
 * player's page says the audio plays (not when the panel opens: a refused autoplay is not a take heard).
 */
export class WalkthroughState extends Disposable {
  private readonly current: Record<string, boolean> = {};

  constructor(
    private readonly clients: ClientProvider,
    takes: TakeHistory,
    private readonly state: vscode.Memento,
    /** Fires when the player's page starts playing a take. */
    onDidStartPlayback: vscode.Event<unknown>,
  ) {
    super();
    this.register(clients.onDidChangeKey(() => void this.update()));
    this.register(
      onDidChangeSettings((e) => {
        if (e.affects('model', 'language', 'region', 'apiBaseUrl')) void this.update();
      }),
    );
    this.register(
      takes.onDidChange(async () => {
        // A take made here (not a file only opened in the player) counts, and is remembered for later windows.
        if (takes.list().some((t) => t.sourceUri || t.chunks.length > 0) && !state.get(MADE_A_TAKE_KEY))
          await state.update(MADE_A_TAKE_KEY, true);
        await this.update();
      }),
    );
    this.register(
      onDidStartPlayback(async () => {
        // Remembered for later windows, which tick the step from memory at activation.
        if (!state.get(PLAYED_A_TAKE_KEY)) await state.update(PLAYED_A_TAKE_KEY, true);
        await this.update();
      }),
    );
    void this.update();
  }

  /** The values last set (tests read them). */
  get values(): Readonly<Record<string, boolean>> {
    return { ...this.current };
  }

  async update(): Promise<void> {
    const hasKey = (await this.clients.get().catch(() => undefined)) !== undefined;
    // Remembered for the next activation, which sets the keys without reading the secrets.
    if (this.state.get<boolean>(HAD_KEY_KEY, false) !== hasKey) await this.state.update(HAD_KEY_KEY, hasKey);
    const values = { ...walkthroughContextFromMemory(this.state), [WALKTHROUGH_CONTEXT.hasKey]: hasKey };
    for (const [key, value] of Object.entries(values)) {
      if (this.current[key] === value) continue;
      this.current[key] = value;
      await vscode.commands.executeCommand('setContext', key, value);
    }
  }
}
