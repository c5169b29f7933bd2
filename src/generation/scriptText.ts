import * as vscode from 'vscode';
import {
  decodeScriptBytes,
  isMarkdownFileName,
  NotTextError,
  markdownToNarration,
  narrationContext,
  narrationOf,
  plainTextToNarration,
  type NarrationBlock,
  type NarrationOptions,
  type Narration,
  type Pause,
} from '../core';

/** What will be spoken, with its blocks mapped to offsets of the whole document. */
export interface ScriptText {
  narration: Narration;
  /** 1-based line span of the selections, for the `{lines}` part of the file name; absent for a whole document. */
  lines?: { start: number; end: number };
}

/** Markdown is narrated (syntax removed); anything else is read as plain text. */
export function isMarkdown(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' || isMarkdownFileName(document.uri.path);
}

/**
 * The script at `uri` as a document. A file not open in an editor is first checked by its bytes, as the CLI checks
 * its input, so audio, images, archives or PDFs are refused (NotTextError) with the same words, before VS Code
 * would open them as text. Text in another encoding is left to VS Code, which honours the user's encoding settings;
 * checkScriptText then judges what it decoded.
 */
export async function openScriptDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open;
  try {
    decodeScriptBytes(await vscode.workspace.fs.readFile(uri), uri.path.split('/').pop() ?? uri.path);
  } catch (error) {
    if (!(error instanceof NotTextError) || error.reason !== 'encoding') throw error;
  }
  return vscode.workspace.openTextDocument(uri);
}

/**
 * The whole document's narration, from the editor's current text (unsaved edits included). This is where the
 * extension reads a script: VS Code decodes the file and drops a UTF-8 byte-order mark, so offsets and lines are the
 * editor's (the CLI does the same with decodeScript).
 */
export function documentScript(document: vscode.TextDocument, options: NarrationOptions): ScriptText {
  const text = document.getText();
  return {
    narration: isMarkdown(document) ? markdownToNarration(text, options) : plainTextToNarration(text, options),
  };
}

/**
 * The selections, in document order, each narrated on its own and joined with a paragraph break. Each is read with
 * what the whole document says: its front matter (voices, pronunciations) and the speaker whose turn it starts in.
 */
export function selectionScript(
  document: vscode.TextDocument,
  selections: readonly vscode.Selection[],
  options: NarrationOptions,
): ScriptText {
  const ordered = selections.filter((s) => !s.isEmpty).sort((a, b) => a.start.compareTo(b.start));
  const blocks: NarrationBlock[] = [];
  const whole = document.getText();
  const markdown = isMarkdown(document);
  let trailing: Pause[] = [];
  let reading: Narration['reading'];
  for (const selection of ordered) {
    const text = document.getText(selection);
    const base = document.offsetAt(selection.start);
    const partOptions = { ...options, context: narrationContext(whole, base, markdown, options) };
    const part = markdown ? markdownToNarration(text, partOptions) : plainTextToNarration(text, partOptions);
    const shifted = part.blocks.map((block) => shiftBlock(block, base));
    // A pause at the end of one selection falls before the next.
    if (shifted.length > 0 && trailing.length > 0) {
      shifted[0] = { ...shifted[0], pauses: [...trailing.map((p) => ({ ...p, at: 0 })), ...(shifted[0].pauses ?? [])] };
      trailing = [];
    }
    trailing.push(...(part.endPauses ?? []).map((p) => shiftPause(p, base)));
    blocks.push(...shifted);
    const partReading = part.reading && {
      ...part.reading,
      pronunciations: part.reading.pronunciations.map((use) => ({ ...use, sourceStart: use.sourceStart + base })),
    };
    reading = mergeReadings(reading, partReading);
  }
  const narration = narrationOf(blocks, options.language);
  if (trailing.length > 0) narration.endPauses = trailing;
  if (reading) narration.reading = reading;
  if (ordered.length === 0) return { narration };
  const last = ordered[ordered.length - 1];
  // A selection ending at column 0 does not really include that line.
  const endLine = last.end.character === 0 && last.end.line > last.start.line ? last.end.line - 1 : last.end.line;
  return { narration, lines: { start: ordered[0].start.line + 1, end: endLine + 1 } };
}

function shiftBlock(block: NarrationBlock, base: number): NarrationBlock {
  const shifted: NarrationBlock = {
    ...block,
    sourceStart: block.sourceStart + base,
    sourceEnd: block.sourceEnd + base,
    sourceOffsets: Array.from(block.sourceOffsets, (o) => o + base),
  };
  if (block.pauses) shifted.pauses = block.pauses.map((p) => ({ ...shiftPause(p, base), at: p.at }));
  return shifted;
}

function shiftPause(pause: Pause, base: number): Pause {
  return { ms: pause.ms, sourceStart: pause.sourceStart + base, sourceEnd: pause.sourceEnd + base };
}

/** The speakers (and their voices) of every selection, each once; the first selection's mode. */
function mergeReadings(merged: Narration['reading'], part: Narration['reading']): Narration['reading'] {
  if (!merged || !part) return merged ?? part;
  const names = new Set(merged.speakers.map((s) => s.name));
  return {
    ...merged,
    speakers: [...merged.speakers, ...part.speakers.filter((s) => !names.has(s.name))],
    pronunciations: [...merged.pronunciations, ...part.pronunciations],
    problems: [...new Set([...merged.problems, ...part.problems])],
  };
}
