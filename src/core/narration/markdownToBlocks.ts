// Walks the markdown syntax tree (mdast, from the real CommonMark + GFM parser) and turns it into script units: the
// words of each paragraph, heading, list item, quote and table without their markup, each character mapped back to its
// source offset, with where the unit sits (quoted, in a list, after a scene break). What of it is narration, who
// speaks it and where it pauses is decided by the script's reading (scriptReading.ts).
import type { Blockquote, Code, Heading, Nodes, Root, RootContent, Table } from 'mdast';
import { alertMarker, titleRepeatsLabel } from './alerts';
import { LineIndex } from './sourceLines';
import { alignToSource } from './align';
import { cleanPhrasing, cleanSpoken, endOf, spokenHtml, startOf } from './phrasing';
import { SpokenText } from './spokenText';
import { withSentenceBreak } from './sentenceBreak';
import type { ScriptParts, ScriptUnit, SourceRange } from './scriptUnit';
import type { BlockKind, NarrationOptions, Silence } from './types';
import type { SilenceLog } from './silences';
import { commentRanges, silentSourceMask } from './writerNotes';

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
  readonly units: ScriptUnit[];
  sectionIndex: number;
  sectionTitle?: string;
  /** An ordered list item's number ("2. "), said before the item's first block. */
  itemNumber?: SpokenText;
  /** Ids of the list items and quotes being walked, outermost first; the count of quotes among them; of items. */
  containers: number[];
  quoteDepth: number;
  listDepth: number;
  nextContainer: number;
  /** A thematic break was passed and no unit has come since. */
  afterBreak: boolean;
  frontMatter?: string;
}

/**
 * The script units of a parsed markdown document, and the parts of it left silent (so far) with their reasons.
 * `lines`: the source's line index, when the caller has one.
 */
export function unitsFromTree(
  tree: Root,
  source: string,
  options: NarrationOptions,
  silences: SilenceLog,
  lines = new LineIndex(source),
): ScriptParts {
  const { code, italics } = literalAndItalicRanges(tree);
  const comments = commentRanges(source, code);
  const silent = silentSourceMask(source, comments);
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
    units: [],
    sectionIndex: 0,
    containers: [],
    quoteDepth: 0,
    listDepth: 0,
    nextContainer: 1,
    afterBreak: false,
  };
  walkFlow(tree.children, 'paragraph', walk, true);
  const parts: ScriptParts = { units: walk.units, italics };
  if (walk.frontMatter !== undefined) parts.frontMatter = walk.frontMatter;
  return parts;
}

/** Walks nodes inside a list item or quote, which a speaker's turn begun there does not outlive. */
function inContainer(walk: Walk, kind: 'quote' | 'item', body: () => void): void {
  walk.containers.push(walk.nextContainer++);
  if (kind === 'quote') walk.quoteDepth++;
  else walk.listDepth++;
  try {
    body();
  } finally {
    walk.containers.pop();
    if (kind === 'quote') walk.quoteDepth--;
    else walk.listDepth--;
  }
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

/**
 * In one walk of the tree: the source ranges of code (and front matter, and math), where comment markers are literal
 * text, in document order; and of emphasis (`*…*`, `_…_`), sorted by start. Code-like nodes have no emphasis inside.
 */
function literalAndItalicRanges(tree: Root): { code: SourceRange[]; italics: SourceRange[] } {
  const code: SourceRange[] = [];
  const italics: SourceRange[] = [];
  const visit = (node: Nodes) => {
    // `toml` is not in mdast's node types, though mdast-util-frontmatter produces it.
    const type: string = node.type;
    if (CODE_LIKE.has(type)) {
      if (node.position) code.push({ start: node.position.start.offset ?? 0, end: node.position.end.offset ?? 0 });
      return;
    }
    if (type === 'emphasis' && node.position)
      italics.push({ start: node.position.start.offset ?? 0, end: node.position.end.offset ?? 0 });
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return { code, italics: italics.sort((a, b) => a.start - b.start) };
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
        inContainer(walk, 'quote', () => walkQuote(node, walk));
        break;
      case 'list':
        node.children.forEach((item, index) => {
          if (node.ordered) walk.itemNumber = itemNumber((node.start ?? 1) + index, item, walk.source);
          inContainer(walk, 'item', () => walkFlow(item.children, 'listItem', walk, false));
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
      // Whether a table is spoken (all of it, one column, or none) is the reading's decision.
      case 'table':
        emitTable(node, walk);
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
        if (atRoot && walk.frontMatter === undefined) walk.frontMatter = node.value;
        break;
      case 'definition':
        markSilent(node, 'link definition', walk);
        break;
      case 'footnoteDefinition':
        markSilent(node, 'footnote', walk);
        break;
      case 'thematicBreak':
        walk.afterBreak = true;
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
  // Unspoken headings still reach the reading: they end speakers' turns and may name the narration's sections.
  emit('heading', withSentenceBreak(spoken), heading, walk, {
    heading: { depth: heading.depth, spoken: walk.options.speakHeadings },
  });
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

function emit(
  kind: BlockKind,
  content: SpokenText,
  node: Nodes,
  walk: Walk,
  extra?: Pick<ScriptUnit, 'heading' | 'table'>,
): void {
  if (content.length === 0) return;
  const spoken = walk.itemNumber ? SpokenText.join([walk.itemNumber, content], '') : content;
  walk.itemNumber = undefined;
  const sourceStart = Math.min(startOf(node, spoken.offsets[0]), spoken.offsets[0]);
  const unit: ScriptUnit = {
    kind,
    spoken,
    sourceStart,
    sourceEnd: Math.max(sourceStart, endOf(node, spoken.offsets[spoken.length - 1] + 1)),
    sectionIndex: walk.sectionIndex,
    quoted: walk.quoteDepth > 0,
    inList: walk.listDepth > 0,
    containers: [...walk.containers],
    ...extra,
  };
  if (walk.sectionTitle !== undefined) unit.sectionTitle = walk.sectionTitle;
  if (walk.afterBreak) unit.afterBreak = true;
  walk.afterBreak = false;
  walk.units.push(unit);
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

/** A table as a unit: its cells, and as text each row a sentence of its non-empty cells joined with ", ". */
function emitTable(table: Table, walk: Walk): void {
  const rows = table.children.map((row) => row.children.map((cell) => cleanPhrasing(cell.children, cell, walk, false)));
  const sentences: SpokenText[] = [];
  for (const cells of rows) {
    const filled = cells.filter((cell) => cell.length > 0);
    if (filled.length > 0) sentences.push(withSentenceBreak(SpokenText.join(filled, ', ')));
  }
  const spoken = SpokenText.join(sentences, ' ');
  // Even a table of empty cells is silent for a reason the preview can show.
  if (spoken.length === 0) markSilent(table, 'table', walk);
  emit('table', spoken, table, walk, { table: { rows, speakRows: walk.options.speakTables } });
}
