// Audio format detection from a file's first bytes, and duration probing.
// The service does not document its audio format, so the bytes are the only trustworthy source.

import { describeMpegFormat, id3v2TagSize, parseFrameHeader, scanMpegFrames, sameStreamFormat } from './mpeg';
import { isWav, parseWav, WavParseError, wavDurationMs } from './wav';
import { AudioFormatError } from '../errors';

// Defined with the core's other errors; still importable from here, where the audio code has always found it.
export { AudioFormatError, type AudioFormatErrorReason } from '../errors';

export type AudioFormat = 'mp3' | 'wav' | 'ogg' | 'flac' | 'm4a' | 'unknown';

/** How many leading bytes detectAudioFormat needs to be reliable (more is fine, less may give 'unknown'). */
export const AUDIO_SNIFF_BYTES = 4096;

function ascii(bytes: Uint8Array, offset: number, text: string): boolean {
  if (offset + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

// An MPEG header at `offset`, confirmed by the next header when the head is long enough to hold it.
function looksLikeMpegAt(head: Uint8Array, offset: number): boolean {
  const h = parseFrameHeader(head, offset);
  if (!h) return false;
  const next = offset + h.frameLength;
  if (next + 4 > head.length) return true; // cannot see further: one valid header is the best evidence there is
  const following = parseFrameHeader(head, next);
  return following !== undefined && sameStreamFormat(h, following);
}

function detectAfterId3(head: Uint8Array, offset: number): AudioFormat {
  if (offset + 4 > head.length) return 'mp3'; // the tag runs past the head; ID3v2 almost always means MP3
  if (ascii(head, offset, 'fLaC')) return 'flac';
  // Some encoders leave a few zero bytes after the tag.
  let p = offset;
  while (p < head.length && head[p] === 0 && p - offset < 1024) p++;
  if (p + 4 > head.length) return 'mp3';
  return looksLikeMpegAt(head, p) ? 'mp3' : 'unknown';
}

/** The format of audio that follows an ID3v2 tag, from the bytes right after the tag (ideally AUDIO_SNIFF_BYTES). */
export function detectAudioFormatAfterId3(afterTag: Uint8Array): AudioFormat {
  return detectAfterId3(afterTag, 0);
}

/** Recognizes the container or stream format from the first bytes of a file (ideally AUDIO_SNIFF_BYTES of them). */
export function detectAudioFormat(head: Uint8Array): AudioFormat {
  if (isWav(head)) return 'wav';
  if (ascii(head, 0, 'OggS') && head.length >= 5 && head[4] === 0) return 'ogg';
  if (ascii(head, 0, 'fLaC')) return 'flac';
  if (ascii(head, 4, 'ftyp')) return 'm4a';
  const tag = id3v2TagSize(head, 0);
  if (tag > 0) return detectAfterId3(head, tag);
  return looksLikeMpegAt(head, 0) ? 'mp3' : 'unknown';
}

/** The usual file extension for a format, with its dot; undefined for 'unknown'. */
export function extensionOf(format: AudioFormat): string | undefined {
  return format === 'unknown' ? undefined : `.${format}`;
}

/** What probeAudio found out about a file. */
export interface AudioInfo {
  format: AudioFormat;
  durationMs: number;
  sampleRate?: number;
  channels?: number;
}

const FORMAT_NAMES: Record<AudioFormat, string> = {
  mp3: 'MP3',
  wav: 'WAV',
  ogg: 'Ogg',
  flac: 'FLAC',
  m4a: 'M4A/MP4',
  unknown: 'unknown',
};

/** A short human name for a format, e.g. "MP3". */
export function formatName(format: AudioFormat): string {
  return FORMAT_NAMES[format];
}

/** Duration and format of a whole MP3 file, counted frame by frame. */
export function probeMp3(bytes: Uint8Array): AudioInfo & { frames: number; description: string } {
  const scan = scanMpegFrames(bytes);
  if (!scan || scan.frames.length === 0)
    throw new AudioFormatError('The MP3 audio contains no MPEG audio frames.', 'undecodable');
  const first = scan.frames[0].header;
  // Every frame carries the same number of samples, so counting frames is exact (encoder delay and
  // padding included: they are real decoded samples, which gapless players trim by a few ms).
  const frames = scan.frames.length;
  return {
    format: 'mp3',
    durationMs: ((frames * first.samplesPerFrame) / first.sampleRate) * 1000,
    sampleRate: first.sampleRate,
    channels: first.channels,
    frames,
    description: describeMpegFormat(first),
  };
}

/** Duration and format of a whole WAV file. */
export function probeWav(bytes: Uint8Array): AudioInfo {
  try {
    const info = parseWav(bytes);
    return {
      format: 'wav',
      durationMs: wavDurationMs(info),
      sampleRate: info.format.sampleRate,
      channels: info.format.channels,
    };
  } catch (e) {
    if (e instanceof WavParseError)
      throw new AudioFormatError(`The WAV audio cannot be read: ${e.message}.`, 'undecodable');
    throw e;
  }
}

/** Duration of a FLAC file from its STREAMINFO block (total samples / sample rate). */
function probeFlac(bytes: Uint8Array): AudioInfo {
  // fLaC, then the first metadata block header (4 bytes), which must be STREAMINFO (type 0, 34 bytes).
  if (bytes.length < 42 || (bytes[4] & 0x7f) !== 0)
    throw new AudioFormatError('The FLAC audio has no STREAMINFO block.', 'undecodable');
  const s = 8;
  const sampleRate = (bytes[s + 10] << 12) | (bytes[s + 11] << 4) | (bytes[s + 12] >> 4);
  const channels = ((bytes[s + 12] >> 1) & 7) + 1;
  const totalSamples =
    (bytes[s + 13] & 0x0f) * 2 ** 32 +
    ((bytes[s + 14] << 24) >>> 0) +
    (bytes[s + 15] << 16) +
    (bytes[s + 16] << 8) +
    bytes[s + 17];
  if (sampleRate === 0) throw new AudioFormatError('The FLAC audio declares a sample rate of 0.', 'undecodable');
  return { format: 'flac', durationMs: (totalSamples / sampleRate) * 1000, sampleRate, channels };
}

/** Duration of an Ogg Vorbis or Opus file: the last granule position of the first logical stream. */
function probeOgg(bytes: Uint8Array): AudioInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let serial: number | undefined;
  let codec: { rate: number; channels: number; granuleRate: number; preSkip: number } | undefined;
  let lastGranule: bigint | undefined;
  for (let page = 0; page + 27 <= bytes.length && ascii(bytes, page, 'OggS');) {
    const segments = bytes[page + 26];
    const bodyStart = page + 27 + segments;
    let bodySize = 0;
    for (let i = 0; i < segments; i++) bodySize += bytes[page + 27 + i];
    if (bodyStart + bodySize > bytes.length) break; // truncated page: its granule is not trustworthy
    const pageSerial = view.getUint32(page + 14, true);
    serial ??= pageSerial;
    if (pageSerial === serial) {
      if (!codec) codec = oggCodec(bytes, bodyStart, bodySize);
      const granule = view.getBigInt64(page + 6, true);
      if (granule >= 0n) lastGranule = granule;
    }
    page = bodyStart + bodySize;
  }
  if (!codec)
    throw new AudioFormatError(
      'The Ogg audio is neither Vorbis nor Opus, or its first page is damaged.',
      'unsupported',
    );
  if (lastGranule === undefined)
    throw new AudioFormatError('The Ogg audio has no complete page with a position.', 'undecodable');
  const samples = Math.max(0, Number(lastGranule) - codec.preSkip);
  return {
    format: 'ogg',
    durationMs: (samples / codec.granuleRate) * 1000,
    sampleRate: codec.rate,
    channels: codec.channels,
  };
}

function oggCodec(
  bytes: Uint8Array,
  start: number,
  size: number,
): { rate: number; channels: number; granuleRate: number; preSkip: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size >= 16 && bytes[start] === 1 && ascii(bytes, start + 1, 'vorbis')) {
    const rate = view.getUint32(start + 12, true);
    return rate > 0 ? { rate, channels: bytes[start + 11], granuleRate: rate, preSkip: 0 } : undefined;
  }
  if (size >= 16 && ascii(bytes, start, 'OpusHead')) {
    // Opus positions always count 48 kHz samples; the header's rate is only the input's.
    return {
      rate: view.getUint32(start + 12, true) || 48000,
      channels: bytes[start + 9],
      granuleRate: 48000,
      preSkip: view.getUint16(start + 10, true),
    };
  }
  return undefined;
}

/** Duration of an MP4/M4A file from its movie header (moov/mvhd). */
function probeMp4(bytes: Uint8Array): AudioInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const moov = findBox(bytes, view, 0, bytes.length, 'moov');
  const mvhd = moov && findBox(bytes, view, moov.start, moov.end, 'mvhd');
  if (!mvhd || mvhd.end - mvhd.start < 32)
    throw new AudioFormatError('The M4A/MP4 audio has no movie header (moov/mvhd).', 'undecodable');
  const version = bytes[mvhd.start];
  const timescale = view.getUint32(mvhd.start + (version === 1 ? 20 : 12));
  const duration = version === 1 ? Number(view.getBigUint64(mvhd.start + 24)) : view.getUint32(mvhd.start + 16);
  if (timescale === 0) throw new AudioFormatError('The M4A/MP4 audio declares a time scale of 0.', 'undecodable');
  return { format: 'm4a', durationMs: (duration / timescale) * 1000 };
}

/** The body of the first box of `type` between start and end (one level, not recursive). */
function findBox(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  type: string,
): { start: number; end: number } | undefined {
  for (let p = start; p + 8 <= end;) {
    let size = view.getUint32(p);
    let header = 8;
    if (size === 1 && p + 16 <= end) {
      size = Number(view.getBigUint64(p + 8));
      header = 16;
    } else if (size === 0) size = end - p; // the box runs to the end
    if (size < header || p + size > end) return undefined;
    if (ascii(bytes, p + 4, type)) return { start: p + header, end: p + size };
    p += size;
  }
  return undefined;
}

/**
 * Format and duration of a whole audio file. MP3: audio frames × samples per frame / rate, where a
 * Xing/Info/VBRI header frame is not audio; WAV: data size / byte rate; FLAC: STREAMINFO; Ogg
 * Vorbis/Opus: last granule position; M4A: moov/mvhd. Throws AudioFormatError when the format is
 * unknown or the file cannot be measured.
 */
export function probeAudio(bytes: Uint8Array): AudioInfo {
  const format = detectAudioFormat(
    bytes.subarray(0, Math.max(AUDIO_SNIFF_BYTES, id3v2TagSize(bytes, 0) + AUDIO_SNIFF_BYTES)),
  );
  switch (format) {
    case 'mp3':
      return toAudioInfo(probeMp3(bytes));
    case 'wav':
      return probeWav(bytes);
    case 'flac':
      return probeFlac(bytes);
    case 'ogg':
      return probeOgg(bytes);
    case 'm4a':
      return probeMp4(bytes);
    case 'unknown':
      throw new AudioFormatError(
        'The audio is in a format that was not recognized (neither MP3, WAV, Ogg, FLAC nor M4A).',
        'unrecognized',
      );
  }
}

function toAudioInfo(info: AudioInfo): AudioInfo {
  return { format: info.format, durationMs: info.durationMs, sampleRate: info.sampleRate, channels: info.channels };
}
