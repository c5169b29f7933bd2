// `Label:` at the start of a line: how scripts name who speaks (`**Jerod Santo:**`, `host1:`, `DISPATCH (radio):`,
// `**旁白**:`) and what a line is for (`**Visual:**`, `**SFX:**`, `**画面**:`). Found in the markdown source, so the
// bold markers and the colon are known exactly and the label's characters can be left out of what is spoken.
// Whether a label names a speaker, a production note or neither is decided elsewhere (speakers.ts,
// productionLabels.ts): this file only finds labels and says what form they are written in.

/** How a label is written; the form is part of the evidence that it names a speaker. */
export type LabelForm =
  /** `**Jerod Santo:**`, `**NARRATOR**:`, `__Host:__` */
  | 'bold'
  /** `HOST:`, `DISPATCH (radio):`, `V.O.:`, `Q:` */
  | 'capitals'
  /** `Speaker 1:`, `host1:`, `Guest 2:` */
  | 'numbered'
  /** Anything else: `Alex:`, `旁白：`, `Remember this:` (prose, unless it names a known speaker). */
  | 'plain';

export interface LineLabel {
  /** The label as written, without markup or colon: `Jerod Santo`, `DISPATCH (radio)`, `내레이션 (로그가 흐르는 동안)`. */
  text: string;
  /** The name without a trailing parenthetical: `DISPATCH`. */
  name: string;
  /** A trailing parenthetical, without its parentheses: `radio`, `V.O.`. */
  extension?: string;
  form: LabelForm;
  /** Source offsets [start, end) of the label with its markup, its colon and the spaces after it. */
  start: number;
  end: number;
}

/** `**Name:**` (the colon inside the bold). */
const BOLD_COLON_INSIDE = /^(\*\*|__)[ \t]*([^*_\r\n]{1,60}?)[ \t]*[:：][ \t]*\1[ \t]*/;
/** `**Name**:` (the colon after it). */
const BOLD_COLON_AFTER = /^(\*\*|__)[ \t]*([^*_\r\n]{1,60}?)[ \t]*\1[ \t]*[:：][ \t]*/;
/** `**Energy: 8/10 | Pace: Dynamic**`: the bold run goes on past the label's colon. */
const BOLD_RUNS_ON = /^(\*\*|__)[ \t]*([^*_\r\n:：]{1,60}?)[ \t]*(?::(?=[ \t])|：)[ \t]*/;
/** `Name:` with an ASCII colon before a space (never `9:30` or `https://`), or a full-width colon. */
const PLAIN = /^([^\s*_[\](){}<>#:："“”'‘’「」][^\r\n:：]{0,59}?)[ \t]*(?::(?=[ \t]|$)|：)[ \t]*/;
/** What a label cannot contain: sentence ends, and quotation marks or brackets of speech. */
const NOT_A_LABEL = /[!?！？。"“”「」[\]{}<>]|\.\s+\p{Ll}|,$/u;
/** Screenplay style: words in capitals (digits, spaces, `.` `'` `&` `-` `/` allowed), with at least one letter. */
const CAPITALS = /^(?=[^\p{Ll}]*\p{Lu})[\p{Lu}\p{N}][\p{Lu}\p{N}\s.'’&\-/]*$/u;
/** A role with a number: `Speaker 1`, `host1`, `Guest 2`. */
const NUMBERED = /^\p{L}[\p{L}-]*[ \t]?\d{1,3}$/u;
const MAX_WORDS = 5;

/**
 * The label at the start of a line's content, if there is one. `contentStart` is the source offset of the line's first
 * spoken character (after `> `, a list marker or indentation); bold markers just before it belong to the label.
 * `lineEnd` bounds the search. A label has at most five words and no sentence punctuation, so prose that happens to
 * contain a colon ("Remember this: …" is a label in form only, and "Note that the rule bends: …" too) is returned as
 * `plain` and decided on by what it names.
 */
export function labelAtLineStart(source: string, contentStart: number, lineEnd: number): LineLabel | undefined {
  let start = contentStart;
  while (start > 0 && (source[start - 1] === '*' || source[start - 1] === '_') && contentStart - start < 2) start--;
  const line = source.slice(start, lineEnd);
  const bold = start < contentStart;
  const match = bold
    ? (BOLD_COLON_INSIDE.exec(line) ?? BOLD_COLON_AFTER.exec(line) ?? BOLD_RUNS_ON.exec(line))
    : PLAIN.exec(line);
  if (!match) return undefined;
  const text = (bold ? match[2] : match[1]).trim();
  if (!isLabelText(text)) return undefined;
  const parenthetical = /^(.*?)\s*[(（]([^()（）]*)[)）]$/.exec(text);
  const name = (parenthetical ? parenthetical[1] : text).trim();
  if (name === '') return undefined;
  const label: LineLabel = { text, name, form: formOf(name, bold), start, end: start + match[0].length };
  if (parenthetical) label.extension = parenthetical[2].trim();
  return label;
}

function isLabelText(text: string): boolean {
  if (text === '' || NOT_A_LABEL.test(text)) return false;
  return text.split(/\s+/).length <= MAX_WORDS;
}

function formOf(name: string, bold: boolean): LabelForm {
  if (bold) return 'bold';
  if (NUMBERED.test(name)) return 'numbered';
  if (CAPITALS.test(name)) return 'capitals';
  return 'plain';
}
