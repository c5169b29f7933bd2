// How long a script will run before it is paid for: each chunk's characters at its voice's rate (see speechRate.ts),
// or the real length of its audio when a take already holds it, plus the pauses the join will put between them.
import { pauseMsOf, type Chunk } from '../narration/chunker';
import { pauseBeforeMs } from '../pipeline/render';
import { spokenCharacters, type SpeechRates } from './speechRate';

/** One chunk's expected length. */
export interface ChunkEstimate {
  chunkIndex: number;
  /** Characters as the rate counts them (see spokenCharacters). */
  characters: number;
  /** Its audio, in milliseconds, without the pause before it. */
  ms: number;
  /** The silence the join puts before it, in milliseconds. */
  pauseBeforeMs: number;
  /** The silence after it (pause marks at the very end of the script), in milliseconds. */
  pauseAfterMs: number;
  /** `real`: measured in a take's audio; `learned`: estimated at a rate learned from takes; `default`: a language's default rate. */
  source: 'real' | 'learned' | 'default';
}

/**
 * One section's expected length: its chunks and the pauses between them (not the pause before it). Sections are the
 * chunks' (top-level headings, or the script's bracketed section lines).
 */
export interface SectionEstimate {
  sectionIndex: number;
  title?: string;
  ms: number;
  /** The first and last chunk of the section. */
  firstChunk: number;
  lastChunk: number;
}

export interface DurationEstimate {
  /** The whole joined file, pauses included, in milliseconds. */
  totalMs: number;
  chunks: ChunkEstimate[];
  sections: SectionEstimate[];
  /** Every chunk's length is real (all of it is in takes already). */
  exact: boolean;
}

export interface EstimateOptions {
  rates: SpeechRates;
  /** The section pause of the settings (ms). */
  sectionPauseMs: number;
  /** The real length (ms) of a chunk's audio when a take holds it (the shell knows them by cache key). */
  realMs?(chunk: Chunk): number | undefined;
}

/** Estimates the joined file a generation of `chunks` would make (see DurationEstimate). */
export function estimateDuration(chunks: readonly Chunk[], options: EstimateOptions): DurationEstimate {
  const estimates = chunks.map((chunk, position): ChunkEstimate => {
    const characters = spokenCharacters(chunk.text);
    const pauseBefore = pauseBeforeMs(chunk, position, options.sectionPauseMs);
    const pauseAfterMs = pauseMsOf(chunk.pausesAfter);
    const real = options.realMs?.(chunk);
    if (real !== undefined && Number.isFinite(real) && real >= 0)
      return {
        chunkIndex: chunk.index,
        characters,
        ms: real,
        pauseBeforeMs: pauseBefore,
        pauseAfterMs,
        source: 'real',
      };
    const rate = options.rates.rateFor(chunk.voice);
    return {
      chunkIndex: chunk.index,
      characters,
      ms: (characters / rate.charactersPerSecond) * 1000,
      pauseBeforeMs: pauseBefore,
      pauseAfterMs,
      source: rate.learned ? 'learned' : 'default',
    };
  });
  const sections: SectionEstimate[] = [];
  chunks.forEach((chunk, i) => {
    const last = sections[sections.length - 1];
    if (last && last.sectionIndex === chunk.sectionIndex) {
      last.ms += estimates[i].pauseBeforeMs + estimates[i].ms + estimates[i].pauseAfterMs;
      last.lastChunk = i;
    } else {
      sections.push({
        sectionIndex: chunk.sectionIndex,
        ...(chunk.sectionTitle !== undefined ? { title: chunk.sectionTitle } : {}),
        ms: estimates[i].ms + estimates[i].pauseAfterMs,
        firstChunk: i,
        lastChunk: i,
      });
    }
  });
  return {
    totalMs: estimates.reduce((sum, e) => sum + e.pauseBeforeMs + e.ms + e.pauseAfterMs, 0),
    chunks: estimates,
    sections,
    exact: estimates.every((e) => e.source === 'real'),
  };
}

/** A duration as a clock shows it, rounded to the second: `0:14`, `2:40`, `1:02:03`. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
