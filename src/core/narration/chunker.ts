// Splits narration into request-sized chunks: at sections, then blocks (paragraphs), then sentences (never after an
// abbreviation), then clauses, then words, and only as a last resort inside a word (grapheme clusters, then code
// points): never inside a surrogate pair.
// Lengths are counted in UTF-16 code units, which is never less than the code points a server may count.
// A chunk always ends where the script pauses (`[0.5s]`: the joiner inserts the silence) and where the voice changes
// (a speaker cast to another voice), so each chunk is spoken in one voice and each pause falls between chunks.
import { canonicalVoiceParams, type VoiceParams } from '../api/voiceParams';
import { endsWithAbbreviation } from './abbreviations';
import { voiceOf, type SpeakerCast } from './casting';
import { BLOCK_SEPARATOR, type Narration, type NarrationBlock, type Pause } from './narration';
import { speakerKey } from './speakers';
import { lastIndexAtOrBefore } from './sortedSearch';
import { graphemeSegmenter, sentenceSegmenter, wordSegmenter } from './segmenters';

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
  /** Who speaks the chunk's text, in order, when the script says (speakers sharing a voice may share a chunk). */
  speakers?: string[];
  /** The script's pauses just before this chunk, in order; the joiner inserts their sum (pauseMsOf). */
  pausesBefore?: Pause[];
  /** Pauses after the chunk: only the last chunk has them, from pause marks at the very end of the script. */
  pausesAfter?: Pause[];
}

/** The total silence of some pauses, in milliseconds (0 for none). */
export function pauseMsOf(pauses: readonly Pause[] | undefined): number {
  return (pauses ?? []).reduce((sum, pause) => sum + pause.ms, 0);
}

/** The smallest limit that always fits a character outside the Basic Multilingual Plane (a surrogate pair). */
export const MIN_CHUNK_CHARS = 2;

/**
 * Splits narration into chunks of at most maxChars UTF-16 code units. A new section, a pause of the script and a
 * change of voice always start a new chunk. A block's speaker is spoken in the voice the narration's reading cast it
 * to, everything else in `voice`, the default voice (the very object, so callers can tell). Inside a block, cuts
 * prefer a sentence end (UAX #29 in the narration's language, else the voice's; never right after an abbreviation,
 * title, initial or number's period), then the last clause boundary (`;` `:` `,` `—` `；` `：` `，` `、`), then a
 * space. Throws RangeError when maxChars is not a number ≥ MIN_CHUNK_CHARS.
 */
export function chunkNarration(narration: Narration, maxChars: number, voice: VoiceParams): Chunk[] {
  if (!Number.isFinite(maxChars) || maxChars < MIN_CHUNK_CHARS) {
    throw new RangeError(`maxChars must be a number ≥ ${MIN_CHUNK_CHARS}, got ${String(maxChars)}`);
  }
  const limit = Math.floor(maxChars);
  const casts = new Map((narration.reading?.speakers ?? []).map((cast) => [speakerKey(cast.name), cast]));
  const voiceFor = (block: NarrationBlock) =>
    voiceOf(block.speaker ? casts.get(speakerKey(block.speaker)) : undefined, voice);
  const chunks: Chunk[] = [];
  let lastSection: number | undefined;
  const { runs, trailing } = runsOf(narration.blocks, voiceFor);
  for (const run of runs) {
    const before = chunks.length;
    const language = castLanguage(run.blocks, casts) ?? narration.language ?? voice.language;
    const text = new SectionText(run.blocks, language);
    for (const piece of text.split(limit)) {
      const chunk: Chunk = {
        index: chunks.length,
        text: piece.text,
        sourceStart: piece.sourceStart,
        sourceEnd: piece.sourceEnd,
        sectionIndex: run.blocks[0].sectionIndex,
        ...(run.blocks[0].sectionTitle !== undefined ? { sectionTitle: run.blocks[0].sectionTitle } : {}),
        startsSection: before > 0 && chunks.length === before && run.blocks[0].sectionIndex !== lastSection,
        voice: run.voice,
      };
      const speakers = text.speakersBetween(piece.start, piece.end);
      if (speakers.length > 0) chunk.speakers = speakers;
      if (chunks.length === before && run.pausesBefore.length > 0) chunk.pausesBefore = run.pausesBefore;
      chunks.push(chunk);
    }
    lastSection = run.blocks[0].sectionIndex;
  }
  const after = [...trailing, ...(narration.endPauses ?? [])];
  if (chunks.length > 0 && after.length > 0) chunks[chunks.length - 1].pausesAfter = after;
  return chunks;
}

/** A stretch of blocks spoken in one go: one section, one voice, no pause inside. */
interface Run {
  blocks: NarrationBlock[];
  voice: VoiceParams;
  pausesBefore: Pause[];
}

/**
 * Cuts the blocks at their pauses (a piece of a block keeps its own characters' source offsets) and groups the
 * pieces into runs: a new run at each section, pause and change of voice. `trailing`: pauses after the last piece.
 */
function runsOf(
  blocks: readonly NarrationBlock[],
  voiceFor: (block: NarrationBlock) => VoiceParams,
): { runs: Run[]; trailing: Pause[] } {
  const runs: Run[] = [];
  let pending: Pause[] = [];
  for (const block of blocks) {
    if (block.text.length === 0) continue;
    const voice = voiceFor(block);
    let start = 0;
    const cuts = [...(block.pauses ?? []), { at: block.text.length, ms: -1, sourceStart: 0, sourceEnd: 0 }];
    for (const cut of cuts) {
      const piece = pieceOf(block, start, cut.at);
      if (piece) {
        const current = runs[runs.length - 1];
        const joins =
          current &&
          pending.length === 0 &&
          current.blocks[0].sectionIndex === piece.sectionIndex &&
          sameVoice(current.voice, voice);
        if (joins) current.blocks.push(piece);
        else runs.push({ blocks: [piece], voice, pausesBefore: pending });
        pending = [];
      }
      if (cut.ms >= 0) pending.push({ ms: cut.ms, sourceStart: cut.sourceStart, sourceEnd: cut.sourceEnd });
      start = Math.max(start, cut.at);
    }
  }
  return { runs, trailing: pending };
}

/** The part [start, end) of a block, trimmed, as a block of its own; undefined when it is only whitespace. */
function pieceOf(block: NarrationBlock, start: number, end: number): NarrationBlock | undefined {
  while (start < end && WHITESPACE.test(block.text[start])) start++;
  while (end > start && WHITESPACE.test(block.text[end - 1])) end--;
  if (start >= end) return undefined;
  if (start === 0 && end === block.text.length) return block;
  const offsets = Array.from(block.sourceOffsets).slice(start, end);
  return {
    ...block,
    text: block.text.slice(start, end),
    sourceStart: start === 0 ? block.sourceStart : offsets[0],
    sourceEnd: end === block.text.length ? block.sourceEnd : offsets[offsets.length - 1] + 1,
    sourceOffsets: offsets,
    pauses: undefined,
    pauseAfterHeading: end === block.text.length ? block.pauseAfterHeading : undefined,
  };
}

/** The same voice: the very object, or equal in every field. */
function sameVoice(a: VoiceParams, b: VoiceParams): boolean {
  return a === b || JSON.stringify(canonicalVoiceParams(a)) === JSON.stringify(canonicalVoiceParams(b));
}

/** The language a run is cast in, when its speaker's voice names one. */
function castLanguage(blocks: readonly NarrationBlock[], casts: ReadonlyMap<string, SpeakerCast>): string | undefined {
  const speaker = blocks[0].speaker;
  return speaker ? casts.get(speakerKey(speaker))?.voice?.language : undefined;
}

interface Piece {
  text: string;
  sourceStart: number;
  sourceEnd: number;
  /** Where the piece lies in the run's text, [start, end). */
  start: number;
  end: number;
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

/** One run's blocks laid out as they appear in the narration text (joined with the block separator). */
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
      pieces.push({ text: this.text.slice(start, end), ...this.sourceRange(start, end), start, end });
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
        cuts = inner(wordSegmenter.segment(text));
        break;
      case Cut.Grapheme:
        cuts = inner(graphemeSegmenter.segment(text));
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

  /** The speakers of the blocks between two positions of the run's text, in order, each once. */
  speakersBetween(start: number, end: number): string[] {
    const speakers: string[] = [];
    for (let i = this.blockAt(start); i <= this.blockAt(Math.max(start, end - 1)); i++) {
      const speaker = this.blocks[i].speaker;
      if (speaker && !speakers.includes(speaker)) speakers.push(speaker);
    }
    return speakers;
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
