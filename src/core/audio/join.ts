// Joins audio pieces (the chunks of one narration) into one file, with optional silence between them.
// MP3 is joined frame by frame; WAV by concatenating sample data under one new header.
// Two passes: the first reads every piece to check that they all share one format and to learn the
// totals the header needs; the second writes the output piece by piece. Only one piece is in memory
// at a time, and nothing is written unless every piece can be joined.

import { promises as fs } from 'fs';
import * as path from 'path';
import { AudioFormat, AudioFormatError, detectAudioFormat, formatName } from './format';
import {
  describeMpegFormat,
  MpegFrameHeader,
  MpegScan,
  parseFrameHeader,
  scanMpegFrames,
  silentFrames,
  xingFrame,
} from './mpeg';
import {
  describeWavFormat,
  isPcmLike,
  parseWav,
  sameWavFormat,
  WavFormat,
  WavInfo,
  WavParseError,
  wavFramesFor,
  wavHeader,
  wavSilence,
} from './wav';

export interface JoinPiece {
  path: string;
  /** silence inserted before this piece (ms), e.g. the pause between sections */
  pauseBeforeMs?: number;
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

/** One measured piece: its audio units (MPEG frames or WAV sample frames) and the pause before it, in the same units. */
interface PiecePlan {
  path: string;
  pauseUnits: number;
  units: number;
  /** MPEG only: the audio frames' lengths, for the Xing seek table */
  frameLengths?: number[];
  /** MPEG only: bitrates seen, to tell CBR from VBR */
  bitrates?: Set<number>;
}

type StreamFormat = { kind: 'mp3'; header: MpegFrameHeader } | { kind: 'wav'; format: WavFormat };

function pieceLabel(index: number, piecePath: string): string {
  return `piece ${index + 1} (${path.basename(piecePath)})`;
}

function describe(format: StreamFormat): string {
  return format.kind === 'mp3' ? `${describeMpegFormat(format.header)} MP3` : describeWavFormat(format.format);
}

function mismatch(first: StreamFormat, firstIndex: string, other: string, otherIndex: string): AudioFormatError {
  return new AudioFormatError(
    `The audio pieces have different formats (${firstIndex} is ${describe(first)}, ${otherIndex} is ${other}), so they cannot be joined.`,
    'mismatch',
  );
}

function readMpeg(bytes: Uint8Array, label: string): MpegScan {
  const scan = scanMpegFrames(bytes);
  if (!scan || scan.frames.length === 0)
    throw new AudioFormatError(`The audio of ${label} contains no MPEG audio frames.`, 'undecodable');
  return scan;
}

function readWav(bytes: Uint8Array, label: string): WavInfo {
  try {
    const info = parseWav(bytes);
    if (!isPcmLike(info.format)) {
      throw new AudioFormatError(
        `The audio of ${label} is ${describeWavFormat(info.format)}; only uncompressed WAV (PCM, float, A-law, µ-law) can be joined.`,
        'unsupported',
      );
    }
    return info;
  } catch (e) {
    if (e instanceof WavParseError)
      throw new AudioFormatError(`The WAV audio of ${label} cannot be read: ${e.message}.`, 'undecodable');
    throw e;
  }
}

function checkPause(piece: JoinPiece): number {
  const ms = piece.pauseBeforeMs ?? 0;
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`pauseBeforeMs must be a finite number ≥ 0, not ${ms}`);
  return ms;
}

/** First pass: read each piece once, check that the formats agree, and measure everything the header needs. */
async function planJoin(
  pieces: JoinPiece[],
  signal?: AbortSignal,
): Promise<{ format: StreamFormat; plans: PiecePlan[] }> {
  let format: StreamFormat | undefined;
  let firstLabel = '';
  const plans: PiecePlan[] = [];
  for (const [index, piece] of pieces.entries()) {
    signal?.throwIfAborted();
    const label = pieceLabel(index, piece.path);
    const pauseMs = checkPause(piece);
    const bytes = new Uint8Array(await fs.readFile(piece.path, { signal }));
    const detected = detectAudioFormat(bytes);
    if (detected !== 'mp3' && detected !== 'wav') {
      const found = detected === 'unknown' ? 'not in a recognized audio format' : `${formatName(detected)} audio`;
      throw new AudioFormatError(
        `The audio of ${label} is ${found}; only MP3 and WAV pieces can be joined.`,
        detected === 'unknown' ? 'unrecognized' : 'unsupported',
      );
    }
    if (format && format.kind !== detected) throw mismatch(format, firstLabel, formatName(detected), label);
    if (detected === 'mp3') {
      const scan = readMpeg(bytes, label);
      const header = scan.frames[0].header;
      if (!format) {
        format = { kind: 'mp3', header };
        firstLabel = label;
      } else if (format.kind === 'mp3' && !sameMpegJoinFormat(format.header, header)) {
        throw mismatch(format, firstLabel, `${describeMpegFormat(header)} MP3`, label);
      }
      const template = (format as { header: MpegFrameHeader }).header;
      plans.push({
        path: piece.path,
        pauseUnits: Math.round((pauseMs * template.sampleRate) / 1000 / template.samplesPerFrame),
        units: scan.frames.length,
        frameLengths: scan.frames.map((f) => f.header.frameLength),
        bitrates: new Set(scan.frames.map((f) => f.header.bitrateKbps)),
      });
    } else {
      const info = readWav(bytes, label);
      if (!format) {
        format = { kind: 'wav', format: info.format };
        firstLabel = label;
      } else if (format.kind === 'wav' && !sameWavFormat(format.format, info.format)) {
        throw mismatch(format, firstLabel, describeWavFormat(info.format), label);
      }
      const wavFormat = (format as { format: WavFormat }).format;
      plans.push({
        path: piece.path,
        pauseUnits: wavFramesFor(wavFormat, pauseMs),
        units: info.dataSize / wavFormat.blockAlign,
      });
    }
  }
  if (!format) throw new RangeError('joinAudioFiles needs at least one piece');
  return { format, plans };
}

// Stereo and joint stereo differ per frame in any encoder's output, so they may be mixed; mono, dual
// channel and stereo may not, nor may version, layer or sample rate.
function sameMpegJoinFormat(a: MpegFrameHeader, b: MpegFrameHeader): boolean {
  const stereoFamily = (h: MpegFrameHeader) => (h.channelMode === 'joint stereo' ? 'stereo' : h.channelMode);
  return (
    a.version === b.version &&
    a.layer === b.layer &&
    a.sampleRate === b.sampleRate &&
    stereoFamily(a) === stereoFamily(b)
  );
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
    units += plan.units;
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

async function rereadMpeg(
  plan: PiecePlan,
  label: string,
  signal?: AbortSignal,
): Promise<{ bytes: Uint8Array; scan: MpegScan }> {
  const bytes = new Uint8Array(await fs.readFile(plan.path, { signal }));
  const scan = readMpeg(bytes, label);
  if (scan.frames.length !== plan.units)
    throw new AudioFormatError(`The audio of ${label} changed while it was being joined.`, 'undecodable');
  return { bytes, scan };
}

async function writeMpeg(
  out: OutputWriter,
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
    if (plan.pauseUnits > 0) await out.write(silentFrames(header, plan.pauseUnits));
    const { bytes, scan } = await rereadMpeg(plan, pieceLabel(index, plan.path), signal);
    // Write runs of adjacent frames in one call; tags, header frames and junk between them stay behind.
    let runStart = scan.frames[0].offset;
    let runEnd = runStart;
    for (const frame of scan.frames) {
      if (frame.offset !== runEnd) {
        await out.write(bytes.subarray(runStart, runEnd));
        runStart = frame.offset;
      }
      runEnd = frame.offset + frame.header.frameLength;
    }
    await out.write(bytes.subarray(runStart, runEnd));
    onPieceWritten(index, plans.length);
  }
}

// The silent frames' lengths in the order silentFrames produces them (padding alternates).
function silentFrameLengths(header: MpegFrameHeader, count: number): number[] {
  const frames = silentFrames(header, count);
  const lengths: number[] = [];
  for (let offset = 0; offset < frames.length;) {
    const length = parseFrameHeader(frames, offset)?.frameLength ?? frames.length - offset;
    lengths.push(length);
    offset += length;
  }
  return lengths;
}

function xingFrameFor(header: MpegFrameHeader, plans: PiecePlan[]): Uint8Array {
  const lengths: number[] = [];
  for (const plan of plans) {
    // Plain loops: spreading an hour of frames (~140,000) into push() would overflow the call stack.
    for (const length of silentFrameLengths(header, plan.pauseUnits)) lengths.push(length);
    for (const length of plan.frameLengths ?? []) lengths.push(length);
  }
  return xingFrame(header, lengths);
}

async function writeWav(
  out: OutputWriter,
  format: WavFormat,
  plans: PiecePlan[],
  onPieceWritten: PieceWritten,
  signal?: AbortSignal,
): Promise<void> {
  const totalFrames = plans.reduce((sum, plan) => sum + plan.pauseUnits + plan.units, 0);
  const dataSize = totalFrames * format.blockAlign;
  await out.write(wavHeader(format, dataSize));
  for (const [index, plan] of plans.entries()) {
    signal?.throwIfAborted();
    if (plan.pauseUnits > 0) await out.write(wavSilence(format, plan.pauseUnits));
    const label = pieceLabel(index, plan.path);
    const bytes = new Uint8Array(await fs.readFile(plan.path, { signal }));
    const info = readWav(bytes, label);
    if (!sameWavFormat(format, info.format) || info.dataSize !== plan.units * format.blockAlign) {
      throw new AudioFormatError(`The audio of ${label} changed while it was being joined.`, 'undecodable');
    }
    await out.write(bytes.subarray(info.dataOffset, info.dataOffset + info.dataSize));
    onPieceWritten(index, plans.length);
  }
  if (dataSize & 1) await out.write(new Uint8Array(1)); // RIFF chunks are padded to an even size
}

/**
 * Joins MP3 or WAV pieces into one file at `outputPath`, inserting silence before pieces that ask for a
 * pause. The output is a clean stream: MP3 without ID3/APE tags (and a Xing frame only when bitrates
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
  const { format, plans } = await planJoin(pieces, signal);
  signal?.throwIfAborted();
  const handle = await fs.open(outputPath, 'w');
  const out = new OutputWriter(handle);
  try {
    try {
      if (format.kind === 'mp3') await writeMpeg(out, format.header, plans, onPieceWritten, signal);
      else await writeWav(out, format.format, plans, onPieceWritten, signal);
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
