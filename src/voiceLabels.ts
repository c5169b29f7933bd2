import type * as vscode from 'vscode';

const LABELS_KEY = 'aistudios.modelLabels';

/** Remembers the names of the account's voices (from the last voice list), so the UI can say "Paige" instead of an id. */
export class VoiceLabels {
  constructor(private readonly state: vscode.Memento) {}

  /** "Paige (M000045058)" when the name is known, else the id. */
  describe(modelId: string): string {
    const label = this.state.get<Record<string, string>>(LABELS_KEY, {})[modelId];
    return label && label !== modelId ? `${label} (${modelId})` : modelId;
  }

  /** The short form for tight places: the name when known, else the id. */
  name(modelId: string): string {
    return this.state.get<Record<string, string>>(LABELS_KEY, {})[modelId] || modelId;
  }

  async remember(models: readonly { id: string; label: string }[]): Promise<void> {
    const labels = { ...this.state.get<Record<string, string>>(LABELS_KEY, {}) };
    for (const model of models) labels[model.id] = model.label;
    await this.state.update(LABELS_KEY, labels);
  }
}
