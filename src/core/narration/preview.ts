// What a generation would do, before it is paid for: each request with its text, lines, speaker and voice; each
// pause of the script with its length; each silent part with its reason; and how the script was read (the mode and
// why, the speakers and their voices, the pronunciations). Preview Narration renders it as text (formatPreview), the
// CLI's --dry-run as JSON lines (dryRunLines); both from the same sequence, in the order of the script.
import type { VoiceParams } from '../api/voiceParams';
import type { CastSource } from './casting';
import type { Chunk } from './chunker';
import { englishPreviewLabels, type PreviewLabels } from './previewLabels';
import { lineAt, lineRange } from './sourceLines';
import type { ModeReason } from './speakMode';
import type { Narration, Pause, Silence, SilenceReason } from './types';

export { englishPreviewLabels, type PreviewLabels };

/** One request that a generation would send, as shown by the preview and the CLI's --dry-run. */
export interface PreviewEntry {
  index: number;
  chars: number;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  section?: string;
  /** Who speaks the request's text, when the script says; `speakers` when several share one voice. */
  speaker?: string;
  speakers?: string[];
  /** The voice it is spoken in. */
  model: string;
  language: string;
  cached?: boolean;
  text: string;
}

/** Describes each chunk with its size, source lines, speaker and voice, and whether its audio is already cached. */
export function previewEntries(chunks: readonly Chunk[], source: string, cached?: readonly boolean[]): PreviewEntry[] {
  return chunks.map((chunk, i) => {
    const lines = lineRange(source, chunk.sourceStart, Math.max(chunk.sourceStart, chunk.sourceEnd - 1));
    const speakers = chunk.speakers ?? [];
    return {
      index: chunk.index,
      chars: chunk.text.length,
      startLine: lines.startLine + 1,
      endLine: lines.endLine + 1,
      section: chunk.sectionTitle,
      speaker: speakers.length === 1 ? speakers[0] : undefined,
      speakers: speakers.length > 1 ? [...speakers] : undefined,
      model: chunk.voice.model,
      language: chunk.voice.language,
      cached: cached?.[i],
      text: chunk.text,
    };
  });
}

/** A part of the script left silent, as the preview shows it. */
export interface SilentEntry {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  reason: SilenceReason;
  /** The label, the cue or the mode the reason applies to. */
  detail?: string;
}

/** The silent regions of a narration (Narration.silences) with their 1-based source lines. */
export function silentEntries(silences: readonly Silence[] | undefined, source: string): SilentEntry[] {
  return (silences ?? []).map((silence) => {
    const lines = lineRange(source, silence.sourceStart, Math.max(silence.sourceStart, silence.sourceEnd - 1));
    const entry: SilentEntry = { startLine: lines.startLine + 1, endLine: lines.endLine + 1, reason: silence.reason };
    if (silence.detail !== undefined) entry.detail = silence.detail;
    return entry;
  });
}

/** A pause of the script, where it falls: before request `before` (its index), or after the last (chunks.length). */
export interface PauseEntry {
  ms: number;
  /** 1-based line of the pause mark. */
  line: number;
  before: number;
}

/** Every pause of the script that the joined audio holds, in order. */
export function pauseEntries(chunks: readonly Chunk[], source: string): PauseEntry[] {
  const entries: PauseEntry[] = [];
  const add = (pauses: readonly Pause[] | undefined, before: number) => {
    for (const pause of pauses ?? [])
      entries.push({ ms: pause.ms, line: lineAt(source, pause.sourceStart) + 1, before });
  };
  chunks.forEach((chunk, i) => add(chunk.pausesBefore, i));
  add(chunks[chunks.length - 1]?.pausesAfter, chunks.length);
  return entries;
}

/** One thing the preview shows, in the script's order. */
export type PreviewStep =
  | { kind: 'request'; entry: PreviewEntry }
  | { kind: 'pause'; pause: PauseEntry }
  | { kind: 'silent'; silent: SilentEntry };

/**
 * Requests, pauses and silent regions in the order of the script: before each request, the silent regions that begin
 * on an earlier line and the pauses that precede it; after the last, what is left.
 */
export function previewSteps(
  entries: readonly PreviewEntry[],
  silent: readonly SilentEntry[],
  pauses: readonly PauseEntry[] = [],
): PreviewStep[] {
  const steps: PreviewStep[] = [];
  let nextSilent = 0;
  let nextPause = 0;
  const before = (line: number, request: number) => {
    const due: { line: number; step: PreviewStep }[] = [];
    for (; nextSilent < silent.length && silent[nextSilent].startLine < line; nextSilent++)
      due.push({ line: silent[nextSilent].startLine, step: { kind: 'silent', silent: silent[nextSilent] } });
    for (; nextPause < pauses.length && pauses[nextPause].before <= request; nextPause++)
      due.push({ line: pauses[nextPause].line, step: { kind: 'pause', pause: pauses[nextPause] } });
    steps.push(...due.sort((a, b) => a.line - b.line).map((d) => d.step));
  };
  entries.forEach((entry, i) => {
    before(entry.startLine, i);
    steps.push({ kind: 'request', entry });
  });
  before(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
  return steps;
}

/** How the script was read, as the preview's header tells it. */
export interface PreviewReading {
  mode: string;
  why: string;
  reason: ModeReason;
  setBy: 'auto' | CastSource;
  speakers: { name: string; displayName?: string; model?: string; language?: string; castBy?: CastSource }[];
  pronunciations: { word: string; said: string; lines: number[] }[];
  problems: string[];
}

/** The reading of a narration for the preview (undefined for a script with nothing in it). */
export function previewReading(narration: Narration, source: string): PreviewReading | undefined {
  const reading = narration.reading;
  if (!reading) return undefined;
  const pronunciations = new Map<string, { word: string; said: string; lines: number[] }>();
  for (const use of reading.pronunciations) {
    const key = `${use.word}\u0000${use.said}`;
    const entry = pronunciations.get(key) ?? { word: use.word, said: use.said, lines: [] };
    const line = lineAt(source, use.sourceStart) + 1;
    if (!entry.lines.includes(line)) entry.lines.push(line);
    pronunciations.set(key, entry);
  }
  return {
    mode: reading.mode,
    why: reading.why,
    reason: reading.reason,
    setBy: reading.setBy,
    speakers: reading.speakers.map((cast) => ({
      name: cast.name,
      displayName: cast.displayName,
      model: cast.voice?.model,
      language: cast.voice?.language,
      castBy: cast.castBy,
    })),
    pronunciations: [...pronunciations.values()],
    problems: reading.problems,
  };
}

/**
 * The CLI's --dry-run: a first line `{"mode","why"}`, then in the script's order one line per request (its fields,
 * with `model`, `language` and `speaker`), per pause `{"pauseMs","line"}` and per silent region
 * `{"silent","startLine","endLine"}`.
 */
export function dryRunLines(
  reading: PreviewReading | undefined,
  entries: readonly PreviewEntry[],
  silent: readonly SilentEntry[],
  pauses: readonly PauseEntry[],
): string[] {
  const lines = [JSON.stringify({ mode: reading?.mode ?? 'all', why: reading?.why ?? 'the script is empty' })];
  for (const step of previewSteps(entries, silent, pauses)) {
    if (step.kind === 'request') lines.push(JSON.stringify(step.entry));
    else if (step.kind === 'pause') lines.push(JSON.stringify({ pauseMs: step.pause.ms, line: step.pause.line }));
    else {
      const { reason, startLine, endLine } = step.silent;
      lines.push(JSON.stringify({ silent: reason, startLine, endLine }));
    }
  }
  return lines;
}

/**
 * A readable plain-text rendering of the preview, in the labels' language: how the script was read (when given),
 * then part by part with each pause and each silent region (when given) between the parts, in source order.
 */
export function formatPreview(
  sourceName: string,
  entries: readonly PreviewEntry[],
  limit: number,
  voice?: VoiceParams,
  silent: readonly SilentEntry[] = [],
  labels: PreviewLabels = englishPreviewLabels,
  decisions: { reading?: PreviewReading; pauses?: readonly PauseEntry[] } = {},
): string {
  const { reading, pauses = [] } = decisions;
  const total = entries.reduce((sum, e) => sum + e.chars, 0);
  const cachedCount = entries.filter((e) => e.cached).length;
  const silence = pauses.reduce((sum, p) => sum + p.ms, 0);
  const header = [
    labels.header(sourceName, entries.length, total, limit),
    voice ? labels.voice(voice.model, voice.language) : '',
    entries.some((e) => e.cached !== undefined) ? labels.cachedCount(cachedCount, entries.length) : '',
    ...(reading ? readingLines(reading, voice, labels) : []),
    pauses.length > 0 ? labels.pauses(pauses.length, labels.seconds(silence)) : '',
  ].filter(Boolean);
  const where = (startLine: number, endLine: number) =>
    startLine === endLine ? labels.line(startLine) : labels.lines(startLine, endLine);
  const parts = previewSteps(entries, silent, pauses).map((step) => {
    if (step.kind === 'silent') {
      const s = step.silent;
      return `── ${labels.silent(where(s.startLine, s.endLine), s.reason, shortened(s.detail))} ──`;
    }
    if (step.kind === 'pause')
      return `── ${labels.pause(labels.seconds(step.pause.ms), where(step.pause.line, step.pause.line))} ──`;
    const e = step.entry;
    const speakers = e.speaker ? [e.speaker] : (e.speakers ?? []);
    const otherVoice = voice !== undefined && (e.model !== voice.model || e.language !== voice.language);
    const flags = [
      labels.characters(e.chars),
      where(e.startLine, e.endLine),
      e.section ? `“${e.section}”` : '',
      speakers.join(', '),
      speakers.length > 0 || otherVoice ? labels.voiceFlag(e.model, e.language) : '',
      e.cached === undefined ? '' : e.cached ? labels.cached : labels.new,
    ].filter(Boolean);
    return `── ${labels.part(e.index + 1, entries.length, flags.join(' · '))} ──\n${e.text}`;
  });
  return [...header, '', ...parts].join('\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

/** The header lines of a reading: the mode, the speakers and their voices, pronunciations, problems. */
function readingLines(reading: PreviewReading, voice: VoiceParams | undefined, labels: PreviewLabels): string[] {
  const speakers = reading.speakers.map((s) => {
    const name = s.displayName && s.displayName !== s.name ? `${s.name} (${s.displayName})` : s.name;
    return s.model && s.castBy
      ? labels.castSpeaker(name, s.model, s.language, s.castBy)
      : labels.uncastSpeaker(name, voice?.model);
  });
  const words = reading.pronunciations.map((p) =>
    labels.pronunciation(
      p.word,
      p.said,
      p.lines.length === 1 ? labels.line(p.lines[0]) : p.lines.map((line) => labels.line(line)).join(', '),
    ),
  );
  return [
    labels.reading(reading.mode, reading.reason),
    speakers.length > 0 ? labels.speakers(speakers) : '',
    words.length > 0 ? labels.pronunciations(words) : '',
    ...reading.problems.map((problem) => labels.problem(problem)),
  ];
}

/** A detail short enough for a heading line. */
function shortened(detail: string | undefined): string | undefined {
  return detail !== undefined && detail.length > 60 ? `${detail.slice(0, 59)}…` : detail;
}
