// RIFF/WAVE parsing and writing: the fmt chunk, the data chunk, and silence in the same format.
// Other chunks (LIST, fact, cue, ...) are read past; odd-sized chunks carry one pad byte.

/** The sample format from the fmt chunk. */
export interface WavFormat {
  /** format tag, with WAVE_FORMAT_EXTENSIBLE resolved to its sub-format (1 = PCM, 3 = float, 6 = A-law, 7 = µ-law) */
  formatTag: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  /** the fmt chunk body exactly as found, so a joined file can repeat it */
  fmtChunk: Uint8Array;
}

/** A parsed WAV file: its format and where its samples are. */
export interface WavInfo {
  format: WavFormat;
  dataOffset: number;
  /** bytes of sample data actually present (a truncated or streamed file may declare more) */
  dataSize: number;
  /** samples per channel from a fact chunk, if any (needed for compressed formats) */
  factSamples?: number;
}

/** Why a WAV file could not be read. */
export class WavParseError extends Error {
  override readonly name = 'WavParseError';
}

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function fourcc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

/** True when the bytes start like a RIFF/WAVE file. */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && fourcc(bytes, 0) === 'RIFF' && fourcc(bytes, 8) === 'WAVE';
}

/** Reads the fmt and data chunks of a RIFF/WAVE file; throws WavParseError when they are missing or broken. */
export function parseWav(bytes: Uint8Array): WavInfo {
  if (!isWav(bytes)) throw new WavParseError('not a RIFF/WAVE file');
  const walk = new WavChunkWalk(bytes.length);
  const info = walk.advance(bytes, 0);
  if (info) return info;
  throw new WavParseError(walk.format ? 'there is no data chunk' : 'there is no fmt chunk');
}

/** The largest fmt chunk we read (WAVE_FORMAT_EXTENSIBLE needs 40 bytes; anything near this is not a WAV header). */
export const MAX_WAV_FMT_BYTES = 64 * 1024;

/**
 * Walks the chunks of a RIFF/WAVE file of `size` bytes up to its data chunk, window by window, so that a file of any
 * size is read with a bounded buffer (parseWav gives it the whole file at once). Other chunks are read past;
 * odd-sized chunks carry one pad byte. Throws WavParseError when the fmt chunk is missing, short or broken.
 */
export class WavChunkWalk {
  /** Where the next chunk header is (the RIFF header, 12 bytes, is checked by the caller). */
  offset = 12;
  format: WavFormat | undefined;
  factSamples: number | undefined;

  constructor(readonly size: number) {}

  /**
   * Reads the chunks inside `window` (the file's bytes from `windowStart`): the file's WavInfo once the data chunk
   * is found, or undefined when the next chunk header or the fmt chunk's body lies past the window (then call again
   * with a window from `offset`, at least 8 + MAX_WAV_FMT_BYTES long) or when the file ends without a data chunk
   * (then `offset + 8 > size`).
   */
  advance(window: Uint8Array, windowStart: number): WavInfo | undefined {
    const view = new DataView(window.buffer, window.byteOffset, window.byteLength);
    const windowEnd = windowStart + window.length;
    while (this.offset + 8 <= Math.min(windowEnd, this.size)) {
      const at = this.offset - windowStart;
      const id = fourcc(window, at);
      const size = view.getUint32(at + 4, true);
      const body = at + 8;
      if (id === 'fmt ') {
        if (size < 16 || this.offset + 8 + size > this.size) throw new WavParseError('the fmt chunk is too short');
        if (size > MAX_WAV_FMT_BYTES) throw new WavParseError('the fmt chunk is too large');
        if (body + size > window.length) return undefined;
        this.format = readFmt(window, view, body, size);
      } else if (id === 'fact' && size >= 4 && this.offset + 12 <= this.size) {
        if (body + 4 > window.length) return undefined;
        this.factSamples = view.getUint32(body, true);
      } else if (id === 'data') {
        if (!this.format) throw new WavParseError('the data chunk comes before the fmt chunk');
        // Streaming writers leave the size at 0xFFFFFFFF (or too large): take what is there, in whole blocks.
        const dataOffset = this.offset + 8;
        const available = Math.min(size, this.size - dataOffset);
        const dataSize = available - (available % this.format.blockAlign);
        return { format: this.format, dataOffset, dataSize, factSamples: this.factSamples };
      }
      this.offset += 8 + size + (size & 1);
    }
    return undefined;
  }
}

function readFmt(bytes: Uint8Array, view: DataView, body: number, size: number): WavFormat {
  let formatTag = view.getUint16(body, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 40) formatTag = view.getUint16(body + 24, true); // first bytes of the sub-format GUID
  const format: WavFormat = {
    formatTag,
    channels: view.getUint16(body + 2, true),
    sampleRate: view.getUint32(body + 4, true),
    byteRate: view.getUint32(body + 8, true),
    blockAlign: view.getUint16(body + 12, true),
    bitsPerSample: view.getUint16(body + 14, true),
    fmtChunk: bytes.slice(body, body + size),
  };
  if (format.channels === 0 || format.sampleRate === 0 || format.blockAlign === 0)
    throw new WavParseError('the fmt chunk declares no channels, rate or block size');
  return format;
}

/** Duration in milliseconds of the sample data. */
export function wavDurationMs(info: WavInfo): number {
  const { format } = info;
  const pcmLike = isPcmLike(format);
  if (!pcmLike && info.factSamples !== undefined) return (info.factSamples / format.sampleRate) * 1000;
  const frames = pcmLike ? info.dataSize / format.blockAlign : (info.dataSize / format.byteRate) * format.sampleRate;
  return (frames / format.sampleRate) * 1000;
}

/** True for uncompressed formats where every block is one sample frame: they can be joined and padded with silence. */
export function isPcmLike(format: WavFormat): boolean {
  return [1, 3, 6, 7].includes(format.formatTag);
}

/** Describes a WAV format for messages, e.g. "8000 Hz mono 16-bit PCM WAV". */
export function describeWavFormat(f: WavFormat): string {
  const channels = f.channels === 1 ? 'mono' : f.channels === 2 ? 'stereo' : `${f.channels}-channel`;
  const kind =
    { 1: 'PCM', 3: 'float', 6: 'A-law', 7: 'µ-law' }[f.formatTag] ??
    `format 0x${f.formatTag.toString(16).padStart(4, '0')}`;
  return `${f.sampleRate} Hz ${channels} ${f.bitsPerSample}-bit ${kind} WAV`;
}

/** True when samples of the two formats can be concatenated. */
export function sameWavFormat(a: WavFormat, b: WavFormat): boolean {
  return (
    a.formatTag === b.formatTag &&
    a.channels === b.channels &&
    a.sampleRate === b.sampleRate &&
    a.bitsPerSample === b.bitsPerSample &&
    a.blockAlign === b.blockAlign
  );
}

/** The byte value of a silent sample: unsigned 8-bit PCM is centred on 128, A-law and µ-law have their own zero codes. */
function silenceByte(format: WavFormat): number {
  if (format.formatTag === 1 && format.bitsPerSample <= 8) return 0x80;
  if (format.formatTag === 6) return 0xd5;
  if (format.formatTag === 7) return 0xff;
  return 0;
}

/** Whole sample frames closest to `ms` milliseconds. */
export function wavFramesFor(format: WavFormat, ms: number): number {
  return Math.max(0, Math.round((ms * format.sampleRate) / 1000));
}

/** `frames` sample frames of silence in `format`. */
export function wavSilence(format: WavFormat, frames: number): Uint8Array {
  return new Uint8Array(frames * format.blockAlign).fill(silenceByte(format));
}

/**
 * The header of a WAV file holding `dataSize` bytes of samples: RIFF, the fmt chunk as given,
 * a fact chunk for non-PCM formats (the spec requires one), and the data chunk header.
 * The caller writes the data and then one pad byte if `dataSize` is odd.
 */
export function wavHeader(format: WavFormat, dataSize: number): Uint8Array {
  const fmt = format.fmtChunk;
  const fmtPadded = fmt.length + (fmt.length & 1);
  const factSize = format.formatTag === 1 ? 0 : 12;
  const headerSize = 12 + 8 + fmtPadded + factSize + 8;
  const riffSize = headerSize - 8 + dataSize + (dataSize & 1);
  if (riffSize > 0xffffffff) throw new RangeError('The joined audio is larger than a WAV file can hold (4 GiB).');
  const out = new Uint8Array(headerSize);
  const view = new DataView(out.buffer);
  const put = (offset: number, text: string) =>
    out.set(
      Array.from(text, (c) => c.charCodeAt(0)),
      offset,
    );
  put(0, 'RIFF');
  view.setUint32(4, riffSize, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, fmt.length, true);
  out.set(fmt, 20);
  let p = 20 + fmtPadded;
  if (factSize) {
    put(p, 'fact');
    view.setUint32(p + 4, 4, true);
    view.setUint32(p + 8, Math.floor(dataSize / format.blockAlign), true);
    p += 12;
  }
  put(p, 'data');
  view.setUint32(p + 4, dataSize, true);
  return out;
}
