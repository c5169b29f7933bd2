// The markdown a script may be written in: CommonMark, GFM (tables, footnotes, task lists, strikethrough, autolinks),
// front matter, math, and Obsidian's wikilinks, embeds and `==highlights==`. One parse for the narration and the
// benchmark's baseline alike.
import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { highlightFromMarkdown, highlightSyntax } from './highlightSyntax';
import { mathSyntax } from './mathSyntax';
import { wikiLinkFromMarkdown, wikiLinkSyntax } from './wikiLinkSyntax';

const FRONT_MATTER_KINDS = ['yaml', 'toml'] as const;
const BYTE_ORDER_MARK = 0xfeff;

/**
 * The syntax tree (mdast) of a markdown script, with `position.offset`s into markdown itself (UTF-16 code units).
 * The parser skips a leading byte-order mark without counting it; offsets are corrected so they still index markdown.
 */
export function parseMarkdown(markdown: string): Root {
  const tree = fromMarkdown(markdown, {
    extensions: [gfm(), frontmatter([...FRONT_MATTER_KINDS]), mathSyntax(), wikiLinkSyntax(), highlightSyntax()],
    mdastExtensions: [
      gfmFromMarkdown(),
      frontmatterFromMarkdown([...FRONT_MATTER_KINDS]),
      mathFromMarkdown(),
      wikiLinkFromMarkdown(),
      highlightFromMarkdown(),
    ],
  });
  if (markdown.charCodeAt(0) === BYTE_ORDER_MARK) shiftOffsets(tree, 1);
  return tree;
}

function shiftOffsets(node: Nodes, by: number): void {
  const position = node.position;
  if (position?.start.offset !== undefined) position.start.offset += by;
  if (position?.end.offset !== undefined) position.end.offset += by;
  if ('children' in node) for (const child of node.children) shiftOffsets(child, by);
}
