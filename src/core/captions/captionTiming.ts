// Times caption cues against a joined audio file. Each part (one chunk of the script: one request's audio) starts and
// ends exactly where the join put it, pauses included, so part boundaries are as exact as the audio's frames. Inside a
// part, each sentence (and each cue of a long sentence) gets the part's time in proportion to its characters, and
// each boundary between them then moves to the middle of the nearest real silence, when the audio could be measured.

import type { SilentSpan } from '../audio/loudness';
import { DEFAULT_CAPTION_LAYOUT, layOutCaption, type CaptionLayout } from './captionLines';
import { sentenceSegmenter } from '../narration/segmenters';

/** One part of the audio: the text sent for it and where its audio lies in the joined file. */
export interface CaptionPart {
  text: string;
  /** Where the part's audio starts in the joined file, in milliseconds (after any pause before it). */
  startMs: number;
  /** The part's audio, in milliseconds (not counting pauses around it). */
  durationMs: number;
  /** The text's language (BCP 47), for its sentence boundaries; absent: language-neutral rules. */
  language?: string;
  /** Who speaks the part, when the script says (WebVTT names the voice). */
  speaker?: string;
}

/** One caption: its time in the joined file, [startMs, endMs) in milliseconds, and its lines. */
export interface CaptionCue {
  startMs: number;
  endMs: number;
  /** At most `layout.maxLines` lines of at most `layout.maxLineWidth` characters (see captionLines.ts). */
  lines: string[];
  /** The index of the part it belongs to, in the order given. */
  part: number;
  /** Who speaks it, from its part. */
  speaker?: string;
}

export interface CaptionTimingOptions {
  layout?: CaptionLayout;
  /** The joined file's silences (see silentSpans); absent: boundaries inside a part stay proportional. */
  silences?: readonly SilentSpan[];
  /**
   * How far a boundary may move to reach a silence, in milliseconds; never past half of either neighbouring cue.
   * Default 1500.
   */
  maxShiftMs?: number;
}

/** No cue is made shorter than this by a move to a silence (ms). */
const MIN_CUE_MS = 250;

/**
 * The cues of a joined file, in order, without overlap: each part's cues tile [startMs, startMs + durationMs)
 * exactly (a part with no text has none), so cues are absent only in the pauses between parts. Times are whole
 * milliseconds. Throws RangeError when a part's time is negative or not a number.
 */
export function timeCaptions(parts: readonly CaptionPart[], options: CaptionTimingOptions = {}): CaptionCue[] {
  const layout = options.layout ?? DEFAULT_CAPTION_LAYOUT;
  const maxShiftMs = options.maxShiftMs ?? 1500;
  const cues: CaptionCue[] = [];
  parts.forEach((part, index) => {
    if (!(
      Number.isFinite(part.startMs) &&
      part.startMs >= 0 &&
      Number.isFinite(part.durationMs) &&
      part.durationMs >= 0
    ))
      throw new RangeError(`Part ${index + 1} has no valid time (start ${part.startMs} ms, ${part.durationMs} ms).`);
    const blocks = sentencesOf(part.text, part.language).flatMap((sentence) => layOutCaption(sentence, layout));
    if (blocks.length === 0) return;
    const start = Math.round(part.startMs);
    const end = Math.max(start, Math.round(part.startMs + part.durationMs));
    const weights = blocks.map((lines) => weightOf(lines.join(' ')));
    const total = weights.reduce((sum, w) => sum + w, 0) || 1;
    const bounds = [start];
    let sum = 0;
    for (let i = 0; i < blocks.length - 1; i++) {
      sum += weights[i];
      bounds.push(Math.round(start + ((end - start) * sum) / total));
    }
    bounds.push(end);
    if (options.silences && options.silences.length > 0) snapToSilences(bounds, options.silences, maxShiftMs);
    // A cue never runs backwards, even when a part is too short to give every cue a millisecond.
    for (let i = 1; i < bounds.length; i++) bounds[i] = Math.min(end, Math.max(bounds[i], bounds[i - 1]));
    blocks.forEach((lines, i) =>
      cues.push({
        startMs: bounds[i],
        endMs: bounds[i + 1],
        lines,
        part: index,
        ...(part.speaker ? { speaker: part.speaker } : {}),
      }),
    );
  });
  // A part of no length (its duration unknown) has no time to show its words in.
  return cues.filter((cue) => cue.endMs > cue.startMs);
}

/**
 * Moves each inner boundary (not the first nor the last) to the middle of the nearest silence within reach, in order,
 * keeping every cue at least MIN_CUE_MS long where it was.
 */
function snapToSilences(bounds: number[], silences: readonly SilentSpan[], maxShiftMs: number): void {
  for (let i = 1; i < bounds.length - 1; i++) {
    const estimate = bounds[i];
    const reach = Math.min(maxShiftMs, (estimate - bounds[i - 1]) / 2, (bounds[i + 1] - estimate) / 2);
    const low = Math.max(bounds[i - 1] + MIN_CUE_MS, estimate - reach);
    const high = Math.min(bounds[i + 1] - MIN_CUE_MS, estimate + reach);
    let best: number | undefined;
    for (const span of nearby(silences, low, high)) {
      const middle = Math.round((Math.max(span.startMs, low) + Math.min(span.endMs, high)) / 2);
      if (middle < low || middle > high) continue;
      if (best === undefined || Math.abs(middle - estimate) < Math.abs(best - estimate)) best = middle;
    }
    if (best !== undefined) bounds[i] = best;
  }
}

/** The silences that overlap [low, high], by binary search (they are sorted and do not overlap). */
function nearby(silences: readonly SilentSpan[], low: number, high: number): SilentSpan[] {
  let a = 0;
  let b = silences.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (silences[m].endMs < low) a = m + 1;
    else b = m;
  }
  const found: SilentSpan[] = [];
  for (let i = a; i < silences.length && silences[i].startMs <= high; i++) found.push(silences[i]);
  return found;
}

/** The sentences of a text (UAX #29, in its language when that is a valid tag), trimmed, empty ones left out. */
export function sentencesOf(text: string, language?: string): string[] {
  return [...sentenceSegmenter(language).segment(text)].map((s) => s.segment.trim()).filter((s) => s.length > 0);
}

/** A text's share of speaking time: its code points, whitespace runs counted once (as a voice reads them). */
function weightOf(text: string): number {
  return Array.from(text.replace(/\s+/g, ' ')).length;
}
