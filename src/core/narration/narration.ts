// Markdown (or plain text) → the words a voice should read, block by block, mapped back to the source.
// Parsing is CommonMark + GFM + front matter through mdast-util-from-markdown; see narration/ for the pieces.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { blocksFromTree } from './markdownToBlocks';
import { plainTextBlocks } from './plainText';
import {
  BLOCK_SEPARATOR,
  DEFAULT_NARRATION_OPTIONS,
  type Narration,
  type NarrationBlock,
  type NarrationOptions,
} from './types';

export { BLOCK_SEPARATOR, DEFAULT_NARRATION_OPTIONS };
export type { BlockKind, Narration, NarrationBlock, NarrationOptions } from './types';

const FRONT_MATTER_KINDS = ['yaml', 'toml'] as const;

/** Converts a markdown script to narration: what is spoken, block by block, with a map back to the source. */
export function markdownToNarration(markdown: string, options?: Partial<NarrationOptions>): Narration {
  const tree = fromMarkdown(markdown, {
    extensions: [gfm(), frontmatter([...FRONT_MATTER_KINDS])],
    mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown([...FRONT_MATTER_KINDS])],
  });
  return narrationOf(blocksFromTree(tree, markdown, { ...DEFAULT_NARRATION_OPTIONS, ...definedOnly(options) }));
}

/** Converts plain text to narration: paragraphs at blank lines, whitespace collapsed, one section. */
export function plainTextToNarration(text: string): Narration {
  return narrationOf(plainTextBlocks(text));
}

/** Joins blocks into the narration text exactly as the chunker and the preview see it. */
export function narrationOf(blocks: NarrationBlock[]): Narration {
  return { blocks, text: blocks.map((block) => block.text).join(BLOCK_SEPARATOR) };
}

/** Options given as `undefined` (an unset setting) keep their defaults. */
function definedOnly(options: Partial<NarrationOptions> | undefined): Partial<NarrationOptions> {
  const defined: Partial<NarrationOptions> = {};
  if (!options) return defined;
  for (const key of Object.keys(DEFAULT_NARRATION_OPTIONS) as (keyof NarrationOptions)[]) {
    const value = options[key];
    if (typeof value === 'boolean') defined[key] = value;
  }
  return defined;
}
