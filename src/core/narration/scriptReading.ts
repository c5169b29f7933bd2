// The script's reading: from the syntax walk's units to narration blocks, deciding for every part of the source
// spoken, silent (and why), pause (how long) or spoken by whom. In order:
//   1. directives: the settings, then the front matter, then the command line (speak, voices, pronunciations);
//   2. labels: each line that opens with `Label:`; which name speakers (speakers.ts), which are production notes
//      (productionLabels.ts), and a leading block of `**Label:** value` lines, which is metadata;
//   3. each run of lines read (scriptLines.ts): labels and cues out, pauses timed, directions silent;
//   4. turns: a speaker's label gives the lines after it to that speaker until the next label, a heading, a scene
//      break (`---`), a production note, or the end of the list item or quote it was in;
//   5. the mode (speakMode.ts): what of it is the narration, chosen from the evidence when `auto`;
//   6. blocks for what is spoken, silences (with reasons) for the rest, and the speakers with their voices.
import { castNames, castSpeaker, readVoiceCasting, type Castings, type CastSource } from './casting';
import { readFrontMatter, type ScriptDirectives } from './frontMatter';
import { DEFAULT_PAUSE_LENGTHS } from './pauseCues';
import { ProductionLabels } from './productionLabels';
import { Pronouncer, type PronunciationUse } from './pronunciations';
import { keepNarration, paragraphEvidence, SpeakerNames, tablePieces, type Piece } from './narrationPieces';
import { labelStandsAlone, readRun, runsOf, type LineRules, type RunReading, type UnitRun } from './scriptLines';
import type { ScriptParts, ScriptUnit } from './scriptUnit';
import type { LineLabel } from './lineLabels';
import type { SilenceLog } from './silences';
import type { LineIndex } from './sourceLines';
import { SpeakerEvidence, speakerKey, type LabelUse } from './speakers';
import {
  chooseSpeakMode,
  explainMode,
  isNarrationHeading,
  type ModeEvidence,
  type ModeReason,
  type SpeakMode,
} from './speakMode';
import type { NarrationBlock, NarrationOptions, Pause, ScriptReading } from './types';

const UNSPACED_START = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** What the reading gives back to the narration. */
export interface ReadScript {
  blocks: NarrationBlock[];
  endPauses: Pause[];
  reading?: ScriptReading;
}

/** Reads a script's units into narration blocks; silent parts go to `silences` (see the file's comment). */
export function readScript(
  parts: ScriptParts,
  source: string,
  lines: LineIndex,
  options: NarrationOptions,
  silences: SilenceLog,
): ReadScript {
  if (parts.units.length === 0) return { blocks: [], endPauses: [] };
  const problems: string[] = [];
  const frontMatter = parts.frontMatter !== undefined ? readFrontMatter(parts.frontMatter) : undefined;
  if (frontMatter) problems.push(...frontMatter.problems);
  const fromScript: ScriptDirectives = { ...options.context?.directives, ...frontMatter?.directives };
  const overrides = options.overrides ?? {};
  const castings: Castings = {
    'command line': overrides.voices,
    'front matter': fromScript.voices,
    settings: readVoiceCasting(options.voices, 'settings').casting,
  };
  const declared = new Map<string, string>();
  for (const [label, name] of Object.entries({ ...fromScript.speakers, ...overrides.speakers }))
    declared.set(speakerKey(label), name);
  const known = new Set([...castNames(castings), ...declared.keys(), ...[...declared.values()].map(speakerKey)]);
  const production = new ProductionLabels(options.productionLabels);
  const italic = italicMask(parts, source.length);
  const pronounced: PronunciationUse[] = [];
  const rules: LineRules = {
    source,
    lines,
    pauseLengths: options.pauseLengths ?? DEFAULT_PAUSE_LENGTHS,
    productionLabels: production,
    italicAt: (offset) => italic[offset] === 1,
    pronouncer: new Pronouncer({
      ...options.pronunciations,
      ...fromScript.pronunciations,
      ...overrides.pronunciations,
    }),
    pronounced,
  };

  // Labels first: whether one names a speaker depends on every use of it in the script.
  const unitRuns = parts.units.map((unit) => runsOf(unit, source, lines));
  // Each label is judged once, here, though the reading asks about it at every step (metadata, prose, turns).
  const productionLabels = new Set<LineLabel>();
  const uses: LabelUse[] = [];
  unitRuns.forEach((runs, u) => {
    const unit = parts.units[u];
    for (const run of runs) {
      const label = run.label;
      if (!label) continue;
      // A plain label is a production note only in capitals (`SFX:`) or in an unspaced script (`字幕：`): "Note that…:" is prose.
      const isProductionLabel =
        (label.form !== 'plain' || UNSPACED_START.test(label.name)) && production.match(label.text) !== undefined;
      if (isProductionLabel) productionLabels.add(label);
      uses.push({
        label,
        inList: unit.inList,
        production: isProductionLabel,
        alone: labelStandsAlone(unit, run, lines),
      });
    }
  });
  const speakerEvidence = new SpeakerEvidence(uses, { has: (key) => known.has(key) });
  const speakerLabels = new Set<LineLabel>();
  for (const use of uses) if (!use.production && speakerEvidence.isSpeaker(use.label)) speakerLabels.add(use.label);
  const isProduction = (run: UnitRun) => run.label !== undefined && productionLabels.has(run.label);
  const isSpeaker = (run: UnitRun) => run.label !== undefined && speakerLabels.has(run.label);
  const metadata = leadingMetadata(parts.units, unitRuns, isSpeaker);
  // A label that names no speaker and no production note is prose: its line stays with the lines around it.
  unitRuns.forEach((runs, u) => {
    if (!metadata.has(parts.units[u]))
      unitRuns[u] = mergeProseLabels(runs, (run) => isProduction(run) || isSpeaker(run));
  });

  // Every run read once, in order, following speakers' turns and the narration's sections.
  const pieces: Piece[] = [];
  let turn: { speaker: string; containers: readonly number[] } | undefined = options.context?.speaker
    ? { speaker: options.context.speaker, containers: [] }
    : undefined;
  let narrationDepth: number | undefined;
  let bracketSection: boolean | undefined;
  const narrationHeadings: string[] = [];
  const narrationColumns: ModeEvidence['narrationColumns'] = [];
  parts.units.forEach((unit, u) => {
    if (unit.afterBreak || unit.heading) turn = undefined;
    if (turn && !startsWith(unit.containers, turn.containers)) turn = undefined;
    if (unit.heading) {
      if (narrationDepth !== undefined && unit.heading.depth <= narrationDepth) narrationDepth = undefined;
      const title = unit.spoken.text.replace(/[.。]$/, '').replace(/^\[(.*)\]$/, '$1');
      if (isNarrationHeading(title)) {
        narrationDepth = unit.heading.depth;
        narrationHeadings.push(title);
      }
      bracketSection = undefined;
    }
    if (unit.table) {
      pieces.push(...tablePieces(unit, rules, narrationColumns));
      return;
    }
    for (const run of unitRuns[u]) {
      const reading = unit.kind === 'code' ? literal(unit) : readRun(unit, run, rules);
      const piece: Piece = { unit, reading, ...rangeOf(unit, run, unitRuns[u].length), inNarrationSection: false };
      if (run.bracketHeading !== undefined) {
        bracketSection = isNarrationHeading(run.bracketHeading);
        if (bracketSection) narrationHeadings.push(`[${run.bracketHeading}]`);
      }
      if (metadata.has(unit) || isProduction(run)) {
        piece.silent = isProduction(run)
          ? { reason: 'production label', detail: run.label?.text }
          : { reason: 'metadata', detail: run.label?.text };
        turn = undefined;
      } else if (isSpeaker(run) && run.label) {
        turn = { speaker: run.label.name, containers: unit.containers };
      }
      if (!piece.silent && !unit.heading) piece.speaker = turn?.speaker;
      piece.inNarrationSection = (narrationDepth !== undefined && !unit.heading) || bracketSection === true;
      pieces.push(piece);
    }
  });

  const names = new SpeakerNames(pieces);
  const evidence = paragraphEvidence(pieces, names);
  const chosen = chooseMode(options, overrides, fromScript, { narrationColumns, narrationHeadings, ...evidence });
  // Block quotes chosen because the narrator's parts are quoted: the unlabelled quotes are the narrator's too.
  if (chosen.mode === 'blockquotes' && evidence.narratorParts.total > 0) {
    for (const piece of pieces) if (piece.unit.quoted && !piece.silent) piece.speaker ??= evidence.narratorParts.name;
  }
  const read = keepNarration(pieces, chosen.mode, silences, names, source);
  const speakers = [...new Set(read.blocks.map((block) => block.speaker).filter((s): s is string => !!s))].map((name) =>
    castSpeaker(name, declared.get(speakerKey(name)), castings),
  );
  return {
    blocks: read.blocks,
    endPauses: read.endPauses,
    reading: {
      ...chosen,
      speakers,
      pronunciations: pronounced.filter((use) => read.spokenOffsets(use.sourceStart)),
      problems,
    },
  };
}

function chooseMode(
  options: NarrationOptions,
  overrides: ScriptDirectives,
  fromScript: ScriptDirectives,
  evidence: ModeEvidence,
): Pick<ScriptReading, 'mode' | 'why' | 'reason' | 'setBy'> {
  const set: [CastSource, SpeakMode | undefined][] = [
    ['command line', overrides.speak],
    ['front matter', fromScript.speak],
    ['settings', options.speak],
  ];
  const explicit = set.find(([, mode]) => mode !== undefined);
  if (explicit && explicit[1] !== 'auto' && explicit[1] !== undefined) {
    const reason: ModeReason = { kind: 'set', by: explicit[0] };
    return { mode: explicit[1], reason, why: explainMode(reason), setBy: explicit[0] };
  }
  const { mode, reason } = chooseSpeakMode(evidence);
  return { mode, reason, why: explainMode(reason), setBy: 'auto' };
}

/** A run's source range: the whole unit's when the run is all of it, else from its label to its last character. */
function rangeOf(unit: ScriptUnit, run: UnitRun, runCount: number): { sourceStart: number; sourceEnd: number } {
  if (runCount === 1) return { sourceStart: unit.sourceStart, sourceEnd: unit.sourceEnd };
  const offsets = unit.spoken.offsets;
  const start = Math.min(run.label?.start ?? offsets[run.start], offsets[run.start]);
  const end = Math.max(run.label?.end ?? 0, offsets[Math.max(run.start, run.end - 1)] + 1);
  return { sourceStart: start, sourceEnd: end };
}

/**
 * A leading block of `**Label:** value` lines (after any title heading, before anything else): every line of one or
 * more paragraphs opens with a bold or capitalised label that names no speaker, two lines or more in all.
 */
function leadingMetadata(
  units: readonly ScriptUnit[],
  unitRuns: readonly UnitRun[][],
  isSpeaker: (run: UnitRun) => boolean,
): Set<ScriptUnit> {
  const found = new Set<ScriptUnit>();
  let lines = 0;
  for (const [u, unit] of units.entries()) {
    if (unit.heading && found.size === 0) continue;
    if (unit.kind !== 'paragraph' || unit.quoted || unit.inList) break;
    const runs = unitRuns[u];
    const allLabels = runs.every((run) => run.label && run.label.form !== 'plain' && !isSpeaker(run));
    if (!allLabels) break;
    found.add(unit);
    lines += runs.length;
  }
  return lines >= 2 ? found : new Set();
}

/** Runs whose label does not matter join the run before them, label and all (kept as words). */
function mergeProseLabels(runs: readonly UnitRun[], matters: (run: UnitRun) => boolean): UnitRun[] {
  const merged: UnitRun[] = [];
  for (const run of runs) {
    const previous = merged[merged.length - 1];
    if ((run.label && matters(run)) || run.bracketHeading !== undefined) merged.push(run);
    else if (previous) previous.end = run.end;
    else merged.push({ start: run.start, end: run.end });
  }
  return merged;
}

/** Code spoken as text (`markdown.skipCodeBlocks` off) is literal: no label, cue or pause is read in it. */
function literal(unit: ScriptUnit): RunReading {
  return { text: unit.spoken, pauses: [], silences: [], labelAlone: false };
}

function italicMask(parts: ScriptParts, length: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (const range of parts.italics) mask.fill(1, range.start, Math.min(range.end, length));
  return mask;
}

function startsWith(path: readonly number[], prefix: readonly number[]): boolean {
  return prefix.length <= path.length && prefix.every((id, i) => path[i] === id);
}
