// Whether a text is in the voice's language, as far as its writing system tells: the vendor requires the text to be
// in the model's language, and Korean text sent to an English voice costs credits for nothing. Languages that share
// a writing system (English and French) cannot be told apart this way, and are not: this catches the clear cases.

import type { Chunk } from '../narration/chunker';

/** The writing systems told apart. Kana stands for Japanese text (kana, with the kanji around it). */
export type WritingSystem =
  'Latin' | 'Hangul' | 'Kana' | 'Han' | 'Cyrillic' | 'Arabic' | 'Hebrew' | 'Greek' | 'Thai' | 'Devanagari';

const LETTERS: readonly [WritingSystem, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['Han', /\p{Script=Han}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
];

/** One Hangul, kana or Han character is a syllable or a word: worth about two letters of an alphabet. */
const WEIGHT: Partial<Record<WritingSystem, number>> = { Hangul: 2, Kana: 2, Han: 2 };

/** Japanese mixes kanji (Han) with kana: this much kana among them makes the whole Japanese. */
const KANA_SHARE_FOR_JAPANESE = 0.1;
/** Fewer weighted letters than this say nothing about a language ("OK", "3.2"). */
const MIN_LETTERS = 4;
/** The text contradicts the language when the language's own writing systems hold less than this share of it. */
const MIN_EXPECTED_SHARE = 0.25;

/** The writing systems of the language codes we know (ISO 639-1, some 639-3); others are not checked. */
const SYSTEMS_OF_LANGUAGE: Record<string, readonly WritingSystem[]> = {
  ko: ['Hangul', 'Han'],
  ja: ['Kana', 'Han'],
  zh: ['Han'],
  cmn: ['Han'],
  yue: ['Han'],
  ru: ['Cyrillic'],
  uk: ['Cyrillic'],
  be: ['Cyrillic'],
  bg: ['Cyrillic'],
  mk: ['Cyrillic'],
  kk: ['Cyrillic'],
  mn: ['Cyrillic'],
  sr: ['Cyrillic', 'Latin'],
  ar: ['Arabic'],
  fa: ['Arabic'],
  ur: ['Arabic'],
  ps: ['Arabic'],
  he: ['Hebrew'],
  yi: ['Hebrew'],
  el: ['Greek'],
  th: ['Thai'],
  hi: ['Devanagari'],
  mr: ['Devanagari'],
  ne: ['Devanagari'],
  ...Object.fromEntries(
    (
      'en es fr de pt it nl vi id ms tl fil pl tr sv da no nb nn fi cs sk ro hu hr sl bs ca gl eu ga cy is sq et lv lt ' +
      'af sw uz az mt lb'
    )
      .split(' ')
      .map((code) => [code, ['Latin'] as const]),
  ),
};

/** The language a writing system most likely means, to suggest. */
const LANGUAGE_OF_SYSTEM: Record<WritingSystem, string> = {
  Latin: 'en',
  Hangul: 'ko',
  Kana: 'ja',
  Han: 'zh',
  Cyrillic: 'ru',
  Arabic: 'ar',
  Hebrew: 'he',
  Greek: 'el',
  Thai: 'th',
  Devanagari: 'hi',
};

/** The letters of a text by writing system, weighted (see WEIGHT); Japanese text counts as Kana, kanji included. */
export function writingSystemCounts(text: string): Map<WritingSystem, number> {
  const counts = new Map<WritingSystem, number>();
  for (const character of text) {
    if (!/\p{L}/u.test(character)) continue;
    const system = LETTERS.find(([, pattern]) => pattern.test(character))?.[0];
    if (system) counts.set(system, (counts.get(system) ?? 0) + (WEIGHT[system] ?? 1));
  }
  const kana = counts.get('Kana') ?? 0;
  const han = counts.get('Han') ?? 0;
  if (kana > 0 && kana / (kana + han) >= KANA_SHARE_FOR_JAPANESE) {
    counts.set('Kana', kana + han);
    counts.delete('Han');
  }
  return counts;
}

/** The writing systems a language code is written in; undefined for a code we do not know. */
export function writingSystemsOf(language: string): readonly WritingSystem[] | undefined {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return SYSTEMS_OF_LANGUAGE[primary];
}

/** A text that is not in the language it is to be spoken in. */
export interface LanguageMismatch {
  /** The language it was to be spoken in, as given. */
  language: string;
  /** The writing system most of the text is in. */
  writingSystem: WritingSystem;
  /** The language that writing system most likely means (ko for Hangul), to offer instead. */
  suggestedLanguage: string;
  /** How much of the text (weighted letters, 0–1) is in that writing system. */
  share: number;
}

/**
 * Whether `text` clearly is not in `language`: most of its letters are in a writing system the language is not
 * written in. Undefined when it is, when the text has too few letters to tell, or when the language is unknown.
 */
export function languageMismatch(text: string, language: string): LanguageMismatch | undefined {
  const expected = writingSystemsOf(language);
  if (!expected) return undefined;
  const counts = writingSystemCounts(text);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total < MIN_LETTERS) return undefined;
  const inLanguage = expected.reduce((sum, system) => sum + (counts.get(system) ?? 0), 0);
  if (inLanguage / total >= MIN_EXPECTED_SHARE) return undefined;
  const [writingSystem, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
  return { language, writingSystem, suggestedLanguage: LANGUAGE_OF_SYSTEM[writingSystem], share: count / total };
}

/**
 * The first voice whose text is not in its language; chunks carry their own voice, so a script with several
 * speakers is checked speaker by speaker.
 */
export function chunksLanguageMismatch(chunks: readonly Chunk[]): LanguageMismatch | undefined {
  const byVoice = new Map<string, { language: string; texts: string[] }>();
  for (const chunk of chunks) {
    const key = JSON.stringify(chunk.voice);
    const group = byVoice.get(key) ?? { language: chunk.voice.language, texts: [] };
    group.texts.push(chunk.text);
    byVoice.set(key, group);
  }
  for (const { language, texts } of byVoice.values()) {
    const mismatch = languageMismatch(texts.join('\n'), language);
    if (mismatch) return mismatch;
  }
  return undefined;
}
