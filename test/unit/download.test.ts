// downloadToFile on real temp folders against the fake server: naming policy, atomic placement,
// cleanup of temp files, unusable folders, expired and short downloads.

import * as assert from 'assert';
import { createHash } from 'crypto';
import { existsSync, promises as fsp, readdirSync, readFileSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import * as util from 'util';
import { AiStudiosClient } from '../../src/core/api/client';
import {
  DEFAULT_MAX_DOWNLOAD_BYTES,
  downloadToFile,
  isRetriableDownloadFailure,
  type DownloadTarget,
  type FetchImpl,
} from '../../src/core/api/download';
import {
  CancelledError,
  DownloadError,
  InputError,
  NetworkError,
  ProtocolError,
  TimeoutError,
  type AiStudiosError,
} from '../../src/core/errors';
import { MemoryLogger } from '../../src/core/logger';
import { DEMO_TOKEN, startFakeServer, type FakeServer, type FakeServerOptions } from '../fixtures/fakeServer';

const AUDIO_DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'audio');
const HELLO_MP3 = readFileSync(path.join(AUDIO_DIR, 'hello.mp3'));
const HELLO_WAV = readFileSync(path.join(AUDIO_DIR, 'hello.wav'));
const EXISTING = Buffer.from('hand-made take, keep me');
/** The fake server is on loopback http, which downloadToFile accepts only when told to. */
const LOOPBACK = { allowLoopbackHttp: true } as const;

/** A fetch that answers every GET with `status`, the given headers and a body that never ends (a stream of zeros). */
function endlessFetch(status: number, headers: Record<string, string>): { fetchImpl: FetchImpl; body: Readable } {
  const body = new Readable({
    read() {
      this.push(Buffer.alloc(64 * 1024));
    },
  });
  const fetchImpl = (async () => ({
    status,
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    body,
  })) as unknown as FetchImpl;
  return { fetchImpl, body };
}
describe('downloadToFile', () => {
  let server: FakeServer;
  let dir: string;
  let logger: MemoryLogger;

  async function startServer(options: FakeServerOptions = {}): Promise<void> {
    await server?.close();
    // The fixture clips, so downloads can be compared with the files in test/fixtures/audio byte for byte.
    server = await startFakeServer({ speech: 'clips', ...options });
  }

  /** Asks the fake server for speech and returns its download link and file name. */
  async function generated(text = 'Hello there.'): Promise<{ url: URL; fileName: string }> {
    const client = new AiStudiosClient({ baseUrl: server.url, credentials: { kind: 'token', token: DEMO_TOKEN } });
    const result = await client.requestSpeech({ text, voice: { model: 'M000045058', language: 'en' } });
    return { url: result.downloadUrl, fileName: result.fileName };
  }

  async function download(
    target: Partial<DownloadTarget> = {},
    options: { signal?: AbortSignal; timeoutMs?: number; serverFileName?: string } = {},
  ) {
    const { url, fileName } = await generated();
    return downloadToFile(
      url,
      { directory: dir, baseName: 'intro', ...target },
      { serverFileName: fileName, logger, ...LOOPBACK, ...options },
    );
  }

  async function expectFailure(
    promise: Promise<unknown>,
    errorClass: abstract new (...args: never[]) => AiStudiosError,
  ): Promise<AiStudiosError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
      return error;
    }
    return assert.fail('expected a failure');
  }

  const listing = (): string[] => readdirSync(dir).sort();

  beforeEach(async () => {
    await startServer();
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-download-'));
    logger = new MemoryLogger();
  });

  afterEach(async () => {
    await server.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('streams the audio into <baseName><ext> with its size, hash, type and extension', async () => {
    const file = await download();
    assert.deepStrictEqual(file, {
      path: path.join(dir, 'intro.mp3'),
      bytes: HELLO_MP3.length,
      sha256: createHash('sha256').update(HELLO_MP3).digest('hex'),
      extension: '.mp3',
      contentType: 'audio/mpeg',
    });
    assert.ok(readFileSync(file.path).equals(HELLO_MP3));
    assert.deepStrictEqual(listing(), ['intro.mp3']);
  });

  it('picks a free numbered name by default and leaves existing files byte-identical', async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), EXISTING);
    await fsp.writeFile(path.join(dir, 'intro (2).mp3'), EXISTING);
    const file = await download();
    assert.strictEqual(path.basename(file.path), 'intro (3).mp3');
    assert.ok(readFileSync(path.join(dir, 'intro.mp3')).equals(EXISTING));
    assert.ok(readFileSync(path.join(dir, 'intro (2).mp3')).equals(EXISTING));
    assert.deepStrictEqual(listing(), ['intro (2).mp3', 'intro (3).mp3', 'intro.mp3']);
  });

  it("replaces the existing file only with ifExists 'overwrite'", async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), EXISTING);
    const file = await download({ ifExists: 'overwrite' });
    assert.strictEqual(file.path, path.join(dir, 'intro.mp3'));
    assert.ok(readFileSync(file.path).equals(HELLO_MP3));
    assert.deepStrictEqual(listing(), ['intro.mp3']);
  });

  it("ifExists 'fail' → InputError before downloading, existing file untouched", async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), EXISTING);
    await expectFailure(download({ ifExists: 'fail' }), InputError);
    assert.strictEqual(server.counts.file, 0);
    assert.deepStrictEqual(listing(), ['intro.mp3']);
    assert.ok(readFileSync(path.join(dir, 'intro.mp3')).equals(EXISTING));
  });

  it("ifExists 'fail' also holds when the bytes turn out to need another extension", async () => {
    await startServer({ audioFormat: 'wav' });
    await fsp.writeFile(path.join(dir, 'intro.wav'), EXISTING);
    // The server's name says .mp3 so the early check passes; the bytes say WAV and intro.wav exists.
    const { url } = await generated();
    await expectFailure(
      downloadToFile(
        url,
        { directory: dir, baseName: 'intro', ifExists: 'fail' },
        { serverFileName: 'x.mp3', ...LOOPBACK },
      ),
      InputError,
    );
    assert.deepStrictEqual(listing(), ['intro.wav']);
    assert.ok(readFileSync(path.join(dir, 'intro.wav')).equals(EXISTING));
  });

  it('takes the extension from the bytes, then the Content-Type, then the server name', async () => {
    await startServer({ audioFormat: 'wav' });
    const file = await download({}, { serverFileName: 'misleading.mp3' });
    assert.strictEqual(file.extension, '.wav');
    assert.strictEqual(file.contentType, 'audio/wav');
    assert.ok(readFileSync(file.path).equals(HELLO_WAV));
  });

  it('sanitizes the base name so nothing lands outside the folder', async () => {
    const file = await download({ baseName: '../../outside' });
    assert.strictEqual(path.dirname(file.path), dir);
    assert.strictEqual(path.basename(file.path), 'outside.mp3');
  });

  it('a missing target folder → InputError before any request', async () => {
    const missing = path.join(dir, 'nope');
    const { url } = await generated();
    await expectFailure(downloadToFile(url, { directory: missing, baseName: 'intro' }, LOOPBACK), InputError);
    assert.strictEqual(server.counts.file, 0);
    assert.ok(!existsSync(missing));
  });

  it('a target that is a file → InputError', async () => {
    await fsp.writeFile(path.join(dir, 'file.txt'), 'x');
    const { url } = await generated();
    await expectFailure(
      downloadToFile(url, { directory: path.join(dir, 'file.txt'), baseName: 'intro' }, LOOPBACK),
      InputError,
    );
    assert.strictEqual(server.counts.file, 0);
  });

  it('a read-only target folder → InputError before any request', async () => {
    const readOnly = path.join(dir, 'read-only');
    await fsp.mkdir(readOnly);
    await fsp.chmod(readOnly, 0o555);
    // root ignores permission bits; /sys refuses new files even to root.
    const target = (await isWritable(readOnly)) ? '/sys' : readOnly;
    assert.ok(!(await isWritable(target)), 'test setup: the folder must not be writable');
    const { url } = await generated();
    const error = await expectFailure(
      downloadToFile(url, { directory: target, baseName: 'intro' }, LOOPBACK),
      InputError,
    );
    assert.match(error.message, /not writable/);
    assert.strictEqual(server.counts.file, 0);
    await fsp.chmod(readOnly, 0o755);
  });

  it('an expired download (404) → DownloadError, no file left', async () => {
    const { url, fileName } = await generated();
    server.expireFiles();
    const error = await expectFailure(
      downloadToFile(url, { directory: dir, baseName: 'intro' }, { serverFileName: fileName, ...LOOPBACK }),
      DownloadError,
    );
    assert.strictEqual(isRetriableDownloadFailure(error), false, 'an expired link is not fetched again');
    assert.strictEqual(error.status, 404);
    assert.deepStrictEqual(listing(), []);
  });

  it('a body shorter than Content-Length → DownloadError, temp file removed', async () => {
    server.setFault({ kind: 'truncatedDownload', bytes: 1000 });
    const error = await expectFailure(download(), DownloadError);
    assert.match(error.message, /cut short \(1000 of \d+ bytes\)/);
    assert.ok(isRetriableDownloadFailure(error), 'a body cut short is worth another GET');
    assert.deepStrictEqual(listing(), []);
  });

  it('a stalled body → TimeoutError, temp file removed', async () => {
    server.setFault({ kind: 'stallDownload' });
    await expectFailure(download({}, { timeoutMs: 100 }), TimeoutError);
    assert.deepStrictEqual(listing(), []);
  });

  it('cancelling mid-body → CancelledError, temp file removed', async () => {
    server.setFault({ kind: 'stallDownload' });
    const controller = new AbortController();
    const pending = download({}, { signal: controller.signal, timeoutMs: 30_000 });
    // Wait until the body is really being written: a .part file with bytes in it.
    const writing = (): boolean => listing().some((f) => f.endsWith('.part') && statSync(path.join(dir, f)).size > 0);
    for (let i = 0; i < 1000 && !writing(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(writing(), 'the download never started writing');
    controller.abort();
    await expectFailure(pending, CancelledError);
    assert.deepStrictEqual(listing(), []);
  });

  it('refuses unsafe URLs and unsafe redirects', async () => {
    for (const unsafe of ['http://example.invalid/a.mp3', 'file:///etc/passwd', 'data:audio/mpeg;base64,AA==']) {
      await expectFailure(
        downloadToFile(new URL(unsafe), { directory: dir, baseName: 'intro' }, LOOPBACK),
        ProtocolError,
      );
    }
    server.setFault({ kind: 'redirectDownload', location: 'file:///etc/passwd' });
    await expectFailure(download(), ProtocolError);
    assert.deepStrictEqual(listing(), []);
  });

  it('refuses loopback http links unless allowed (a real host must not make us fetch a local service)', async () => {
    const { url, fileName } = await generated();
    await expectFailure(
      downloadToFile(url, { directory: dir, baseName: 'intro' }, { serverFileName: fileName }),
      ProtocolError,
    );
    assert.strictEqual(server.counts.file, 0);
    assert.deepStrictEqual(listing(), []);
  });

  it('refuses a redirect to loopback http unless allowed', async () => {
    const { url } = await generated();
    const httpsUrl = new URL('https://downloads.example.invalid/a.mp3');
    let hops = 0;
    const fetchImpl = (async (href: string) => {
      hops++;
      assert.strictEqual(href, httpsUrl.href, 'only the https link is requested');
      return {
        status: 302,
        headers: { get: (n: string) => (n.toLowerCase() === 'location' ? url.href : null) },
        body: Readable.from([]),
      };
    }) as unknown as FetchImpl;
    const error = await expectFailure(
      downloadToFile(httpsUrl, { directory: dir, baseName: 'intro' }, { fetchImpl }),
      ProtocolError,
    );
    assert.match(error.message, /redirected/);
    assert.strictEqual(hops, 1);
    assert.strictEqual(server.counts.file, 0);
    assert.deepStrictEqual(listing(), []);
  });

  it('refuses a 200 answer that is not audio (an HTML page), leaving no file', async () => {
    server.setFault({ kind: 'notAudio' });
    const error = await expectFailure(download(), DownloadError);
    assert.strictEqual(error.message, 'AI Studios sent something that is not audio (text/html).');
    assert.strictEqual(server.counts.file, 1);
    assert.deepStrictEqual(listing(), []);
  });

  it('caps one piece at 100 MiB by default', async () => {
    assert.strictEqual(DEFAULT_MAX_DOWNLOAD_BYTES, 100 * 1024 * 1024);
    const { fetchImpl, body } = endlessFetch(200, {
      'content-type': 'audio/mpeg',
      'content-length': String(DEFAULT_MAX_DOWNLOAD_BYTES + 1),
    });
    const error = await expectFailure(
      downloadToFile(
        new URL('https://cdn.example.invalid/a.mp3'),
        { directory: dir, baseName: 'intro' },
        { fetchImpl },
      ),
      DownloadError,
    );
    // Issue 11: the cap is said in MB, as the README states it (100 MiB).
    assert.strictEqual(
      error.message,
      'The audio file is larger than 100 MB, the most one piece of speech may be, so it was not downloaded.',
    );
    assert.ok(body.destroyed, 'the oversize body is not read');
    assert.deepStrictEqual(listing(), []);
  });

  it('an error answer with an endless body is cut off, not drained', async () => {
    const { fetchImpl, body } = endlessFetch(500, { 'content-type': 'text/html' });
    const error = await expectFailure(
      downloadToFile(
        new URL('https://cdn.example.invalid/a.mp3'),
        { directory: dir, baseName: 'intro' },
        { fetchImpl },
      ),
      DownloadError,
    );
    assert.strictEqual(error.status, 500);
    assert.ok(isRetriableDownloadFailure(error), 'a 5xx is worth another GET');
    assert.ok(body.destroyed, 'the error body is destroyed instead of drained');
    assert.deepStrictEqual(listing(), []);
  });

  it('a failing fetch keeps only its error code, never its message (it names the signed link)', async () => {
    const signed = 'https://cdn.example.invalid/a.mp3?signature=SECRET-signature';
    const fetchImpl = (async () => {
      throw Object.assign(new Error(`request to ${signed} failed, reason: connect ECONNREFUSED`), {
        code: 'ECONNREFUSED',
      });
    }) as unknown as FetchImpl;
    const error = await expectFailure(
      downloadToFile(new URL(signed), { directory: dir, baseName: 'intro' }, { fetchImpl }),
      NetworkError,
    );
    assert.match(error.message, /\(ECONNREFUSED\)/);
    assert.ok(!util.inspect(error, { depth: 5 }).includes('SECRET-signature'), util.inspect(error, { depth: 5 }));
  });

  it('follows a safe redirect', async () => {
    const { url: target } = await generated('The second clip.');
    server.queueFaults({ kind: 'redirectDownload', location: target.pathname });
    const file = await download();
    assert.ok(readFileSync(file.path).equals(readFileSync(path.join(AUDIO_DIR, 'second.mp3'))));
  });

  it('refuses a body over maxBytes', async () => {
    const { url } = await generated();
    await expectFailure(
      downloadToFile(url, { directory: dir, baseName: 'intro' }, { maxBytes: 100, ...LOOPBACK }),
      DownloadError,
    );
    assert.deepStrictEqual(listing(), []);
  });

  it('logs the download without its query string', async () => {
    await download();
    const line = logger.lines.find((l) => l.message.startsWith('GET '));
    assert.ok(line);
    assert.match(
      line.message,
      /^GET http:\/\/127\.0\.0\.1:\d+\/files\/[a-z0-9]+\.mp3 → 200 in \d+ ms, \d+ bytes → intro\.mp3$/,
    );
  });
});

async function isWritable(directory: string): Promise<boolean> {
  const probe = path.join(directory, `.probe-${process.pid}-${Date.now()}`);
  try {
    await fsp.writeFile(probe, 'x', { flag: 'wx' });
    await fsp.rm(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}
