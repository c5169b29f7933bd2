import * as vscode from 'vscode';
import { isSetByUser, onDidChangeSettings } from './config';
import type { ClientProvider } from './clientProvider';
import { Disposable } from './disposable';
import type { TakeHistory } from './player/take';
import { RECENT_MODELS_KEY } from './commands/voiceCommands';

/** The context keys the walkthrough's steps complete on (package.json: `onContext:` completion events). */
export const WALKTHROUGH_CONTEXT = {
  /** A key is stored (or, in the demo, the fake server's token stands in for one). */
  hasKey: 'aistudios.hasApiKey',
  /** The writer chose a voice: model or language set in settings, or picked with Select Voice. */
  voiceChosen: 'aistudios.voiceChosen',
  /** A take was generated, in this window or before. */
  hasTake: 'aistudios.hasTake',
} as const;

const MADE_A_TAKE_KEY = 'aistudios.madeATake';

/**
 * Keeps the walkthrough's context keys true to the state, so a step the writer did before opening the walkthrough
 * (or in another window) shows as done, and one undone (the key removed) shows as not done.
 */
export class WalkthroughState extends Disposable {
  private readonly current: Record<string, boolean> = {};

  constructor(
    private readonly clients: ClientProvider,
    takes: TakeHistory,
    private readonly state: vscode.Memento,
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
    void this.update();
  }

  /** The values last set (tests read them). */
  get values(): Readonly<Record<string, boolean>> {
    return { ...this.current };
  }

  async update(): Promise<void> {
    const values = {
      [WALKTHROUGH_CONTEXT.hasKey]: (await this.clients.get().catch(() => undefined)) !== undefined,
      [WALKTHROUGH_CONTEXT.voiceChosen]:
        isSetByUser(['model', 'language']) || this.state.get<string[]>(RECENT_MODELS_KEY, []).length > 0,
      [WALKTHROUGH_CONTEXT.hasTake]: this.state.get<boolean>(MADE_A_TAKE_KEY, false),
    };
    for (const [key, value] of Object.entries(values)) {
      if (this.current[key] === value) continue;
      this.current[key] = value;
      await vscode.commands.executeCommand('setContext', key, value);
    }
  }
}
