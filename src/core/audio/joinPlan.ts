// The first pass of a join: every piece is read once (through the shared window) to check that all share one
// format, and measured in audio units (MPEG frames or WAV sample frames) with the pauses around it, so that the
// second pass (join.ts) can write the header first and then stream the pieces.

import * as path from 'path';
import {
  detectAudioFileFormat,
  mpegBounds,
  readWavFileInfo,
  walkMpegFile,
  type MpegBounds,
  type MpegFileScan,
} from './audioFile';
import { FileWindow } from './fileWindow';
import { AudioFormatError, formatName } from './format';
import { describeMpegFormat, MpegFrameHeader } from './mpeg';
import { describeWavFormat, isPcmLike, sameWavFormat, WavFormat, WavInfo, WavParseError, wavFramesFor } from './wav';

import type { JoinPiece } from './join';

/** One measured piece: its audio units (MPEG frames or WAV sample frames) and the pause before it, in the same units. */
export interface PiecePlan {
  path: string;
  pauseUnits: number;
  /** silence after the piece, in the same units */
  pauseAfterUnits: number;
  units: number;
  /** MPEG only: where the audio lies in the file */
  bounds?: MpegBounds;
  /** MPEG only: the audio frames' lengths, for the Xing seek table */
  frameLengths?: Uint16Array;
  /** MPEG only: bitrates seen, to tell CBR from VBR */
  bitrates?: Set<number>;
  /** MPEG only: the piece is audio frames from its first byte to its last (no tag, header frame or junk) */
  allAudio?: boolean;
  /** The piece's size in bytes when it was planned */
  size: number;
}

type StreamFormat = { kind: 'mp3'; header: MpegFrameHeader } | { kind: 'wav'; format: WavFormat };

/** How messages name a piece: its 1-based number and file name, e.g. `piece 2 (piece-00001.mp3)`. */
export function pieceLabel(index: number, piecePath: string): string {
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

/** Walks a piece's MPEG frames (writing them to onAudio when given); AudioFormatError when it has none. */
export async function readMpeg(
  file: FileWindow,
  bounds: MpegBounds,
  label: string,
  options: { collectLengths?: boolean; onAudio?: (bytes: Uint8Array) => Promise<void>; signal?: AbortSignal },
): Promise<MpegFileScan> {
  const scan = await walkMpegFile(file, bounds, options);
  if (!scan || scan.frames === 0)
    throw new AudioFormatError(`The audio of ${label} contains no MPEG audio frames.`, 'undecodable');
  return scan;
}

/** Reads a piece's WAV header; AudioFormatError (in words) when it is not PCM-like WAV the join can copy. */
export async function readWav(file: FileWindow, label: string): Promise<WavInfo> {
  try {
    const info = await readWavFileInfo(file);
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

/** Opens a piece through the join's one window buffer, runs `use` on it, and closes it whatever happens. */
export async function withPiece<T>(
  piecePath: string,
  buffer: Uint8Array,
  use: (file: FileWindow) => Promise<T>,
): Promise<T> {
  const file = await FileWindow.open(piecePath, buffer);
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}

function checkPause(piece: JoinPiece, field: 'pauseBeforeMs' | 'pauseAfterMs' = 'pauseBeforeMs'): number {
  const ms = piece[field] ?? 0;
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${field} must be a finite number ≥ 0, not ${ms}`);
  return ms;
}

/**
 * First pass: read each piece once (a piece whose frames the caller walked already is not read), check that the
 * formats agree, and measure everything the header needs.
 */
export async function planJoin(
  pieces: JoinPiece[],
  buffer: Uint8Array,
  signal?: AbortSignal,
): Promise<{ format: StreamFormat; plans: PiecePlan[] }> {
  let format: StreamFormat | undefined;
  let firstLabel = '';
  const plans: PiecePlan[] = [];
  /** Checks an MP3 piece's format against the first piece's; returns the stream's format (the first piece's). */
  const mpegFormat = (header: MpegFrameHeader, label: string): MpegFrameHeader => {
    if (!format) {
      format = { kind: 'mp3', header };
      firstLabel = label;
    } else if (format.kind !== 'mp3') {
      throw mismatch(format, firstLabel, formatName('mp3'), label);
    } else if (!sameMpegJoinFormat(format.header, header)) {
      throw mismatch(format, firstLabel, `${describeMpegFormat(header)} MP3`, label);
    }
    return format.header;
  };
  const framesFor = (template: MpegFrameHeader, ms: number) =>
    Math.round((ms * template.sampleRate) / 1000 / template.samplesPerFrame);
  for (const [index, piece] of pieces.entries()) {
    signal?.throwIfAborted();
    const label = pieceLabel(index, piece.path);
    const pauseMs = checkPause(piece);
    const pauseAfterMs = checkPause(piece, 'pauseAfterMs');
    if (piece.mpeg) {
      const { header, frames, frameLengths, bitrates, bytes } = piece.mpeg;
      const template = mpegFormat(header, label);
      plans.push({
        path: piece.path,
        pauseUnits: framesFor(template, pauseMs),
        pauseAfterUnits: framesFor(template, pauseAfterMs),
        units: frames,
        bounds: { start: 0, end: bytes },
        frameLengths,
        bitrates: new Set(bitrates),
        allAudio: true,
        size: bytes,
      });
      continue;
    }
    await withPiece(piece.path, buffer, async (file) => {
      const detected = await detectAudioFileFormat(file);
      if (detected !== 'mp3' && detected !== 'wav') {
        const found = detected === 'unknown' ? 'not in a recognized audio format' : `${formatName(detected)} audio`;
        throw new AudioFormatError(
          `The audio of ${label} is ${found}; only MP3 and WAV pieces can be joined.`,
          detected === 'unknown' ? 'unrecognized' : 'unsupported',
        );
      }
      if (format && format.kind !== detected) throw mismatch(format, firstLabel, formatName(detected), label);
      if (detected === 'mp3') {
        const bounds = await mpegBounds(file);
        const scan = await readMpeg(file, bounds, label, { collectLengths: true, signal });
        const template = mpegFormat(scan.header, label);
        plans.push({
          path: piece.path,
          pauseUnits: framesFor(template, pauseMs),
          pauseAfterUnits: framesFor(template, pauseAfterMs),
          units: scan.frames,
          bounds,
          frameLengths: scan.frameLengths,
          bitrates: scan.bitrates,
          allAudio: bounds.start === 0 && bounds.end === file.size && scan.audioBytes === file.size,
          size: file.size,
        });
      } else {
        const info = await readWav(file, label);
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
          pauseAfterUnits: wavFramesFor(wavFormat, pauseAfterMs),
          units: info.dataSize / wavFormat.blockAlign,
          size: file.size,
        });
      }
    });
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

/**
 * Whether the join would write exactly the bytes of its one piece: no pause before or after it, no header frame to
 * write (one bitrate), and nothing to leave out (the piece is audio frames from end to end). The common case of a
 * one-part script.
 */
export function isItsOwnJoin(header: MpegFrameHeader, plans: PiecePlan[]): boolean {
  const [only] = plans;
  return (
    plans.length === 1 &&
    only.pauseUnits === 0 &&
    only.pauseAfterUnits === 0 &&
    only.allAudio === true &&
    (only.bitrates?.size ?? 0) === 1 &&
    only.bitrates?.has(header.bitrateKbps) === true
  );
}
