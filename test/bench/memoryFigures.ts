// download_rss_growth_mb and join_rss_growth_mb: the peak RSS of a child process (memoryProbe.js) doing one big download
// or one long join through the core, less the peak of the same child doing the same with tiny audio.
import { execFile } from 'child_process';
import { closeSync, openSync, statSync, writeSync } from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { startFakeServer } from '../fixtures/fakeServer';
import type { TempFolders } from './benchPaths';

const MB = 1024 * 1024;
/** One silent MPEG-1 Layer III frame: 128 kbit/s, 48 kHz, mono, 384 bytes, 24 ms. */
const FRAME = (() => {
  const frame = Buffer.alloc(384);
  frame.set([0xff, 0xfb, 0x94, 0xc4]);
  return frame;
})();

export interface MemoryFigure {
  growthMb: number;
  detail: string;
}

interface ProbeResult {
  peakBytes: number;
  bytes: number;
}

async function probe(args: string[]): Promise<ProbeResult> {
  const script = path.join(__dirname, 'memoryProbe.js');
  const { stdout } = await promisify(execFile)(process.execPath, [script, ...args], { maxBuffer: MB });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ProbeResult;
}

/** An MP3 of `frames` silent frames (2,500 make a minute), written in batches. */
function writeMp3(file: string, frames: number): void {
  const batch = Buffer.concat(Array.from({ length: 1000 }, () => FRAME));
  const fd = openSync(file, 'w');
  try {
    for (let left = frames; left > 0; left -= 1000) writeSync(fd, batch, 0, Math.min(left, 1000) * FRAME.length);
  } finally {
    closeSync(fd);
  }
}

function growth(name: string, base: ProbeResult, big: ProbeResult, what: string): MemoryFigure {
  return {
    growthMb: (big.peakBytes - base.peakBytes) / MB,
    detail: `${name}: ${what}; peak RSS ${(big.peakBytes / MB).toFixed(1)} MB vs ${(base.peakBytes / MB).toFixed(1)} MB for the same with tiny audio`,
  };
}

/** A child downloads a 95 MB file (just under the 100 MiB cap on a piece) from the fake server. */
export async function downloadMemoryFigure(folders: TempFolders): Promise<MemoryFigure> {
  const server = await startFakeServer();
  try {
    server.generatedAudioBytes = 10 * FRAME.length;
    const base = await probe(['download', server.url, folders.make('memory-download-base')]);
    server.generatedAudioBytes = 95 * 1000 * 1000;
    const big = await probe(['download', server.url, folders.make('memory-download')]);
    if (big.bytes < 94 * 1000 * 1000) throw new Error(`bench: only ${big.bytes} bytes were downloaded`);
    return growth('download', base, big, `${(big.bytes / MB).toFixed(1)} MiB downloaded`);
  } finally {
    await server.close();
  }
}

/** A child joins 120 one-minute MP3 pieces (2,500 frames each: two hours, 115 MB). */
export async function joinMemoryFigure(folders: TempFolders): Promise<MemoryFigure> {
  const dir = folders.make('memory-join');
  const pieces = Array.from({ length: 120 }, (_, i) => path.join(dir, `piece-${String(i).padStart(3, '0')}.mp3`));
  for (const piece of pieces) writeMp3(piece, 2500);
  const tiny = [path.join(dir, 'tiny-1.mp3'), path.join(dir, 'tiny-2.mp3')];
  for (const piece of tiny) writeMp3(piece, 10);
  const base = await probe(['join', path.join(dir, 'tiny.mp3'), ...tiny]);
  const big = await probe(['join', path.join(dir, 'joined.mp3'), ...pieces]);
  const input = pieces.reduce((sum, p) => sum + statSync(p).size, 0);
  return growth('join', base, big, `${(input / 1e6).toFixed(0)} MB in 120 pieces → ${(big.bytes / 1e6).toFixed(0)} MB`);
}
