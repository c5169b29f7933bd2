// MPEG audio (MP1/MP2/MP3) frame parsing: headers, frame lengths, tags around the frames,
// Xing/Info/VBRI header frames, and synthesis of silent frames and of a Xing header.
// Plain byte arithmetic on Uint8Array; no decoding of the audio itself.

export type MpegVersion = '1' | '2' | '2.5';
export type MpegLayer = 1 | 2 | 3;
export type MpegChannelMode = 'stereo' | 'joint stereo' | 'dual channel' | 'mono';

/** The fields of one 4-byte MPEG audio frame header. */
export interface MpegFrameHeader {
  version: MpegVersion;
  layer: MpegLayer;
  /** true when a 16-bit CRC follows the header */
  hasCrc: boolean;
  bitrateKbps: number;
  sampleRate: number;
  padding: boolean;
  channelMode: MpegChannelMode;
  channels: 1 | 2;
  /** the raw header bits, kept so that synthesized frames can copy the flags */
  raw: number;
  /** whole frame length in bytes, header included */
  frameLength: number;
  samplesPerFrame: number;
}

const VERSION_BY_BITS: (MpegVersion | undefined)[] = ['2.5', undefined, '2', '1'];
const LAYER_BY_BITS: (MpegLayer | undefined)[] = [undefined, 3, 2, 1];
const CHANNEL_MODES: MpegChannelMode[] = ['stereo', 'joint stereo', 'dual channel', 'mono'];

const SAMPLE_RATES: Record<MpegVersion, number[]> = {
  '1': [44100, 48000, 32000],
  '2': [22050, 24000, 16000],
  '2.5': [11025, 12000, 8000],
};

// Index 0 is "free format" (unsupported: frame length not derivable from the header); 15 is invalid.
const BITRATES_V1: Record<MpegLayer, number[]> = {
  1: [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  2: [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
};
const BITRATES_V2: Record<MpegLayer, number[]> = {
  1: [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  3: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};

function bitrateTable(version: MpegVersion, layer: MpegLayer): number[] {
  return version === '1' ? BITRATES_V1[layer] : BITRATES_V2[layer];
}

function samplesPerFrameOf(version: MpegVersion, layer: MpegLayer): number {
  if (layer === 1) return 384;
  if (layer === 2) return 1152;
  return version === '1' ? 1152 : 576;
}

/** Frame length in bytes for the given parameters (Layer I counts in 4-byte slots). */
export function mpegFrameLength(
  version: MpegVersion,
  layer: MpegLayer,
  bitrateKbps: number,
  sampleRate: number,
  padding: boolean,
): number {
  const bps = bitrateKbps * 1000;
  if (layer === 1) return (Math.floor((12 * bps) / sampleRate) + (padding ? 1 : 0)) * 4;
  const coefficient = layer === 3 && version !== '1' ? 72 : 144;
  return Math.floor((coefficient * bps) / sampleRate) + (padding ? 1 : 0);
}

/** Parses and validates the frame header at `offset`; undefined when the bytes are not a usable header. */
export function parseFrameHeader(bytes: Uint8Array, offset: number): MpegFrameHeader | undefined {
  if (offset < 0 || offset + 4 > bytes.length) return undefined;
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  const b3 = bytes[offset + 3];
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = VERSION_BY_BITS[(b1 >> 3) & 3];
  const layer = LAYER_BY_BITS[(b1 >> 1) & 3];
  if (!version || !layer) return undefined;
  const bitrateIndex = b2 >> 4;
  const sampleRateIndex = (b2 >> 2) & 3;
  if (bitrateIndex === 0 || bitrateIndex === 15 || sampleRateIndex === 3) return undefined;
  if ((b3 & 3) === 2) return undefined; // reserved emphasis value
  const bitrateKbps = bitrateTable(version, layer)[bitrateIndex];
  const sampleRate = SAMPLE_RATES[version][sampleRateIndex];
  const channelMode = CHANNEL_MODES[b3 >> 6];
  // MPEG-1 Layer II forbids some bitrate/mode pairs; real encoders never produce them, random bytes do.
  if (version === '1' && layer === 2) {
    const mono = channelMode === 'mono';
    if (mono && bitrateKbps >= 224) return undefined;
    if (!mono && [32, 48, 56, 80].includes(bitrateKbps)) return undefined;
  }
  const padding = (b2 & 2) !== 0;
  return {
    version,
    layer,
    hasCrc: (b1 & 1) === 0,
    bitrateKbps,
    sampleRate,
    padding,
    channelMode,
    channels: channelMode === 'mono' ? 1 : 2,
    raw: ((bytes[offset] << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0,
    frameLength: mpegFrameLength(version, layer, bitrateKbps, sampleRate, padding),
    samplesPerFrame: samplesPerFrameOf(version, layer),
  };
}

/** True when two frames can follow each other in one stream (bitrate and padding may differ). */
export function sameStreamFormat(a: MpegFrameHeader, b: MpegFrameHeader): boolean {
  return a.version === b.version && a.layer === b.layer && a.sampleRate === b.sampleRate && a.channels === b.channels;
}

/** Describes a stream format for messages, e.g. "22050 Hz mono MPEG-2 Layer III". */
export function describeMpegFormat(h: MpegFrameHeader): string {
  const channels = h.channelMode === 'mono' ? 'mono' : h.channelMode === 'dual channel' ? 'dual-channel' : 'stereo';
  return `${h.sampleRate} Hz ${channels} MPEG-${h.version} Layer ${['I', 'II', 'III'][h.layer - 1]}`;
}

function ascii(bytes: Uint8Array, offset: number, text: string): boolean {
  if (offset < 0 || offset + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

function synchsafe(bytes: Uint8Array, offset: number): number | undefined {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const b = bytes[offset + i];
    if (b === undefined || b >= 0x80) return undefined;
    value = value * 128 + b;
  }
  return value;
}

/** Total size of an ID3v2 tag starting at `offset` (header, body and optional footer), or 0 if none is there. */
export function id3v2TagSize(bytes: Uint8Array, offset: number): number {
  if (!ascii(bytes, offset, 'ID3') || offset + 10 > bytes.length) return 0;
  if (bytes[offset + 3] === 0xff || bytes[offset + 4] === 0xff) return 0;
  const size = synchsafe(bytes, offset + 6);
  if (size === undefined) return 0;
  const hasFooter = (bytes[offset + 5] & 0x10) !== 0;
  return 10 + size + (hasFooter ? 10 : 0);
}

/**
 * End of the audio frames once trailing tags are cut off: ID3v1 ("TAG", last 128 bytes), APEv2,
 * Lyrics3v2 and an appended ID3v2 tag ("3DI" footer), in any stacking order.
 */
export function audioEndBeforeTrailingTags(bytes: Uint8Array, start = 0): number {
  let end = bytes.length;
  for (;;) {
    if (end - 128 >= start && ascii(bytes, end - 128, 'TAG')) {
      end -= 128;
      continue;
    }
    if (end - 32 >= start && ascii(bytes, end - 32, 'APETAGEX')) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + end - 32, 32);
      const size = view.getUint32(12, true); // items + footer, not the optional header
      const hasHeader = (view.getUint32(20, true) & 0x80000000) !== 0;
      const total = size + (hasHeader ? 32 : 0);
      if (total >= 32 && end - total >= start) {
        end -= total;
        continue;
      }
    }
    if (end - 15 >= start && ascii(bytes, end - 9, 'LYRICS200')) {
      const size = Number(String.fromCharCode(...bytes.subarray(end - 15, end - 9)));
      if (Number.isInteger(size) && end - 15 - size >= start && ascii(bytes, end - 15 - size, 'LYRICSBEGIN')) {
        end -= size + 15;
        continue;
      }
    }
    if (end - 10 >= start && ascii(bytes, end - 10, '3DI')) {
      const size = synchsafe(bytes, end - 4);
      if (size !== undefined && end - 20 - size >= start) {
        end -= size + 20;
        continue;
      }
    }
    return end;
  }
}

/** Which kind of header frame (not audio) a frame is. */
export type MpegTagFrameKind = 'Xing' | 'Info' | 'VBRI';

/** What a Xing/Info/VBRI frame declares about the stream. */
export interface MpegTagFrame {
  kind: MpegTagFrameKind;
  /** audio frames in the stream, the tag frame itself excluded */
  frames?: number;
  /** stream bytes as written by the encoder */
  bytes?: number;
}

/** Offset of the Xing/Info tag inside a Layer III frame: right after header, CRC and side information. */
function xingOffset(h: MpegFrameHeader): number {
  const sideInfo = h.version === '1' ? (h.channels === 1 ? 17 : 32) : h.channels === 1 ? 9 : 17;
  return 4 + (h.hasCrc ? 2 : 0) + sideInfo;
}

/** Recognizes a Xing/Info/VBRI frame at `offset` (whose header is `h`); undefined for an audio frame. */
export function readTagFrame(bytes: Uint8Array, offset: number, h: MpegFrameHeader): MpegTagFrame | undefined {
  const frameEnd = Math.min(bytes.length, offset + h.frameLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const x = offset + xingOffset(h);
  for (const kind of ['Xing', 'Info'] as const) {
    if (x + 8 <= frameEnd && ascii(bytes, x, kind)) {
      const flags = view.getUint32(x + 4);
      const tag: MpegTagFrame = { kind };
      let p = x + 8;
      if (flags & 1 && p + 4 <= frameEnd) {
        tag.frames = view.getUint32(p);
        p += 4;
      }
      if (flags & 2 && p + 4 <= frameEnd) tag.bytes = view.getUint32(p);
      return tag;
    }
  }
  const v = offset + 4 + 32; // VBRI always sits 32 bytes after the header
  if (v + 18 <= frameEnd && ascii(bytes, v, 'VBRI')) {
    return { kind: 'VBRI', bytes: view.getUint32(v + 10), frames: view.getUint32(v + 14) };
  }
  return undefined;
}

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

/**
 * Walks every frame of an MPEG audio stream: skips tags at both ends, recognizes a leading
 * Xing/Info/VBRI frame, steps over garbage between frames and drops a truncated last frame.
 * Returns undefined when no frame is found at all.
 */
export function scanMpegFrames(bytes: Uint8Array): MpegScan | undefined {
  const end = audioEndBeforeTrailingTags(bytes, skipId3v2Tags(bytes, 0));
  const frames: MpegFrameRef[] = [];
  let reference: MpegFrameHeader | undefined;
  let junkBytes = 0;
  let audioBytes = 0;
  let tagFrame: MpegScan['tagFrame'];
  let offset = 0;
  let inSync = false;
  while (offset < end) {
    const tagSize = id3v2TagSize(bytes, offset);
    if (tagSize > 0) {
      offset += tagSize;
      continue;
    }
    const header = frameAt(bytes, offset, end, reference, inSync);
    if (!header) {
      // A truncated last frame, or garbage: count it and resynchronize on the next real frame.
      junkBytes++;
      offset++;
      inSync = false;
      continue;
    }
    inSync = true;
    if (!reference) {
      reference = header;
      const tag = readTagFrame(bytes, offset, header);
      if (tag) {
        tagFrame = { ...tag, offset, header };
        offset += header.frameLength;
        continue;
      }
    }
    frames.push({ offset, header });
    audioBytes += header.frameLength;
    offset += header.frameLength;
  }
  if (!reference) return undefined;
  return { frames, tagFrame, junkBytes, audioBytes };
}

function headerBytes(template: MpegFrameHeader, bitrateKbps: number, padding: boolean): Uint8Array {
  const bitrateIndex = bitrateTable(template.version, template.layer).indexOf(bitrateKbps);
  if (bitrateIndex <= 0) throw new RangeError(`No MPEG bitrate index for ${bitrateKbps} kbps`);
  const raw = template.raw;
  return Uint8Array.of(
    0xff,
    ((raw >>> 16) & 0xfe) | 1, // same version and layer; protection bit set = no CRC
    (bitrateIndex << 4) | ((raw >>> 8) & 0x0c) | (padding ? 2 : 0), // same sample rate, private bit 0
    raw & 0xcf, // same channel mode, copyright/original/emphasis; mode extension 0
  );
}

/**
 * `count` silent frames in the stream format of `template` at its bitrate: header, then all-zero
 * side information and main data (no Huffman bits, zero gain; Layer I/II: no bits allocated), which
 * every decoder renders as digital silence. Padding alternates like an encoder's so the average
 * bitrate is exact.
 */
export function silentFrames(template: MpegFrameHeader, count: number): Uint8Array {
  const { version, layer, bitrateKbps, sampleRate } = template;
  const plain = mpegFrameLength(version, layer, bitrateKbps, sampleRate, false);
  const padded = mpegFrameLength(version, layer, bitrateKbps, sampleRate, true);
  // Exact slots per frame, used to decide when a padded frame keeps the average right.
  const exactSlots = ((layer === 1 ? 12 : layer === 3 && version !== '1' ? 72 : 144) * bitrateKbps * 1000) / sampleRate;
  const fraction = exactSlots - Math.floor(exactSlots);
  const plainHeader = headerBytes(template, bitrateKbps, false);
  const paddedHeader = headerBytes(template, bitrateKbps, true);
  const out = new Uint8Array(count * padded);
  let used = 0;
  let carry = 0;
  for (let i = 0; i < count; i++) {
    carry += fraction;
    const pad = carry >= 1 - 1e-9 && padded > plain;
    if (pad) carry -= 1;
    out.set(pad ? paddedHeader : plainHeader, used);
    used += pad ? padded : plain;
  }
  return out.subarray(0, used);
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
  frame.set(headerBytes(template, bitrate, false), 0);
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
