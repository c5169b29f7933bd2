// The player's section rows: the title once, then the first words of what is spoken.
import * as assert from 'assert';
import { chunkLabel, firstWords } from '../../src/player/chunkLabel';

describe('chunkLabel', () => {
  it('does not repeat a spoken heading after the section title', () => {
    assert.strictEqual(
      chunkLabel('Short sentences', 'Short sentences.\n\nReaders follow one idea at a time.'),
      'Short sentences: Readers follow one idea at a time.',
    );
    assert.strictEqual(
      chunkLabel('Why?', 'Why?\n\nBecause listeners cannot scroll back.'),
      'Why?: Because listeners cannot scroll back.',
    );
    assert.strictEqual(
      chunkLabel('短い文', '短い文。\n\n読み手は一度に一つの考えを追います。'),
      '短い文: 読み手は一度に一つの考えを追います。',
    );
  });

  it('keeps the text when it does not open with the whole title', () => {
    assert.strictEqual(chunkLabel('Intro', 'Introductions matter.'), 'Intro: Introductions matter.');
    assert.strictEqual(
      chunkLabel('Short sentences', 'Readers follow one idea.'),
      'Short sentences: Readers follow one idea.',
    );
  });

  it('a chunk that is only its heading is labelled with the title alone; no title, only the words', () => {
    assert.strictEqual(chunkLabel('Wrap up', 'Wrap up.'), 'Wrap up');
    assert.strictEqual(chunkLabel(undefined, 'Hello   there,\nlistener.'), 'Hello there, listener.');
  });

  it('cuts long text at a word with an ellipsis', () => {
    const label = firstWords('word '.repeat(30));
    assert.ok(label.length <= 60 && label.endsWith('…') && !label.includes('wor…'), label);
  });
});
