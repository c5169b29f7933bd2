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
): string {
  const total = entries.reduce((sum, e) => sum + e.chars, 0);
  const cachedCount = entries.filter((e) => e.cached).length;
  const header = [
    `Narration of ${sourceName}: ${plural(entries.length, 'request')}, ${plural(total, 'character')} (at most ${limit.toLocaleString('en')} per request).`,
    voice ? `Voice ${voice.model}, language ${voice.language}.` : '',
    entries.some((e) => e.cached !== undefined)
      ? `${cachedCount} of ${entries.length} already cached: they cost nothing to regenerate.`
      : '',
  ].filter(Boolean);
  const parts: string[] = [];
  let nextSilent = 0;
  const silentBefore = (line: number) => {
    for (; nextSilent < silent.length && silent[nextSilent].startLine < line; nextSilent++) {
      const s = silent[nextSilent];
      parts.push(`── Silent · ${where(s.startLine, s.endLine)} · ${s.reason} ──`);
    }
  };
  for (const e of entries) {
    silentBefore(e.startLine);
    const flags = [
      plural(e.chars, 'character'),
      where(e.startLine, e.endLine),
      e.section ? `“${e.section}”` : '',
      e.cached === undefined ? '' : e.cached ? 'cached' : 'new',
    ].filter(Boolean);
    parts.push(`── Part ${e.index + 1} of ${entries.length} · ${flags.join(' · ')} ──\n${e.text}`);
  }
  silentBefore(Number.POSITIVE_INFINITY);
  return [...header, '', ...parts].join('\n\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

function where(startLine: number, endLine: number): string {
  return startLine === endLine ? `line ${startLine}` : `lines ${startLine}–${endLine}`;
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;
}
