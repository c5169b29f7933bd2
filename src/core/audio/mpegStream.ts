// Walking an MP3's frames while its bytes arrive (a download), so that a join need not read the file again to plan
// it. Only the plain case is recognized: MPEG audio frames of one stream from the first byte to the last, with no
// tag, header frame or junk anywhere; then the walk is exactly what the join's first pass (joinPlan.ts) would find.
// Anything else, and the walk gives up at once: the join then reads the file as usual.

import { parseFrameHeader, readTagFrame, sameStreamFormat, type MpegFrameHeader } from './mpegFrame';

/** What a walk of a plain MPEG stream found: every byte belongs to one of its audio frames. */
export interface PlainMpegStream {
  /** The first frame's header: the stream's format. */
  header: MpegFrameHeader;
  /** Audio frames, all of them. */
  frames: number;
  /** The bitrates seen (kbit/s). */
  bitrates: ReadonlySet<number>;
  /** Each frame's length in bytes, in order (2 bytes per frame of ~400). */
  frameLengths: Uint16Array;
  /** The stream's size in bytes (the sum of the frame lengths). */
  bytes: number;
}

/** Distinct headers remembered as checked (a stream has a handful; random data would have many). */
const MAX_CHECKED_HEADERS = 64;
/** Trailing tags are recognized by a signature within the last 128 bytes (see audioEndBeforeTrailingTags). */
const TAIL_BYTES = 128;
/** [signature, its position from the end]: ID3v1, APEv2 footer, Lyrics3v2, appended ID3v2 footer. */
const TRAILING_SIGNATURES: readonly [string, number][] = [
  ['TAG', 128],
  ['APETAGEX', 32],
  ['LYRICS200', 9],
  ['3DI', 10],
];

/**
 * Follows a stream pushed to it chunk by chunk (in order, each chunk read at once and not kept) and tells, at the
 * end, whether it was a plain MPEG stream and what its frames are. Memory: 2 bytes per frame, and a few bytes of the
 * frame header that spans two chunks.
 */
export class MpegStreamWalk {
  private received = 0;
  /** Where the next frame starts (absolute). */
  private next = 0;
  /** The stream's bytes from `next` on, when a frame's header (or the whole first frame) spans chunks. */
  private carry: Uint8Array = new Uint8Array(0);
  private tail: Uint8Array = new Uint8Array(0);
  private header: MpegFrameHeader | undefined;
  private frames = 0;
  private readonly bitrates = new Set<number>();
  private lengths: Uint16Array = new Uint16Array(1024);
  private gaveUp = false;
  /** Headers (by their 4 bytes) already found to continue the stream, their bitrates counted. */
  private readonly checked = new Map<number, MpegFrameHeader>();

  /** Takes the next bytes of the stream. */
  push(chunk: Uint8Array): void {
    if (this.gaveUp || chunk.length === 0) return;
    let data = chunk;
    let dataStart = this.received;
    this.received += chunk.length;
    this.rememberTail(chunk);
    if (this.carry.length > 0) {
      data = concat(this.carry, chunk);
      dataStart = this.next;
      this.carry = new Uint8Array(0);
    }
    for (let at = this.next - dataStart; at < data.length; at = this.next - dataStart) {
      // The first frame is looked at whole (is it a Xing/Info/VBRI header frame?); the others need their header only.
      const needed = this.header ? 4 : Math.max(4, parseFrameHeader(data, at)?.frameLength ?? 0);
      if (at + needed > data.length) {
        this.carry = data.slice(at);
        return;
      }
      // Most frames repeat one of a few headers: one already checked is taken as it is.
      const raw = ((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>> 0;
      const known = this.checked.get(raw);
      if (known) {
        this.lengths = pushLength(this.lengths, this.frames++, known.frameLength);
        this.next += known.frameLength;
        continue;
      }
      const frame = parseFrameHeader(data, at);
      if (!frame || (this.header && !sameStreamFormat(this.header, frame))) return this.giveUp();
      if (this.checked.size < MAX_CHECKED_HEADERS) this.checked.set(raw, frame);
      if (!this.header) {
        // A header frame is not audio; 'ftyp' at byte 4 would make the file an M4A to the format sniffing.
        if (readTagFrame(data, at, frame) || ascii(data, at + 4, 'ftyp')) return this.giveUp();
        this.header = frame;
      }
      this.count(frame);
      this.next += frame.frameLength;
    }
  }

  /** Once the whole stream was pushed: its frames when it was a plain MPEG stream, else undefined. */
  finish(): PlainMpegStream | undefined {
    if (this.gaveUp || !this.header || this.next !== this.received) return undefined;
    const tail = this.tail;
    if (TRAILING_SIGNATURES.some(([text, fromEnd]) => ascii(tail, tail.length - fromEnd, text))) return undefined;
    return {
      header: this.header,
      frames: this.frames,
      bitrates: this.bitrates,
      frameLengths: this.lengths.slice(0, this.frames),
      bytes: this.received,
    };
  }

  private count(frame: MpegFrameHeader): void {
    this.lengths = pushLength(this.lengths, this.frames++, frame.frameLength);
    this.bitrates.add(frame.bitrateKbps);
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.carry = this.tail = new Uint8Array(0);
    this.lengths = new Uint16Array(0);
  }

  private rememberTail(chunk: Uint8Array): void {
    if (chunk.length >= TAIL_BYTES) {
      this.tail = chunk.slice(chunk.length - TAIL_BYTES);
      return;
    }
    const joined = concat(this.tail, chunk);
    this.tail = joined.subarray(Math.max(0, joined.length - TAIL_BYTES));
  }
}

/** Stores `length` at `index`, in a list grown (doubled) when full; returns the list. */
function pushLength(lengths: Uint16Array, index: number, length: number): Uint16Array {
  if (index === lengths.length) {
    const grown = new Uint16Array(lengths.length * 2);
    grown.set(lengths);
    lengths = grown;
  }
  lengths[index] = length;
  return lengths;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function ascii(bytes: Uint8Array, offset: number, text: string): boolean {
  if (offset < 0 || offset + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}
