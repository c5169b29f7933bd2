import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import type { VoiceParams } from '../../src/core/api/voiceParams';
import { chunkNarration, type Chunk } from '../../src/core/narration/chunker';
import { markdownToNarration, plainTextToNarration, type Narration } from '../../src/core/narration/narration';
import { lineAt, lineRange, LineIndex } from '../../src/core/narration/sourceLines';
import { randomMarkdown } from '../fixtures/scripts/randomMarkdown';

const VOICE: VoiceParams = { model: 'M000045058', language: 'en' };
const SCRIPTS = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scripts');
const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

function texts(chunks: Chunk[]): string[] {
  return chunks.map((chunk) => chunk.text);
}

/** Where each chunk's text starts in the narration text; fails unless chunks are the narration in order, split only at whitespace-trimmed boundaries. */
function chunkPositions(narration: Narration, chunks: Chunk[]): number[] {
  const positions: number[] = [];
  let cursor = 0;
  for (const chunk of chunks) {
    while (cursor < narration.text.length && /\s/.test(narration.text[cursor])) cursor++;
    assert.ok(
      narration.text.startsWith(chunk.text, cursor),
      `chunk ${chunk.index} is not the next part of the narration: ${JSON.stringify(chunk.text.slice(0, 30))}`,
    );
    positions.push(cursor);
    cursor += chunk.text.length;
  }
  assert.strictEqual(narration.text.slice(cursor).trim(), '', 'narration left over after the last chunk');
  return positions;
}

/** The segment (word or grapheme) containing position, if position is inside it rather than at its start. */
function segmentAround(segments: Intl.Segments, position: number): string | undefined {
  const segment = segments.containing(position);
  return segment && segment.index !== position ? segment.segment : undefined;
}

/** Checks every property the chunker promises, for one narration and limit. */
function assertWellChunked(narration: Narration, limit: number): Chunk[] {
  const chunks = chunkNarration(narration, limit, VOICE);
  const positions = chunkPositions(narration, chunks);
  const words = wordSegmenter.segment(narration.text);
  const graphemes = graphemeSegmenter.segment(narration.text);
  const layout = blockLayout(narration);
  chunks.forEach((chunk, i) => {
    assert.strictEqual(chunk.index, i);
    assert.ok(chunk.text.length > 0, 'empty chunk');
    assert.ok(chunk.text.length <= limit, `chunk of ${chunk.text.length} > ${limit}`);
    assert.strictEqual(chunk.text, chunk.text.trim());
    assert.ok(chunk.sourceStart <= chunk.sourceEnd);
    if (i > 0) {
      assert.ok(chunk.sourceStart >= chunks[i - 1].sourceStart, 'source starts increase');
      assert.ok(chunk.sourceEnd >= chunks[i - 1].sourceEnd, 'source ends increase');
      assert.ok(chunk.sectionIndex >= chunks[i - 1].sectionIndex);
    }
    assert.strictEqual(chunk.startsSection, i > 0 && chunk.sectionIndex !== chunks[i - 1].sectionIndex);
    assert.strictEqual(chunk.voice, VOICE, 'every chunk carries the voice it is spoken in');
    // One section per chunk.
    const start = positions[i];
    const end = start + chunk.text.length;
    const sections = new Set(layout.filter((b) => b.start < end && b.end > start).map((b) => b.sectionIndex));
    assert.deepStrictEqual([...sections], [chunk.sectionIndex]);
    if (i > 0) {
      // The cut lies in the whitespace between two chunks: somewhere there it must not split a word (unless that
      // word alone is longer than the limit), a grapheme (same), or a surrogate pair (ever).
      const previousEnd = positions[i - 1] + chunks[i - 1].text.length;
      const cuts = Array.from({ length: start - previousEnd + 1 }, (_, k) => previousEnd + k);
      const fine = (boundary: number) => {
        const word = segmentAround(words, boundary);
        const grapheme = segmentAround(graphemes, boundary);
        const code = narration.text.charCodeAt(boundary);
        const before = narration.text.charCodeAt(boundary - 1);
        const surrogateSplit = code >= 0xdc00 && code <= 0xdfff && before >= 0xd800 && before <= 0xdbff;
        // Unicode's word and grapheme rules can disagree (e.g. "🇷\u200d🇰🇷": a word ends inside a flag grapheme).
        // There no cut can respect both, so a word boundary is accepted; in ordinary text every word boundary
        // is also a grapheme boundary, so this never excuses a split word or grapheme.
        const wordEndsInsideGrapheme = word === undefined && grapheme !== undefined;
        return (
          !surrogateSplit &&
          (((word === undefined || word.length > limit) && (grapheme === undefined || grapheme.length > limit)) ||
            wordEndsInsideGrapheme)
        );
      };
      assert.ok(cuts.some(fine), `split inside ${JSON.stringify(segmentAround(words, start))} (limit ${limit})`);
      // Greedy packing: a block that starts a chunk would not have fitted at the end of the previous one, unless
      // the script pauses there or the voice changes (issue 13: the narration is split at the cue).
      const opening = layout.find((b) => b.start === start);
      const forced = chunk.pausesBefore !== undefined || chunk.voice !== chunks[i - 1].voice;
      if (opening && chunks[i - 1].sectionIndex === chunk.sectionIndex && !forced) {
        assert.ok(opening.end - positions[i - 1] > limit, `block at ${start} would have fitted in chunk ${i - 1}`);
      }
    }
  });
  return chunks;
}

function blockLayout(narration: Narration): { start: number; end: number; sectionIndex: number }[] {
  let position = 0;
  return narration.blocks.map((block) => {
    const start = position;
    position += block.text.length + 2;
    return { start, end: start + block.text.length, sectionIndex: block.sectionIndex };
  });
}

describe('chunkNarration', () => {
  it('packs blocks of a section greedily, joined with a blank line', () => {
    const narration = plainTextToNarration('One one.\n\nTwo two.\n\nThree three.');
    assert.deepStrictEqual(texts(chunkNarration(narration, 20, VOICE)), ['One one.\n\nTwo two.', 'Three three.']);
    assert.deepStrictEqual(texts(chunkNarration(narration, 2000, VOICE)), ['One one.\n\nTwo two.\n\nThree three.']);
  });

  it('starts a new chunk at each section, even when it would fit', () => {
    const chunks = chunkNarration(markdownToNarration('Preamble.\n\n## A\n\nText a.\n\n## B\n\nText b.'), 2000, VOICE);
    assert.deepStrictEqual(
      chunks.map((c) => [c.text, c.sectionIndex, c.sectionTitle ?? null, c.startsSection]),
      [
        ['Preamble.', 0, null, false],
        ['A.\n\nText a.', 1, 'A', true],
        ['B.\n\nText b.', 2, 'B', true],
      ],
    );
    // The first chunk needs no pause before it, even when it opens a section.
    assert.strictEqual(chunkNarration(markdownToNarration('## A\n\nText.'), 2000, VOICE)[0].startsSection, false);
  });

  it('prefers a block boundary to a sentence boundary', () => {
    const narration = plainTextToNarration('Short.\n\nA longer one. With two sentences.');
    assert.deepStrictEqual(texts(chunkNarration(narration, 30, VOICE)), [
      'Short.',
      'A longer one.',
      'With two sentences.',
    ]);
  });

  it('splits a long paragraph at sentences, then words', () => {
    const narration = plainTextToNarration(
      'First sentence here. Second one! A third sentence that is rather long indeed?',
    );
    assert.deepStrictEqual(texts(chunkNarration(narration, 40, VOICE)), [
      'First sentence here. Second one!',
      'A third sentence that is rather long',
      'indeed?',
    ]);
    assert.deepStrictEqual(texts(chunkNarration(plainTextToNarration('alpha beta gamma delta'), 11, VOICE)), [
      'alpha beta',
      'gamma delta',
    ]);
  });

  it('splits Chinese and Japanese text without spaces at sentences', () => {
    const narration = plainTextToNarration('你知道最痛苦的是什么吗？不是模组太少。是模组之间的架打不完。');
    assert.deepStrictEqual(texts(chunkNarration(narration, 20, VOICE)), [
      '你知道最痛苦的是什么吗？不是模组太少。',
      '是模组之间的架打不完。',
    ]);
  });

  it('splits a word longer than the limit at graphemes, never inside a surrogate pair', () => {
    assert.deepStrictEqual(texts(chunkNarration(plainTextToNarration('a'.repeat(25)), 10, VOICE)), [
      'aaaaaaaaaa',
      'aaaaaaaaaa',
      'aaaaa',
    ]);
    assert.deepStrictEqual(texts(chunkNarration(plainTextToNarration('😀😀😀'), 3, VOICE)), ['😀', '😀', '😀']);
    assert.deepStrictEqual(texts(chunkNarration(plainTextToNarration('ééé'.normalize('NFD')), 4, VOICE)), [
      'é'.normalize('NFD').repeat(2),
      'é'.normalize('NFD'),
    ]);
    // A grapheme cluster longer than the limit (a family emoji of 8 code units) falls back to code points.
    assert.deepStrictEqual(texts(chunkNarration(plainTextToNarration('👨‍👩‍👧'), 4, VOICE)), ['👨\u200d', '👩\u200d', '👧']);
  });

  it('gives no chunk for an empty narration and rejects limits that cannot fit a character', () => {
    assert.deepStrictEqual(chunkNarration(plainTextToNarration(''), 100, VOICE), []);
    for (const bad of [0, 1, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => chunkNarration(plainTextToNarration('text'), bad, VOICE), RangeError);
    }
  });

  it('maps chunks to the source ranges and lines they came from', () => {
    const source = '# Title\n\nFirst paragraph,\nstill first.\n\nSecond one here.\n\n- a list item';
    const narration = markdownToNarration(source);
    const chunks = chunkNarration(narration, 40, VOICE);
    assert.deepStrictEqual(texts(chunks), [
      'Title.\n\nFirst paragraph, still first.',
      'Second one here.\n\na list item.',
    ]);
    assert.deepStrictEqual(
      chunks.map((c) => lineRange(source, c.sourceStart, c.sourceEnd - 1)),
      [
        { startLine: 0, endLine: 3 },
        { startLine: 5, endLine: 7 },
      ],
    );
    assert.strictEqual(
      source.slice(chunks[0].sourceStart, chunks[0].sourceEnd),
      '# Title\n\nFirst paragraph,\nstill first.',
    );
    // A chunk that starts inside a block starts at its first character's offset.
    const split = chunkNarration(markdownToNarration(source), 20, VOICE);
    const inner = split.find((c) => c.text === 'still first.');
    assert.ok(inner);
    assert.strictEqual(source.slice(inner.sourceStart, inner.sourceEnd), 'still first.');
  });

  it('chunks the real scripts within every limit', () => {
    for (const name of fs.readdirSync(SCRIPTS).filter((n) => /^\d+-.*\.md$/.test(n))) {
      const narration = markdownToNarration(fs.readFileSync(path.join(SCRIPTS, name), 'utf8'));
      for (const limit of [2000, 300, 37]) assertWellChunked(narration, limit);
    }
    const transcript = markdownToNarration(
      fs.readFileSync(path.join(SCRIPTS, '20-podcast-transcript-multispeaker.md'), 'utf8'),
    );
    const chunks = chunkNarration(transcript, 2000, VOICE);
    const filled = chunks.reduce((sum, c) => sum + c.text.length, 0) / (chunks.length * 2000);
    assert.ok(filled > 0.8, `chunks are packed (${filled})`);
  });

  describe('properties', () => {
    it('holds for random markdown documents and limits', () => {
      fc.assert(
        fc.property(randomMarkdown(), fc.integer({ min: 2, max: 300 }), (markdown, limit) => {
          assertWellChunked(markdownToNarration(markdown), limit);
        }),
        { numRuns: 300 },
      );
    });

    it('cuts at a word boundary where Unicode puts one inside a flag (seen in a random run)', () => {
      assertWellChunked(plainTextToNarration('🇷\u200d🇰🇷'), 5);
    });

    it('holds for random plain text of any characters', () => {
      const anyText = fc.string({
        unit: fc.oneof(
          fc.constantFrom(' ', '\n', '.', '。', '😀', '\u200d', '\u0301', '🇰', '🇷'),
          fc.string({ unit: 'grapheme', maxLength: 1 }),
        ),
        maxLength: 400,
      });
      fc.assert(
        fc.property(anyText, fc.integer({ min: 2, max: 60 }), (text, limit) => {
          assertWellChunked(plainTextToNarration(text), limit);
        }),
        { numRuns: 300 },
      );
    });

    it('keeps text that fits in one chunk per section, unchanged', () => {
      fc.assert(
        fc.property(randomMarkdown(), (markdown) => {
          const narration = markdownToNarration(markdown);
          const chunks = chunkNarration(narration, 100000, VOICE);
          assert.strictEqual(chunks.length, new Set(narration.blocks.map((b) => b.sectionIndex)).size);
          assert.strictEqual(chunks.map((c) => c.text).join('\n\n'), narration.text);
        }),
        { numRuns: 100 },
      );
    });
  });
});

describe('sourceLines', () => {
  it('finds the 0-based line of an offset, counting \\n, \\r\\n and \\r', () => {
    const source = 'ab\ncd\r\nef\rgh';
    assert.deepStrictEqual(
      [0, 2, 3, 5, 6, 7, 9, 10, 12].map((offset) => lineAt(source, offset)),
      [0, 0, 1, 1, 1, 2, 2, 3, 3],
    );
    assert.strictEqual(lineAt(source, -4), 0);
    assert.strictEqual(lineAt(source, 999), 3);
    assert.strictEqual(lineAt('', 0), 0);
    assert.strictEqual(new LineIndex(source).lineCount, 4);
    assert.strictEqual(new LineIndex(source).lineStart(2), 7);
  });

  it('gives inclusive line ranges', () => {
    const source = 'one\ntwo\nthree';
    assert.deepStrictEqual(lineRange(source, 0, 2), { startLine: 0, endLine: 0 });
    assert.deepStrictEqual(
      lineRange(source, 0, 3),
      { startLine: 0, endLine: 0 },
      'an end on the line break stays on its line',
    );
    assert.deepStrictEqual(lineRange(source, 2, 9), { startLine: 0, endLine: 2 });
    assert.deepStrictEqual(
      lineRange(source, 9, 4),
      { startLine: 2, endLine: 2 },
      'an end before the start is the start line',
    );
  });
});
