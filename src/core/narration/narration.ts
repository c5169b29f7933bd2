// Markdown (or plain text) → the words a voice should read, block by block, mapped back to the source.
// Parsing is CommonMark + GFM + front matter + math + Obsidian's additions (markdownSyntax.ts); the syntax walk
// (markdownToBlocks.ts) gives script units; the script's reading (scriptReading.ts) decides what of them is spoken,
// by whom, and where the pauses fall.
import { unitsFromTree } from './markdownToBlocks';
import { parseMarkdown } from './markdownSyntax';
import { plainTextUnits } from './plainText';
import { readFrontMatter } from './frontMatter';
import { readScript } from './scriptReading';
import type { ScriptParts } from './scriptUnit';
import { SilenceLog } from './silences';
import { LineIndex } from './sourceLines';
import {
  BLOCK_SEPARATOR,
  DEFAULT_NARRATION_OPTIONS,
  type Narration,
  type NarrationBlock,
  type NarrationOptions,
} from './types';

export { BLOCK_SEPARATOR, DEFAULT_NARRATION_OPTIONS };
export type {
  BlockKind,
  BlockPause,
  Narration,
  NarrationBlock,
  NarrationOptions,
  Pause,
  ScriptReading,
  Silence,
  SilenceReason,
} from './types';

/** Converts a markdown script to narration: what is spoken, block by block, with a map back to the source. */
export function markdownToNarration(markdown: string, options?: Partial<NarrationOptions>): Narration {
  const settled = { ...DEFAULT_NARRATION_OPTIONS, ...definedOnly(options) };
  const silences = new SilenceLog();
  // One line index for the walk and the reading.
  const lines = new LineIndex(markdown);
  const parts = unitsFromTree(parseMarkdown(markdown), markdown, settled, silences, lines);
  return narrationFrom(parts, markdown, settled, silences, lines);
}

/**
 * Converts plain text to narration: paragraphs at blank lines, whitespace collapsed, one section; speaker labels,
 * cues and pause marks are read as in markdown.
 */
export function plainTextToNarration(text: string, options?: string | Partial<NarrationOptions>): Narration {
  const settled = {
    ...DEFAULT_NARRATION_OPTIONS,
    ...definedOnly(typeof options === 'string' ? { language: options } : options),
  };
  const silences = new SilenceLog();
  return narrationFrom({ units: plainTextUnits(text), italics: [] }, text, settled, silences);
}

function narrationFrom(
  parts: ScriptParts,
  source: string,
  options: NarrationOptions,
  silences: SilenceLog,
  lines = new LineIndex(source),
): Narration {
  const read = readScript(parts, source, lines, options, silences);
  const narration = narrationOf(read.blocks, options.language);
  const silent = silences.list();
  if (silent.length > 0) narration.silences = silent;
  if (read.endPauses.length > 0) narration.endPauses = read.endPauses;
  if (read.reading) narration.reading = read.reading;
  return narration;
}

/**
 * What a part of a document (a selection starting at `offset`) needs from the whole: the front matter's directives
 * (voices, speakers, pronunciations, speak) and the speaker whose turn the part begins in.
 */
export function narrationContext(
  source: string,
  offset: number,
  markdown: boolean,
  options?: Partial<NarrationOptions>,
): NonNullable<NarrationOptions['context']> {
  const context: NonNullable<NarrationOptions['context']> = {};
  if (markdown) {
    const first = parseMarkdown(source).children[0];
    if (first?.type === 'yaml') context.directives = readFrontMatter(first.value).directives;
  }
  const whole = markdown
    ? markdownToNarration(source, { ...options, speak: 'all' })
    : plainTextToNarration(source, { ...options, speak: 'all' });
  const before = whole.blocks.filter((block) => block.sourceStart <= offset);
  const speaker = before[before.length - 1]?.speaker;
  if (speaker) context.speaker = speaker;
  return context;
}

/** Joins blocks into the narration text exactly as the chunker and the preview see it. */
export function narrationOf(blocks: NarrationBlock[], language?: string): Narration {
  const narration: Narration = { blocks, text: blocks.map((block) => block.text).join(BLOCK_SEPARATOR) };
  if (language) narration.language = language;
  return narration;
}

const SWITCHES = ['skipCodeBlocks', 'speakHeadings', 'speakImageAlt', 'speakTables'] as const;
const PASSED_AS_GIVEN = [
  'speak',
  'voices',
  'pronunciations',
  'productionLabels',
  'pauseLengths',
  'overrides',
  'context',
] as const;

/** Options given as `undefined` (an unset setting) keep their defaults. */
function definedOnly(options: Partial<NarrationOptions> | undefined): Partial<NarrationOptions> {
  const defined: Partial<NarrationOptions> = {};
  if (!options) return defined;
  for (const key of SWITCHES) {
    const value = options[key];
    if (typeof value === 'boolean') defined[key] = value;
  }
  const language = options.language?.trim();
  if (language) defined.language = language;
  for (const key of PASSED_AS_GIVEN) {
    if (options[key] !== undefined) (defined as Record<string, unknown>)[key] = options[key];
  }
  return defined;
}
