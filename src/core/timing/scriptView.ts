// What the editor shows over a script, as data: the narration's decisions by source range (silent and why, pauses and
// their length, speakers and their voices), the parts a generation would send with their characters and expected
// length, the sections, and the duration targets checked. Built from one parse and one chunking of the text, so the
// view costs what Preview Narration costs, and never changes the text.
import type { VoiceParams } from '../api/voiceParams';
import { chunkNarration, type Chunk } from '../narration/chunker';
import { markdownToNarration, plainTextToNarration } from '../narration/narration';
import type { Narration, NarrationBlock, NarrationOptions, SilenceReason } from '../narration/types';
import { lastIndexAtOrBefore } from '../narration/sortedSearch';
import { voiceOf } from '../narration/casting';
import { speakerKey } from '../narration/speakers';
import { estimateDuration, type ChunkEstimate, type DurationEstimate } from './durationEstimate';
import { checkDurations, durationTargets, type DurationCheck, type DurationTargetProblem } from './durationTargets';
import { spokenCharacters, type SpeechRates } from './speechRate';

/** A part of the script that will not be spoken, and why. UTF-16 offsets, [sourceStart, sourceEnd). */
export interface SilentRange {
  sourceStart: number;
  sourceEnd: number;
  reason: SilenceReason;
  /** What the reason applies to, when the narration says (a production label's name, a cue). */
  detail?: string;
}

/** A timed pause the script asks for: the mark's range and its length in milliseconds. */
export interface PauseMark {
  sourceStart: number;
  sourceEnd: number;
  ms: number;
}

/** A speaker label: the range of the name and the voice its lines are spoken in. */
export interface SpeakerMark {
  sourceStart: number;
  sourceEnd: number;
  name: string;
  voice: VoiceParams;
}

/** One request a generation would send: where it comes from in the script, its size and expected length. */
export interface PartView {
  /** 0-based; shown 1-based. */
  index: number;
  sourceStart: number;
  sourceEnd: number;
  chunk: Chunk;
  estimate: ChunkEstimate;
}

/** A top-level section: the source range from its first part to the next section's, and its expected length. */
export interface SectionView {
  sectionIndex: number;
  title?: string;
  sourceStart: number;
  sourceEnd: number;
  ms: number;
}

export interface ScriptView {
  silent: SilentRange[];
  pauses: PauseMark[];
  speakers: SpeakerMark[];
  parts: PartView[];
  sections: SectionView[];
  estimate: DurationEstimate;
  checks: DurationCheck[];
  targetProblems: DurationTargetProblem[];
  /** The narration the view was built from (for estimates of a selection). */
  narration: Narration;
}

export interface ScriptViewOptions {
  /** Markdown is narrated without its syntax; anything else is plain text. */
  markdown: boolean;
  narration: NarrationOptions;
  /** The default voice (the settings'). */
  voice: VoiceParams;
  maxCharactersPerRequest: number;
  sectionPauseMs: number;
  rates: SpeechRates;
  /** A part's real length (ms) when a take holds it. */
  realMs?(chunk: Chunk): number | undefined;
}

/** Builds the view of a whole script (see ScriptView). Throws only what chunkNarration throws for a bad limit. */
export function buildScriptView(source: string, options: ScriptViewOptions): ScriptView {
  const narration = options.markdown
    ? markdownToNarration(source, options.narration)
    : plainTextToNarration(source, options.narration.language);
  const chunks = chunkNarration(narration, options.maxCharactersPerRequest, options.voice);
  const estimate = estimateDuration(chunks, {
    rates: options.rates,
    sectionPauseMs: options.sectionPauseMs,
    realMs: options.realMs,
  });
  const parts = chunks.map((chunk, i) => ({
    index: chunk.index,
    sourceStart: chunk.sourceStart,
    sourceEnd: chunk.sourceEnd,
    chunk,
    estimate: estimate.chunks[i],
  }));
  const sections = estimate.sections.map((section, i, all) => ({
    sectionIndex: section.sectionIndex,
    ...(section.title !== undefined ? { title: section.title } : {}),
    sourceStart: i === 0 ? 0 : chunks[section.firstChunk].sourceStart,
    sourceEnd: i + 1 < all.length ? chunks[all[i + 1].firstChunk].sourceStart : source.length,
    ms: section.ms,
  }));
  const { targets, problems } = options.markdown ? durationTargets(source) : { targets: [], problems: [] };
  return {
    silent: (narration.silences ?? []).map((s) => ({ ...s })),
    pauses: pauseMarks(narration),
    speakers: speakerMarks(narration, source, options.voice),
    parts,
    sections,
    estimate,
    checks: checkDurations(targets, estimate),
    targetProblems: problems,
    narration,
  };
}

/** Every pause mark of the narration, in source order: inside blocks, and at the very end of the script. */
function pauseMarks(narration: Narration): PauseMark[] {
  const marks: PauseMark[] = [];
  for (const block of narration.blocks)
    for (const pause of block.pauses ?? [])
      marks.push({ sourceStart: pause.sourceStart, sourceEnd: pause.sourceEnd, ms: pause.ms });
  for (const pause of narration.endPauses ?? [])
    marks.push({ sourceStart: pause.sourceStart, sourceEnd: pause.sourceEnd, ms: pause.ms });
  return marks.sort((a, b) => a.sourceStart - b.sourceStart);
}

/**
 * The speaker labels of the script with the voice each speaker is cast to: found before the first block of each turn,
 * on the block's own line (`host1: Hello`) or on the line above it (a label alone on its line).
 */
function speakerMarks(narration: Narration, source: string, defaultVoice: VoiceParams): SpeakerMark[] {
  const casts = new Map((narration.reading?.speakers ?? []).map((cast) => [speakerKey(cast.name), cast]));
  const marks: SpeakerMark[] = [];
  let previous: string | undefined;
  for (const block of narration.blocks) {
    const speaker = block.speaker;
    if (speaker && speaker !== previous) {
      const label = labelBefore(source, block.sourceOffsets[0] ?? block.sourceStart, speaker);
      if (label) marks.push({ ...label, name: speaker, voice: voiceOf(casts.get(speakerKey(speaker)), defaultVoice) });
    }
    previous = speaker;
  }
  return marks;
}

/** Where the label naming `speaker` is written before `offset`: on its line, or alone on the line above. */
function labelBefore(
  source: string,
  offset: number,
  speaker: string,
): { sourceStart: number; sourceEnd: number } | undefined {
  const escaped = speaker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const label = new RegExp(`(?:\\*\\*|__)?[ \t]*${escaped}[^\\r\\n:：]{0,40}[:：](?:[ \t]*(?:\\*\\*|__))?`, 'iu');
  let lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  for (let tries = 0; tries < 2 && lineStart >= 0; tries++) {
    const lineEnd = source.indexOf('\n', lineStart);
    const found = label.exec(source.slice(lineStart, tries === 0 ? offset : lineEnd < 0 ? source.length : lineEnd));
    if (found)
      return { sourceStart: lineStart + found.index, sourceEnd: lineStart + found.index + found[0].trimEnd().length };
    if (lineStart === 0) break;
    lineStart = source.lastIndexOf('\n', lineStart - 2) + 1;
  }
  return undefined;
}

/** The section whose range holds the offset, if any. */
export function sectionAt(view: ScriptView, offset: number): SectionView | undefined {
  const index = lastIndexAtOrBefore(
    view.sections.map((s) => s.sourceStart),
    offset,
  );
  const section = view.sections[index];
  return section && section.sourceStart <= offset ? section : undefined;
}

/**
 * The expected length (ms) of what is spoken between two source offsets (a selection): its spoken characters at the
 * default voice's rate; pauses inside it are not counted.
 */
export function estimateRangeMs(
  view: ScriptView,
  start: number,
  end: number,
  voice: VoiceParams,
  rates: SpeechRates,
): number {
  let text = '';
  for (const block of view.narration.blocks) {
    if (block.sourceEnd <= start || block.sourceStart >= end) continue;
    text += ' ' + spokenSlice(block, start, end);
  }
  return (spokenCharacters(text) / rates.rateFor(voice).charactersPerSecond) * 1000;
}

/** The characters of a block's spoken text whose source offsets lie in [start, end). */
function spokenSlice(block: NarrationBlock, start: number, end: number): string {
  const offsets = block.sourceOffsets;
  let from = 0;
  while (from < block.text.length && offsets[from] < start) from++;
  let to = from;
  while (to < block.text.length && offsets[to] < end) to++;
  return block.text.slice(from, to);
}
