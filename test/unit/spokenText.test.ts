// SpokenText keeps text and source offsets in step; its filter, whitespace collapse and builder share arrays instead
// of copying them where nothing changes. These tests hold the shortcuts to the plain, one-character-at-a-time rules.
import * as assert from 'assert';
import fc from 'fast-check';
import { SpokenText, SpokenTextBuilder } from '../../src/core/narration/spokenText';

/** Text whose offsets are 10, 11, 12, …: each character's source offset is plain to read. */
function spoken(text: string): SpokenText {
  return SpokenText.of(
    text,
    Array.from({ length: text.length }, (_, i) => 10 + i),
  );
}

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uff60]/u;

/** The collapse rules one character at a time: runs of whitespace → one space at the run's first offset, trimmed. */
function collapsedByRule(text: SpokenText): { text: string; offsets: number[] } {
  let out = '';
  const offsets: number[] = [];
  let pending: number | undefined;
  let lineBreak = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.text[i];
    if (/\s/.test(char)) {
      pending ??= text.offsets[i];
      lineBreak ||= /[\n\r\u2028\u2029]/.test(char);
      continue;
    }
    if (pending !== undefined && out.length > 0) {
      const before = [...out].pop() ?? '';
      const after = String.fromCodePoint(text.text.codePointAt(i) ?? 0);
      if (!(lineBreak && UNSPACED.test(before) && UNSPACED.test(after))) {
        out += ' ';
        offsets.push(pending);
      }
    }
    pending = undefined;
    lineBreak = false;
    out += char;
    offsets.push(text.offsets[i]);
  }
  return { text: out, offsets };
}

/** Strings rich in whitespace of every kind, and in Chinese and Japanese, where a wrapped line joins without a space. */
const whitespaceHeavy = fc.string({
  unit: fc.constantFrom('a', 'b', ' ', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '家', 'の', '。', '😀', '.'),
  maxLength: 60,
});

describe('SpokenText', () => {
  describe('filter', () => {
    it('is the text itself when every character is kept (nothing copied)', () => {
      const text = spoken('keep all of it');
      assert.strictEqual(
        text.filter(() => true),
        text,
      );
    });

    it('drops characters with their offsets, first, middle and last', () => {
      const text = spoken('xab-cdy');
      const kept = text.filter((index) => index !== 0 && index !== 3 && index !== 6);
      assert.deepStrictEqual([kept.text, kept.offsets], ['abcd', [11, 12, 14, 15]]);
      assert.deepStrictEqual(
        text.filter(() => false),
        spoken(''),
      );
    });

    it('keeps what a character-by-character filter keeps, and leaves the text it was made from as it was', () => {
      fc.assert(
        fc.property(whitespaceHeavy, fc.array(fc.boolean(), { maxLength: 60 }), (value, drops) => {
          const text = spoken(value);
          const kept = text.filter((index) => !drops[index]);
          const expected = [...Array(value.length).keys()].filter((i) => !drops[i]);
          assert.strictEqual(kept.text, expected.map((i) => value[i]).join(''));
          assert.deepStrictEqual(
            kept.offsets,
            expected.map((i) => 10 + i),
          );
          assert.deepStrictEqual([text.text, text.offsets], [value, spoken(value).offsets]);
        }),
      );
    });
  });

  describe('withoutSource', () => {
    it('is the text itself when no character came from the range', () => {
      const text = spoken('no label here');
      assert.strictEqual(text.withoutSource(0, 10), text);
      assert.strictEqual(text.withoutSource(23, 40), text);
    });

    it('leaves out the characters from the range wherever they stand, as a filter by offset would', () => {
      fc.assert(
        fc.property(
          whitespaceHeavy,
          fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 60 }),
          fc.integer({ min: 0, max: 80 }),
          fc.integer({ min: 0, max: 40 }),
          (value, shuffled, start, width) => {
            // Offsets in any order, repeated or not, as inserted characters and reordered markup make them.
            const offsets = Array.from({ length: value.length }, (_, i) => shuffled[i] ?? i);
            const text = SpokenText.of(value, offsets);
            const kept = text.withoutSource(start, start + width);
            const expected = text.filter((_, offset) => offset < start || offset >= start + width);
            assert.deepStrictEqual([kept.text, kept.offsets], [expected.text, expected.offsets]);
          },
        ),
      );
    });
  });

  describe('collapseWhitespace', () => {
    it('is the text itself when already collapsed: single spaces between words, none at the ends', () => {
      const text = spoken('one two three.');
      assert.strictEqual(text.collapseWhitespace(), text);
      assert.strictEqual(spoken('').collapseWhitespace().length, 0);
    });

    it('collapses runs, trims the ends, and turns a lone tab or no-break space into a space at its offset', () => {
      const collapsed = spoken(' a  b\tc\u00a0d ').collapseWhitespace();
      assert.deepStrictEqual([collapsed.text, collapsed.offsets], ['a b c d', [11, 12, 14, 15, 16, 17, 18]]);
    });

    it('keeps the lone spaces of a text it has to change, each at its own offset', () => {
      const collapsed = spoken('a b\n\nc d').collapseWhitespace();
      assert.deepStrictEqual([collapsed.text, collapsed.offsets], ['a b c d', [10, 11, 12, 13, 15, 16, 17]]);
    });

    it('joins a line wrapped inside Chinese or Japanese without a space, but keeps a space typed there', () => {
      assert.strictEqual(spoken('日本\n語の 文章').collapseWhitespace().text, '日本語の 文章');
    });

    it('remembers a text it collapsed: collapsing it again, or a slice of it, is free and still right', () => {
      const once = spoken('  one\t two  three ').collapseWhitespace();
      assert.strictEqual(once.collapseWhitespace(), once);
      const inner = once.slice(4, 7);
      assert.strictEqual(inner.text, 'two');
      assert.strictEqual(inner.collapseWhitespace(), inner);
      const cutAtSpace = once.slice(3, 8);
      assert.deepStrictEqual([cutAtSpace.text, cutAtSpace.collapseWhitespace().text], [' two ', 'two']);
      fc.assert(
        fc.property(whitespaceHeavy, fc.nat(), fc.nat(), (value, a, b) => {
          const collapsed = spoken(value).collapseWhitespace();
          const start = a % (collapsed.length + 1);
          const end = start + (b % (collapsed.length - start + 1));
          const slice = collapsed.slice(start, end);
          const again = slice.collapseWhitespace();
          const expected = collapsedByRule(SpokenText.of(slice.text, slice.offsets));
          assert.deepStrictEqual({ text: again.text, offsets: [...again.offsets] }, expected);
        }),
        { numRuns: 500 },
      );
    });

    it('agrees with the character-by-character rule on any text', () => {
      fc.assert(
        fc.property(whitespaceHeavy, (value) => {
          const collapsed = spoken(value).collapseWhitespace();
          assert.deepStrictEqual(
            { text: collapsed.text, offsets: [...collapsed.offsets] },
            collapsedByRule(spoken(value)),
          );
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('SpokenTextBuilder', () => {
    it('adopts the first piece without copying, and never changes it when more is appended', () => {
      const offsets = [3, 4, 5];
      const builder = new SpokenTextBuilder();
      builder.append('abc', offsets);
      const first = builder.build();
      assert.strictEqual(first.offsets, offsets);
      builder.appendInserted(' ', 5);
      builder.append('de', [7, 8]);
      const second = builder.build();
      assert.deepStrictEqual(offsets, [3, 4, 5]);
      assert.deepStrictEqual([first.text, first.offsets], ['abc', [3, 4, 5]]);
      assert.deepStrictEqual([second.text, second.offsets], ['abc de', [3, 4, 5, 5, 7, 8]]);
    });

    it('leaves a text it built as it was when more is appended afterwards', () => {
      const builder = new SpokenTextBuilder();
      builder.appendInserted(' ', 0);
      builder.append('x', [1]);
      const built = builder.build();
      builder.append('y', [2]);
      builder.appendSpoken(spoken('z'));
      assert.deepStrictEqual([built.text, built.offsets], [' x', [0, 1]]);
      const again = builder.build();
      assert.deepStrictEqual([again.text, again.offsets], [' xyz', [0, 1, 2, 10]]);
    });
  });
});
