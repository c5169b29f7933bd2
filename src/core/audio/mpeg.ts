// MPEG audio streams: walking every frame of a stream (all at once, or window by window for files of any size),
// and synthesis of silent frames and of a Xing header frame. One frame's anatomy is in mpegFrame.ts.

import {
  audioEndBeforeTrailingTags,
  bitrateTable,
  frameHeaderBytes,
  id3v2TagSize,
  mpegFrameLength,
  parseFrameHeader,
  readTagFrame,
  sameStreamFormat,
  xingOffset,
  type MpegFrameHeader,
  type MpegTagFrame,
} from './mpegFrame';

export * from './mpegFrame';

/** One frame found in a stream. */
export interface MpegFrameRef {
  offset: number;
  header: MpegFrameHeader;
}

/** The result of walking an MPEG audio stream from its first to its last frame. */
export interface MpegScan {
  /** audio frames in order (a leading Xing/Info/VBRI frame is not among them) */
  frames: MpegFrameRef[];
  /** the leading Xing/Info/VBRI frame, if the stream has one */
  tagFrame?: MpegTagFrame & MpegFrameRef;
  /** bytes between frames that were not frames or tags (0 in a clean stream) */
  junkBytes: number;
  /** sum of the audio frames' lengths */
  audioBytes: number;
}

// Does a whole frame start here? Right after a good frame, a valid header of the same stream is
// enough. When searching for a frame (at the start or after garbage), a header alone is weak evidence
// (4 bytes that may be random), so the next header must continue the same stream, or the data end there.
function frameAt(
  bytes: Uint8Array,
  offset: number,
  end: number,
  reference: MpegFrameHeader | undefined,
  inSync: boolean,
): MpegFrameHeader | undefined {
  const h = parseFrameHeader(bytes, offset);
  if (!h || (reference && !sameStreamFormat(reference, h))) return undefined;
  const next = offset + h.frameLength;
  if (next > end) return undefined; // truncated
  if (next === end || inSync) return h;
  if (id3v2TagSize(bytes, next) > 0) return h;
  const following = parseFrameHeader(bytes, next);
  return following && sameStreamFormat(h, following) ? h : undefined;
}

/** Skips ID3v2 tags at `offset` (there may be several) and returns the first offset after them. */
export function skipId3v2Tags(bytes: Uint8Array, offset: number): number {
  let size: number;
  while ((size = id3v2TagSize(bytes, offset)) > 0) offset += size;
  return offset;
}

/** Bytes a walker may read past the current position to decide one step: a whole frame (≤ 1,730 bytes) and the next ID3 header. */
export const MPEG_WALK_LOOKAHEAD = 4096;

/**
 * Walks the frames of an MPEG audio stream one decision at a time, so a stream can be read whole (scanMpegFrames) or
 * window by window (a file of any size, see mpegFile.ts) with the same results: it skips ID3v2 tags, recognizes a
 * leading Xing/Info/VBRI frame, steps over garbage between frames and drops a truncated last frame. Positions are
 * absolute byte offsets in the stream; the audio ends at `end` (trailing tags cut off), the data at `size`.
 */
export class MpegFrameWalker {
  /** Where the next decision starts. */
  offset = 0;
  /** The first frame's header: the stream's format. */
  reference: MpegFrameHeader | undefined;
  tagFrame: MpegScan['tagFrame'];
  junkBytes = 0;
  audioBytes = 0;
  private inSync = false;

  constructor(
    readonly end: number,
    readonly size: number,
  ) {}

  get done(): boolean {
    return this.offset >= this.end;
  }

  /**
   * Advances over `window`, the stream's bytes from `windowStart` on, calling onFrame for every audio frame (which
   * lies wholly inside the window). Stops when the stream is done, or when the next step may need bytes past the
   * window: then call again with a window that starts at or before `offset`.
   */
  advance(window: Uint8Array, windowStart: number, onFrame: (offset: number, header: MpegFrameHeader) => void): void {
    const windowEnd = windowStart + window.length;
    const end = this.end - windowStart;
    if (this.offset < windowStart) throw new RangeError('The window starts after the walk position.');
    while (this.offset < this.end) {
      if (windowEnd < this.size && this.offset + MPEG_WALK_LOOKAHEAD > windowEnd) return;
      const at = this.offset - windowStart;
      const tagSize = id3v2TagSize(window, at);
      if (tagSize > 0) {
        this.offset += tagSize;
        continue;
      }
      const header = frameAt(window, at, end, this.reference, this.inSync);
      if (!header) {
        // A truncated last frame, or garbage: count it and resynchronize on the next real frame.
        this.junkBytes++;
        this.offset++;
        this.inSync = false;
        continue;
      }
      this.inSync = true;
      if (!this.reference) {
        this.reference = header;
        const tag = readTagFrame(window, at, header);
        if (tag) {
          this.tagFrame = { ...tag, offset: this.offset, header };
          this.offset += header.frameLength;
          continue;
        }
      }
      onFrame(this.offset, header);
      this.audioBytes += header.frameLength;
      this.offset += header.frameLength;
    }
  }
}

/**
 * Walks every frame of an MPEG audio stream held in memory (see MpegFrameWalker for what is skipped).
 * Returns undefined when no frame is found at all.
 */
export function scanMpegFrames(bytes: Uint8Array): MpegScan | undefined {
  const walker = new MpegFrameWalker(audioEndBeforeTrailingTags(bytes, skipId3v2Tags(bytes, 0)), bytes.length);
  const frames: MpegFrameRef[] = [];
  walker.advance(bytes, 0, (offset, header) => frames.push({ offset, header }));
  if (!walker.reference) return undefined;
  return { frames, tagFrame: walker.tagFrame, junkBytes: walker.junkBytes, audioBytes: walker.audioBytes };
}

/**
 * `count` silent frames in the stream format of `template` at its bitrate: header, then all-zero
 * side information and main data (no Huffman bits, zero gain; Layer I/II: no bits allocated), which
 * every decoder renders as digital silence. Padding alternates like an encoder's so the average
 * bitrate is exact.
 */
export function silentFrames(template: MpegFrameHeader, count: number): Uint8Array {
  const batches = [...silentFrameBatches(template, count, Math.max(1, count))];
  return batches.length === 1 ? batches[0] : new Uint8Array(0);
}

/**
 * The frames of silentFrames(template, count), byte for byte, in pieces of at most `batchFrames` frames, so a pause
 * of any length is written with a bounded buffer.
 */
export function* silentFrameBatches(
  template: MpegFrameHeader,
  count: number,
  batchFrames = 1024,
): Generator<Uint8Array, void, undefined> {
  const { version, layer, bitrateKbps, sampleRate } = template;
  const plain = mpegFrameLength(version, layer, bitrateKbps, sampleRate, false);
  const padded = mpegFrameLength(version, layer, bitrateKbps, sampleRate, true);
  // Exact slots per frame, used to decide when a padded frame keeps the average right.
  const exactSlots = ((layer === 1 ? 12 : layer === 3 && version !== '1' ? 72 : 144) * bitrateKbps * 1000) / sampleRate;
  const fraction = exactSlots - Math.floor(exactSlots);
  const plainHeader = frameHeaderBytes(template, bitrateKbps, false);
  const paddedHeader = frameHeaderBytes(template, bitrateKbps, true);
  let carry = 0;
  for (let done = 0; done < count;) {
    const frames = Math.min(batchFrames, count - done);
    const out = new Uint8Array(frames * padded);
    let used = 0;
    for (let i = 0; i < frames; i++) {
      carry += fraction;
      const pad = carry >= 1 - 1e-9 && padded > plain;
      if (pad) carry -= 1;
      out.set(pad ? paddedHeader : plainHeader, used);
      used += pad ? padded : plain;
    }
    done += frames;
    yield out.subarray(0, used);
  }
}

/**
 * A Xing header frame (itself silent) declaring `frames` audio frames, `streamBytes` bytes
 * (this frame included) and a seek table, for streams whose bitrate varies.
 * `frameLengths` are the audio frames' lengths in order.
 */
export function xingFrame(template: MpegFrameHeader, frameLengths: ArrayLike<number>): Uint8Array {
  const tagOffset = xingOffset({ ...template, hasCrc: false });
  // "Xing", flags, frames, bytes, TOC; then room for a LAME extension (36 bytes) left as zeros:
  // decoders read encoder delay/padding at that place without checking, and must find zeros, not the next frame.
  const needed = tagOffset + 4 + 4 + 4 + 4 + 100 + 4 + 36;
  const bitrate = bitrateTable(template.version, template.layer).find(
    (kbps) => kbps > 0 && mpegFrameLength(template.version, template.layer, kbps, template.sampleRate, false) >= needed,
  );
  if (bitrate === undefined) throw new RangeError('No MPEG bitrate gives a frame large enough for a Xing header');
  const frame = new Uint8Array(mpegFrameLength(template.version, template.layer, bitrate, template.sampleRate, false));
  frame.set(frameHeaderBytes(template, bitrate, false), 0);
  const view = new DataView(frame.buffer);
  let audioBytes = 0;
  for (let i = 0; i < frameLengths.length; i++) audioBytes += frameLengths[i];
  const streamBytes = frame.length + audioBytes;
  frame.set([0x58, 0x69, 0x6e, 0x67], tagOffset); // "Xing"
  view.setUint32(tagOffset + 4, 0x7); // frames, bytes and TOC present
  view.setUint32(tagOffset + 8, frameLengths.length);
  view.setUint32(tagOffset + 12, streamBytes);
  // TOC: for each percent of duration, the byte position (scaled to 0..255) where it starts.
  const toc = tagOffset + 16;
  const count = frameLengths.length;
  let frameIndex = 0;
  let position = frame.length;
  for (let percent = 0; percent < 100; percent++) {
    const targetFrame = Math.floor((percent / 100) * count);
    while (frameIndex < targetFrame) position += frameLengths[frameIndex++];
    frame[toc + percent] = Math.min(255, Math.floor((position / streamBytes) * 256));
  }
  return frame;
}
