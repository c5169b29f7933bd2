// Splits narration into request-sized chunks: at sections, then blocks (paragraphs), then sentences (never after an
// abbreviation), then clauses, then words, and only as a last resort inside a word (grapheme clusters, then code
// points): never inside a surrogate pair.
// Lengths are counted in UTF-16 code units, which is never less than the code points a server may count.
import type { VoiceParams } from '../api/voiceParams';
import { endsWithAbbreviation } from './abbreviations';
import { BLOCK_SEPARATOR, type Narration, type NarrationBlock } from './narration';
import { lastIndexAtOrBefore } from './sortedSearch';

export interface Chunk {
  index: number;
  /** At most maxChars UTF-16 code units, never empty, trimmed. */
  text: string;
  /** The source range the chunk covers, [sourceStart, sourceEnd). */
  sourceStart: number;
  sourceEnd: number;
  sectionIndex: number;
  sectionTitle?: string;
  /**
   * The chunk starts a new top-level section after earlier chunks (the first chunk of a section, except chunk 0,
   * where no pause is needed); the joiner inserts the section pause before it. Use sectionIndex to group sections.
   */
  startsSection: boolean;
  /** The voice this chunk is spoken in: sent with its text and part of its cache key. */
  voice: VoiceParams;
}

/** The smallest limit that always fits a character outside the Basic Multilingual Plane (a surrogate pair). */
export const MIN_CHUNK_CHARS = 2;

/**
 * Splits narration into chunks of at most maxChars UTF-16 code units; a new section always starts a new chunk.
 * Every chunk is spoken in `voice`, the narration's default voice. Inside a block, cuts prefer a sentence end
 * (UAX #29 in the narration's language, else the voice's; never right after an abbreviation, title, initial or
 * number's period), then the last clause boundary (`;` `:` `,` `—` `；` `：` `，` `、`), then a space.
 * Throws RangeError when maxChars is not a number ≥ MIN_CHUNK_CHARS.
 */
export function chunkNarration(narration: Narration, maxChars: number, voice: VoiceParams): Chunk[] {
  if (!Number.isFinite(maxChars) || maxChars < MIN_CHUNK_CHARS) {
    throw new RangeError(`maxChars must be a number ≥ ${MIN_CHUNK_CHARS}, got ${String(maxChars)}`);
  }
  const limit = Math.floor(maxChars);
  const chunks: Chunk[] = [];
  for (const section of sectionsOf(narration.blocks)) {
    const before = chunks.length;
    for (const piece of new SectionText(section, narration.language ?? voice.language).split(limit)) {
      chunks.push({
        index: chunks.length,
        text: piece.text,
        sourceStart: piece.sourceStart,
        sourceEnd: piece.sourceEnd,
        sectionIndex: section[0].sectionIndex,
        ...(section[0].sectionTitle !== undefined ? { sectionTitle: section[0].sectionTitle } : {}),
        startsSection: chunks.length === before && before > 0,
        voice,
      });
    }
  }
  return chunks;
}

/** Consecutive blocks of the same section. */
function sectionsOf(blocks: readonly NarrationBlock[]): NarrationBlock[][] {
  const sections: NarrationBlock[][] = [];
  for (const block of blocks) {
    if (block.text.length === 0) continue;
    const current = sections[sections.length - 1];
    if (current && current[0].sectionIndex === block.sectionIndex) current.push(block);
    else sections.push([block]);
  }
  return sections;
}

interface Piece {
  text: string;
  sourceStart: number;
  sourceEnd: number;
}

/** Kinds of places to cut inside a block, from the most to the least natural. */
const enum Cut {
  Sentence,
  Clause,
  AfterSpace,
  Word,
  Grapheme,
  CodePoint,
}
const CUTS_INSIDE_A_BLOCK = [Cut.Sentence, Cut.Clause, Cut.AfterSpace, Cut.Word, Cut.Grapheme, Cut.CodePoint];

const WHITESPACE = /\s/;
/**
 * After a clause's punctuation: ASCII `;` `:` `,` only before a space (so never inside `9:30` or `1,000`); the em dash
 * and the full-width forms need none.
 */
const CLAUSE_END = /(?:[;:,](?=\s)|[—；：，、])\s*/g;
const segmenters = {
  word: new Intl.Segmenter('und', { granularity: 'word' }),
  grapheme: new Intl.Segmenter('und', { granularity: 'grapheme' }),
};
const sentenceSegmenters = new Map<string, Intl.Segmenter>();

/** Sentence rules tailored to the language where ICU has them; 'und' when the language is unknown or not a tag. */
function sentenceSegmenter(language: string | undefined): Intl.Segmenter {
  const tag = language ?? 'und';
  let segmenter = sentenceSegmenters.get(tag);
  if (!segmenter) {
    try {
      segmenter = new Intl.Segmenter(tag, { granularity: 'sentence' });
    } catch {
      segmenter = new Intl.Segmenter('und', { granularity: 'sentence' });
    }
    sentenceSegmenters.set(tag, segmenter);
  }
  return segmenter;
}

/** One section's blocks laid out as they appear in the narration text (joined with the block separator). */
class SectionText {
  private readonly text: string;
  private readonly blockStarts: number[] = [];
  private readonly cutCache = new Map<number, number[][]>();

  constructor(
    private readonly blocks: readonly NarrationBlock[],
    private readonly language?: string,
  ) {
    let position = 0;
    for (const block of blocks) {
      this.blockStarts.push(position);
      position += block.text.length + BLOCK_SEPARATOR.length;
    }
    this.text = blocks.map((block) => block.text).join(BLOCK_SEPARATOR);
  }

  /** Greedy: each chunk ends at the farthest cut of the most natural kind that keeps it within the limit. */
  split(limit: number): Piece[] {
    const pieces: Piece[] = [];
    let start = this.skipWhitespace(0);
    while (start < this.text.length) {
      const rest = this.contentEnd(this.text.length);
      const cut = rest - start <= limit ? this.text.length : this.findCut(start, limit);
      const end = this.contentEnd(cut);
      pieces.push({ text: this.text.slice(start, end), ...this.sourceRange(start, end) });
      start = this.skipWhitespace(cut);
    }
    return pieces;
  }

  private findCut(start: number, limit: number): number {
    const fits = (cut: number) => cut > start && this.contentEnd(cut) > start && this.contentEnd(cut) - start <= limit;
    const atBlock = farthest(this.blockStarts, start + limit + BLOCK_SEPARATOR.length, start, fits);
    if (atBlock !== undefined) return atBlock;
    // No block boundary fits, so the window lies inside the block where the chunk starts.
    const blockIndex = this.blockAt(start);
    for (const kind of CUTS_INSIDE_A_BLOCK) {
      const cut = farthest(this.cutsOf(blockIndex, kind), start + limit + 1, start, fits);
      if (cut !== undefined) return cut;
    }
    // Unreachable with limit ≥ 2: a code point is at most two code units. Still, never loop forever.
    return Math.min(this.text.length, start + limit);
  }

  /** Cut positions of one kind inside a block (absolute, ascending); computed once, when first needed. */
  private cutsOf(blockIndex: number, kind: Cut): number[] {
    let cache = this.cutCache.get(blockIndex);
    if (!cache) this.cutCache.set(blockIndex, (cache = []));
    const cached = cache[kind];
    if (cached) return cached;
    const text = this.blocks[blockIndex].text;
    const base = this.blockStarts[blockIndex];
    const inner = (segments: Intl.Segments) =>
      [...segments].map((segment) => base + segment.index).filter((index) => index > base);
    let cuts: number[];
    switch (kind) {
      case Cut.Sentence: {
        // Sentence ends that are also word boundaries, so a sentence cut never splits a word either.
        const words = new Set(this.cutsOf(blockIndex, Cut.Word));
        cuts = inner(sentenceSegmenter(this.language).segment(text)).filter(
          (index) => words.has(index) && !this.afterAbbreviation(index),
        );
        break;
      }
      case Cut.Clause: {
        const words = new Set(this.cutsOf(blockIndex, Cut.Word));
        cuts = [...text.matchAll(CLAUSE_END)]
          .map((match) => base + match.index + match[0].length)
          .filter((index) => index < base + text.length && words.has(index));
        break;
      }
      case Cut.AfterSpace:
        cuts = this.cutsOf(blockIndex, Cut.Word).filter(
          (index) => WHITESPACE.test(this.text[index - 1]) && !this.afterAbbreviation(index),
        );
        break;
      case Cut.Word:
        cuts = inner(segmenters.word.segment(text));
        break;
      case Cut.Grapheme:
        cuts = inner(segmenters.grapheme.segment(text));
        break;
      case Cut.CodePoint:
        cuts = [];
        for (let i = 1; i < text.length; i++)
          if (!isLowSurrogate(text, i) || !isHighSurrogate(text, i - 1)) cuts.push(base + i);
        break;
    }
    cache[kind] = cuts;
    return cuts;
  }

  /** "Prof. | Hughes": a cut here would be heard as a sentence end that is not one. */
  private afterAbbreviation(position: number): boolean {
    return endsWithAbbreviation(this.text.slice(Math.max(0, position - 40), position), this.language);
  }

  private blockAt(position: number): number {
    return lastIndexAtOrBefore(this.blockStarts, position);
  }

  private skipWhitespace(position: number): number {
    while (position < this.text.length && WHITESPACE.test(this.text[position])) position++;
    return position;
  }

  /** The end of the content before position, without trailing whitespace. */
  private contentEnd(position: number): number {
    while (position > 0 && WHITESPACE.test(this.text[position - 1])) position--;
    return position;
  }

  /** The source range of narration text [start, end): whole blocks keep their own range, partial ones their characters'. */
  private sourceRange(start: number, end: number): { sourceStart: number; sourceEnd: number } {
    const first = this.blockAt(start);
    const last = this.blockAt(end - 1);
    const firstBlock = this.blocks[first];
    const lastBlock = this.blocks[last];
    const startIndex = start - this.blockStarts[first];
    const endIndex = end - this.blockStarts[last];
    const sourceStart =
      startIndex === 0
        ? Math.min(firstBlock.sourceStart, firstBlock.sourceOffsets[0])
        : firstBlock.sourceOffsets[startIndex];
    const sourceEnd =
      endIndex >= lastBlock.text.length
        ? Math.max(lastBlock.sourceEnd, lastBlock.sourceOffsets[lastBlock.text.length - 1] + 1)
        : lastBlock.sourceOffsets[endIndex - 1] + 1;
    return { sourceStart, sourceEnd: Math.max(sourceStart, sourceEnd) };
  }
}

/** The largest value in an ascending list that is at most max and passes the test. */
function farthest(
  sorted: readonly number[],
  max: number,
  min: number,
  test: (value: number) => boolean,
): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= max) low = middle + 1;
    else high = middle;
  }
  for (let i = low - 1; i >= 0 && sorted[i] > min; i--) {
    if (test(sorted[i])) return sorted[i];
  }
  return undefined;
}

function isHighSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}
