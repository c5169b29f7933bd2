// Markdown (or plain text) → the words a voice should read, block by block, mapped back to the source.
// Parsing is CommonMark + GFM + front matter + math + Obsidian's additions (markdownSyntax.ts); see narration/ for the pieces.
import { blocksFromTree } from './markdownToBlocks';
import { parseMarkdown } from './markdownSyntax';
import { plainTextBlocks } from './plainText';
import {
  BLOCK_SEPARATOR,
  DEFAULT_NARRATION_OPTIONS,
  type Narration,
  type NarrationBlock,
  type NarrationOptions,
} from './types';

export { BLOCK_SEPARATOR, DEFAULT_NARRATION_OPTIONS };
export type { BlockKind, Narration, NarrationBlock, NarrationOptions, Silence, SilenceReason } from './types';

/** Converts a markdown script to narration: what is spoken, block by block, with a map back to the source. */
export function markdownToNarration(markdown: string, options?: Partial<NarrationOptions>): Narration {
  const tree = parseMarkdown(markdown);
  const settled = { ...DEFAULT_NARRATION_OPTIONS, ...definedOnly(options) };
  const { blocks, silences } = blocksFromTree(tree, markdown, settled);
  const narration = narrationOf(blocks, settled.language);
  if (silences.length > 0) narration.silences = silences;
  return narration;
}

/** Converts plain text to narration: paragraphs at blank lines, whitespace collapsed, one section. */
export function plainTextToNarration(text: string, language?: string): Narration {
  return narrationOf(plainTextBlocks(text), language);
}

/** Joins blocks into the narration text exactly as the chunker and the preview see it. */
export function narrationOf(blocks: NarrationBlock[], language?: string): Narration {
  const narration: Narration = { blocks, text: blocks.map((block) => block.text).join(BLOCK_SEPARATOR) };
  if (language) narration.language = language;
  return narration;
}

const SWITCHES = ['skipCodeBlocks', 'speakHeadings', 'speakImageAlt', 'speakTables'] as const;

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
  return defined;
}
