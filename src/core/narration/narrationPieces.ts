// The narration kept: the pieces of a script (runs of lines and table rows, read) that the chosen mode speaks
// become narration blocks, with their speakers and pauses; the others become silences with their reasons, a stretch
// of unspoken parts as one region. Also what `auto` counts in the pieces, and a table's pieces.
import { readRun, type LineRules, type RunReading } from './scriptLines';
import type { ScriptUnit } from './scriptUnit';
import type { SilenceLog } from './silences';
import { isNarratorName, speakerKey } from './speakers';
import { narrationColumn, type ChosenSpeakMode, type ModeEvidence } from './speakMode';
import type { BlockPause, NarrationBlock, Pause } from './types';

/** What may stand between two blocks of one silent stretch: blank lines, list, quote and table markers. */
const BETWEEN_BLOCKS = /^[\s>*+\-|]*(?:\d{1,9}[.)][\s>*+\-|]*)?$/;
/** One candidate block: a run (or table row) read, with what the mode needs to know about it. */
export interface Piece {
  unit: ScriptUnit;
  reading: RunReading;
  /** Source range of the piece. */
  sourceStart: number;
  sourceEnd: number;
  /** Silent whatever the mode: a production note, metadata, an unspoken heading or table. */
  silent?: { reason: 'production label' | 'metadata' | 'table'; detail?: string };
  speaker?: string;
  /** Under a heading (or `[BRACKET]` line) naming the narration. */
  inNarrationSection: boolean;
  /** A row's cell of a table's narration column. */
  narrationCell?: boolean;
  /** A whole table that has a narration column: the column's header. */
  narrationColumn?: string;
}

/** One spelling per speaker: the first the script uses. */
export class SpeakerNames {
  private readonly first = new Map<string, string>();
  constructor(pieces: readonly Piece[]) {
    for (const piece of pieces)
      if (piece.speaker && !this.first.has(speakerKey(piece.speaker)))
        this.first.set(speakerKey(piece.speaker), piece.speaker);
  }
  of(name: string): string {
    return this.first.get(speakerKey(name)) ?? name;
  }
  get all(): string[] {
    return [...this.first.values()];
  }
}

/** Paragraph-level evidence for `auto`: quoted paragraphs, paragraphs with a speaker, the narrator's parts. */
export function paragraphEvidence(
  pieces: readonly Piece[],
  names: SpeakerNames,
): Omit<ModeEvidence, 'narrationColumns' | 'narrationHeadings'> {
  const paragraphs = { total: 0, quoted: 0, withSpeaker: 0 };
  const narratorParts = { name: '', total: 0, quoted: 0 };
  for (const piece of pieces) {
    const kind = piece.unit.kind;
    if (piece.silent || piece.narrationCell || piece.reading.text.length === 0) continue;
    if (kind !== 'paragraph' && kind !== 'blockquote') continue;
    paragraphs.total++;
    if (piece.unit.quoted) paragraphs.quoted++;
    if (piece.speaker) paragraphs.withSpeaker++;
    if (piece.speaker && isNarratorName(piece.speaker)) {
      narratorParts.name ||= names.of(piece.speaker);
      narratorParts.total++;
      if (piece.unit.quoted) narratorParts.quoted++;
    }
  }
  return { paragraphs, narratorParts, speakers: names.all };
}

/** Blocks for the pieces the mode speaks; silences for the others; pauses kept only where speech is kept. */
export function keepNarration(
  pieces: readonly Piece[],
  mode: ChosenSpeakMode,
  silences: SilenceLog,
  names: SpeakerNames,
  source: string,
): { blocks: NarrationBlock[]; endPauses: Pause[]; spokenOffsets(offset: number): boolean } {
  const blocks: NarrationBlock[] = [];
  let pending: Pause[] = [];
  let outside: { start: number; end: number } | undefined;
  const flushOutside = () => {
    if (outside) silences.add(outside.start, outside.end, 'outside the narration', mode);
    outside = undefined;
  };
  const kept = (piece: Piece): boolean => {
    switch (mode) {
      case 'all':
        return !piece.narrationCell && (!piece.unit.heading || piece.unit.heading.spoken);
      case 'blockquotes':
        return piece.unit.quoted && !piece.unit.heading;
      case 'sections':
        return piece.inNarrationSection;
      case 'table-column':
        return piece.narrationCell === true;
      case 'speakers':
        return piece.speaker !== undefined;
    }
  };
  for (const piece of pieces) {
    if (piece.narrationCell && mode !== 'table-column') continue;
    if (mode === 'table-column' && piece.narrationColumn !== undefined) {
      // The table's other columns: one region, though its narration cells (inside it) are spoken.
      flushOutside();
      silences.add(piece.sourceStart, piece.sourceEnd, 'outside the narration', mode);
      continue;
    }
    for (const silence of piece.reading.silences)
      silences.add(silence.start, silence.end, silence.reason, silence.detail);
    if (piece.silent) {
      flushOutside();
      silences.add(piece.sourceStart, piece.sourceEnd, piece.silent.reason, piece.silent.detail);
      continue;
    }
    const { text, pauses } = piece.reading;
    if (!kept(piece)) {
      if (text.length > 0 && !(piece.unit.heading && !piece.unit.heading.spoken)) {
        // One region for a stretch of unspoken parts, but never across another silence between them.
        if (outside && !BETWEEN_BLOCKS.test(source.slice(outside.end, piece.sourceStart))) flushOutside();
        outside = { start: outside?.start ?? piece.sourceStart, end: piece.sourceEnd };
      }
      continue;
    }
    flushOutside();
    if (text.length === 0) {
      pending.push(...pauses.map(({ ms, sourceStart, sourceEnd }) => ({ ms, sourceStart, sourceEnd })));
      continue;
    }
    const blockPauses: BlockPause[] = [...pending.map((pause) => ({ ...pause, at: 0 })), ...pauses];
    pending = [];
    blocks.push(blockOf(piece, blockPauses, names));
  }
  flushOutside();
  const spoken = blocks.map((block) => [block.sourceStart, block.sourceEnd] as const);
  return {
    blocks,
    endPauses: pending,
    spokenOffsets: (offset) => spoken.some(([start, end]) => offset >= start && offset < end),
  };
}

function blockOf(piece: Piece, pauses: BlockPause[], names: SpeakerNames): NarrationBlock {
  const { unit } = piece;
  const { text } = piece.reading;
  const sourceStart = Math.min(piece.sourceStart, text.offsets[0]);
  const block: NarrationBlock = {
    kind: piece.narrationCell ? 'paragraph' : unit.kind,
    text: text.text,
    sourceStart,
    sourceEnd: Math.max(sourceStart, piece.sourceEnd, text.offsets[text.length - 1] + 1),
    sectionIndex: unit.sectionIndex,
    sourceOffsets: new Int32Array(text.offsets),
  };
  if (unit.sectionTitle !== undefined) block.sectionTitle = unit.sectionTitle;
  if (unit.kind === 'heading') block.pauseAfterHeading = true;
  if (piece.speaker) block.speaker = names.of(piece.speaker);
  if (pauses.length > 0) block.pauses = pauses;
  return block;
}

/** A table: its narration column's rows (for `table-column`), and the whole table, spoken or silent, for the rest. */
export function tablePieces(unit: ScriptUnit, rules: LineRules, columns: ModeEvidence['narrationColumns']): Piece[] {
  const table = unit.table;
  if (!table) return [];
  const pieces: Piece[] = [];
  const [header, ...rows] = table.rows;
  const column = header ? narrationColumn(header.map((cell) => cell.text)) : -1;
  if (column >= 0) {
    let filled = 0;
    for (const row of rows) {
      const cell = row[column];
      if (!cell || cell.length === 0) continue;
      const cellUnit: ScriptUnit = { ...unit, kind: 'paragraph', spoken: cell, table: undefined };
      const reading = readRun(cellUnit, { start: 0, end: cell.length }, rules, true);
      if (reading.text.length > 0) filled++;
      const sourceStart = cell.offsets[0];
      const sourceEnd = cell.offsets[cell.length - 1] + 1;
      pieces.push({ unit: cellUnit, reading, sourceStart, sourceEnd, inNarrationSection: false, narrationCell: true });
    }
    if (filled > 0) columns.push({ header: header[column].text, rows: filled });
  }
  const narrationHeader = column >= 0 ? header[column].text : undefined;
  const whole = readRun(unit, { start: 0, end: unit.spoken.length }, rules);
  const piece: Piece = {
    unit,
    reading: whole,
    sourceStart: unit.sourceStart,
    sourceEnd: unit.sourceEnd,
    inNarrationSection: false,
  };
  if (!table.speakRows) piece.silent = { reason: 'table' };
  if (narrationHeader !== undefined) piece.narrationColumn = narrationHeader;
  pieces.push(piece);
  return pieces;
}
