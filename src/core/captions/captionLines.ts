// Lays a sentence out as caption cues: at most two lines of at most 42 characters each, broken where a reader would
// pause (after a clause's punctuation, before a conjunction or preposition), never between an article and its noun
// where it can be avoided. The line length and line count are the broadcast conventions (BBC Subtitle Guidelines,
// Netflix Timed Text Style Guide: 42 characters, 2 lines); wide characters (Hangul, kana, Han) count twice, so a line
// holds about 21 of them, near the 16–20 those guides give for Chinese, Japanese and Korean.

import { graphemeSegmenter, wordSegmenter } from '../narration/segmenters';

/** How cues are laid out. */
export interface CaptionLayout {
  /** The widest a line may be, in characters (a wide character counts 2). Default 42. */
  maxLineWidth: number;
  /** Lines per cue. Default 2. */
  maxLines: number;
}

export const DEFAULT_CAPTION_LAYOUT: CaptionLayout = Object.freeze({ maxLineWidth: 42, maxLines: 2 });

/** A word and the space after it, with where a line or cue may be broken before it and how much that costs. */
interface Token {
  text: string;
  /** Whitespace after the word (dropped at a line's end). */
  space: string;
  width: number;
  /** The cost of breaking before this token: 0 after a clause's punctuation, 1 before a conjunction, 10 inside a word. */
  penalty: number;
}

/** Breaking before these words keeps a phrase together ("… the team | and the board"). */
const PHRASE_STARTERS = new Set(
  (
    'and but or nor so yet because although though while whereas if unless until when whenever where wherever ' +
    'which who whom whose that than to of in on at for with from by as into onto about over under after before ' +
    'between through during without within'
  ).split(' '),
);
/** Breaking right after these splits a phrase ("the | house", "a | few"). */
const PHRASE_OPENERS = new Set(
  'a an the this that these those my your his her its our their some any no every each to of in on at for'.split(' '),
);
const CLAUSE_END = /[,;:—–)\]”’»、，；：。！？.!?]$/u;
const SENTENCE_END = /[.!?。！？]$/u;
/** East Asian Wide and Fullwidth ranges (UAX #11), enough for the scripts a voice speaks. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;

/** The width of a text in caption characters: a wide character (Hangul, kana, Han, full-width forms) counts 2. */
export function captionWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemeSegmenter.segment(text)) width += WIDE.test(segment) ? 2 : 1;
  return width;
}

/**
 * Lays out one sentence (or any run of text) as cues of at most `layout.maxLines` lines of at most
 * `layout.maxLineWidth` characters; each cue is its lines. Whitespace is collapsed; an empty text gives no cue.
 * Fewest cues first, then the cheapest breaks (see Token.penalty), then lines of even length. A word longer than a
 * line is broken between its graphemes.
 */
export function layOutCaption(text: string, layout: CaptionLayout = DEFAULT_CAPTION_LAYOUT): string[][] {
  const tokens = tokenize(text.replace(/\s+/g, ' ').trim(), layout.maxLineWidth);
  if (tokens.length === 0) return [];
  const n = tokens.length;
  const maxLines = Math.max(1, Math.floor(layout.maxLines));
  // best[j][k]: the cheapest layout of tokens [0, j) whose last line is line k (1-based) of its cue.
  const best: { cost: number; from: number; fromLine: number }[][] = Array.from({ length: n + 1 }, () =>
    Array.from({ length: maxLines + 1 }, () => ({ cost: Number.POSITIVE_INFINITY, from: -1, fromLine: 0 })),
  );
  best[0][maxLines] = { cost: 0, from: -1, fromLine: 0 };
  for (let i = 0; i < n; i++) {
    for (let line = 1; line <= maxLines; line++) {
      const here = best[i][line];
      if (!Number.isFinite(here.cost)) continue;
      let width = 0;
      for (let j = i + 1; j <= n; j++) {
        width += (j > i + 1 ? captionWidth(tokens[j - 2].space) : 0) + tokens[j - 1].width;
        if (width > layout.maxLineWidth) break;
        const breakCost = i === 0 ? 0 : tokens[i].penalty;
        // A new cue costs most, and a break inside a phrase costs more there than between two lines of one cue.
        const slack = (layout.maxLineWidth - width) / layout.maxLineWidth;
        const lineCost = j === n ? 0 : slack * slack;
        if (line < maxLines && i > 0) relax(best[j][line + 1], here.cost + breakCost + lineCost, i, line);
        relax(best[j][1], here.cost + (i === 0 ? 0 : 100 + 3 * breakCost) + lineCost, i, line);
      }
    }
  }
  let endLine = 1;
  for (let line = 1; line <= maxLines; line++) if (best[n][line].cost < best[n][endLine].cost) endLine = line;
  const cues: string[][] = [];
  let cue: string[] = [];
  for (let j = n, line = endLine; j > 0;) {
    const { from, fromLine } = best[j][line];
    cue.unshift(joinTokens(tokens.slice(from, j)));
    if (line === 1) {
      cues.unshift(cue);
      cue = [];
    }
    j = from;
    line = fromLine;
  }
  return cues;
}

function relax(cell: { cost: number; from: number; fromLine: number }, cost: number, from: number, fromLine: number) {
  if (cost < cell.cost) {
    cell.cost = cost;
    cell.from = from;
    cell.fromLine = fromLine;
  }
}

function joinTokens(tokens: readonly Token[]): string {
  return tokens.map((t, i) => t.text + (i < tokens.length - 1 ? t.space : '')).join('');
}

/** Words with their following space and the cost of a break before each; words wider than a line are cut. */
function tokenize(text: string, maxWidth: number): Token[] {
  const tokens: Token[] = [];
  for (const { segment } of wordSegmenter.segment(text)) {
    const last = tokens[tokens.length - 1];
    if (/^\s+$/u.test(segment)) {
      if (last) last.space += segment;
      continue;
    }
    // Punctuation sticks to the word before it (no line starts with a comma); a word with no space before it
    // (Han, kana) may still start a line.
    if (last && last.space === '' && !/[\p{L}\p{N}]/u.test(segment)) {
      last.text += segment;
      last.width += captionWidth(segment);
      continue;
    }
    if (last && last.space === '' && !breaksWithoutSpace(last.text, segment)) {
      // One word as a reader sees it: "don't", "e-mail", "tok/s", and in Korean a word with its particle ("Q8_0은").
      last.text += segment;
      last.width += captionWidth(segment);
      continue;
    }
    tokens.push({ text: segment, space: '', width: captionWidth(segment), penalty: 3 });
  }
  for (let i = 1; i < tokens.length; i++) tokens[i].penalty = breakPenalty(tokens[i - 1], tokens[i]);
  return tokens.flatMap((token) => (token.width > maxWidth ? cutWord(token, maxWidth) : [token]));
}

/** Han and kana are written without spaces: a line may break between two of their words. */
const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Whether a line may break between two pieces written without a space: only where Han or kana meet. */
function breaksWithoutSpace(before: string, after: string): boolean {
  return IDEOGRAPHIC.test(before.slice(-2)) || IDEOGRAPHIC.test(Array.from(after)[0] ?? '');
}

function breakPenalty(before: Token, token: Token): number {
  if (SENTENCE_END.test(before.text)) return 0;
  if (CLAUSE_END.test(before.text)) return 0.5;
  const previous = before.text.toLowerCase();
  if (PHRASE_OPENERS.has(previous)) return 6;
  if (PHRASE_STARTERS.has(token.text.toLowerCase())) return 1;
  return before.space === '' ? 2 : 3;
}

/** A word wider than a line, cut between graphemes into pieces that fit. */
function cutWord(token: Token, maxWidth: number): Token[] {
  const pieces: Token[] = [];
  let current = '';
  let width = 0;
  for (const { segment } of graphemeSegmenter.segment(token.text)) {
    const w = captionWidth(segment);
    if (width + w > maxWidth && current) {
      pieces.push({ text: current, space: '', width, penalty: pieces.length === 0 ? token.penalty : 10 });
      current = '';
      width = 0;
    }
    current += segment;
    width += w;
  }
  pieces.push({ text: current, space: token.space, width, penalty: pieces.length === 0 ? token.penalty : 10 });
  return pieces;
}
