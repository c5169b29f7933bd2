// Headings, list items and table rows are spoken as sentences: they need terminal punctuation,
// or the voice runs them into whatever follows.
import type { SpokenText } from './spokenText';

const TERMINAL_PUNCTUATION = new Set([
  '.',
  '!',
  '?',
  ':',
  '…',
  '。',
  '！',
  '？',
  '：',
  '‼',
  '⁉',
  '‽',
  '｡',
  // A list item ending in a comma or semicolon is one line of a running sentence ("what is coming next,"):
  // the writer's own punctuation is the pause, and a period after it would be read as "next,."
  ',',
  ';',
  '，',
  '；',
  '、',
]);
/** Closing quotes and brackets after the punctuation (`"Stop."`, `「…。」`) do not hide it. */
const CLOSERS = new Set(['"', "'", '”', '’', '»', '›', '」', '』', ')', ']', '}', '）', '］', '】', '》', '〉', '〕']);
/** Scripts whose sentences end with the ideographic full stop. */
const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** True when the text already ends a sentence (ignoring closing quotes and brackets). */
export function endsWithSentenceBreak(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && CLOSERS.has(text[i])) i--;
  return i >= 0 && TERMINAL_PUNCTUATION.has(text[i]);
}

/** Adds '.' (or '。' after Chinese or Japanese) unless the text already ends a sentence. */
export function withSentenceBreak(spoken: SpokenText): SpokenText {
  if (spoken.length === 0 || endsWithSentenceBreak(spoken.text)) return spoken;
  let i = spoken.length - 1;
  while (i > 0 && CLOSERS.has(spoken.text[i])) i--;
  const lastCodePoint = String.fromCodePoint(
    spoken.text.codePointAt(i > 0 && isLowSurrogate(spoken.text, i) ? i - 1 : i) ?? 0,
  );
  return spoken.withSuffix(IDEOGRAPHIC.test(lastCodePoint) ? '。' : '.');
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}
