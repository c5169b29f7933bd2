// Inline markdown (phrasing content: text, emphasis, links, code spans, inline HTML, images, math, wikilinks) → the
// words a voice reads, each mapped back to its source offset; comments and `//` note lines dropped, whitespace
// collapsed. Used by the syntax walk (markdownToBlocks.ts) for every paragraph, heading and table cell.
import type { Html, Nodes, PhrasingContent } from 'mdast';
import { alignToSource } from './align';
import { isLineBreakTag, spokenHtmlMask } from './htmlText';
import type { SilenceLog } from './silences';
import type { LineIndex } from './sourceLines';
import { SpokenText, SpokenTextBuilder } from './spokenText';
import type { NarrationOptions } from './types';
import { hostSpanOfUrl } from './urlHost';
import { dropNoteLines } from './writerNotes';

/** What inline content is read with: the source, the options, and where silent parts are recorded. */
export interface CleanContext {
  readonly source: string;
  readonly options: NarrationOptions;
  readonly lines: LineIndex;
  /** 1 for source offsets inside comments; empty when the script has no comment. */
  readonly silent: Uint8Array;
  readonly silences: SilenceLog;
}

/** A node's source start, or the fallback when the parser gave none. */
export function startOf(node: Nodes, fallback: number): number {
  return node.position?.start.offset ?? fallback;
}

/** A node's source end, or the fallback when the parser gave none. */
export function endOf(node: Nodes, fallback: number): number {
  return node.position?.end.offset ?? fallback;
}

/** Spoken text of inline content, with writer's notes removed and whitespace collapsed. */
export function cleanPhrasing(
  children: readonly PhrasingContent[],
  parent: Nodes,
  context: CleanContext,
  dropNotes: boolean,
): SpokenText {
  const builder = new SpokenTextBuilder();
  appendPhrasing(children, startOf(parent, 0), endOf(parent, context.source.length), context, builder);
  return cleanSpoken(builder.build(), context, dropNotes);
}

/** Spoken text with comments (and, when asked, `//` note lines) dropped and whitespace collapsed. */
export function cleanSpoken(spoken: SpokenText, context: CleanContext, dropNotes: boolean): SpokenText {
  const silent = context.silent;
  let cleaned = silent.length > 0 ? spoken.filter((_, offset) => silent[offset] !== 1) : spoken;
  if (dropNotes) {
    cleaned = dropNoteLines(cleaned, context.lines, (line) => {
      const start = context.lines.lineStart(line);
      const next = context.lines.lineStart(line + 1);
      context.silences.add(start, next > start ? next : context.source.length, 'note line');
    });
  }
  return cleaned.collapseWhitespace();
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
export function spokenHtml(node: Html, source: string): SpokenText {
  const builder = new SpokenTextBuilder();
  appendHtmlText(node.value, startOf(node, 0), endOf(node, source.length), source, builder);
  return builder.build();
}
