// A unit's lines as a script means them. A line may open with a label (a speaker's name, a production note); hold cues
// that are never spoken (stageDirections.ts) and pause marks that become silence (pauseCues.ts); or be nothing but a
// direction: a parenthetical alone on its line (`(No voiceover)`, `(whispered)`) or a line all in italics
// (`*She turns to the camera.*`), unless it opens with a quotation mark, which makes it speech. What is left is
// spoken, cut at each pause, with pronunciations applied.
import { labelAtLineStart, type LineLabel } from './lineLabels';
import { DEFAULT_PAUSE_LENGTHS, pauseMarkMs, type PauseLengths } from './pauseCues';
import { isNarrationHeading } from './speakMode';
import type { ProductionLabels } from './productionLabels';
import type { Pronouncer, PronunciationUse } from './pronunciations';
import type { ScriptUnit } from './scriptUnit';
import { withSentenceBreak } from './sentenceBreak';
import { LineCursor, type LineIndex } from './sourceLines';
import { SpokenText } from './spokenText';
import { inlineCues, type CueKind, type InlineCue } from './stageDirections';
import type { BlockPause, SilenceReason } from './types';

/** A stretch of a unit from a line that opens with a label (or from the unit's start) to the next such line. */
export interface UnitRun {
  /** Code units [start, end) of the unit's spoken text. */
  start: number;
  end: number;
  label?: LineLabel;
  /** The run opens with a line that is only a bracketed heading (`[NARRATION]`, `[VISUAL]`): its words. */
  bracketHeading?: string;
}

/** A silent part found in a run, by source offsets. */
export interface RunSilence {
  start: number;
  end: number;
  reason: SilenceReason;
  detail?: string;
}

/** A run read: what is spoken, where it pauses, what is silent in it. */
export interface RunReading {
  /** The words to speak: labels, cues and directions gone, cut and rejoined at pauses, pronunciations applied. */
  text: SpokenText;
  /** Pauses, each before the character at `at` of the text (0 … text.length). */
  pauses: BlockPause[];
  silences: RunSilence[];
  /** The label is all there is on its line (`**Jerod Santo:**` above what he says). */
  labelAlone: boolean;
}

/** What reading a run needs besides the run. */
export interface LineRules {
  source: string;
  lines: LineIndex;
  pauseLengths: PauseLengths;
  productionLabels: ProductionLabels;
  /** Whether a source offset is inside italics. */
  italicAt(offset: number): boolean;
  pronouncer: Pronouncer;
  /** Receives each replacement the pronouncer makes. */
  pronounced: PronunciationUse[];
}

const LABELLED_KINDS = new Set(['paragraph', 'listItem', 'blockquote']);
const SENTENCE_KINDS = new Set(['heading', 'listItem']);
const REASON_OF: Record<Exclude<CueKind, 'pause'>, SilenceReason> = {
  timecode: 'timecode',
  'stage direction': 'stage direction',
  'delivery cue': 'delivery cue',
};
const ONLY_PARENTHETICAL = /^[(（][^()（）]*[)）]$/;
const OPENS_WITH_QUOTE = /^["“„«「『'‘]/;
/** A line that is only `[WORDS]` or `【WORDS】`, bold or not: a heading of an A/V or radio script. */
const BRACKET_LINE = /^[*_]*(?:\[([^[\]]{1,40})\]|【([^【】]{1,40})】)[*_]*$/;
const DOUBLE_QUOTES = /["“”„«»「」『』]/;
const PARENTHETICAL = /[(（][^()（）]*[)）]/g;

/**
 * Splits a unit at the lines that open with a label or are a bracketed heading; a unit without one (or a heading, a
 * table) is one run.
 */
export function runsOf(unit: ScriptUnit, source: string, lines: LineIndex): UnitRun[] {
  const { text, offsets } = unit.spoken;
  if (!LABELLED_KINDS.has(unit.kind)) return [{ start: 0, end: text.length }];
  const runs: UnitRun[] = [];
  let current: UnitRun = { start: 0, end: text.length };
  const cursor = new LineCursor(lines);
  let line = -1;
  for (let i = 0; i < text.length; i++) {
    const at = cursor.lineOf(offsets[i]);
    if (at === line || isSpaceAt(text, i)) continue;
    line = at;
    const lineEnd = at + 1 < lines.lineCount ? lines.lineStart(at + 1) : source.length;
    const bracket = bracketHeadingOf(source.slice(offsets[i], lineEnd));
    const label = bracket ? undefined : labelAtLineStart(source, offsets[i], lineEnd);
    if (!label && !bracket) continue;
    if (i > current.start) runs.push({ ...current, end: i });
    current = label ? { start: i, end: text.length, label } : { start: i, end: text.length };
    if (bracket) current.bracketHeading = bracket;
  }
  runs.push(current);
  return runs;
}

/**
 * The words of a line that is only a bracketed heading: in capitals (`[VISUAL]`, `**[SFX]**`, `【旁白】`) or naming
 * the narration (`[Narration]`); never a pause mark or a timecode on a line of its own.
 */
function bracketHeadingOf(line: string): string | undefined {
  const bracket = BRACKET_LINE.exec(line.trim());
  if (!bracket) return undefined;
  const words = (bracket[1] ?? bracket[2]).trim();
  if (pauseMarkMs(words, DEFAULT_PAUSE_LENGTHS) !== undefined || /^[\d:.,\s\-–—~]+$/.test(words)) return undefined;
  const capitals = /\p{L}/u.test(words) && !/\p{Ll}/u.test(words);
  return capitals || isNarrationHeading(words) ? words : undefined;
}

/** Whether nothing is spoken after a run's label on the label's own line (`**Jerod Santo:**` above his lines). */
export function labelStandsAlone(unit: ScriptUnit, run: UnitRun, lines: LineIndex): boolean {
  const { label } = run;
  if (!label) return false;
  const line = lines.lineAt(label.start);
  const { text, offsets } = unit.spoken;
  for (let i = run.start; i < run.end; i++) {
    if (offsets[i] < label.end || isSpaceAt(text, i)) continue;
    if (lines.lineAt(offsets[i]) === line) return false;
    break;
  }
  return true;
}

/** Reads one run of a unit (see the file's comment). `cell`: a table cell, whose parentheticals and quotes go. */
export function readRun(unit: ScriptUnit, run: UnitRun, rules: LineRules, cell = false): RunReading {
  const { label } = run;
  let text = unit.spoken.slice(run.start, run.end);
  if (label) text = text.withoutSource(label.start, label.end);
  // The walk ended headings and items with a full stop; it is added again once cues are out ("item [laughs]." → "item.").
  if (SENTENCE_KINDS.has(unit.kind) && run.end === unit.spoken.length) text = withoutAddedStop(text, rules.source);
  const labelAlone = labelStandsAlone(unit, run, rules.lines);
  const removed = new Uint8Array(text.length);
  const silences: RunSilence[] = [];
  const pausesAt = new Map<number, InlineCue>();
  const cues = inlineCues(text.text, {
    pauseLengths: rules.pauseLengths,
    productionLabels: rules.productionLabels,
    italic: (i) => rules.italicAt(text.offsets[i]),
    atLineStart: (i) => startsLine(text, i, rules.lines),
  });
  if (cell) cues.push(...cellParentheticals(text.text, cues));
  // A bracketed heading is never spoken, whatever its words (`[Narration]` as much as `[VISUAL]`).
  if (run.bracketHeading !== undefined) {
    const open = text.text.search(/[[【]/);
    const close = open >= 0 ? text.text.indexOf(text.text[open] === '[' ? ']' : '】', open) : -1;
    if (close > open) {
      for (let k = cues.length - 1; k >= 0; k--) if (cues[k].start <= close && cues[k].end > open) cues.splice(k, 1);
      cues.push({ start: open, end: close + 1, kind: 'stage direction' });
    }
  }
  for (const cue of cues) {
    removed.fill(1, cue.start, cue.end);
    if (cue.kind === 'pause') pausesAt.set(cue.start, cue);
    else silences.push(silenceOf(text, cue.start, cue.end, REASON_OF[cue.kind], text.text.slice(cue.start, cue.end)));
  }
  if (cell) markQuotes(text, removed);
  else if (unit.kind !== 'heading' && unit.kind !== 'table') markDirectionLines(text, removed, silences, rules);
  return { ...joinSegments(text, removed, pausesAt, unit, rules), silences, labelAlone };
}

/** The text without a last character that is not in the source (the full stop withSentenceBreak added). */
function withoutAddedStop(text: SpokenText, source: string): SpokenText {
  const last = text.length - 1;
  const added =
    last > 0 && text.offsets[last] === text.offsets[last - 1] && source[text.offsets[last]] !== text.text[last];
  return added ? text.slice(0, last) : text;
}

/**
 * Whether a line's content begins at `index` (after any label): its character is not a space and the one before it
 * that is not (if any) is on another source line. A short lower-case parenthetical there is a cue. Asked only of
 * parentheticals, so it looks back from the one asked about rather than marking every line of the text.
 */
function startsLine(text: SpokenText, index: number, lines: LineIndex): boolean {
  if (index >= text.length || isSpaceAt(text.text, index)) return false;
  let before = index - 1;
  while (before >= 0 && isSpaceAt(text.text, before)) before--;
  return before < 0 || lines.lineAt(text.offsets[before]) !== lines.lineAt(text.offsets[index]);
}

const SPACE = /\s/;

/** Whether the character at `index` is white space, as /\s/ says (without a regular expression for ASCII). */
function isSpaceAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return SPACE.test(text[index]);
}

/** In a narration cell every parenthetical is a direction (`(warm)`, `(over music)`). */
function cellParentheticals(text: string, found: readonly InlineCue[]): InlineCue[] {
  const extra: InlineCue[] = [];
  for (const match of text.matchAll(PARENTHETICAL)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!found.some((cue) => cue.start < end && cue.end > start)) extra.push({ start, end, kind: 'stage direction' });
  }
  return extra;
}

/** A quoted line in a cell is spoken without its quotation marks. */
function markQuotes(text: SpokenText, removed: Uint8Array): void {
  for (let i = 0; i < text.length; i++) if (DOUBLE_QUOTES.test(text.text[i])) removed[i] = 1;
}

/** Lines that are only a parenthetical, or only italics (and not a quotation), are directions. */
function markDirectionLines(text: SpokenText, removed: Uint8Array, silences: RunSilence[], rules: LineRules): void {
  // Per line, in the order lines first appear: the first and last kept character, how many, and whether all italic.
  const byLine = new Map<number, { first: number; last: number; count: number; allItalic: boolean }>();
  const cursor = new LineCursor(rules.lines);
  let lastLine = -1;
  let stats: { first: number; last: number; count: number; allItalic: boolean } | undefined;
  for (let i = 0; i < text.length; i++) {
    if (removed[i] || isSpaceAt(text.text, i)) continue;
    const offset = text.offsets[i];
    const line = cursor.lineOf(offset);
    if (line !== lastLine || !stats) {
      stats = byLine.get(line);
      if (!stats) byLine.set(line, (stats = { first: i, last: i, count: 0, allItalic: true }));
      lastLine = line;
    }
    stats.last = i;
    stats.count++;
    if (stats.allItalic && !rules.italicAt(offset)) stats.allItalic = false;
  }
  for (const { first, last, count, allItalic } of byLine.values()) {
    const kept = text.text.slice(first, last + 1);
    const parenthetical = ONLY_PARENTHETICAL.test(kept) && count === countNonSpace(kept);
    const italic = !OPENS_WITH_QUOTE.test(kept) && allItalic;
    if (!parenthetical && !italic) continue;
    for (let i = first; i <= last; i++) removed[i] = 1;
    silences.push(silenceOf(text, first, last + 1, 'stage direction', kept));
  }
}

function countNonSpace(text: string): number {
  return text.replace(/\s+/g, '').length;
}

function silenceOf(text: SpokenText, start: number, end: number, reason: SilenceReason, detail: string): RunSilence {
  return { start: text.offsets[start], end: text.offsets[end - 1] + 1, reason, detail: detail.trim() };
}

/**
 * The kept characters, cut at each pause into segments that are collapsed, pronounced and joined with a space; the
 * last segment of a heading or list item ends a sentence. Pauses are placed at the end of the segment before them.
 */
function joinSegments(
  text: SpokenText,
  removed: Uint8Array,
  pausesAt: ReadonlyMap<number, InlineCue>,
  unit: ScriptUnit,
  rules: LineRules,
): Pick<RunReading, 'text' | 'pauses'> {
  const segments: { spoken: SpokenText; pausesBefore: InlineCue[] }[] = [];
  let pending: InlineCue[] = [];
  let start = 0;
  const close = (end: number) => {
    // Most segments have nothing removed (no cue in them): no filter then.
    const firstRemoved = removed.indexOf(1, start);
    const whole = text.slice(start, end);
    const spoken =
      firstRemoved < 0 || firstRemoved >= end ? whole : whole.filter((index) => removed[start + index] === 0);
    segments.push({
      spoken: rules.pronouncer.apply(spoken.collapseWhitespace(), rules.pronounced),
      pausesBefore: pending,
    });
    pending = [];
  };
  // The pauses in order of where they start; one that starts inside the pause before it was passed over.
  const starts = [...pausesAt.keys()].sort((a, b) => a - b);
  for (const at of starts) {
    if (at < start || at >= text.length) continue;
    const pause = pausesAt.get(at)!;
    close(at);
    pending.push(pause);
    start = pause.end;
  }
  close(text.length);
  const nonEmpty = segments.filter((segment) => segment.spoken.length > 0);
  const lastSpoken = nonEmpty[nonEmpty.length - 1];
  const sentence = SENTENCE_KINDS.has(unit.kind);
  const pieces: SpokenText[] = [];
  const pauses: BlockPause[] = [];
  let length = 0;
  for (const segment of segments) {
    for (const cue of segment.pausesBefore) {
      pauses.push({
        at: length,
        ms: cue.pauseMs ?? 0,
        sourceStart: text.offsets[cue.start],
        sourceEnd: text.offsets[cue.end - 1] + 1,
      });
    }
    if (segment.spoken.length === 0) continue;
    const spoken = sentence && segment === lastSpoken ? withSentenceBreak(segment.spoken) : segment.spoken;
    pieces.push(spoken);
    length += (pieces.length > 1 ? 1 : 0) + spoken.length;
  }
  return { text: SpokenText.join(pieces, ' '), pauses };
}
