// The text side: our markdown → narration conversion against the bare parse with the same parser and extensions,
// and our chunker against a naive slice every maxChars characters.
import { chunkNarration } from '../../src/core/narration/chunker';
import { parseMarkdown } from '../../src/core/narration/markdownSyntax';
import { markdownToNarration } from '../../src/core/narration/narration';
import { batched, calibrate, compare, type ComparisonResult } from './measure';

const VOICE = { model: 'M000045058', language: 'en' };

/** The parse markdownToNarration starts with (the same function, extensions built per call): nothing of ours on top. */
function bareParse(markdown: string): number {
  return parseMarkdown(markdown).children.length;
}

/** Conversion ÷ bare parse on one script: the cost of our narration rules and source mapping. */
export async function narrationBench(label: string, markdown: string): Promise<ComparisonResult> {
  const ours = (): number => markdownToNarration(markdown).blocks.length;
  const bare = (): number => bareParse(markdown);
  const blocks = ours();
  return compare({
    name: `narration: ${label}`,
    baselineLabel: 'parseMarkdown (fromMarkdown with gfm, front matter, math, wikilinks, highlights)',
    subjectLabel: 'markdownToNarration',
    baseline: batched(bare, calibrate(bare, 20)),
    subject: batched(ours, calibrate(ours, 20)),
    runs: 21,
    warmup: 5,
    note: () => `${markdown.length.toLocaleString('en')} characters of markdown → ${blocks} narration blocks`,
  });
}

/** chunkNarration ÷ String.slice every maxChars on the same narration text. */
export async function chunkingBench(label: string, markdown: string, maxChars: number): Promise<ComparisonResult> {
  const narration = markdownToNarration(markdown);
  const text = narration.text;
  const ours = (): number => chunkNarration(narration, maxChars, VOICE).length;
  const naive = (): number => {
    let pieces = 0;
    for (let start = 0; start < text.length; start += maxChars)
      pieces += text.slice(start, start + maxChars).length > 0 ? 1 : 0;
    return pieces;
  };
  const chunks = ours();
  const slices = naive();
  return compare({
    name: `chunking at ${maxChars.toLocaleString('en')}: ${label}`,
    baselineLabel: `String.slice every ${maxChars.toLocaleString('en')}`,
    subjectLabel: 'chunkNarration',
    baseline: batched(naive, calibrate(naive, 20)),
    subject: batched(ours, calibrate(ours, 20)),
    runs: 15,
    note: () =>
      `${text.length.toLocaleString('en')} characters of narration → ${chunks} chunks (naive: ${slices} slices)`,
  });
}
