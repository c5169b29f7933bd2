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

describe('VoiceLabels.lookUp', () => {
  const paige = [{ id: 'M000045058', label: 'Paige' }];

  it('asks for the voice list once when a name is unknown, and tells who shows names', async () => {
    let asked = 0;
    const labels = new VoiceLabels(memento(), async () => (asked++, paige));
    let changes = 0;
    labels.onDidChange(() => changes++);
    await Promise.all([labels.lookUp('M000045058'), labels.lookUp('M000045058')]);
    assert.strictEqual(asked, 1, 'one list for two lookups at the same time');
    assert.strictEqual(labels.name('M000045058'), 'Paige');
    assert.strictEqual(changes, 1);
    await labels.lookUp('M000045058');
    assert.strictEqual(asked, 1, 'a known name is not asked for');
  });

  it('asks nothing without a key, and asks once a key exists', async () => {
    let key = false;
    let asked = 0;
    const labels = new VoiceLabels(memento(), async () => (key ? (asked++, paige) : undefined));
    await labels.lookUp('M000045058');
    assert.strictEqual(labels.name('M000045058'), 'M000045058');
    key = true;
    await labels.lookUp('M000045058');
    assert.strictEqual([asked, labels.name('M000045058')].join(), '1,Paige');
  });

  it('after a failure, waits a minute (or a new key) before asking again', async () => {
    let now = 0;
    let fail = true;
    let asked = 0;
    const labels = new VoiceLabels(
      memento(),
      async () => {
        asked++;
        if (fail) throw new Error('offline');
        return paige;
      },
      () => now,
    );
    await labels.lookUp('M000045058');
    await labels.lookUp('M000045058');
    assert.strictEqual(asked, 1);
    fail = false;
    now = 61_000;
    await labels.lookUp('M000045058');
    assert.strictEqual([asked, labels.name('M000045058')].join(), '2,Paige');

    const other = new VoiceLabels(memento(), async () => {
      asked++;
      throw new Error('offline');
    });
    asked = 0;
    await other.lookUp('M000045058');
    other.keyChanged();
    await other.lookUp('M000045058');
    assert.strictEqual(asked, 2, 'a new key is tried at once');
  });
});
