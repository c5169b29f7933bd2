import { promises as fs } from 'fs';
import * as path from 'path';
import { randomUUID } from 'crypto';
import { AudioFormatError, extensionOf, probeAudio } from '../audio/format';
import { joinAudioFiles, joinOfItsOwn, type JoinPiece } from '../audio/join';
import { pauseMsOf, type Chunk } from '../narration/chunker';
import type { SynthesizedPiece } from './synthesis';

/** Where each chunk sits in a rendered file, for the player's follow-along. */
export interface PieceTiming {
  chunkIndex: number;
  startMs: number;
  durationMs: number;
}

/** One finished audio file in a temporary place, waiting to be moved next to the script. */
export interface RenderedFile {
  /**
   * A file of its own in the run's folder (never another name of a cached piece), which placement may link into
   * place: nothing may change it once rendered.
   */
  tempPath: string;
  extension: string;
  bytes: number;
  durationMs: number;
  timings: PieceTiming[];
}

export interface RenderOptions {
  /** Real silence inserted before each new section (the script's own pause there, when longer, wins). */
  sectionPauseMs: number;
  /** Folder for the temporary output (same file system as the pieces is best). */
  workDirectory: string;
  signal?: AbortSignal;
}

/**
 * Joins the pieces, in order, into one temporary file: the script's pauses (`[0.5s]`, `[beat]`) as silence before
 * the chunk they precede and after the last one, and before each new section the longer of the section pause and the
 * script's own. A file that starts at a section (a section file) does not begin with the pause before that section.
 */
export async function renderPieces(pieces: readonly SynthesizedPiece[], options: RenderOptions): Promise<RenderedFile> {
  if (pieces.length === 0) throw new AudioFormatError('There is no audio to join.', 'unrecognized');
  const extension = pieces[0].extension;
  const tempPath = path.join(options.workDirectory, `render-${randomUUID()}${extension}`);
  const joinPieces: JoinPiece[] = pieces.map((piece, i) => {
    const { chunk } = piece;
    const joinPiece: JoinPiece = { path: piece.path, pauseBeforeMs: pauseBeforeMs(chunk, i, options.sectionPauseMs) };
    if (piece.mpeg) joinPiece.mpeg = piece.mpeg;
    const after = pauseMsOf(chunk.pausesAfter);
    if (after > 0) joinPiece.pauseAfterMs = after;
    return joinPiece;
  });
  // A piece the run keeps to itself is the file as it is when nothing is to be added to it or left out of it.
  const own = pieces.length === 1 && pieces[0].private === true ? await joinOfItsOwn(joinPieces[0]) : undefined;
  if (own) options.signal?.throwIfAborted();
  try {
    const result = own ?? (await joinAudioFiles(joinPieces, tempPath, { signal: options.signal }));
    return {
      tempPath: own ? pieces[0].path : tempPath,
      extension: extensionOf(result.format) ?? extension,
      bytes: result.bytes,
      durationMs: result.durationMs,
      timings: pieces.map((piece, i) => ({
        chunkIndex: piece.chunk.index,
        startMs: result.pieceStartsMs[i],
        durationMs: result.pieceDurationsMs[i],
      })),
    };
  } catch (error) {
    await fs.rm(tempPath, { force: true });
    // A single piece in a format we cannot parse (e.g. OGG) is still a perfectly good file: pass it through.
    if (error instanceof AudioFormatError && pieces.length === 1) return copySinglePiece(pieces[0], tempPath);
    throw error;
  }
}

/**
 * The silence before a chunk at `position` in a file: the script's own pauses before it, and before a new section
 * the longer of those and the section pause. Chunks inside a section already end with the voice's own pause.
 */
export function pauseBeforeMs(chunk: Chunk, position: number, sectionPauseMs: number): number {
  const scripted = pauseMsOf(chunk.pausesBefore);
  if (!chunk.startsSection) return scripted;
  return position > 0 ? Math.max(sectionPauseMs, scripted) : 0;
}

/**
 * Whether one file of these chunks is, for plain MP3, its one piece's bytes exactly (one chunk, no pause to add), so
 * that piece may become the file as it is (see SynthesisOptions.privatePieces).
 */
export function isItsOnlyPiece(chunks: readonly Chunk[], sectionPauseMs: number): boolean {
  return (
    chunks.length === 1 && pauseBeforeMs(chunks[0], 0, sectionPauseMs) === 0 && pauseMsOf(chunks[0].pausesAfter) === 0
  );
}

/** Groups pieces by section, for one file per top-level heading. */
export function groupBySection(pieces: readonly SynthesizedPiece[]): SynthesizedPiece[][] {
  const groups: SynthesizedPiece[][] = [];
  for (const piece of pieces) {
    const last = groups[groups.length - 1];
    if (last && last[0].chunk.sectionIndex === piece.chunk.sectionIndex) last.push(piece);
    else groups.push([piece]);
  }
  return groups;
}

/**
 * A single piece in a format the join cannot parse is measured only when it is at most this big (bytes): probing
 * Ogg or M4A means reading the whole file, and memory must not grow with the audio. A larger one is passed through
 * with an unknown duration, which the player reads from the file itself.
 */
const MAX_PROBED_PIECE_BYTES = 16 * 1024 * 1024;

async function copySinglePiece(piece: SynthesizedPiece, tempPath: string): Promise<RenderedFile> {
  await fs.copyFile(piece.path, tempPath);
  const { size } = await fs.stat(tempPath);
  let durationMs = 0;
  if (size <= MAX_PROBED_PIECE_BYTES) {
    try {
      durationMs = probeAudio(await fs.readFile(tempPath)).durationMs;
    } catch {
      // Unknown length: the player reads it from the file itself.
    }
  }
  return {
    tempPath,
    extension: piece.extension,
    bytes: size,
    durationMs,
    timings: [{ chunkIndex: piece.chunk.index, startMs: 0, durationMs }],
  };
}
