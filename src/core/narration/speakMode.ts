// Which parts of a script are the narration. Writers put it in block quotes between production notes, under
// `### Narration` headings beside `### Visual notes`, in the "Voiceover" column of an A/V table, or after speaker
// labels; everything around it is for the crew. The mode is set by front matter `speak:`, the
// `aistudios.script.speak` setting or the CLI's `--speak`; `auto` (the default) reads the script's own evidence, in
// this order, and says which mode it picked and why:
//   table-column  a table has a narration column (`Voice-over`, `VO`, `Narration`, `Audio`, `내레이션`, `旁白`…)
//   sections      a heading, or a bracket line like `[NARRACIÓN]`, names the narration
//   blockquotes   the narrator's labelled parts are quoted (`**내레이션**:` then `> "…"`), or at least 3 paragraphs
//                 and 80 % of the paragraphs left to speak are quoted
//   speakers      the narration is labelled (`**旁白**: …`), or 80 % of the paragraphs belong to labelled speakers
//   all           none of these: everything but cues and notes
import { NARRATOR_WORDS_PATTERN } from './speakers';

export const SPEAK_MODES = ['auto', 'all', 'blockquotes', 'sections', 'table-column', 'speakers'] as const;

/** How much of a script is spoken (see the file's comment). */
export type SpeakMode = (typeof SPEAK_MODES)[number];
/** A mode once `auto` has chosen. */
export type ChosenSpeakMode = Exclude<SpeakMode, 'auto'>;

export function isSpeakMode(value: unknown): value is SpeakMode {
  return typeof value === 'string' && (SPEAK_MODES as readonly string[]).includes(value);
}

/** Of the paragraphs, at least this share must be quoted (or have a speaker) for `auto` to speak only those. */
const MAJORITY = 0.8;
const MIN_QUOTED_PARAGRAPHS = 3;

const NARRATION_NAME = `(?:${NARRATOR_WORDS_PATTERN})(?:\\s+(?:script|text|track|part))?`;
/** `Narration`, `3. Voice-over (60s)`, `VO script:`, `내레이션` as a whole heading. */
const NARRATION_HEADING = new RegExp(
  `^(?:\\d+(?:\\.\\d+)*[.)]?\\s+)?${NARRATION_NAME}(?:\\s*[(（][^)）]*[)）])?\\s*[:：]?$`,
  'iu',
);
/** `Voiceover`, `VO`, `Narration`, `Audio`, `Audio (VO)` as a column header. */
const NARRATION_COLUMN = new RegExp(`^(?:${NARRATION_NAME}|audio)(?:\\s*[(（/].*)?$`, 'iu');

/** True when a heading (or a `[BRACKET]` line) names the narration: `### Narration`, `[NARRACIÓN]`. */
export function isNarrationHeading(text: string): boolean {
  return NARRATION_HEADING.test(text.normalize('NFKC').trim());
}

/**
 * The narration column of a table's header row, or -1: a column named for the narration (`Voiceover`, `VO`,
 * `Narration`), else one named `Audio`.
 */
export function narrationColumn(headers: readonly string[]): number {
  const names = headers.map((header) => header.normalize('NFKC').trim());
  const narrator = names.findIndex((name) => NARRATION_COLUMN.test(name) && !/^audio\b/i.test(name));
  return narrator >= 0 ? narrator : names.findIndex((name) => NARRATION_COLUMN.test(name));
}

/** What `auto` looks at, gathered while reading the script once in full. */
export interface ModeEvidence {
  /** Tables with a narration column: the column's header and how many rows hold narration. */
  narrationColumns: { header: string; rows: number }[];
  /** Headings and bracket lines that name the narration. */
  narrationHeadings: string[];
  /** Parts spoken after a narrator's label (`VO:`, `**旁白**:`), and how many of them are quoted. */
  narratorParts: { name: string; total: number; quoted: number };
  /** Paragraphs left to speak once cues, notes and labels are silent: all, quoted, with a speaker. */
  paragraphs: { total: number; quoted: number; withSpeaker: number };
  /** Speakers in order of appearance. */
  speakers: string[];
}

/** Why a mode was chosen, as data: the preview says it in the display language, explainMode in English. */
export type ModeReason =
  | { kind: 'set'; by: 'command line' | 'front matter' | 'settings' }
  | { kind: 'column'; headers: string[]; tables: number; rows: number }
  | { kind: 'headings'; count: number; first: string }
  | { kind: 'narrator quoted'; name: string; quoted: number; total: number }
  | { kind: 'quoted'; quoted: number; total: number }
  | { kind: 'narrator labelled'; name: string; total: number }
  | { kind: 'speakers'; withSpeaker: number; total: number; names: string[] }
  | { kind: 'none' };

/** The mode `auto` picks from the evidence, and why. */
export function chooseSpeakMode(evidence: ModeEvidence): { mode: ChosenSpeakMode; reason: ModeReason } {
  const { narrationColumns, narrationHeadings, narratorParts, paragraphs, speakers } = evidence;
  if (narrationColumns.length > 0) {
    const headers = [...new Set(narrationColumns.map((column) => column.header))];
    const rows = narrationColumns.reduce((sum, column) => sum + column.rows, 0);
    return { mode: 'table-column', reason: { kind: 'column', headers, tables: narrationColumns.length, rows } };
  }
  if (narrationHeadings.length > 0)
    return {
      mode: 'sections',
      reason: { kind: 'headings', count: narrationHeadings.length, first: narrationHeadings[0] },
    };
  const { name, quoted, total } = narratorParts;
  if (total > 0 && quoted >= total * MAJORITY)
    return { mode: 'blockquotes', reason: { kind: 'narrator quoted', name, quoted, total } };
  if (total === 0 && paragraphs.quoted >= MIN_QUOTED_PARAGRAPHS && paragraphs.quoted >= paragraphs.total * MAJORITY)
    return { mode: 'blockquotes', reason: { kind: 'quoted', quoted: paragraphs.quoted, total: paragraphs.total } };
  if (total > 0) return { mode: 'speakers', reason: { kind: 'narrator labelled', name, total } };
  if (speakers.length > 0 && paragraphs.total > 0 && paragraphs.withSpeaker >= paragraphs.total * MAJORITY) {
    return {
      mode: 'speakers',
      reason: { kind: 'speakers', withSpeaker: paragraphs.withSpeaker, total: paragraphs.total, names: speakers },
    };
  }
  return { mode: 'all', reason: { kind: 'none' } };
}

/** Why a mode was chosen, in English: "speaking only block quotes: 45 of 47 narrated paragraphs are quoted". */
export function explainMode(reason: ModeReason): string {
  switch (reason.kind) {
    case 'set':
      return `set by ${reason.by === 'command line' ? '--speak' : reason.by === 'front matter' ? 'the front matter’s speak:' : 'the aistudios.script.speak setting'}`;
    case 'column':
      return `speaking only the ${reason.headers.map((h) => `“${h}”`).join(', ')} column of ${count(reason.tables, 'table')} (${count(reason.rows, 'row')})`;
    case 'headings':
      return `speaking only what is under ${count(reason.count, 'heading')} naming the narration (“${reason.first}”)`;
    case 'narrator quoted':
      return `speaking only block quotes: ${reason.quoted} of ${reason.total} narrated parts (“${reason.name}”) are quoted`;
    case 'quoted':
      return `speaking only block quotes: ${reason.quoted} of ${reason.total} narrated paragraphs are quoted`;
    case 'narrator labelled':
      return `speaking only the speakers' lines: the narration is labelled “${reason.name}” (${count(reason.total, 'part')})`;
    case 'speakers':
      return `speaking only the speakers' lines: ${reason.withSpeaker} of ${reason.total} paragraphs have a speaker (${firstNames(reason.names)})`;
    case 'none':
      return 'speaking everything but cues and notes: no narration markers (block quotes, narration headings or columns, speaker labels)';
  }
}

/** The first three names, then an ellipsis. */
export function firstNames(names: readonly string[]): string {
  return names.length > 3 ? `${names.slice(0, 3).join(', ')}, …` : names.join(', ');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
