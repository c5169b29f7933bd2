// Writer's notes stay silent: HTML comments, Obsidian `%%…%%` comments and `//` note lines. (Pause marks such as
// `[0.5s]` become timed silences: pauseCues.ts.)
import { LineCursor, type LineIndex } from './sourceLines';
import type { SpokenText } from './spokenText';

/** A half-open range [start, end) of source offsets. */
export interface SourceRange {
  start: number;
  end: number;
}

const COMMENT_OPENERS = /<!--|%%/g;

/**
 * The source ranges of `<!-- … -->` and `%% … %%` comments, which may span lines and paragraphs. Openers inside code
 * (given as ranges) are literal text; an unclosed comment is spoken rather than silencing the rest.
 */
export function commentRanges(source: string, codeRanges: readonly SourceRange[]): SourceRange[] {
  const comments: SourceRange[] = [];
  const inCode = (offset: number) => codeRanges.some((range) => offset >= range.start && offset < range.end);
  COMMENT_OPENERS.lastIndex = 0;
  let opener: RegExpExecArray | null;
  while ((opener = COMMENT_OPENERS.exec(source)) !== null) {
    if (inCode(opener.index)) continue;
    const closer = opener[0] === '%%' ? '%%' : '-->';
    const close = source.indexOf(closer, opener.index + opener[0].length);
    if (close < 0) continue;
    const end = close + closer.length;
    comments.push({ start: opener.index, end });
    COMMENT_OPENERS.lastIndex = end;
  }
  return comments;
}

/** Marks the source offsets inside comments (see commentRanges) with 1; empty (no offset marked) when there are none. */
export function silentSourceMask(source: string, comments: readonly SourceRange[]): Uint8Array {
  // Most scripts have no comment: an empty mask tells readers so without a look at every offset.
  const silent = new Uint8Array(comments.length > 0 ? source.length : 0);
  for (const comment of comments) silent.fill(1, comment.start, comment.end);
  return silent;
}

/**
 * Drops the lines whose spoken text starts with `//` (writer's notes inside a paragraph), telling onDropped each
 * 0-based line dropped. Lines are source lines, so a note line keeps silent even when the parser joined it to its
 * paragraph.
 */
export function dropNoteLines(spoken: SpokenText, lines: LineIndex, onDropped?: (line: number) => void): SpokenText {
  // A note line's text starts with `//`: without one anywhere there is no line to look at.
  if (!spoken.text.includes('//')) return spoken;
  const dropped = new Set<number>();
  const cursor = new LineCursor(lines);
  let currentLine = -1;
  let seenContent = false;
  for (let i = 0; i < spoken.length; i++) {
    const line = cursor.lineOf(spoken.offsets[i]);
    if (line !== currentLine) {
      currentLine = line;
      seenContent = false;
    }
    const char = spoken.text[i];
    if (seenContent || /\s/.test(char)) continue;
    seenContent = true;
    const isNote = char === '/' && spoken.text[i + 1] === '/' && spoken.offsets[i + 1] === spoken.offsets[i] + 1;
    if (isNote) dropped.add(line);
  }
  if (dropped.size === 0) return spoken;
  if (onDropped) dropped.forEach(onDropped);
  return spoken.filter((_, offset) => !dropped.has(lines.lineAt(offset)));
}
