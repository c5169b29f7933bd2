import type { VoiceParams } from '../api/voiceParams';
import type { Chunk } from './chunker';
import { lineRange } from './sourceLines';
import type { Silence, SilenceReason } from './types';

/** One request that a generation would send, as shown by the preview and the CLI's --dry-run. */
export interface PreviewEntry {
  index: number;
  chars: number;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  section?: string;
  cached?: boolean;
  text: string;
}

/** Describes each chunk with its size and source lines, and whether its audio is already cached. */
export function previewEntries(chunks: readonly Chunk[], source: string, cached?: readonly boolean[]): PreviewEntry[] {
  return chunks.map((chunk, i) => {
    const lines = lineRange(source, chunk.sourceStart, Math.max(chunk.sourceStart, chunk.sourceEnd - 1));
    return {
      index: chunk.index,
      chars: chunk.text.length,
      startLine: lines.startLine + 1,
      endLine: lines.endLine + 1,
      section: chunk.sectionTitle,
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
}

/** The silent regions of a narration (Narration.silences) with their 1-based source lines. */
export function silentEntries(silences: readonly Silence[] | undefined, source: string): SilentEntry[] {
  return (silences ?? []).map((silence) => {
    const lines = lineRange(source, silence.sourceStart, Math.max(silence.sourceStart, silence.sourceEnd - 1));
    return { startLine: lines.startLine + 1, endLine: lines.endLine + 1, reason: silence.reason };
  });
}

/** The words of the preview; the shell passes them in the display language, the default is English. */
export interface PreviewLabels {
  /** First line: the script, its request and character counts, and the per-request limit. */
  header(sourceName: string, requests: number, characters: number, limit: number): string;
  voice(model: string, language: string): string;
  cachedCount(cached: number, total: number): string;
  /** The heading of one part; `flags` are the details already joined. */
  part(number: number, total: number, flags: string): string;
  /** The heading of a silent region. */
  silent(where: string, reason: SilenceReason): string;
  characters(count: number): string;
  line(line: number): string;
  lines(start: number, end: number): string;
  cached: string;
  new: string;
}

const count = (n: number) => n.toLocaleString('en');
const plural = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;

export const englishPreviewLabels: PreviewLabels = {
  header: (sourceName, requests, characters, limit) =>
    `Narration of ${sourceName}: ${plural(requests, 'request')}, ${plural(characters, 'character')} (at most ${count(limit)} per request).`,
  voice: (model, language) => `Voice ${model}, language ${language}.`,
  cachedCount: (cached, total) => `${cached} of ${total} already cached: they cost nothing to regenerate.`,
  part: (number, total, flags) => `Part ${number} of ${total} · ${flags}`,
  silent: (where, reason) => `Silent · ${where} · ${reason}`,
  characters: (n) => plural(n, 'character'),
  line: (line) => `line ${line}`,
  lines: (start, end) => `lines ${start}–${end}`,
  cached: 'cached',
  new: 'new',
};

/**
 * A readable plain-text rendering of the preview, chunk by chunk, with each silent region (when given) shown in
 * source order between the parts, with its reason.
 */
export function formatPreview(
  sourceName: string,
  entries: readonly PreviewEntry[],
  limit: number,
  voice?: VoiceParams,
  silent: readonly SilentEntry[] = [],
  labels: PreviewLabels = englishPreviewLabels,
): string {
  const total = entries.reduce((sum, e) => sum + e.chars, 0);
  const cachedCount = entries.filter((e) => e.cached).length;
  const header = [
    labels.header(sourceName, entries.length, total, limit),
    voice ? labels.voice(voice.model, voice.language) : '',
    entries.some((e) => e.cached !== undefined) ? labels.cachedCount(cachedCount, entries.length) : '',
  ].filter(Boolean);
  const where = (startLine: number, endLine: number) =>
    startLine === endLine ? labels.line(startLine) : labels.lines(startLine, endLine);
  const parts: string[] = [];
  let nextSilent = 0;
  const silentBefore = (line: number) => {
    for (; nextSilent < silent.length && silent[nextSilent].startLine < line; nextSilent++) {
      const s = silent[nextSilent];
      parts.push(`── ${labels.silent(where(s.startLine, s.endLine), s.reason)} ──`);
    }
  };
  for (const e of entries) {
    silentBefore(e.startLine);
    const flags = [
      labels.characters(e.chars),
      where(e.startLine, e.endLine),
      e.section ? `“${e.section}”` : '',
      e.cached === undefined ? '' : e.cached ? labels.cached : labels.new,
    ].filter(Boolean);
    parts.push(`── ${labels.part(e.index + 1, entries.length, flags.join(' · '))} ──\n${e.text}`);
  }
  silentBefore(Number.POSITIVE_INFINITY);
  return [...header, '', ...parts].join('\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
