// What the extension remembers about lengths between sessions (in globalState, so every window and workspace learns
// from every take): each voice's speaking rate learned from the writer's takes, and the real length of each part's
// audio by its text and voice, so the estimate of a part already made is its real length.
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { cacheKey, SpeechRates, type Chunk, type PieceTiming } from '../core';

const RATES_KEY = 'aistudios.speechRates';
const REAL_KEY = 'aistudios.partDurations';
/** How many parts' real lengths are kept (the oldest go first): about 100 KB. */
const MAX_REAL_DURATIONS = 1500;

/** Speaking rates and real part lengths, kept in globalState; fires onDidChange after a take taught something. */
export class DurationMemory extends Disposable {
  private rates: SpeechRates;
  private readonly real: Map<string, number>;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange: vscode.Event<void> = this.changed.event;

  constructor(private readonly state: vscode.Memento) {
    super();
    this.rates = SpeechRates.fromJSON(state.get(RATES_KEY));
    const saved = state.get<unknown>(REAL_KEY);
    this.real = new Map(
      Array.isArray(saved)
        ? saved.filter(
            (entry): entry is [string, number] =>
              Array.isArray(entry) && typeof entry[0] === 'string' && Number.isFinite(entry[1]) && entry[1] >= 0,
          )
        : [],
    );
  }

  /** The learned rates (a default per language where nothing was learned). */
  get speechRates(): SpeechRates {
    return this.rates;
  }

  /** The real length (ms) of a part's audio, when a take made it. */
  realMs(chunk: Pick<Chunk, 'text' | 'voice'>): number | undefined {
    return this.real.get(partKey(chunk));
  }

  /**
   * Learns from a finished take: its parts' real lengths, and each voice's rate from the parts made for it (`fresh`:
   * not reused from the cache, which an earlier take already taught). Saved at once.
   */
  async recordTake(
    chunks: readonly Chunk[],
    timings: readonly PieceTiming[],
    fresh: (chunkIndex: number) => boolean,
  ): Promise<void> {
    const byIndex = new Map(chunks.map((chunk) => [chunk.index, chunk]));
    const byVoice = new Map<string, { chunk: Chunk; parts: { text: string; durationMs: number }[] }>();
    for (const timing of timings) {
      const chunk = byIndex.get(timing.chunkIndex);
      if (!chunk || !(timing.durationMs > 0)) continue;
      const key = partKey(chunk);
      this.real.delete(key);
      this.real.set(key, timing.durationMs);
      if (!fresh(timing.chunkIndex)) continue;
      const voiceKey = `${chunk.voice.model}\u0000${chunk.voice.language}`;
      const entry = byVoice.get(voiceKey) ?? { chunk, parts: [] };
      entry.parts.push({ text: chunk.text, durationMs: timing.durationMs });
      byVoice.set(voiceKey, entry);
    }
    for (const { chunk, parts } of byVoice.values()) this.rates.recordTake(chunk.voice, parts);
    while (this.real.size > MAX_REAL_DURATIONS) this.real.delete(this.real.keys().next().value as string);
    this.changed.fire();
    await this.state.update(RATES_KEY, this.rates.toJSON());
    await this.state.update(REAL_KEY, [...this.real]);
  }

  /** Forgets everything learned (for tests). */
  async clear(): Promise<void> {
    this.rates = new SpeechRates();
    this.real.clear();
    await this.state.update(RATES_KEY, undefined);
    await this.state.update(REAL_KEY, undefined);
    this.changed.fire();
  }
}

/** A part by its text and voice, whatever host spoke it. */
function partKey(chunk: Pick<Chunk, 'text' | 'voice'>): string {
  return cacheKey({ text: chunk.text, voice: chunk.voice, host: '' });
}
