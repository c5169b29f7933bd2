// One MPEG audio (MP1/MP2/MP3) frame and what surrounds frames: the 4-byte header, frame lengths, ID3/APE/Lyrics3
// tags at either end, Xing/Info/VBRI header frames. Plain byte arithmetic on Uint8Array; no decoding of the audio.

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

/** The bitrates (kbit/s) by header index for a version and layer; index 0 is free format. */
export function bitrateTable(version: MpegVersion, layer: MpegLayer): number[] {
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

/**
 * Headers already parsed, by their 4 bytes: a stream uses a handful of distinct headers, and a file of a million
 * frames must not allocate a million objects. The objects are frozen, so sharing them is safe.
 */
const parsedHeaders = new Map<number, Readonly<MpegFrameHeader>>();
const MAX_PARSED_HEADERS = 512;

/**
 * Parses and validates the frame header at `offset`; undefined when the bytes are not a usable header.
 * The object returned is frozen and may be shared with other frames of the same header bytes.
 */
export function parseFrameHeader(bytes: Uint8Array, offset: number): MpegFrameHeader | undefined {
  if (offset < 0 || offset + 4 > bytes.length) return undefined;
  if (bytes[offset] !== 0xff || (bytes[offset + 1] & 0xe0) !== 0xe0) return undefined;
  const raw = ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
  const known = parsedHeaders.get(raw);
  if (known) return known;
  const header = decodeFrameHeader(raw);
  if (!header) return undefined;
  if (parsedHeaders.size >= MAX_PARSED_HEADERS) parsedHeaders.clear();
  parsedHeaders.set(raw, Object.freeze(header));
  return header;
}

function decodeFrameHeader(raw: number): MpegFrameHeader | undefined {
  const b1 = (raw >>> 16) & 0xff;
  const b2 = (raw >>> 8) & 0xff;
  const b3 = raw & 0xff;
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
    raw,
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
export function xingOffset(h: MpegFrameHeader): number {
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

/** The 4 header bytes of a frame like `template` at another bitrate (no CRC, private bit 0, mode extension 0). */
export function frameHeaderBytes(template: MpegFrameHeader, bitrateKbps: number, padding: boolean): Uint8Array {
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
