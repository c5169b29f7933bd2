import * as assert from 'assert';
import type * as vscode from 'vscode';
import { VoiceLabels } from '../../src/voiceLabels';

/** An in-memory stand-in for VS Code's globalState. */
function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as vscode.Memento;
}

describe('VoiceLabels', () => {
  it('names a remembered voice and falls back to the id', async () => {
    const labels = new VoiceLabels(memento());
    assert.strictEqual(labels.describe('M000045058'), 'M000045058');
    await labels.remember([
      { id: 'M000045058', label: 'Paige' },
      { id: 'M000099999', label: 'M000099999' },
    ]);
    assert.strictEqual(labels.describe('M000045058'), 'Paige (M000045058)');
    assert.strictEqual(labels.name('M000045058'), 'Paige');
    assert.strictEqual(labels.describe('M000099999'), 'M000099999', 'an unnamed voice is not named twice');
    await labels.remember([{ id: 'M000011111', label: 'Joon' }]);
    assert.strictEqual(labels.name('M000045058'), 'Paige', 'a later list adds to what is known');
  });
});
