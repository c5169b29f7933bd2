// Text on its way to being spoken, with the source offset every UTF-16 code unit came from.
// Every transformation (dropping notes, collapsing whitespace, adding a sentence break) keeps the two in step,
// so a chunk of narration can always be traced back to the lines of the script it came from.

const WHITESPACE = /\s/;
/** WHITESPACE.test for the code unit at `index`, without the regular expression for ASCII. */
function isWhitespace(code: number, text: string, index: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return WHITESPACE.test(text[index]);
}
/** Scripts written without spaces between words, and their punctuation: a line wrapped inside them is not a space. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uff60]/u;

function isWhitespaceAt(text: string, index: number): boolean {
  return isWhitespace(text.charCodeAt(index), text, index);
}

/** No whitespace at either end, and every whitespace a lone ASCII space: collapsing would change nothing. */
function isCollapsed(text: string): boolean {
  let previousSpace = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isWhitespace(code, text, i)) previousSpace = false;
    else if (code !== 0x20 || previousSpace) return false;
    else previousSpace = true;
  }
  return !previousSpace || text.length === 0;
}

function codePointBefore(text: string, end: number): string {
  const low = text.charCodeAt(end - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && end >= 2 ? end - 2 : end - 1;
  return text.slice(start, end);
}

function codePointAt(text: string, index: number): string {
  return String.fromCodePoint(text.codePointAt(index) ?? 0);
}

/** A string plus, for each of its UTF-16 code units, the source offset it came from. */
export class SpokenText {
  private constructor(
    readonly text: string,
    readonly offsets: readonly number[],
    /** Known to need no whitespace collapse (its own collapse, or a slice of one): a later collapse is free. */
    private collapsed = false,
  ) {}

  static empty(): SpokenText {
    return new SpokenText('', []);
  }

  /** Text whose code units came from the given source offsets (same length as text). */
  static of(text: string, offsets: readonly number[]): SpokenText {
    if (text.length !== offsets.length) throw new RangeError('SpokenText: text and offsets differ in length');
    return new SpokenText(text, offsets);
  }

  /** Joins pieces with a separator that did not come from the source (it maps to the end of the piece before it). */
  static join(pieces: readonly SpokenText[], separator: string): SpokenText {
    // A text is never changed once made, so one piece is its own join (no copy of a long text's offsets).
    if (pieces.length === 1) return pieces[0];
    let text = '';
    const offsets: number[] = [];
    pieces.forEach((piece, i) => {
      if (i > 0) {
        const anchor = offsets.length > 0 ? offsets[offsets.length - 1] : (piece.offsets[0] ?? 0);
        text += separator;
        for (let k = 0; k < separator.length; k++) offsets.push(anchor);
      }
      text += piece.text;
      for (const offset of piece.offsets) offsets.push(offset);
    });
    return new SpokenText(text, offsets);
  }

  get length(): number {
    return this.text.length;
  }

  /** The code units whose index passes the test, in order (the text itself when all pass: it is never changed). */
  filter(keep: (index: number, offset: number) => boolean): SpokenText {
    // Most filters keep everything (no comment, no cue): nothing is copied until the first code unit dropped.
    let first = 0;
    while (first < this.text.length && keep(first, this.offsets[first])) first++;
    if (first === this.text.length) return this;
    // The kept characters are appended a run at a time (a slice), not one by one: a few concatenations per text.
    let text = this.text.slice(0, first);
    const offsets: number[] = this.offsets.slice(0, first);
    let runStart = -1;
    for (let i = first + 1; i < this.text.length; i++) {
      if (keep(i, this.offsets[i])) {
        if (runStart < 0) runStart = i;
        offsets.push(this.offsets[i]);
      } else if (runStart >= 0) {
        text += this.text.slice(runStart, i);
        runStart = -1;
      }
    }
    if (runStart >= 0) text += this.text.slice(runStart);
    return new SpokenText(text, offsets);
  }

  /**
   * The text without the code units that came from source offsets [start, end) (a label): the text itself when none
   * did, else its other stretches joined, each copied whole.
   */
  withoutSource(start: number, end: number): SpokenText {
    const kept: SpokenText[] = [];
    let runStart = -1;
    for (let i = 0; i < this.text.length; i++) {
      const offset = this.offsets[i];
      if (offset < start || offset >= end) {
        if (runStart < 0) runStart = i;
      } else if (runStart >= 0) {
        kept.push(this.slice(runStart, i));
        runStart = -1;
      }
    }
    if (runStart >= 0) kept.push(this.slice(runStart));
    return kept.length === 0 ? SpokenText.empty() : SpokenText.join(kept, '');
  }

  slice(start: number, end: number = this.text.length): SpokenText {
    if (start === 0 && end >= this.text.length) return this;
    const text = this.text.slice(start, end);
    // Inside collapsed text every space is a lone one between words: a slice not cut at a space is collapsed too.
    const collapsed =
      this.collapsed && (text.length === 0 || (!isWhitespaceAt(text, 0) && !isWhitespaceAt(text, text.length - 1)));
    return new SpokenText(text, this.offsets.slice(start, end), collapsed);
  }

  /**
   * Runs of whitespace become one space (mapped to the first whitespace of the run); both ends trimmed.
   * A line break between two Chinese or Japanese characters disappears: those scripts do not put spaces between words.
   */
  collapseWhitespace(): SpokenText {
    // Text from the walk is usually collapsed already (the reading collapses it again): then it is its own result.
    if (this.collapsed) return this;
    if (isCollapsed(this.text)) {
      this.collapsed = true;
      return this;
    }
    // Kept characters are appended a run at a time (a slice), not one by one: a long text is a few concatenations.
    const source = this.text;
    let text = '';
    const offsets: number[] = [];
    let pendingSpaceOffset: number | undefined;
    let pendingLineBreak = false;
    let runStart = -1;
    for (let i = 0; i < source.length; i++) {
      const code = source.charCodeAt(i);
      if (isWhitespace(code, source, i)) {
        // A lone space between words is its own collapse (same character, same offset): the run goes on through it.
        if (code === 0x20 && runStart >= 0 && i + 1 < source.length && !isWhitespaceAt(source, i + 1)) {
          offsets.push(this.offsets[i]);
          continue;
        }
        if (runStart >= 0) {
          text += source.slice(runStart, i);
          runStart = -1;
        }
        if (pendingSpaceOffset === undefined) pendingSpaceOffset = this.offsets[i];
        pendingLineBreak ||= code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
        continue;
      }
      if (pendingSpaceOffset !== undefined && text.length > 0) {
        const wrappedInsideUnspacedText =
          pendingLineBreak &&
          UNSPACED_SCRIPT.test(codePointBefore(text, text.length)) &&
          UNSPACED_SCRIPT.test(codePointAt(source, i));
        if (!wrappedInsideUnspacedText) {
          text += ' ';
          offsets.push(pendingSpaceOffset);
        }
      }
      pendingSpaceOffset = undefined;
      pendingLineBreak = false;
      if (runStart < 0) runStart = i;
      offsets.push(this.offsets[i]);
    }
    if (runStart >= 0) text += source.slice(runStart);
    return new SpokenText(text, offsets, true);
  }

  /** Appends text that is not in the source (punctuation, a space), mapped to the last offset. */
  withSuffix(suffix: string): SpokenText {
    const anchor = this.offsets.length > 0 ? this.offsets[this.offsets.length - 1] : 0;
    return new SpokenText(this.text + suffix, [...this.offsets, ...Array<number>(suffix.length).fill(anchor)]);
  }
}

/** Accumulates spoken text piece by piece while walking a syntax tree. */
export class SpokenTextBuilder {
  private text = '';
  private offsets: readonly number[] = [];
  /** Whether `offsets` is this builder's own array; else it is shared (adopted, or handed out by build) and copied before a push. */
  private owned = false;

  /** Appends characters with their own source offsets (the array is not changed, and may be kept as is). */
  append(text: string, offsets: readonly number[]): void {
    // A paragraph of one text node is common: its offsets are adopted, not copied (no SpokenText array is ever changed).
    if (this.offsets.length === 0 && this.text.length === 0) {
      this.text = text;
      this.offsets = offsets;
      this.owned = false;
      return;
    }
    const own = this.ownOffsets();
    this.text += text;
    for (const offset of offsets) own.push(offset);
  }

  appendSpoken(spoken: SpokenText): void {
    this.append(spoken.text, spoken.offsets);
  }

  /** Appends characters that are not in the source (a space for a line break), all mapped to one offset. */
  appendInserted(text: string, offset: number): void {
    const own = this.ownOffsets();
    this.text += text;
    for (let i = 0; i < text.length; i++) own.push(offset);
  }

  build(): SpokenText {
    // The array is handed out, not copied: a later append copies it first.
    this.owned = false;
    return SpokenText.of(this.text, this.offsets);
  }

  private ownOffsets(): number[] {
    if (!this.owned) {
      this.offsets = this.offsets.slice();
      this.owned = true;
    }
    return this.offsets as number[];
  }
}
