// Headings, list items and table rows are spoken as sentences: they need terminal punctuation,
// or the voice runs them into whatever follows.
import type { SpokenText } from './spokenText';

/**
 * Ends a sentence: a Unicode `Sentence_Terminal` character (UAX #29; `؟` `۔` `।` `։` `。` `!` …), optionally followed
 * by closing brackets and quotes (`"Stop."`, `「…。」`).
 */
const ENDS_WITH_TERMINAL = /\p{Sentence_Terminal}[\p{Pe}\p{Pf}"']*$/u;
/**
 * The writer's own pause ends the line as it is: a list item ending in a comma or semicolon is one line of a running
 * sentence ("what is coming next,"), a colon introduces what follows, an ellipsis trails off. A period after them
 * would be read as "next,.".
 */
const ENDS_WITH_WRITERS_PAUSE = /[,;:…‥，；：、][\p{Pe}\p{Pf}"']*$/u;
const CLOSERS = /[\p{Pe}\p{Pf}"']+$/u;

/** The full stop a script uses, for scripts whose full stop is not '.' (by the last letter's script). */
const FULL_STOPS: readonly [RegExp, string][] = [
  [/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u, '。'],
  [/[\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Oriya}]/u, '।'],
  [/\p{Script=Armenian}/u, '։'],
  [/\p{Script=Ethiopic}/u, '።'],
  [/\p{Script=Myanmar}/u, '။'],
  [/\p{Script=Tibetan}/u, '།'],
];

/** True when the text already ends a sentence, or with the writer's own pause (ignoring closing quotes and brackets). */
export function endsWithSentenceBreak(text: string): boolean {
  return ENDS_WITH_TERMINAL.test(text) || ENDS_WITH_WRITERS_PAUSE.test(text);
}

/** Adds the script's full stop ('.', '。' after Chinese or Japanese, '।' after Devanagari, …) unless the text already ends a sentence. */
export function withSentenceBreak(spoken: SpokenText): SpokenText {
  if (spoken.length === 0 || endsWithSentenceBreak(spoken.text)) return spoken;
  const beforeClosers = spoken.text.replace(CLOSERS, '');
  const lastCodePoint = [...beforeClosers.slice(-2)].pop() ?? '';
  const fullStop = FULL_STOPS.find(([script]) => script.test(lastCodePoint))?.[1] ?? '.';
  return spoken.withSuffix(fullStop);
}
