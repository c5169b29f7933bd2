// Audio format detection from a file's first bytes, and duration probing.
// The service does not document its audio format, so the bytes are the only trustworthy source.

import { describeMpegFormat, id3v2TagSize, parseFrameHeader, scanMpegFrames, sameStreamFormat } from './mpeg';
import { isWav, parseWav, WavParseError, wavDurationMs } from './wav';

export type AudioFormat = 'mp3' | 'wav' | 'ogg' | 'flac' | 'm4a' | 'unknown';

/** Why audio could not be read or joined; `reason` lets the shell choose words and actions. */
export type AudioFormatErrorReason = 'unrecognized' | 'undecodable' | 'unsupported' | 'mismatch';

/** Audio that cannot be recognized, decoded or joined. The message is meant for the user as is. */
export class AudioFormatError extends Error {
  override readonly name = 'AudioFormatError';
  constructor(
    message: string,
    readonly reason: AudioFormatErrorReason,
  ) {
    super(message);
  }
}

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

const FORMAT_NAMES: Record<AudioFormat, string> = { mp3: 'MP3', wav: 'WAV', ogg: 'Ogg', flac: 'FLAC', m4a: 'M4A/MP4', unknown: 'unknown' };

/** A short human name for a format, e.g. "MP3". */
export function formatName(format: AudioFormat): string {
  return FORMAT_NAMES[format];
}

/** Duration and format of a whole MP3 file, counted frame by frame. */
export function probeMp3(bytes: Uint8Array): AudioInfo & { frames: number; description: string } {
  const scan = scanMpegFrames(bytes);
  if (!scan || scan.frames.length === 0) throw new AudioFormatError('The MP3 audio contains no MPEG audio frames.', 'undecodable');
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
    return { format: 'wav', durationMs: wavDurationMs(info), sampleRate: info.format.sampleRate, channels: info.format.channels };
  } catch (e) {
    if (e instanceof WavParseError) throw new AudioFormatError(`The WAV audio cannot be read: ${e.message}.`, 'undecodable');
    throw e;
  }
}

/** Duration of a FLAC file from its STREAMINFO block (total samples / sample rate). */
function probeFlac(bytes: Uint8Array): AudioInfo {
  // fLaC, then the first metadata block header (4 bytes), which must be STREAMINFO (type 0, 34 bytes).
  if (bytes.length < 42 || (bytes[4] & 0x7f) !== 0) throw new AudioFormatError('The FLAC audio has no STREAMINFO block.', 'undecodable');
  const s = 8;
  const sampleRate = (bytes[s + 10] << 12) | (bytes[s + 11] << 4) | (bytes[s + 12] >> 4);
  const channels = ((bytes[s + 12] >> 1) & 7) + 1;
  const totalSamples = (bytes[s + 13] & 0x0f) * 2 ** 32 + ((bytes[s + 14] << 24) >>> 0) + (bytes[s + 15] << 16) + (bytes[s + 16] << 8) + bytes[s + 17];
  if (sampleRate === 0) throw new AudioFormatError('The FLAC audio declares a sample rate of 0.', 'undecodable');
  return { format: 'flac', durationMs: (totalSamples / sampleRate) * 1000, sampleRate, channels };
}

/**
 * Format and duration of a whole audio file. MP3: audio frames × samples per frame / rate, where a
 * Xing/Info/VBRI header frame is not audio; WAV: data size / byte rate; FLAC: STREAMINFO.
 * Throws AudioFormatError when the format is unknown or cannot be measured.
 */
export function probeAudio(bytes: Uint8Array): AudioInfo {
  const format = detectAudioFormat(bytes.subarray(0, Math.max(AUDIO_SNIFF_BYTES, id3v2TagSize(bytes, 0) + AUDIO_SNIFF_BYTES)));
  switch (format) {
    case 'mp3':
      return toAudioInfo(probeMp3(bytes));
    case 'wav':
      return probeWav(bytes);
    case 'flac':
      return probeFlac(bytes);
    case 'unknown':
      throw new AudioFormatError('The audio is in a format that was not recognized (neither MP3, WAV, Ogg, FLAC nor M4A).', 'unrecognized');
    default:
      throw new AudioFormatError(`The duration of ${formatName(format)} audio cannot be measured; only MP3, WAV and FLAC are supported.`, 'unsupported');
  }
}

function toAudioInfo(info: AudioInfo): AudioInfo {
  return { format: info.format, durationMs: info.durationMs, sampleRate: info.sampleRate, channels: info.channels };
}
