// Joining: our frame-aware joiner against the floor, a raw byte concatenation of the same files with fs streams.
import { once } from 'events';
import { copyFileSync, createReadStream, createWriteStream, statSync } from 'fs';
import * as path from 'path';
import { joinAudioFiles, type JoinPiece } from '../../src/core/audio/join';
import type { TempFolders } from './benchPaths';
import { compare, timeNs, type ComparisonResult } from './measure';

/** Copies the two clips alternately into `count` piece files in a fresh folder. */
function makePieces(folders: TempFolders, clips: readonly string[], count: number): string[] {
  const dir = folders.make('join-pieces');
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) {
    const clip = clips[i % clips.length]!;
    const piece = path.join(dir, `piece-${String(i).padStart(2, '0')}${path.extname(clip)}`);
    copyFileSync(clip, piece);
    pieces.push(piece);
  }
  return pieces;
}

/** The floor: every byte of every piece appended to one file, nothing parsed. */
async function concatenate(pieces: readonly string[], outputPath: string): Promise<void> {
  const out = createWriteStream(outputPath);
  for (const piece of pieces) {
    for await (const data of createReadStream(piece)) {
      if (!out.write(data)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}

/** joinAudioFiles ÷ raw concatenation for `count` copies of the clips. */
export async function joinBench(
  folders: TempFolders,
  label: string,
  clips: readonly string[],
  count: number,
): Promise<ComparisonResult> {
  const pieces = makePieces(folders, clips, count);
  const joinPieces: JoinPiece[] = pieces.map((p) => ({ path: p }));
  const outDir = folders.make('join-out');
  const joinedPath = path.join(outDir, `joined${path.extname(clips[0]!)}`);
  const concatenatedPath = path.join(outDir, `concatenated${path.extname(clips[0]!)}`);
  let durationMs = 0;
  return compare({
    name: `join ${count} ${label} pieces`,
    baselineLabel: 'fs stream concatenation',
    subjectLabel: 'joinAudioFiles',
    baseline: () => timeNs(() => concatenate(pieces, concatenatedPath)),
    subject: () =>
      timeNs(async () => {
        durationMs = (await joinAudioFiles(joinPieces, joinedPath)).durationMs;
      }),
    runs: 41,
    warmup: 5,
    note: () =>
      `${statSync(concatenatedPath).size.toLocaleString('en')} bytes in → ${statSync(joinedPath).size.toLocaleString('en')} bytes joined, ${(durationMs / 1000).toFixed(1)} s of audio`,
  });
}
