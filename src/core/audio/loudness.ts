// How loud an audio file is, window by window, and where it is silent: what the captions need to move a sentence's
// boundary to the pause the voice really made. WAV samples are read directly; MP3 is decoded by mpg123 compiled to
// WebAssembly (the mpg123-decoder package), fed frame by frame, so memory stays small whatever the file's length
// (one number per window: an hour at 10 ms is 1.4 MB).

import { MPEGDecoder } from 'mpg123-decoder';
import { detectAudioFileFormat, mpegBounds, readWavFileInfo, walkMpegFile } from './audioFile';
import { FileWindow } from './fileWindow';
import type { WavFormat } from './wav';

/** The loudness of a file: the root mean square of its samples (0 … 1, channels mixed) per window. */
export interface Loudness {
  /** The length of one window, in milliseconds (a whole number of samples: near the length asked for). */
  windowMs: number;
  /** One RMS value per window, from the start of the file. */
  levels: Float32Array;
}

/** A silent stretch of audio, [startMs, endMs). */
export interface SilentSpan {
  startMs: number;
  endMs: number;
}

/** The default window (ms): fine enough to place a boundary, coarse enough to be cheap. */
export const LOUDNESS_WINDOW_MS = 10;

/**
 * Measures an MP3 or uncompressed WAV file window by window; undefined for a format it cannot read (Ogg, M4A,
 * A-law/µ-law WAV), which the caller treats as "no refinement". Throws the file system's errors, and the signal's
 * reason when aborted.
 */
export async function measureLoudness(
  filePath: string,
  options: { windowMs?: number; signal?: AbortSignal } = {},
): Promise<Loudness | undefined> {
  const windowMs = options.windowMs ?? LOUDNESS_WINDOW_MS;
  const file = await FileWindow.open(filePath);
  try {
    const format = await detectAudioFileFormat(file);
    if (format === 'wav') return await wavLoudness(file, windowMs, options.signal);
    if (format === 'mp3') return await mp3Loudness(file, windowMs, options.signal);
    return undefined;
  } finally {
    await file.close();
  }
}

/** Sums squares into windows of a fixed number of samples, whatever size the blocks of samples come in. */
class LevelMeter {
  private readonly levels: number[] = [];
  private sum = 0;
  private count = 0;
  private windowSamples = 0;
  private sampleRate = 0;

  constructor(private readonly windowMs: number) {}

  /** Adds samples (one channel or already mixed), at `sampleRate`. */
  add(samples: ArrayLike<number>, sampleRate: number, channels = 1, scale = 1): void {
    if (this.windowSamples === 0) {
      this.windowSamples = Math.max(1, Math.round((sampleRate * this.windowMs) / 1000));
      this.sampleRate = sampleRate;
    }
    for (let i = 0; i + channels <= samples.length; i += channels) {
      let value = 0;
      for (let c = 0; c < channels; c++) value += samples[i + c];
      value = (value / channels) * scale;
      this.sum += value * value;
      if (++this.count === this.windowSamples) this.flush();
    }
  }

  private flush(): void {
    if (this.count > 0) this.levels.push(Math.sqrt(this.sum / this.count));
    this.sum = 0;
    this.count = 0;
  }

  result(): Loudness {
    this.flush();
    // The window's exact length: 221 samples at 22.05 kHz are 10.02 ms, and 0.2 % is 120 ms a minute.
    const windowMs = this.sampleRate > 0 ? (this.windowSamples * 1000) / this.sampleRate : this.windowMs;
    return { windowMs, levels: Float32Array.from(this.levels) };
  }
}

async function wavLoudness(file: FileWindow, windowMs: number, signal?: AbortSignal): Promise<Loudness | undefined> {
  const info = await readWavFileInfo(file);
  const read = sampleReader(info.format);
  if (!read) return undefined;
  const meter = new LevelMeter(windowMs);
  const { blockAlign, channels, sampleRate } = info.format;
  const bytesPerSample = blockAlign / channels;
  const end = info.dataOffset + info.dataSize - (info.dataSize % blockAlign);
  const block = new Float32Array(Math.floor((1024 * 1024) / bytesPerSample));
  for (let position = info.dataOffset; position < end;) {
    signal?.throwIfAborted();
    const window = await file.load(position);
    const usable = Math.min(window.length, end - position);
    const whole = usable - (usable % blockAlign);
    if (whole <= 0) break;
    const view = new DataView(window.buffer, window.byteOffset, whole);
    const count = whole / bytesPerSample;
    for (let i = 0; i < count; i++) block[i] = read(view, i * bytesPerSample);
    meter.add(block.subarray(0, count), sampleRate, channels);
    position += whole;
  }
  return meter.result();
}

/** Reads one sample as a number in −1 … 1; undefined for a format whose samples are not plain PCM or float. */
function sampleReader(format: WavFormat): ((view: DataView, offset: number) => number) | undefined {
  const bits = format.bitsPerSample;
  if (format.formatTag === 3 && bits === 32) return (v, o) => v.getFloat32(o, true);
  if (format.formatTag === 3 && bits === 64) return (v, o) => v.getFloat64(o, true);
  if (format.formatTag !== 1) return undefined;
  if (bits === 8) return (v, o) => (v.getUint8(o) - 128) / 128;
  if (bits === 16) return (v, o) => v.getInt16(o, true) / 32768;
  if (bits === 24)
    return (v, o) => ((v.getUint8(o + 2) << 24) | (v.getUint8(o + 1) << 16) | (v.getUint8(o) << 8)) / 2 ** 31;
  if (bits === 32) return (v, o) => v.getInt32(o, true) / 2 ** 31;
  return undefined;
}

/** MP3 bytes given to the decoder at once: a few seconds of audio, so its output stays a few hundred KB. */
const MP3_FEED_BYTES = 16 * 1024;

async function mp3Loudness(file: FileWindow, windowMs: number, signal?: AbortSignal): Promise<Loudness | undefined> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const meter = new LevelMeter(windowMs);
    const scan = await walkMpegFile(file, await mpegBounds(file), {
      signal,
      onAudio: async (bytes) => {
        // A little at a time: the decoder's output (and its WebAssembly memory) grows with what it is given at once.
        for (let offset = 0; offset < bytes.length; offset += MP3_FEED_BYTES) {
          const decoded = decoder.decode(bytes.subarray(offset, offset + MP3_FEED_BYTES));
          if (decoded.samplesDecoded === 0) continue;
          const channels = decoded.channelData;
          if (channels.length === 1) meter.add(channels[0].subarray(0, decoded.samplesDecoded), decoded.sampleRate);
          else meter.add(mixDown(channels, decoded.samplesDecoded), decoded.sampleRate);
        }
      },
    });
    return scan ? meter.result() : undefined;
  } finally {
    decoder.free();
  }
}

function mixDown(channels: readonly Float32Array[], samples: number): Float32Array {
  const mixed = new Float32Array(samples);
  for (const channel of channels) for (let i = 0; i < samples; i++) mixed[i] += channel[i] / channels.length;
  return mixed;
}

/** What counts as silence: how far below the file's speaking level, and for how long at least. */
export interface SilenceRule {
  /** Decibels below the loud level (the 95th percentile of the windows) that count as silent. Default 30 dB. */
  belowLoudDb: number;
  /** Never silent above this level (dBFS), whatever the file's loudness. Default −35 dBFS. */
  ceilingDb: number;
  /** The shortest silence that counts (ms): a pause between sentences, not the gap between two words. Default 100. */
  minMs: number;
}

export const DEFAULT_SILENCE_RULE: SilenceRule = Object.freeze({ belowLoudDb: 30, ceilingDb: -35, minMs: 100 });

/**
 * The silent stretches of a file, in order: runs of windows quieter than `rule.belowLoudDb` under the file's loud
 * level (and under `rule.ceilingDb`), at least `rule.minMs` long.
 */
export function silentSpans(loudness: Loudness, rule: SilenceRule = DEFAULT_SILENCE_RULE): SilentSpan[] {
  const { levels, windowMs } = loudness;
  if (levels.length === 0) return [];
  const sorted = Float32Array.from(levels).sort();
  const loud = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
  const threshold = Math.min(loud * 10 ** (-rule.belowLoudDb / 20), 10 ** (rule.ceilingDb / 20));
  const spans: SilentSpan[] = [];
  let start = -1;
  for (let i = 0; i <= levels.length; i++) {
    const quiet = i < levels.length && levels[i] <= threshold;
    if (quiet && start < 0) start = i;
    if (!quiet && start >= 0) {
      if ((i - start) * windowMs >= rule.minMs) spans.push({ startMs: start * windowMs, endMs: i * windowMs });
      start = -1;
    }
  }
  return spans;
}
