// Audio files of any size read with bounded memory: their format from the first bytes, the frames of an MP3 walked
// window by window, the header of a WAV. What the join needs, without ever holding a whole file.

import { AUDIO_SNIFF_BYTES, detectAudioFormat, detectAudioFormatAfterId3, type AudioFormat } from './format';
import type { FileWindow } from './fileWindow';
import { MpegFrameWalker, type MpegFrameHeader } from './mpeg';
import { audioEndBeforeTrailingTags, id3v2TagSize } from './mpegFrame';
import { isWav, MAX_WAV_FMT_BYTES, WavChunkWalk, WavParseError, type WavInfo } from './wav';

/** How much of a file's end is searched for trailing tags (ID3v1, APE, Lyrics3, appended ID3v2). */
const TAIL_BYTES = 64 * 1024;
/** An ID3v2 tag up to this size is read with the head in one go; a larger one (cover art) is stepped over. */
const INLINE_TAG_BYTES = 256 * 1024;

/** The format of an audio file from its first bytes, as detectAudioFormat decides it (an ID3v2 tag of any size is stepped over). */
export async function detectAudioFileFormat(file: FileWindow): Promise<AudioFormat> {
  const tag = id3v2TagSize(await file.readAt(0, 10), 0);
  if (tag === 0 || tag <= INLINE_TAG_BYTES) return detectAudioFormat(await file.readAt(0, tag + AUDIO_SNIFF_BYTES));
  if (tag >= file.size) return 'mp3'; // the tag runs past the end; ID3v2 almost always means MP3
  return detectAudioFormatAfterId3(await file.readAt(tag, AUDIO_SNIFF_BYTES));
}

/** Where the audio of an MPEG file lies: after the leading ID3v2 tags and before the trailing tags (byte positions). */
export interface MpegBounds {
  start: number;
  end: number;
}

/** Finds the MPEG audio's bounds; a trailing tag larger than 64 KiB is left to the walk, which steps over it as junk. */
export async function mpegBounds(file: FileWindow): Promise<MpegBounds> {
  let start = 0;
  for (;;) {
    const size = id3v2TagSize(await file.readAt(start, 10), 0);
    if (size === 0) break;
    start += size;
  }
  const tailStart = Math.max(0, file.size - TAIL_BYTES);
  const tail = await file.readAt(tailStart, TAIL_BYTES);
  const end = tailStart + audioEndBeforeTrailingTags(tail, Math.max(0, start - tailStart));
  return { start, end: Math.max(0, end) };
}

/** What one walk of an MPEG file found out. */
export interface MpegFileScan {
  /** The first audio frame's header (the stream's format). */
  header: MpegFrameHeader;
  /** Audio frames (a leading Xing/Info/VBRI frame is not one). */
  frames: number;
  audioBytes: number;
  /** The bitrates seen (kbit/s), to tell constant from variable bitrate. */
  bitrates: Set<number>;
  /** Each audio frame's length, when asked for (2 bytes per frame of ~400). */
  frameLengths?: Uint16Array;
}

export interface MpegWalkOptions {
  /** Keep every frame's length (for a Xing seek table). */
  collectLengths?: boolean;
  /** Receives the audio frames' bytes in order, as runs of adjacent frames; tags and junk between them are left out. */
  onAudio?: (bytes: Uint8Array) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Walks every frame of an MPEG file within `bounds` through the file's window (MpegFrameWalker decides, exactly as
 * for a file in memory); undefined when no audio frame is found. The bytes given to onAudio are views of the window,
 * valid until the promise it returns settles.
 */
export async function walkMpegFile(
  file: FileWindow,
  bounds: MpegBounds,
  options: MpegWalkOptions = {},
): Promise<MpegFileScan | undefined> {
  const walker = new MpegFrameWalker(bounds.end, file.size);
  const lengths = options.collectLengths ? new Uint16List() : undefined;
  const bitrates = new Set<number>();
  let header: MpegFrameHeader | undefined;
  let frames = 0;
  while (!walker.done) {
    options.signal?.throwIfAborted();
    const window = await file.load(walker.offset);
    if (window.length === 0) break;
    const runs: number[] = []; // start, end, start, end… (file positions)
    walker.advance(window, file.start, (offset, frame) => {
      header ??= frame;
      frames++;
      bitrates.add(frame.bitrateKbps);
      lengths?.push(frame.frameLength);
      if (runs.length > 0 && runs[runs.length - 1] === offset) runs[runs.length - 1] = offset + frame.frameLength;
      else runs.push(offset, offset + frame.frameLength);
    });
    if (options.onAudio)
      for (let i = 0; i < runs.length; i += 2)
        await options.onAudio(window.subarray(runs[i] - file.start, runs[i + 1] - file.start));
  }
  if (!header) return undefined;
  return {
    header,
    frames,
    audioBytes: walker.audioBytes,
    bitrates,
    ...(lengths ? { frameLengths: lengths.toArray() } : {}),
  };
}

/** Reads a WAV file's format and where its samples are, with bounded reads (throws WavParseError when broken). */
export async function readWavFileInfo(file: FileWindow): Promise<WavInfo> {
  if (!isWav(await file.readAt(0, 12))) throw new WavParseError('not a RIFF/WAVE file');
  const walk = new WavChunkWalk(file.size);
  while (walk.offset + 8 <= file.size) {
    const info = walk.advance(await file.readAt(walk.offset, 8 + MAX_WAV_FMT_BYTES), walk.offset);
    if (info) return info;
  }
  throw new WavParseError(walk.format ? 'there is no data chunk' : 'there is no fmt chunk');
}

/** A growing list of 16-bit numbers: 2 bytes per entry instead of a JavaScript array's 8 or more. */
class Uint16List {
  private data = new Uint16Array(1024);
  private length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint16Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  toArray(): Uint16Array {
    return this.data.slice(0, this.length);
  }
}
