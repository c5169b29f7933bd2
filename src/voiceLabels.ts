import type * as vscode from 'vscode';

const LABELS_KEY = 'aistudios.modelLabels';
/** After a failed voice list, names are not asked for again before this long (or a new key). */
const RETRY_AFTER_FAILURE_MS = 60_000;

/** The account's voices as a list gives them; undefined when no key is set, so nothing can be asked. */
export type VoiceLister = () => Promise<readonly { id: string; label: string }[] | undefined>;

/**
 * Remembers the names of the account's voices, so the UI can say "Paige" instead of an id, from the start: an unknown
 * name is looked up once, lazily (when something shows it and a key exists), never at activation.
 */
export class VoiceLabels {
  private lookup: Promise<void> | undefined;
  private failedAt = -Infinity;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly listVoices?: VoiceLister,
    private readonly now: () => number = Date.now,
  ) {}

  /** "Paige (M000045058)" when the name is known, else the id. */
  describe(modelId: string): string {
    const label = this.labels()[modelId];
    return label && label !== modelId ? `${label} (${modelId})` : modelId;
  }

  /** The short form for tight places: the name when known, else the id. */
  name(modelId: string): string {
    return this.labels()[modelId] || modelId;
  }

  async remember(models: readonly { id: string; label: string }[]): Promise<void> {
    const labels = { ...this.labels() };
    for (const model of models) labels[model.id] = model.label;
    await this.state.update(LABELS_KEY, labels);
    for (const listener of [...this.listeners]) listener();
  }

  /** Called when names were learnt (shown names may change). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Learns the account's voice names when `modelId`'s is unknown: one voice list at a time, none without a key, none
   * again soon after a failure. Resolves when done; never rejects (a name is a nicety).
   */
  lookUp(modelId: string): Promise<void> {
    if (this.labels()[modelId] !== undefined || !this.listVoices) return Promise.resolve();
    if (this.lookup) return this.lookup;
    if (this.now() - this.failedAt < RETRY_AFTER_FAILURE_MS) return Promise.resolve();
    const lookup = this.listVoices().then(
      async (models) => {
        if (models) await this.remember(models);
      },
      () => {
        this.failedAt = this.now();
      },
    );
    this.lookup = lookup.finally(() => (this.lookup = undefined));
    return this.lookup;
  }

  /** The key changed: a failure with the old one says nothing about the new one. */
  keyChanged(): void {
    this.failedAt = -Infinity;
  }

  private labels(): Record<string, string> {
    return this.state.get<Record<string, string>>(LABELS_KEY, {});
  }
}
