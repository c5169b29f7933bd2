// Run by the bench in a child process of its own (plain Node, default V8 settings, as in the extension host whose heap
// is not ours to tune): one download or one join through the core, then the process's peak RSS (VmHWM).
//   node memoryProbe.js download <server url> <folder>   requests speech and downloads its audio into <folder>
//   node memoryProbe.js join <output> <piece>...          joins the pieces into <output>
// Prints one JSON line: {"peakBytes": …, "bytes": …}.
import { readFileSync } from 'fs';
import { AiStudiosClient } from '../../src/core/api/client';
import { joinAudioFiles } from '../../src/core/audio/join';
import { silentLogger } from '../../src/core/logger';
import { DEMO_TOKEN } from '../fixtures/fakeServer';

function peakRssBytes(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (kb === undefined) throw new Error('no VmHWM in /proc/self/status');
  return Number(kb) * 1024;
}

async function main(args: string[]): Promise<number> {
  const [mode, ...rest] = args;
  if (mode === 'download') {
    const [url, folder] = rest;
    const client = new AiStudiosClient({
      baseUrl: url!,
      credentials: { kind: 'token', token: DEMO_TOKEN },
      logger: silentLogger,
    });
    const speech = await client.requestSpeech({
      text: 'One long take.',
      voice: { model: 'M000045058', language: 'en' },
    });
    const file = await client.download(speech, { directory: folder!, baseName: 'download', ifExists: 'fail' });
    return file.bytes;
  }
  if (mode === 'join') {
    const [output, ...pieces] = rest;
    const result = await joinAudioFiles(
      pieces.map((p) => ({ path: p })),
      output!,
    );
    return result.bytes;
  }
  throw new Error(`usage: memoryProbe.js download <url> <folder> | join <output> <piece>...`);
}

main(process.argv.slice(2)).then(
  (bytes) => process.stdout.write(`${JSON.stringify({ peakBytes: peakRssBytes(), bytes })}\n`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
