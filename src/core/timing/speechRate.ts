// How fast a voice speaks, in characters per second, per voice model and language: a default per language until the
// writer has made a take, then learned from the real durations of the writer's own takes (each part's characters and
// the length of its audio, pauses left out). Recent takes count most, so a voice that changed is followed.

/** A voice as rates are kept: its model and language. */
export interface RateVoice {
  model: string;
  language: string;
}

/** What has been learned about one voice: characters spoken and the milliseconds they took, recent takes weighted most. */
export interface RateRecord {
  characters: number;
  ms: number;
  /** How many takes were recorded. */
  takes: number;
}

/** A speaking rate, and whether it was learned from takes (false: the language's default). */
export interface SpeechRate {
  charactersPerSecond: number;
  learned: boolean;
}

/**
 * Characters per second of a typical synthetic voice, by language (ISO 639-1), counted as spokenCharacters counts
 * them. English at about 150 words a minute is ~14; Korean syllables, kana and Han carry more sound each.
 */
const DEFAULT_RATES: Readonly<Record<string, number>> = Object.freeze({
  en: 14,
  de: 13,
  fr: 14,
  es: 14,
  it: 14,
  pt: 14,
  ko: 7,
  ja: 8,
  zh: 5,
});
const FALLBACK_RATE = 13;
/** Each new take's weight against everything before it: the past fades by a quarter per take. */
const DECAY = 0.75;
/** Parts shorter than this (ms) say little about a rate (a heading alone): they are not learned from. */
const MIN_LEARNED_MS = 400;

/** The characters a voice speaks in a text: code points, each run of whitespace counted as one. */
export function spokenCharacters(text: string): number {
  let count = 0;
  let space = false;
  for (const char of text.trim()) {
    const isSpace = /\s/.test(char);
    if (!isSpace || !space) count++;
    space = isSpace;
  }
  return count;
}

/** The key a voice's rate is kept under. */
export function rateKey(voice: RateVoice): string {
  return `${voice.model}\u0000${voice.language.toLowerCase()}`;
}

/** The default rate of a language (`en`, `ko-KR`…), before any take. */
export function defaultRate(language: string): number {
  return DEFAULT_RATES[language.toLowerCase().split(/[-_]/)[0]] ?? FALLBACK_RATE;
}

/** Learned rates per voice; plain data in and out (toJSON/fromJSON) so the shell can keep them between sessions. */
export class SpeechRates {
  private readonly records = new Map<string, RateRecord>();

  /** Rates saved by toJSON; anything malformed is left out. */
  static fromJSON(value: unknown): SpeechRates {
    const rates = new SpeechRates();
    if (typeof value !== 'object' || value === null) return rates;
    for (const [key, record] of Object.entries(value as Record<string, unknown>)) {
      const r = record as Partial<RateRecord> | null;
      if (r && isPositive(r.characters) && isPositive(r.ms) && isPositive(r.takes))
        rates.records.set(key, { characters: r.characters, ms: r.ms, takes: r.takes });
    }
    return rates;
  }

  toJSON(): Record<string, RateRecord> {
    return Object.fromEntries(this.records);
  }

  /** The rate of a voice: learned when any take of it was recorded, else its language's default. */
  rateFor(voice: RateVoice): SpeechRate {
    const record = this.records.get(rateKey(voice));
    if (record) return { charactersPerSecond: (record.characters / record.ms) * 1000, learned: true };
    return { charactersPerSecond: defaultRate(voice.language), learned: false };
  }

  /** What was learned about a voice, if anything. */
  recordOf(voice: RateVoice): RateRecord | undefined {
    return this.records.get(rateKey(voice));
  }

  /**
   * Learns from one take: each part's text and the milliseconds of its audio (without the pauses around it). Parts
   * shorter than 400 ms are skipped. Returns whether anything was learned.
   */
  recordTake(voice: RateVoice, parts: readonly { text: string; durationMs: number }[]): boolean {
    let characters = 0;
    let ms = 0;
    for (const part of parts) {
      if (!(part.durationMs >= MIN_LEARNED_MS)) continue;
      characters += spokenCharacters(part.text);
      ms += part.durationMs;
    }
    if (characters === 0 || ms === 0) return false;
    const key = rateKey(voice);
    const before = this.records.get(key);
    this.records.set(
      key,
      before
        ? {
            characters: before.characters * DECAY + characters,
            ms: before.ms * DECAY + ms,
            takes: before.takes + 1,
          }
        : { characters, ms, takes: 1 },
    );
    return true;
  }
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
