// Walks the markdown syntax tree (mdast, from the real CommonMark + GFM parser) and turns it into narration blocks:
// what a voice should read, block by block, each character mapped back to its source offset.
import type { Blockquote, Code, Heading, Html, Nodes, PhrasingContent, Root, RootContent, Table } from 'mdast';
import { alertMarker, titleRepeatsLabel } from './alerts';
import { LineIndex } from './sourceLines';
import { alignToSource } from './align';
import { isLineBreakTag, spokenHtmlMask } from './htmlText';
import { SpokenText, SpokenTextBuilder } from './spokenText';
import { withSentenceBreak } from './sentenceBreak';
import type { BlockKind, NarrationBlock, NarrationOptions, Silence } from './types';
import { hostSpanOfUrl } from './urlHost';
import { SilenceLog } from './silences';
import { commentRanges, dropNoteLines, dropPauseCues, silentSourceMask, type SourceRange } from './writerNotes';

/** The kind a paragraph gets from the container it sits in. */
type ParagraphKind = 'paragraph' | 'listItem' | 'blockquote';

interface Walk {
  readonly source: string;
  readonly options: NarrationOptions;
  readonly lines: LineIndex;
  readonly silent: Uint8Array;
  readonly silences: SilenceLog;
  readonly headingTexts: Map<Heading, SpokenText>;
  readonly topDepth: number;
  readonly blocks: NarrationBlock[];
  sectionIndex: number;
  sectionTitle?: string;
  /** An ordered list item's number ("2. "), said before the item's first block. */
  itemNumber?: SpokenText;
}

function startOf(node: Nodes, fallback: number): number {
  return node.position?.start.offset ?? fallback;
}

function endOf(node: Nodes, fallback: number): number {
  return node.position?.end.offset ?? fallback;
}

/** Narration blocks of a parsed markdown document, and the parts of it left silent with their reasons. */
export function blocksFromTree(
  tree: Root,
  source: string,
  options: NarrationOptions,
): { blocks: NarrationBlock[]; silences: Silence[] } {
  const lines = new LineIndex(source);
  const comments = commentRanges(source, codeRanges(tree));
  const silent = silentSourceMask(source, comments);
  const silences = new SilenceLog();
  for (const comment of comments) silences.add(comment.start, comment.end, 'comment');
  const headingTexts = new Map<Heading, SpokenText>();
  const partial = { source, options, lines, silent, silences };
  for (const child of tree.children) {
    if (child.type === 'heading') headingTexts.set(child, cleanPhrasing(child.children, child, partial, false));
  }
  const walk: Walk = {
    ...partial,
    headingTexts,
    topDepth: topHeadingDepth(tree.children, headingTexts),
    blocks: [],
    sectionIndex: 0,
  };
  walkFlow(tree.children, 'paragraph', walk, true);
  return { blocks: walk.blocks, silences: silences.list() };
}

function markSilent(node: Nodes, reason: Silence['reason'], context: Pick<Walk, 'silences' | 'source'>): void {
  context.silences.add(startOf(node, 0), endOf(node, context.source.length), reason);
}

/**
 * The depth of the headings that start sections: the smallest depth present, except that a lone first heading
 * shallower than all others is the document's title (`# Title` over `## Scene` sections) and does not count.
 */
function topHeadingDepth(children: readonly RootContent[], headingTexts: Map<Heading, SpokenText>): number {
  const depths = children
    .filter((child): child is Heading => child.type === 'heading' && (headingTexts.get(child)?.length ?? 0) > 0)
    .map((heading) => heading.depth);
  if (depths.length === 0) return 0;
  const smallest = Math.min(...depths);
  const deeper = depths.filter((depth) => depth > smallest);
  const isLoneTitle =
    depths[0] === smallest && depths.filter((depth) => depth === smallest).length === 1 && deeper.length > 0;
  return isLoneTitle ? Math.min(...deeper) : smallest;
}

/** Nodes whose text is literal: comment markers inside are not comments. */
const CODE_LIKE = new Set(['code', 'inlineCode', 'yaml', 'toml', 'math', 'inlineMath']);

/** Source ranges of code (and front matter, and math), where comment markers are literal text. */
function codeRanges(tree: Root): SourceRange[] {
  const ranges: SourceRange[] = [];
  const visit = (node: Nodes) => {
    // `toml` is not in mdast's node types, though mdast-util-frontmatter produces it.
    const type: string = node.type;
    if (CODE_LIKE.has(type)) {
      if (node.position) ranges.push({ start: node.position.start.offset ?? 0, end: node.position.end.offset ?? 0 });
      return;
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return ranges;
}

function walkFlow(nodes: readonly Nodes[], kind: ParagraphKind, walk: Walk, atRoot: boolean): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'heading':
        speakHeading(node, walk, atRoot);
        break;
      case 'paragraph':
        emit(
          kind,
          withSentenceBreakIf(kind === 'listItem', cleanPhrasing(node.children, node, walk, true)),
          node,
          walk,
        );
        break;
      case 'blockquote':
        walkQuote(node, walk);
        break;
      case 'list':
        node.children.forEach((item, index) => {
          if (node.ordered) walk.itemNumber = itemNumber((node.start ?? 1) + index, item, walk.source);
          walkFlow(item.children, 'listItem', walk, false);
          walk.itemNumber = undefined;
        });
        break;
      case 'code':
        if (!walk.options.skipCodeBlocks) emit('code', spokenCode(node, walk.source), node, walk);
        else markSilent(node, isFenced(node, walk.source) ? 'code block' : 'indented code', walk);
        break;
      // TeX read aloud is noise ("backslash leq"): math is silent, block and inline alike.
      case 'math':
        markSilent(node, 'math', walk);
        break;
      case 'table':
        if (walk.options.speakTables) emit('table', spokenTable(node, walk), node, walk);
        else markSilent(node, 'table', walk);
        break;
      case 'html': {
        const spoken = cleanSpoken(spokenHtml(node, walk.source), walk, true);
        if (spoken.length === 0 && !node.value.trimStart().startsWith('<!--')) markSilent(node, 'HTML markup', walk);
        emit(kind, withSentenceBreakIf(kind === 'listItem', spoken), node, walk);
        break;
      }
      // Not spoken: front matter, link reference definitions, footnote definitions (see README), thematic breaks.
      case 'yaml':
        markSilent(node, 'front matter', walk);
        break;
      case 'definition':
        markSilent(node, 'link definition', walk);
        break;
      case 'footnoteDefinition':
        markSilent(node, 'footnote', walk);
        break;
      case 'thematicBreak':
        break;
      default:
        // `toml` is not in mdast's node types, though mdast-util-frontmatter produces it.
        if ((node.type as string) === 'toml') markSilent(node, 'front matter', walk);
        else if ('children' in node) walkFlow(node.children, kind, walk, false);
    }
  }
}

/** A quote; one that opens with an alert marker (`[!WARNING] Title`) first says the alert's type, then its title. */
function walkQuote(quote: Blockquote, walk: Walk): void {
  const [first, ...rest] = quote.children;
  const start = first?.type === 'paragraph' ? startOf(first, -1) : -1;
  const lineLength = start < 0 ? -1 : walk.source.slice(start).search(/[\r\n]|$/);
  const firstLine = start < 0 ? '' : walk.source.slice(start, start + lineLength);
  const marker = alertMarker(firstLine, walk.options.language);
  if (!marker || first.type !== 'paragraph') {
    walkFlow(quote.children, 'blockquote', walk, false);
    return;
  }
  const spoken = cleanPhrasing(first.children, first, walk, true);
  const titleStart = start + marker.length;
  const lineEnd = start + lineLength;
  const title = spoken.filter((_, offset) => offset >= titleStart && offset < lineEnd).collapseWhitespace();
  const body = spoken.filter((_, offset) => offset >= lineEnd).collapseWhitespace();
  const label = SpokenText.of(marker.label, Array<number>(marker.label.length).fill(start));
  const hasTitle = title.length > 0 && !titleRepeatsLabel(title.text, marker.label, firstLine);
  const header = withSentenceBreak(hasTitle ? SpokenText.join([label, title], marker.colon) : label);
  emit('blockquote', body.length > 0 ? SpokenText.join([header, body], marker.space) : header, first, walk);
  walkFlow(rest, 'blockquote', walk, false);
}

function speakHeading(heading: Heading, walk: Walk, atRoot: boolean): void {
  const spoken = walk.headingTexts.get(heading) ?? cleanPhrasing(heading.children, heading, walk, false);
  // A heading with nothing to say (empty, or inside a comment) neither speaks nor starts a section.
  if (spoken.length === 0) return;
  if (atRoot && heading.depth === walk.topDepth) {
    walk.sectionIndex++;
    walk.sectionTitle = spoken.text;
  }
  if (walk.options.speakHeadings) emit('heading', withSentenceBreak(spoken), heading, walk);
}

function withSentenceBreakIf(condition: boolean, spoken: SpokenText): SpokenText {
  return condition ? withSentenceBreak(spoken) : spoken;
}

/**
 * "3. " for the third item of a list starting at 1: the number a reader of the rendered list sees (CommonMark: the
 * first item's number starts the list, later items count up whatever they say), with the list's own delimiter
 * (`.` or `)`), mapped to the marker's characters.
 */
function itemNumber(number: number, item: Nodes, source: string): SpokenText {
  const start = startOf(item, 0);
  const marker = /^(\d{1,9})([.)])[ \t]?/.exec(source.slice(start, start + 12));
  const label = `${number}${marker?.[2] ?? '.'} `;
  const verbatim = marker !== null && marker[1] === String(number) && marker[0].length === label.length;
  return SpokenText.of(
    label,
    Array.from(label, (_, i) => (verbatim ? start + i : start)),
  );
}

function emit(kind: BlockKind, content: SpokenText, node: Nodes, walk: Walk): void {
  if (content.length === 0) return;
  const spoken = walk.itemNumber ? SpokenText.join([walk.itemNumber, content], '') : content;
  walk.itemNumber = undefined;
  const sourceStart = Math.min(startOf(node, spoken.offsets[0]), spoken.offsets[0]);
  const block: NarrationBlock = {
    kind,
    text: spoken.text,
    sourceStart,
    sourceEnd: Math.max(sourceStart, endOf(node, spoken.offsets[spoken.length - 1] + 1)),
    sectionIndex: walk.sectionIndex,
    sourceOffsets: Int32Array.from(spoken.offsets),
  };
  if (walk.sectionTitle !== undefined) block.sectionTitle = walk.sectionTitle;
  if (kind === 'heading') block.pauseAfterHeading = true;
  walk.blocks.push(block);
}

type CleanContext = Pick<Walk, 'source' | 'options' | 'lines' | 'silent' | 'silences'>;

/** Spoken text of inline content, with writer's notes removed and whitespace collapsed. */
function cleanPhrasing(
  children: readonly PhrasingContent[],
  parent: Nodes,
  context: CleanContext,
  dropNotes: boolean,
): SpokenText {
  const builder = new SpokenTextBuilder();
  appendPhrasing(children, startOf(parent, 0), endOf(parent, context.source.length), context, builder);
  return cleanSpoken(builder.build(), context, dropNotes);
}

function cleanSpoken(spoken: SpokenText, context: CleanContext, dropNotes: boolean): SpokenText {
  let cleaned = spoken.filter((_, offset) => context.silent[offset] !== 1);
  if (dropNotes) {
    cleaned = dropNoteLines(cleaned, context.lines, (line) => {
      const start = context.lines.lineStart(line);
      const next = context.lines.lineStart(line + 1);
      context.silences.add(start, next > start ? next : context.source.length, 'note line');
    });
  }
  return dropPauseCues(cleaned).collapseWhitespace();
}

function appendPhrasing(
  children: readonly PhrasingContent[],
  parentStart: number,
  parentEnd: number,
  context: CleanContext,
  out: SpokenTextBuilder,
): void {
  let cursor = parentStart;
  for (const node of children) {
    const start = startOf(node, cursor);
    const end = endOf(node, parentEnd);
    appendInline(node, start, end, context, out);
    cursor = end;
  }
}

function appendInline(
  node: PhrasingContent,
  start: number,
  end: number,
  context: CleanContext,
  out: SpokenTextBuilder,
): void {
  const { source, options } = context;
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      out.append(node.value, alignToSource(node.value, source, start, end));
      return;
    case 'break':
      out.appendInserted(' ', start);
      return;
    case 'html':
      if (isLineBreakTag(node.value)) out.appendInserted(' ', start);
      else appendHtmlText(node.value, start, end, source, out);
      return;
    case 'image':
    case 'imageReference':
      // The alt text sits after `![` in the source.
      if (options.speakImageAlt && node.alt)
        out.append(node.alt, alignToSource(node.alt, source, Math.min(start + 2, end), end));
      else context.silences.add(start, end, 'image');
      return;
    case 'footnoteReference':
      return;
    case 'inlineMath':
      context.silences.add(start, end, 'math');
      return;
    case 'wikiLink': {
      // An embed shows a file (image, audio, PDF, note): silent like an image, never its file name.
      const said = node.embed ? (options.speakImageAlt ? embedAltText(node.alias) : '') : node.value;
      if (said) out.append(said, alignToSource(said, source, node.valueOffset, end));
      else if (node.embed) context.silences.add(start, end, 'embed');
      return;
    }
    case 'link': {
      const inner = new SpokenTextBuilder();
      appendPhrasing(node.children, start, end, context, inner);
      const spoken = inner.build();
      const host = hostSpanOfUrl(spoken.text);
      out.appendSpoken(host ? spoken.slice(host.start, host.end) : spoken);
      return;
    }
    default:
      if ('children' in node) appendPhrasing(node.children, start, end, context, out);
  }
}

/** An embed's alias is its alt text, unless it is a size (`![[fox.png|300]]`, `|300x200`). */
function embedAltText(alias: string | undefined): string {
  return alias !== undefined && !/^\s*\d+(?:x\d+)?\s*$/.test(alias) ? alias : '';
}

/** Inline HTML that is not a tag (rare: the parser splits `<b>word</b>` into tag, text, tag). */
function appendHtmlText(html: string, start: number, end: number, source: string, out: SpokenTextBuilder): void {
  const spoken = SpokenText.of(html, alignToSource(html, source, start, end));
  const keep = spokenHtmlMask(html, source);
  out.appendSpoken(spoken.filter((index) => keep[index]));
}

/** A block of raw HTML: the text between its tags. */
function spokenHtml(node: Html, source: string): SpokenText {
  const builder = new SpokenTextBuilder();
  appendHtmlText(node.value, startOf(node, 0), endOf(node, source.length), source, builder);
  return builder.build();
}

/** A fenced code block (``` or ~~~), as opposed to one indented four spaces. */
function isFenced(code: Code, source: string): boolean {
  const start = startOf(code, 0);
  return /^[ \t]*(?:```|~~~)/.test(source.slice(start, start + 8));
}

/** Code spoken as text (when code blocks are not skipped), whitespace collapsed. */
function spokenCode(code: Code, source: string): SpokenText {
  const start = startOf(code, 0);
  const end = endOf(code, source.length);
  // Align after the opening fence line, so the info string (```python) cannot capture the first characters.
  const fenced = isFenced(code, source);
  const firstLineEnd = source.indexOf('\n', start);
  const contentStart = fenced && firstLineEnd >= 0 && firstLineEnd < end ? firstLineEnd + 1 : start;
  return SpokenText.of(code.value, alignToSource(code.value, source, contentStart, end)).collapseWhitespace();
}

/** Each row a sentence, its non-empty cells joined with ", ". */
function spokenTable(table: Table, context: CleanContext): SpokenText {
  const rows: SpokenText[] = [];
  for (const row of table.children) {
    const cells = row.children
      .map((cell) => cleanPhrasing(cell.children, cell, context, false))
      .filter((cell) => cell.length > 0);
    if (cells.length > 0) rows.push(withSentenceBreak(SpokenText.join(cells, ', ')));
  }
  return SpokenText.join(rows, ' ');
}
