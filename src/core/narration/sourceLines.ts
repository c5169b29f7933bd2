// Maps UTF-16 offsets in a source document to 0-based line numbers, the way VS Code counts lines
// ('\n', '\r\n' and a lone '\r' each end a line).

import { lastIndexAtOrBefore } from './sortedSearch';

/** Start offsets of every line of a source text, for repeated offset → line look-ups. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly source: string) {
    const starts = [0];
    for (let i = 0; i < source.length; i++) {
      const code = source.charCodeAt(i);
      if (code === 0x0a) starts.push(i + 1);
      else if (code === 0x0d && source.charCodeAt(i + 1) !== 0x0a) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based line of an offset; the line ending belongs to the line it ends; out-of-range offsets are clamped. */
  lineAt(offset: number): number {
    return lastIndexAtOrBefore(this.lineStarts, Math.max(0, Math.min(offset, this.source.length)));
  }

  /** Offset of the first character of a 0-based line (clamped to the existing lines). */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }
}

/**
 * The line of offsets met mostly in order (a text's characters): the line found last is kept with its bounds, so a
 * look-up in the same line costs two comparisons instead of a search (walks over text ask once per character).
 */
export class LineCursor {
  private line = -1;
  private start = 0;
  private next = -1;

  constructor(private readonly lines: LineIndex) {}

  lineOf(offset: number): number {
    if (offset >= this.start && offset < this.next) return this.line;
    this.line = this.lines.lineAt(offset);
    this.start = this.lines.lineStart(this.line);
    this.next = this.line + 1 < this.lines.lineCount ? this.lines.lineStart(this.line + 1) : Infinity;
    // An offset past the text's end is clamped onto the last line: only the same offset is answered from the cache.
    if (offset < this.start || offset >= this.next) this.next = -1;
    return this.line;
  }
}

// Callers usually ask several questions about the same document in a row; keep the last index.
let cachedIndex: { source: string; index: LineIndex } | undefined;

function indexFor(source: string): LineIndex {
  if (cachedIndex?.source !== source) cachedIndex = { source, index: new LineIndex(source) };
  return cachedIndex.index;
}

/** 0-based line of a UTF-16 offset in source. */
export function lineAt(source: string, offset: number): number {
  return indexFor(source).lineAt(offset);
}

/**
 * 0-based inclusive line range from the line of start to the line of end (an offset inside the range, e.g. its last
 * character; an exclusive end that falls on the line ending or the document's end gives the same line).
 */
export function lineRange(source: string, start: number, end: number): { startLine: number; endLine: number } {
  const index = indexFor(source);
  const startLine = index.lineAt(start);
  return { startLine, endLine: Math.max(startLine, index.lineAt(end)) };
}
