// Joins audio pieces (the chunks of one narration) into one file, with optional silence between them.
// MP3 is joined frame by frame; WAV by concatenating sample data under one new header.
// Two passes: the first reads every piece to check that they all share one format and to learn the
// totals the header needs; the second writes the output piece by piece. Pieces are read through one 1 MiB
// window and pauses are written in small batches, so memory does not grow with the pieces' size or number
// (the only per-piece cost is 2 bytes per MPEG frame, for the seek table of a variable-bitrate join);
// nothing is written unless every piece can be joined.

import { promises as fs } from 'fs';
import * as path from 'path';
import { FILE_WINDOW_BYTES } from './fileWindow';
import { AudioFormat, AudioFormatError } from './format';
import { MpegFrameHeader, parseFrameHeader, silentFrameBatches, xingFrame } from './mpeg';
import { sameWavFormat, WavFormat, wavHeader, wavSilence } from './wav';

import type { PlainMpegStream } from './mpegStream';
import { PiecePlan, pieceLabel, readMpeg, readWav, withPiece, planJoin, isItsOwnJoin } from './joinPlan';

export interface JoinPiece {
  path: string;
  /** silence inserted before this piece (ms), e.g. the pause between sections or a script's `[pause]` */
  pauseBeforeMs?: number;
  /** silence inserted after this piece (ms): a pause the script asks for at its very end */
  pauseAfterMs?: number;
  /**
   * The piece's frames when the caller already walked them (a download does, as the bytes arrive): the first pass
   * then does not read the file. Must describe the file's bytes exactly; the second pass still counts its frames.
   */
  mpeg?: PlainMpegStream;
}

export interface JoinResult {
  format: AudioFormat;
  durationMs: number;
  /** start time of each piece in the joined file (after its pause) */
  pieceStartsMs: number[];
  pieceDurationsMs: number[];
  bytes: number;
}

export interface JoinOptions {
  /** cancels the join; the partial output is removed and the signal's reason is thrown */
  signal?: AbortSignal;
  /** called after each piece has been written, for progress reports */
  onPieceWritten?: (pieceIndex: number, pieceCount: number) => void;
}

type PieceWritten = NonNullable<JoinOptions['onPieceWritten']>;

/** The join of a piece that is its own join: a copy of the file (made by the system, not read through the window). */
async function copyOnlyPiece(plan: PiecePlan, outputPath: string, header: MpegFrameHeader): Promise<JoinResult> {
  const label = pieceLabel(0, plan.path);
  try {
    await fs.copyFile(plan.path, outputPath);
    if ((await fs.stat(outputPath)).size !== plan.size) throw changedWhileJoined(label);
  } catch (error) {
    await fs.rm(outputPath, { force: true });
    throw error;
  }
  return { format: 'mp3', ...timings([plan], (header.samplesPerFrame / header.sampleRate) * 1000), bytes: plan.size };
}

/** Timings of the joined file from the plan: unitMs is the duration of one MPEG frame or one WAV sample frame. */
function timings(
  plans: PiecePlan[],
  unitMs: number,
): Pick<JoinResult, 'durationMs' | 'pieceStartsMs' | 'pieceDurationsMs'> {
  const pieceStartsMs: number[] = [];
  const pieceDurationsMs: number[] = [];
  let units = 0;
  for (const plan of plans) {
    units += plan.pauseUnits;
    pieceStartsMs.push(units * unitMs);
    pieceDurationsMs.push(plan.units * unitMs);
    units += plan.units + plan.pauseAfterUnits;
  }
  return { durationMs: units * unitMs, pieceStartsMs, pieceDurationsMs };
}

/** Writes bytes in order to an open file, counting them. */
class OutputWriter {
  bytes = 0;
  constructor(private readonly handle: fs.FileHandle) {}
  async write(chunk: Uint8Array): Promise<void> {
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await this.handle.write(chunk, done, chunk.length - done);
      done += bytesWritten;
    }
    this.bytes += chunk.length;
  }
}

const changedWhileJoined = (label: string): AudioFormatError =>
  new AudioFormatError(`The audio of ${label} changed while it was being joined.`, 'undecodable');

async function writeMpeg(
  out: OutputWriter,
  buffer: Uint8Array,
  header: MpegFrameHeader,
  plans: PiecePlan[],
  onPieceWritten: PieceWritten,
  signal?: AbortSignal,
): Promise<void> {
  const bitrates = new Set<number>([header.bitrateKbps]);
  for (const plan of plans) for (const kbps of plan.bitrates ?? []) bitrates.add(kbps);
  // CBR needs no header frame: players derive the duration from the bitrate. Mixed bitrates need a
  // Xing frame with the frame count, byte count and seek table of the joined stream.
  if (bitrates.size > 1) await out.write(xingFrameFor(header, plans));
  for (const [index, plan] of plans.entries()) {
    signal?.throwIfAborted();
    for (const batch of silentFrameBatches(header, plan.pauseUnits)) await out.write(batch);
    const label = pieceLabel(index, plan.path);
    // Runs of adjacent frames are written as they come; tags, header frames and junk between them stay behind.
    const scan = await withPiece(plan.path, buffer, (file) =>
      readMpeg(file, plan.bounds ?? { start: 0, end: file.size }, label, {
        onAudio: (bytes) => out.write(bytes),
        signal,
      }),
    );
    if (scan.frames !== plan.units) throw changedWhileJoined(label);
    for (const batch of silentFrameBatches(header, plan.pauseAfterUnits)) await out.write(batch);
    onPieceWritten(index, plans.length);
  }
}

/** The frames' lengths of the joined stream, pauses included, in order: 2 bytes per frame. */
function xingFrameFor(header: MpegFrameHeader, plans: PiecePlan[]): Uint8Array {
  const total = plans.reduce((sum, plan) => sum + plan.pauseUnits + plan.units + plan.pauseAfterUnits, 0);
  const lengths = new Uint16Array(total);
  let next = 0;
  // The silent frames' lengths in the order silentFrameBatches produces them (padding alternates).
  const silence = (frames: number) => {
    for (const batch of silentFrameBatches(header, frames)) {
      for (let offset = 0; offset < batch.length;) {
        const length = parseFrameHeader(batch, offset)?.frameLength ?? batch.length - offset;
        lengths[next++] = length;
        offset += length;
      }
    }
  };
  for (const plan of plans) {
    silence(plan.pauseUnits);
    if (plan.frameLengths) {
      lengths.set(plan.frameLengths, next);
      next += plan.frameLengths.length;
    }
    silence(plan.pauseAfterUnits);
  }
  return xingFrame(header, lengths.subarray(0, next));
}

/** Sample frames of silence per write: at most a few hundred KB whatever the pause. */
const SILENCE_BATCH_FRAMES = 32 * 1024;

async function writeWavSilence(out: OutputWriter, format: WavFormat, frames: number): Promise<void> {
  for (let left = frames; left > 0; left -= SILENCE_BATCH_FRAMES)
    await out.write(wavSilence(format, Math.min(left, SILENCE_BATCH_FRAMES)));
}

async function writeWav(
  out: OutputWriter,
  buffer: Uint8Array,
  format: WavFormat,
  plans: PiecePlan[],
  onPieceWritten: PieceWritten,
  signal?: AbortSignal,
): Promise<void> {
  const totalFrames = plans.reduce((sum, plan) => sum + plan.pauseUnits + plan.units + plan.pauseAfterUnits, 0);
  const dataSize = totalFrames * format.blockAlign;
  await out.write(wavHeader(format, dataSize));
  for (const [index, plan] of plans.entries()) {
    signal?.throwIfAborted();
    await writeWavSilence(out, format, plan.pauseUnits);
    const label = pieceLabel(index, plan.path);
    await withPiece(plan.path, buffer, async (file) => {
      const info = await readWav(file, label);
      if (!sameWavFormat(format, info.format) || info.dataSize !== plan.units * format.blockAlign)
        throw changedWhileJoined(label);
      for (let position = info.dataOffset, end = info.dataOffset + info.dataSize; position < end;) {
        signal?.throwIfAborted();
        const window = await file.load(position);
        const take = Math.min(window.length, end - position);
        if (take === 0) throw changedWhileJoined(label);
        await out.write(window.subarray(0, take));
        position += take;
      }
    });
    await writeWavSilence(out, format, plan.pauseAfterUnits);
    onPieceWritten(index, plans.length);
  }
  if (dataSize & 1) await out.write(new Uint8Array(1)); // RIFF chunks are padded to an even size
}

/**
 * Joins MP3 or WAV pieces into one file at `outputPath`, inserting silence before (and after) pieces that ask
 * for a pause. The output is a clean stream: MP3 without ID3/APE tags (and a Xing frame only when bitrates
 * differ), WAV with one fmt and one data chunk. Throws AudioFormatError when the pieces cannot be
 * joined; on any failure or abort, no output file is left behind.
 */
export async function joinAudioFiles(
  pieces: JoinPiece[],
  outputPath: string,
  options?: JoinOptions,
): Promise<JoinResult> {
  const signal = options?.signal;
  // Writing over a piece would destroy it before its second reading.
  if (pieces.some((piece) => path.resolve(piece.path) === path.resolve(outputPath)))
    throw new RangeError('The output path of a join cannot be one of its pieces.');
  const onPieceWritten = options?.onPieceWritten ?? (() => undefined);
  // One window buffer for every read of every piece: memory stays the same whatever their number.
  const buffer = new Uint8Array(FILE_WINDOW_BYTES);
  const { format, plans } = await planJoin(pieces, buffer, signal);
  signal?.throwIfAborted();
  if (format.kind === 'mp3' && isItsOwnJoin(format.header, plans)) {
    const result = await copyOnlyPiece(plans[0], outputPath, format.header);
    onPieceWritten(0, 1);
    return result;
  }
  const handle = await fs.open(outputPath, 'w');
  const out = new OutputWriter(handle);
  try {
    try {
      if (format.kind === 'mp3') await writeMpeg(out, buffer, format.header, plans, onPieceWritten, signal);
      else await writeWav(out, buffer, format.format, plans, onPieceWritten, signal);
      signal?.throwIfAborted();
    } finally {
      await handle.close();
    }
  } catch (e) {
    await fs.rm(outputPath, { force: true });
    throw e;
  }
  const unitMs =
    format.kind === 'mp3'
      ? (format.header.samplesPerFrame / format.header.sampleRate) * 1000
      : 1000 / format.format.sampleRate;
  return { format: format.kind, ...timings(plans, unitMs), bytes: out.bytes };
}

/**
 * The result joinAudioFiles would give for this one piece when that join is the piece's own bytes exactly (its
 * frames known from piece.mpeg, no pause, one bitrate), found without reading or writing anything: a caller who owns
 * the piece may take its file as the join. Undefined otherwise.
 */
export async function joinOfItsOwn(piece: JoinPiece): Promise<JoinResult | undefined> {
  if (!piece.mpeg) return undefined;
  // A known piece is planned from its frames alone: the window buffer is not used.
  const { format, plans } = await planJoin([piece], new Uint8Array(0));
  if (format.kind !== 'mp3' || !isItsOwnJoin(format.header, plans)) return undefined;
  const frameMs = (format.header.samplesPerFrame / format.header.sampleRate) * 1000;
  return { format: 'mp3', ...timings(plans, frameMs), bytes: plans[0].size };
}
