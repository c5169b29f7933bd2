// Flat memory: the built CLI, in a child process against the fake server, must not grow with the audio.
// Peak RSS is the child's own VmHWM (/proc/self/status), read once its run is over; the growth is the difference
// from a run of the same harness on a tiny script with tiny audio. No timing is asserted.

import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import { existsSync, promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';

const REPO = path.join(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const MB = 1024 * 1024;
/** The promise of issue 11: whatever the audio's size and number of pieces, peak RSS grows by at most this. */
const MAX_GROWTH_BYTES = 50 * MB;

/** Runs the CLI's main() in a child and reports its exit code and peak RSS in bytes. */
const PROBE = `
const { main } = require(process.env.PROBE_CLI);
const args = JSON.parse(process.env.PROBE_ARGS);
main(args, process.env, { stdout: process.stdout, stderr: process.stderr }, new AbortController().signal).then((code) => {
  const status = require('fs').readFileSync('/proc/self/status', 'utf8');
  process.stdout.write('VmHWM ' + /VmHWM:\\s+(\\d+) kB/.exec(status)[1] + '\\n');
  process.exitCode = code;
});
`;

interface ProbeResult {
  code: number | null;
  peakBytes: number;
  stdout: string;
  stderr: string;
}

describe('memory: peak RSS of the CLI does not grow with the audio', function () {
  this.timeout(240_000);
  let server: FakeServer;
  let dir: string;

  before(async function () {
    if (process.platform !== 'linux' || !existsSync('/proc/self/status')) this.skip();
    if (!existsSync(CLI)) spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, stdio: 'inherit' });
    server = await startFakeServer();
  });
  after(async () => server?.close());
  beforeEach(async () => {
    server.reset();
    server.generatedAudioBytes = undefined;
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-memory-'));
  });
  afterEach(async () => {
    server.generatedAudioBytes = undefined;
    await fsp.rm(dir, { recursive: true, force: true });
  });

  function probe(args: string[]): Promise<ProbeResult> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['-e', PROBE], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          XDG_CACHE_HOME: path.join(dir, 'cache-home'),
          AISTUDIOS_API_KEY: DEMO_TOKEN,
          PROBE_CLI: CLI,
          PROBE_ARGS: JSON.stringify([...args, '--base-url', server.url]),
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => {
        const kb = /VmHWM (\d+)/.exec(stdout)?.[1];
        resolve({ code, peakBytes: kb === undefined ? NaN : Number(kb) * 1024, stdout, stderr });
      });
    });
  }

  async function baseline(): Promise<number> {
    const input = path.join(dir, 'tiny.md');
    await fsp.writeFile(input, 'A few words.\n');
    const result = await probe([input, '--no-cache']);
    assert.strictEqual(result.code, 0, result.stderr);
    await fsp.rm(path.join(dir, 'tiny.mp3'), { force: true });
    server.reset();
    return result.peakBytes;
  }

  function report(name: string, base: number, peak: number): void {
    const growth = peak - base;
    // Printed so that a run shows the numbers, not only a pass.
    console.log(
      `      ${name}: baseline ${(base / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, growth ${(growth / MB).toFixed(1)} MB`,
    );
    assert.ok(growth <= MAX_GROWTH_BYTES, `${name}: peak RSS grew by ${(growth / MB).toFixed(1)} MB (limit 50 MB)`);
  }

  it('a 95 MB download (fetched, cached, joined and placed) grows peak RSS by at most 50 MB', async () => {
    const base = await baseline();
    server.generatedAudioBytes = 95 * 1000 * 1000;
    const input = path.join(dir, 'long.md');
    await fsp.writeFile(input, 'One long take.\n');
    const result = await probe([input]);
    assert.strictEqual(result.code, 0, result.stderr);
    const saved = path.join(dir, 'long.mp3');
    assert.ok((await fsp.stat(saved)).size > 90 * MB, 'the whole audio was saved');
    report('95 MB download', base, result.peakBytes);
  });

  it('a join of 120 pieces (two hours of audio) grows peak RSS by at most 50 MB', async () => {
    const base = await baseline();
    // One minute of 128 kbit/s audio per piece: 2,500 frames of 24 ms.
    server.generatedAudioBytes = 2500 * 384;
    const paragraphs = Array.from(
      { length: 120 },
      (_, i) => `Paragraph ${i + 1} of the long narration, said on its own.`,
    );
    const input = path.join(dir, 'course.md');
    await fsp.writeFile(input, paragraphs.join('\n\n') + '\n');
    const result = await probe([input, '--max-chars', '100', '--concurrency', '4']);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(server.counts.speech, 120, 'one request per paragraph');
    assert.ok((await fsp.stat(path.join(dir, 'course.mp3'))).size >= 120 * 2500 * 384, 'every piece was joined');
    report('join of 120 pieces', base, result.peakBytes);
  });
});
