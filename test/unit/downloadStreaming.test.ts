// downloadToFile as the bytes stream in: connections kept alive and reused from one download to the next, a
// connection that closes mid-body still noticed when it was a reused one, the part file opened once (which also checks
// the folder), and the MPEG frames walked on the way (DownloadedFile.mpeg).

import * as assert from 'assert';
import { promises as fsp, readFileSync } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { AiStudiosClient } from '../../src/core/api/client';
import { downloadToFile, isRetriableDownloadFailure } from '../../src/core/api/download';
import { openTempFile } from '../../src/core/files/nodeFileSystem';
import { CancelledError, ProtocolError } from '../../src/core/errors';
import { MpegStreamWalk } from '../../src/core/audio/mpegStream';
import { DownloadError, InputError } from '../../src/core/errors';
import { DEMO_TOKEN, startFakeServer } from '../fixtures/fakeServer';

const fixture = (name: string) =>
  readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'audio', name));
/** With ID3 tags: not plain MPEG. */
const AUDIO = fixture('hello.mp3');
/** MPEG frames from the first byte to the last. */
const PLAIN = fixture('second.mp3');

/**
 * An audio server on loopback that counts its connections: `/cut` sends half of hello.mp3, then drops the connection;
 * `/plain.mp3` sends PLAIN; anything else hello.mp3.
 */
async function audioServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = http.createServer((req, res) => {
    const body = req.url === '/plain.mp3' ? PLAIN : AUDIO;
    res.writeHead(200, { 'Content-Type': 'audio/mpeg', 'Content-Length': String(body.length) });
    if (req.url === '/plain.mp3') {
      // In small writes, so the walk sees frames cut across chunks.
      for (let offset = 0; offset < body.length; offset += 1000) res.write(body.subarray(offset, offset + 1000));
      res.end();
      return;
    }
    if (req.url === '/cut') {
      res.write(AUDIO.subarray(0, AUDIO.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(AUDIO);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('downloadToFile connections', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof audioServer>>;

  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-connections-'));
    server = await audioServer();
  });
  afterEach(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const get = (urlPath: string, baseName: string) =>
    downloadToFile(new URL(`${server.url}${urlPath}`), { directory: dir, baseName }, { allowLoopbackHttp: true });

  it('reuses one connection for the downloads that follow each other, without piling listeners on it', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): number => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // More than the 10 listeners after which Node warns of a leak.
      for (let i = 0; i < 12; i++) {
        const file = await get('/a.mp3', `take-${i}`);
        assert.ok(readFileSync(file.path).equals(AUDIO));
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.strictEqual(server.connections(), 1);
    assert.deepStrictEqual(
      warnings.filter((w) => w.name === 'MaxListenersExceededWarning'),
      [],
    );
  });

  it('a reused connection that drops mid-body → DownloadError (cut short), no file left', async () => {
    await get('/a.mp3', 'first');
    const error = await get('/cut', 'second').then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DownloadError, String(error));
    assert.match(error.message, /cut short/);
    assert.ok(isRetriableDownloadFailure(error));
    assert.strictEqual(server.connections(), 1, 'the cut download went over the kept connection');
    assert.deepStrictEqual(await fsp.readdir(dir), ['first.mp3']);
    // And the next download opens a new connection and works.
    assert.ok(readFileSync((await get('/a.mp3', 'third')).path).equals(AUDIO));
  });

  it('a target that is a file or a missing folder → InputError before any request, as before the one open', async () => {
    await fsp.writeFile(path.join(dir, 'file.txt'), 'x');
    for (const directory of [path.join(dir, 'file.txt'), path.join(dir, 'missing')]) {
      const error = await downloadToFile(
        new URL(`${server.url}/a.mp3`),
        { directory, baseName: 'intro' },
        { allowLoopbackHttp: true },
      ).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof InputError, String(error));
      assert.match(error.message, /does not exist|not a folder/);
    }
    assert.strictEqual(server.connections(), 0);
    assert.deepStrictEqual(await fsp.readdir(dir), ['file.txt']);
  });

  it('walks the frames of plain MPEG as they arrive, and of nothing else', async () => {
    const plain = await get('/plain.mp3', 'plain');
    const walker = new MpegStreamWalk();
    walker.push(readFileSync(plain.path));
    assert.ok(plain.mpeg, 'a plain MP3 comes with its frames');
    assert.deepStrictEqual(plain.mpeg, walker.finish());
    assert.strictEqual(plain.mpeg.bytes, PLAIN.length);
    const tagged = await get('/a.mp3', 'tagged');
    assert.strictEqual(tagged.mpeg, undefined, 'ID3 tags: the join reads the file itself');
  });

  it('writes into a part file made beforehand, and removes one it cannot use (unsafe link, cancel)', async () => {
    const part = await openTempFile(dir, 'early');
    const file = await downloadToFile(
      new URL(`${server.url}/a.mp3`),
      { directory: dir, baseName: 'early', part },
      { allowLoopbackHttp: true },
    );
    assert.ok(readFileSync(file.path).equals(AUDIO));
    assert.deepStrictEqual(await fsp.readdir(dir), ['early.mp3'], 'the part file became the file; no other was made');

    const unsafe = await openTempFile(dir, 'unsafe');
    await assert.rejects(
      downloadToFile(new URL('http://example.invalid/a.mp3'), { directory: dir, baseName: 'unsafe', part: unsafe }),
      ProtocolError,
    );
    const cancelled = await openTempFile(dir, 'cancelled');
    await assert.rejects(
      downloadToFile(
        new URL(`${server.url}/a.mp3`),
        { directory: dir, baseName: 'cancelled', part: cancelled },
        { allowLoopbackHttp: true, signal: AbortSignal.abort() },
      ),
      CancelledError,
    );
    assert.deepStrictEqual(await fsp.readdir(dir), ['early.mp3']);
    // Both handles were closed.
    assert.deepStrictEqual([unsafe.handle.fd, cancelled.handle.fd], [-1, -1]);
  });

  it("a retried download: the first GET's part file is removed, the retry makes its own", async () => {
    const fake = await startFakeServer({ speech: 'clips' });
    try {
      const client = new AiStudiosClient({
        baseUrl: fake.url,
        credentials: { kind: 'token', token: DEMO_TOKEN },
        retry: { baseDelayMs: 1 },
      });
      const result = await client.requestSpeech({
        text: 'Hello there.',
        voice: { model: 'M000045058', language: 'en' },
      });
      fake.queueFaults({ kind: 'truncatedDownload', bytes: 100 });
      const part = await openTempFile(dir, 'retried');
      const file = await client.download(result, { directory: dir, baseName: 'retried', part });
      assert.strictEqual(fake.counts.file, 2);
      assert.deepStrictEqual(await fsp.readdir(dir), ['retried.mp3']);
      assert.ok(readFileSync(file.path).equals(AUDIO));
      assert.strictEqual(part.handle.fd, -1, 'the first part file was closed');
    } finally {
      await fake.close();
    }
  });
});
