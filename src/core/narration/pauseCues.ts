// Pause marks: the timed silences writers put in a script, in brackets (or, for the worded ones, parentheses as in a
// screenplay's "(beat)"). `[0.5s]`, `[1.2 s]`, `[500ms]`, `[2 seconds]`, `[2 seconds of silence]`, `[pause 2s]` say
// their length; `[beat]`, `[pause]`, `[long pause]` take theirs from the settings. Sources: the marks of the real
// scripts in the project's corpus (`[0.5s]` … `[0.9s]`), the "[pause]"/"(beat)" conventions of voice-over and
// screenplay writing, and the `[N seconds of silence]` form of podcast running orders.

/** How long the worded pauses last, in milliseconds (settings `aistudios.script.*Milliseconds`). */
export interface PauseLengths {
  /** `[beat]`, `[short pause]`, `[brief pause]`, `[一拍]`. */
  beatMs: number;
  /** `[pause]`, `[silence]`, `[停顿]`, `[쉼]`, `[pausa]`. */
  pauseMs: number;
  /** `[long pause]`, `[dramatic pause]`, `[긴 침묵]`. */
  longPauseMs: number;
}

export const DEFAULT_PAUSE_LENGTHS: Readonly<PauseLengths> = Object.freeze({
  beatMs: 500,
  pauseMs: 1000,
  longPauseMs: 2000,
});

/** The longest silence one mark makes (ms): `[500s]` is a typo for `[500ms]` far more often than ten minutes of air. */
export const MAX_PAUSE_MS = 60_000;

const NUMBER = String.raw`(\d{1,6}(?:[.,]\d{1,3})?)`;
/** Units of a written length, with how many milliseconds each is. */
const UNITS: readonly [RegExp, number][] = [
  [/^(?:ms|msec|millisecond|milliseconds|毫秒|밀리초|ミリ秒)$/i, 1],
  [/^(?:s|sec|secs|second|seconds|seg|segundo|segundos|seconde|secondes|sek|sekunde|sekunden|초|秒|秒钟|秒鐘)$/i, 1000],
];
const UNIT = String.raw`(ms|msec|milliseconds?|s|secs?|seconds?|seg|segundos?|secondes?|sek|sekunden?|毫秒|밀리초|ミリ秒|초|秒钟|秒鐘|秒)`;
const DURATION = `${NUMBER}\\s*${UNIT}`;

type Worded = 'beat' | 'pause' | 'long';

/** Worded pauses, whole content of the mark (case-insensitive, an optional article). */
const WORDED: readonly [RegExp, Worded][] = [
  [
    /^(?:a\s+)?(?:beat|short\s+(?:pause|beat)|brief\s+pause|small\s+pause|quick\s+pause|一拍|短暂停顿|짧은\s*(?:쉼|멈춤))$/i,
    'beat',
  ],
  [
    /^(?:a\s+)?(?:long(?:er)?|extended|dramatic)\s+(?:pause|beat|silence)$|^(?:pausa\s+larga|longue\s+pause|lange\s+pause|长停顿|長停頓|긴\s*(?:쉼|멈춤|침묵)|長い間)$/i,
    'long',
  ],
  [/^(?:a\s+)?(?:pause|silence|pausa|stille|停顿|停頓|暂停|쉼|멈춤|잠시\s*멈춤|침묵|정적|間|ポーズ)$/i, 'pause'],
];

/** A length, then words saying it is silence: `2 seconds of silence`, `3 second pause`, `2s pause`. */
const DURATION_THEN_WORD = new RegExp(
  `^${DURATION}(?:\\s+(?:of\\s+)?(?:silence|pause|beat)|\\s*(?:停顿|停頓|的?静音|쉼|침묵))?$`,
  'i',
);
/** A pause word, then its length: `pause 2s`, `pause: 1.5 s`, `silence - 3 seconds`, `停顿 2秒`. */
const BARE_DURATION = new RegExp(`^${DURATION}$`, 'i');
const WORD_THEN_DURATION = new RegExp(
  `^(?:pause|silence|beat|pausa|停顿|停頓|暂停|쉼|멈춤|침묵)\\s*[:：\\-–—]?\\s*${DURATION}$`,
  'i',
);

/**
 * The length in milliseconds of a pause mark, given what stands between its brackets (`0.5s`, `pause 2s`, `beat`), or
 * undefined when it is not one. `allowBareLength` is false for parentheses, where "(2s)" is more likely prose than a
 * direction: there only worded marks count (`(beat)`, `(pause 2s)`). Lengths are held to MAX_PAUSE_MS.
 */
export function pauseMarkMs(content: string, lengths: PauseLengths, allowBareLength = true): number | undefined {
  const text = content
    .trim()
    .replace(/^[*_]+|[*_]+$/g, '')
    .trim();
  if (text === '' || text.length > 40) return undefined;
  for (const [pattern, kind] of WORDED) {
    if (pattern.test(text))
      return clamp(kind === 'beat' ? lengths.beatMs : kind === 'long' ? lengths.longPauseMs : lengths.pauseMs);
  }
  const wordFirst = WORD_THEN_DURATION.exec(text);
  if (wordFirst) return durationMs(wordFirst[1], wordFirst[2]);
  const lengthFirst = DURATION_THEN_WORD.exec(text);
  if (!lengthFirst || (!allowBareLength && BARE_DURATION.test(text))) return undefined;
  return durationMs(lengthFirst[1], lengthFirst[2]);
}

function durationMs(number: string, unit: string): number | undefined {
  const factor = UNITS.find(([pattern]) => pattern.test(unit))?.[1];
  const value = Number(number.replace(',', '.'));
  if (factor === undefined || !Number.isFinite(value)) return undefined;
  return clamp(Math.round(value * factor));
}

function clamp(ms: number): number {
  return Math.max(0, Math.min(MAX_PAUSE_MS, Number.isFinite(ms) ? ms : 0));
}
