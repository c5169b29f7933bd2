// The API client against the fake AI Studios server: every fault mode, retries, cancellation, tokens.
// Each fault test also checks that nothing is left in the target folder, that an existing file is
// untouched, and that no key shows up in any error or log line.

import * as assert from 'assert';
import { promises as fsp, readdirSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import { sleep as realSleep, throwIfCancelled } from '../../src/core/abort';
import {
  AiStudiosClient,
  describeRetry,
  retryHistoryOf,
  TOKEN_RENEW_AFTER_MS,
  type ClientOptions,
} from '../../src/core/api/client';
import type { SpeechRequest, SpeechResult } from '../../src/core/api/speechService';
import type { Credentials } from '../../src/core/api/credentials';
import {
  AiStudiosError,
  AuthError,
  BadRequestError,
  CancelledError,
  DownloadError,
  InputError,
  NetworkError,
  ProtocolError,
  QuotaError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../../src/core/errors';
import type { FetchImpl } from '../../src/core/api/download';
import { MemoryLogger } from '../../src/core/logger';
import { startFakeServer, type FakeFault, type FakeServer, type FakeServerOptions } from '../fixtures/fakeServer';

const SECRETS = { token: 'static-SECRET-token-1234', appId: 'app-SECRET-id-5678', userKey: 'user-SECRET-key-9012' };
const TOKEN_CREDS: Credentials = { kind: 'token', token: SECRETS.token };
const APP_CREDS: Credentials = { kind: 'appKey', appId: SECRETS.appId, userKey: SECRETS.userKey };
const EXISTING = Buffer.from('an existing narration the user made by hand — never touch it\n');
const HELLO_MP3 = readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'audio', 'hello.mp3'));
const SPEECH: SpeechRequest = { text: 'Hello there.', voice: { model: 'M000045058', language: 'en' } };
/** What a speech failure says when the server may have made the audio anyway. */
const MAY_HAVE_MADE =
  /It may still have made \(and charged for\) the audio, so it was not requested again automatically\.$/;

type ErrorClass = abstract new (...args: never[]) => AiStudiosError;

describe('AiStudiosClient', () => {
  let server: FakeServer;
  /** A private temp root; the target folder is two levels below it, so escapes would land inside it. */
  let root: string;
  let dir: string;
  let logger: MemoryLogger;
  let sleeps: number[];

  /** Records each wait and returns at once (but honors cancellation), so retries cost no time. */
  const fakeSleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    sleeps.push(ms);
    throwIfCancelled(signal);
  };

  async function startServer(options: FakeServerOptions = {}): Promise<void> {
    await server?.close();
    server = await startFakeServer({
      // The fixture clips, so downloads can be compared with HELLO_MP3 byte for byte.
      speech: 'clips',
      staticTokens: [SECRETS.token],
      appId: SECRETS.appId,
      userKey: SECRETS.userKey,
      ...options,
    });
  }

  function makeClient(credentials: Credentials = TOKEN_CREDS, extra: Partial<ClientOptions> = {}): AiStudiosClient {
    return new AiStudiosClient({
      baseUrl: server.url,
      credentials,
      logger,
      timeoutMs: 3000,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40, maxTotalWaitMs: 60_000 },
      sleep: fakeSleep,
      ...extra,
    });
  }

  async function generate(client: AiStudiosClient, signal?: AbortSignal, text = SPEECH.text) {
    const result = await client.requestSpeech({ ...SPEECH, text }, signal);
    return client.download(result, { directory: dir, baseName: 'intro' }, signal);
  }

  async function expectFailure(promise: Promise<unknown>, errorClass: ErrorClass): Promise<AiStudiosError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
      return error;
    }
    return assert.fail(`expected ${errorClass.name}, but it succeeded`);
  }

  function assertTargetUntouched(): void {
    assert.deepStrictEqual(readdirSync(dir), ['intro.mp3'], 'no new file and no temp file in the target folder');
    assert.ok(readFileSync(path.join(dir, 'intro.mp3')).equals(EXISTING), 'the existing file is byte-identical');
  }

  function assertNoSecrets(error?: AiStudiosError): void {
    const secrets = [SECRETS.token, SECRETS.appId, SECRETS.userKey, ...server.mintedTokens];
    const texts = [
      logger.text(),
      error?.message ?? '',
      error?.serverMessage ?? '',
      String(error),
      error?.stack ?? '',
      error ? util.inspect(error, { depth: 5 }) : '',
    ];
    for (const secret of secrets)
      for (const text of texts) assert.ok(!text.includes(secret), `a key leaked into: ${text.slice(0, 200)}`);
  }

  /** Runs request + download under a fault and checks the common guarantees. */
  async function expectFault(
    faults: FakeFault | FakeFault[],
    errorClass: ErrorClass,
    credentials: Credentials = TOKEN_CREDS,
    extra: Partial<ClientOptions> = {},
  ) {
    for (const fault of Array.isArray(faults) ? faults : [faults]) server.setFault(fault);
    const error = await expectFailure(generate(makeClient(credentials, extra)), errorClass);
    assertTargetUntouched();
    assertNoSecrets(error);
    assert.ok(error.message.length > 0 && !error.message.includes('\n'), 'one plain sentence');
    return error;
  }

  beforeEach(async () => {
    await startServer();
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-client-'));
    dir = path.join(root, 'project', 'audio');
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(path.join(dir, 'intro.mp3'), EXISTING);
    logger = new MemoryLogger();
    sleeps = [];
  });

  afterEach(async () => {
    await server.close();
    await fsp.rm(root, { recursive: true, force: true });
  });

  describe('happy path', () => {
    it('requests speech with the documented request and downloads the real audio beside the existing file', async () => {
      const file = await generate(makeClient());
      assert.strictEqual(file.path, path.join(dir, 'intro (2).mp3'));
      assert.strictEqual(file.extension, '.mp3');
      assert.strictEqual(file.contentType, 'audio/mpeg');
      assert.ok(readFileSync(file.path).equals(HELLO_MP3));
      assert.strictEqual(file.bytes, HELLO_MP3.length);
      assert.ok(readFileSync(path.join(dir, 'intro.mp3')).equals(EXISTING));
      const speech = server.requests.find((r) => r.route === 'speech')!;
      assert.strictEqual(speech.method, 'POST');
      assert.strictEqual(speech.headers.authorization, SECRETS.token, 'raw token, no Bearer');
      assert.match(String(speech.headers['content-type']), /^application\/json/);
      assert.deepStrictEqual(speech.body, { language: 'en', text: 'Hello there.', model: 'M000045058' });
      assertNoSecrets();
    });

    it('accepts the bare answer (no envelope) as well as the wrapped one', async () => {
      await startServer({ envelope: 'bare' });
      const result = await makeClient().requestSpeech(SPEECH);
      assert.match(result.fileName, /\.mp3$/);
      assert.strictEqual(result.downloadUrl.origin, server.url);
      assert.ok(Array.isArray(result.metaList) && result.metaList.length === 1);
      assert.deepStrictEqual(
        await makeClient()
          .listModels()
          .then((m) => m.map((x) => x.id)),
        ['M000045058', 'M000004017', 'M000099999'],
      );
    });

    it('logs each request with method, path, model, language, characters, status and duration, but not the download query', async () => {
      await generate(makeClient());
      const info = logger.lines.filter((l) => l.level === 'info').map((l) => l.message);
      const speechLine = info.find((l) => l.startsWith('POST /api/odin/v3/simple/audio'));
      assert.ok(speechLine, info.join('\n'));
      assert.match(speechLine, /model=M000045058 language=en characters=12 → 200 in \d+ ms/);
      const downloadLine = info.find((l) => l.startsWith('GET ') && l.includes('/files/'));
      assert.ok(downloadLine);
      assert.ok(!logger.text().includes('signature='), 'the download URL query is never logged');
    });

    it('serves different audio for different texts so pieces can be told apart', async () => {
      const client = makeClient();
      const first = await generate(client, undefined, 'Hello there.');
      const second = await generate(client, undefined, 'The second part.');
      assert.notDeepStrictEqual(readFileSync(first.path), readFileSync(second.path));
    });

    it('tolerates an answer without metaList (undocumented and unused)', async () => {
      server.setFault({ kind: 'missingField', field: 'metaList' });
      const result = await makeClient().requestSpeech(SPEECH);
      assert.deepStrictEqual(result.metaList, []);
    });

    it('works with configurable server latency', async () => {
      server.latencyMs = 30;
      const file = await generate(makeClient());
      assert.strictEqual(file.bytes, HELLO_MP3.length);
    });
  });

  describe('HTTP status faults', () => {
    const expected: [number, ErrorClass][] = [
      [400, BadRequestError],
      [401, AuthError],
      [402, QuotaError],
      [403, AuthError],
      [404, BadRequestError],
      [413, BadRequestError],
      [422, BadRequestError],
      [429, RateLimitError],
      [500, ServerError],
      [502, ServerError],
      [503, ServerError],
    ];
    for (const [status, errorClass] of expected) {
      for (const body of ['envelope', 'empty'] as const) {
        it(`${status} ${body === 'envelope' ? 'with the vendor envelope' : 'without a body'} → ${errorClass.name}`, async () => {
          const message = `Fake reason for ${status}`;
          const error = await expectFault({ kind: 'status', status, body, message, code: `E${status}` }, errorClass);
          assert.strictEqual(error.status, status);
          assert.match(error.message, new RegExp(`HTTP ${status}`));
          if (body === 'envelope') {
            assert.strictEqual(error.serverMessage, message);
            if (![401, 403].includes(status)) assert.ok(error.message.includes(message), error.message);
          } else {
            assert.strictEqual(error.serverMessage, undefined);
          }
          // Speech costs credits: only answers that certainly made nothing (429, 503) are repeated on their own.
          const retried = status === 429 || status === 503;
          assert.strictEqual(server.counts.speech, retried ? 3 : 1, 'only 429 and 503 are retried for speech');
          assert.strictEqual(error.retryable, status === 429 || status >= 500, 'the user is still offered a Retry');
          if (status === 500 || status === 502) assert.match(error.message, MAY_HAVE_MADE);
        });
      }
    }

    it('reads the server message from {message} too', async () => {
      const error = await expectFault(
        { kind: 'status', status: 422, body: 'message', message: 'language does not match the model' },
        BadRequestError,
      );
      assert.strictEqual(error.message, 'AI Studios says: language does not match the model (HTTP 422)');
    });

    it('a 400 that speaks of credits is a QuotaError', async () => {
      await expectFault({ kind: 'status', status: 400, message: 'Insufficient credit balance' }, QuotaError);
    });

    it('"Insufficient permissions" is about access, not credits', async () => {
      const forbidden = await expectFault(
        { kind: 'status', status: 403, message: 'Insufficient permissions' },
        AuthError,
      );
      assert.strictEqual(forbidden.serverMessage, 'Insufficient permissions');
      server.reset();
      await expectFault({ kind: 'status', status: 400, message: 'Insufficient permissions' }, BadRequestError);
      server.reset();
      await expectFault({ kind: 'successFalse', code: 'DENIED', message: 'Insufficient permissions' }, AuthError);
    });

    it('a 403 that speaks of credits is still an AuthError (401/403 come first)', async () => {
      await expectFault({ kind: 'status', status: 403, message: 'Insufficient credit balance' }, AuthError);
    });

    it('strips bidi and zero-width characters from server messages', async () => {
      const error = await expectFault(
        { kind: 'status', status: 400, message: 'bad \u202emodel\u202c\u200b name' },
        BadRequestError,
      );
      assert.strictEqual(error.serverMessage, 'bad model name');
      assert.strictEqual(error.message, 'AI Studios says: bad model name (HTTP 400)');
    });

    it('401 with a pasted token is final and says the key was rejected', async () => {
      const error = await expectFault({ kind: 'status', status: 401 }, AuthError);
      assert.strictEqual(error.message, 'AI Studios rejected the API key (HTTP 401).');
      assert.strictEqual(server.counts.speech, 1);
      assert.strictEqual(server.counts.token, 0);
    });

    it('a server message echoing the key is redacted', async () => {
      const error = await expectFault(
        { kind: 'status', status: 400, message: `token ${SECRETS.token} is not allowed for this model` },
        BadRequestError,
      );
      assert.ok(error.message.includes('[redacted]'));
    });

    it('200 with success:false is a failure carrying the server message', async () => {
      const error = await expectFault(
        {
          kind: 'successFalse',
          code: 'MODEL_LANGUAGE_MISMATCH',
          message: 'The text language does not match the model',
        },
        BadRequestError,
      );
      assert.strictEqual(error.serverMessage, 'The text language does not match the model');
      assert.strictEqual(server.counts.speech, 1);
    });

    it('200 with success:false about credits is a QuotaError', async () => {
      await expectFault({ kind: 'successFalse', code: 'NO_CREDIT', message: 'Not enough credits' }, QuotaError);
    });

    it('200 with success:false and an HTTP-like code 429 is a RateLimitError', async () => {
      await expectFault({ kind: 'successFalse', code: 429, message: 'slow down' }, RateLimitError);
    });

    it('200 with success:false and code 500 → ServerError, speech not requested again', async () => {
      const error = await expectFault({ kind: 'successFalse', code: 500, message: 'internal failure' }, ServerError);
      assert.strictEqual(server.counts.speech, 1);
      assert.ok(error.retryable);
      assert.match(error.message, MAY_HAVE_MADE);
    });
  });

  describe('transport faults', () => {
    // The speech request costs credits: after a timeout or a reset the server may have made the audio,
    // so it is not requested again on its own (the error stays retryable: the user decides).
    it('a slow speech answer beyond the timeout → TimeoutError, requested exactly once', async () => {
      const error = await expectFault({ kind: 'slow', delayMs: 10_000 }, TimeoutError, TOKEN_CREDS, {
        timeoutMs: 100,
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      });
      assert.strictEqual(server.counts.speech, 1);
      assert.deepStrictEqual(sleeps, []);
      assert.ok(error.retryable);
      assert.match(error.message, /^AI Studios did not answer within 100 ms\. /);
      assert.match(error.message, MAY_HAVE_MADE);
    });

    it('a speech connection reset after sending → NetworkError, requested exactly once', async () => {
      const error = await expectFault({ kind: 'reset' }, NetworkError);
      assert.strictEqual(server.counts.speech, 1);
      assert.ok(error.retryable);
      assert.match(error.message, /^The connection to AI Studios broke after the request was sent \(ECONNRESET\)\. /);
      assert.match(error.message, MAY_HAVE_MADE);
    });

    it('a refused connection (nothing sent) → NetworkError, retried', async () => {
      const client = makeClient();
      await server.close();
      const error = await expectFailure(generate(client), NetworkError);
      assert.match(error.message, /^Could not reach AI Studios at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.$/);
      assert.strictEqual(sleeps.length, 2, 'all 3 attempts were made');
      assertTargetUntouched();
      assertNoSecrets(error);
    });
  });

  describe('answer validation', () => {
    it('invalid JSON → ProtocolError', async () => {
      await expectFault({ kind: 'invalidJson' }, ProtocolError);
    });
    for (const field of ['fileName', 'downloadUrl']) {
      it(`missing ${field} → ProtocolError`, async () => {
        await expectFault({ kind: 'missingField', field }, ProtocolError);
      });
    }
    const wrongTypes: [string, unknown][] = [
      ['fileName', 42],
      ['fileName', ''],
      ['downloadUrl', { href: 'https://x' }],
      ['downloadUrl', '   '],
      ['metaList', 'not a list'],
      ['metaList', { a: 1 }],
    ];
    for (const [field, value] of wrongTypes) {
      it(`${field} = ${JSON.stringify(value)} → ProtocolError`, async () => {
        await expectFault({ kind: 'wrongType', field, value }, ProtocolError);
        assert.strictEqual(server.counts.file, 0);
      });
    }
    const unsafeUrls = [
      'http://example.invalid/a.mp3',
      'file:///etc/passwd',
      'data:audio/mpeg;base64,SUQz',
      'ftp://example.invalid/a.mp3',
      'javascript:alert(1)',
      'https://user:pass@example.invalid/a.mp3',
      // Relative links are resolved against the API's origin (issue 11); one that names another host is still refused.
      '//example.invalid/a.mp3',
    ];
    for (const url of unsafeUrls) {
      it(`downloadUrl ${url} → ProtocolError, nothing fetched`, async () => {
        await expectFault({ kind: 'downloadUrl', url }, ProtocolError);
        assert.strictEqual(server.counts.file, 0);
      });
    }
    it('a relative downloadUrl (/files/…) is resolved against the API origin and downloaded', async () => {
      server.setFault({ kind: 'relativeDownloadUrl' });
      const result = await makeClient().requestSpeech(SPEECH);
      assert.strictEqual(result.downloadUrl.origin, server.url);
      assert.match(result.downloadUrl.pathname, /^\/files\/[a-z0-9]+\.mp3$/);
      const file = await generate(makeClient());
      assert.ok(readFileSync(file.path).equals(HELLO_MP3));
      assert.strictEqual(server.counts.file, 1);
    });
    it('a relative downloadUrl resolves against the origin, not the base URL path, then passes the same rule', async () => {
      const client = new AiStudiosClient({
        baseUrl: 'https://api.example.invalid/prefix/v3',
        credentials: TOKEN_CREDS,
        fetchImpl: (async () => ({
          status: 200,
          headers: { get: () => null },
          text: async () =>
            JSON.stringify({ success: true, data: { fileName: 'a.mp3', downloadUrl: 'files/a.mp3?sig=1' } }),
        })) as unknown as FetchImpl,
      });
      const result = await client.requestSpeech(SPEECH);
      assert.strictEqual(result.downloadUrl.href, 'https://api.example.invalid/files/a.mp3?sig=1');
    });
    it('a JSON answer that starts with a UTF-8 byte order mark is accepted, as Response.json() does', async () => {
      server.setFault({ kind: 'bomJson', on: 'any' });
      const file = await generate(makeClient(APP_CREDS));
      assert.ok(readFileSync(file.path).equals(HELLO_MP3));
      assert.deepStrictEqual(
        (await makeClient().listModels()).map((m) => m.id),
        ['M000045058', 'M000004017', 'M000099999'],
      );
      assertNoSecrets();
    });
    const hostileNames = ['../../escape.mp3', '/etc/passwd', '..\\..\\evil.wav', 'C:\\Windows\\evil.mp3'];
    for (const fileName of hostileNames) {
      it(`fileName ${JSON.stringify(fileName)} is never used as a path`, async () => {
        server.setFault({ kind: 'fileName', fileName });
        const file = await generate(makeClient());
        assert.strictEqual(path.dirname(file.path), dir);
        assert.strictEqual(path.basename(file.path), 'intro (2).mp3', 'the real bytes (MP3) decide the extension');
        assert.deepStrictEqual(readdirSync(dir).sort(), ['intro (2).mp3', 'intro.mp3']);
        const everything = (readdirSync(root, { recursive: true }) as string[])
          .map((p) => p.split(path.sep).join('/'))
          .sort();
        assert.deepStrictEqual(
          everything,
          ['project', 'project/audio', 'project/audio/intro (2).mp3', 'project/audio/intro.mp3'],
          'nothing written outside the target folder',
        );
        assert.ok(readFileSync(path.join(dir, 'intro.mp3')).equals(EXISTING));
      });
    }
  });

  describe('download faults', () => {
    it('an expired download (404) → DownloadError', async () => {
      const error = await expectFault({ kind: 'expiredDownload' }, DownloadError);
      assert.strictEqual(error.status, 404);
    });
    it('a truncated download (short of Content-Length) → DownloadError', async () => {
      await expectFault({ kind: 'truncatedDownload' }, DownloadError);
    });
    it('a download redirected to a non-https address → ProtocolError', async () => {
      await expectFault({ kind: 'redirectDownload', location: 'http://example.invalid/a.mp3' }, ProtocolError);
    });
    it('a download that stalls → TimeoutError (each GET retried, the speech paid once)', async () => {
      const error = await expectFault({ kind: 'stallDownload' }, TimeoutError, TOKEN_CREDS, { timeoutMs: 150 });
      assert.match(error.message, /^The audio download stalled for more than 150 ms\.$/);
      assert.strictEqual(server.counts.speech, 1);
      assert.strictEqual(server.counts.file, 3, 'maxAttempts GETs');
    });
    it('a stalled download is tried twice by default, says why before the retry, and keeps the real total', async () => {
      server.setFault({ kind: 'stallDownload', bytes: 5000 });
      const notices: string[] = [];
      const client = new AiStudiosClient({
        baseUrl: server.url,
        credentials: TOKEN_CREDS,
        logger,
        timeoutMs: 150,
        sleep: fakeSleep,
        onRetry: (notice) => notices.push(describeRetry(notice)),
      });
      const error = await expectFailure(generate(client), TimeoutError);
      assert.strictEqual(server.counts.speech, 1);
      assert.strictEqual(server.counts.file, 2, 'one idle timeout, then one retry');
      assert.strictEqual(notices.length, 1);
      assert.match(
        notices[0],
        /^The audio download stalled for more than 150 ms\. Trying again in \d+ (ms|s) \(attempt 2 of 2\)\.$/,
      );
      const history = retryHistoryOf(error);
      assert.strictEqual(history?.attempts, 2);
      assert.ok(history.elapsedMs >= 300, `two idle timeouts at least, not ${history.elapsedMs} ms`);
      assertTargetUntouched();
    });
    it('a body longer than its Content-Length is refused in words, the parser code only in the log', async () => {
      const error = await expectFault({ kind: 'overlongDownload' }, DownloadError);
      assert.ok(!/HPE_|ECONN|\(E[A-Z]+\)/.test(error.message), error.message);
      assert.match(error.message, /^The audio download (was interrupted|failed): .+\.$/);
      assert.ok(
        logger.lines.some((l) => l.level === 'warn' && /\[HPE_[A-Z_]+\]/.test(l.message)),
        logger.text(),
      );
    });
    it('a truncated download followed by a good one succeeds: 1 speech request, 2 file requests', async () => {
      server.queueFaults({ kind: 'truncatedDownload' });
      const file = await generate(makeClient());
      assert.ok(readFileSync(file.path).equals(HELLO_MP3));
      assert.strictEqual(server.counts.speech, 1);
      assert.strictEqual(server.counts.file, 2);
      assert.deepStrictEqual(
        readdirSync(dir).sort(),
        ['intro (2).mp3', 'intro.mp3'],
        'no temp file left from the first try',
      );
    });
    it('a 5xx download followed by a good one succeeds', async () => {
      server.queueFaults({ kind: 'status', status: 502, on: 'file' });
      await generate(makeClient());
      assert.deepStrictEqual([server.counts.speech, server.counts.file], [1, 2]);
    });
    it('an expired download fails at once (no second GET)', async () => {
      await expectFault({ kind: 'expiredDownload' }, DownloadError);
      assert.deepStrictEqual([server.counts.speech, server.counts.file], [1, 1]);
      assert.deepStrictEqual(sleeps, []);
    });
    it('a 200 answer that is not audio → DownloadError, no file, not retried', async () => {
      const error = await expectFault({ kind: 'notAudio' }, DownloadError);
      assert.strictEqual(error.message, 'AI Studios sent something that is not audio (text/html).');
      assert.strictEqual(server.counts.file, 1);
    });
  });

  describe('retries', () => {
    it('retries 503 then succeeds, with exponential backoff and jitter inside the policy', async () => {
      server.queueFaults({ kind: 'status', status: 503 }, { kind: 'status', status: 429, body: 'empty' });
      const client = makeClient(TOKEN_CREDS, {
        retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 60_000 },
        random: () => 0.5,
      });
      const file = await generate(client);
      assert.strictEqual(file.bytes, HELLO_MP3.length);
      assert.strictEqual(server.counts.speech, 3);
      assert.deepStrictEqual(sleeps, [75, 150]);
      assert.strictEqual(logger.lines.filter((l) => l.level === 'warn' && /retry \d of 4/.test(l.message)).length, 2);
      assertNoSecrets();
    });

    it('retries a reset connection and a timeout of a GET (idempotent)', async () => {
      server.queueFaults({ kind: 'reset', on: 'models' }, { kind: 'slow', delayMs: 10_000, on: 'models' });
      const models = await makeClient(TOKEN_CREDS, { timeoutMs: 1000 }).listModels();
      assert.strictEqual(models.length, 3);
      assert.strictEqual(server.counts.models, 3);
    });

    it('does not repeat speech after a reset or a timeout, nor after 500/502/504', async () => {
      const faults: FakeFault[] = [
        { kind: 'reset' },
        { kind: 'slow', delayMs: 10_000 },
        { kind: 'status', status: 500 },
        { kind: 'status', status: 502 },
        { kind: 'status', status: 504 },
      ];
      for (const fault of faults) {
        server.reset();
        server.queueFaults(fault);
        const error: unknown = await makeClient(TOKEN_CREDS, { timeoutMs: 200 })
          .requestSpeech(SPEECH)
          .then(
            () => assert.fail('succeeded'),
            (e: unknown) => e,
          );
        assert.ok(error instanceof AiStudiosError, String(error));
        assert.strictEqual(server.counts.speech, 1, JSON.stringify(fault));
        assert.ok(error.retryable, 'the user is offered a Retry');
        assert.match(error.message, MAY_HAVE_MADE);
      }
      assert.deepStrictEqual(sleeps, []);
    });

    it('a failed mint during a speech call is retried: the speech was not sent yet', async () => {
      server.queueFaults({ kind: 'status', status: 500, on: 'token' }, { kind: 'reset', on: 'token' });
      await makeClient(APP_CREDS).requestSpeech(SPEECH);
      assert.deepStrictEqual([server.counts.token, server.counts.speech], [3, 1]);
    });

    it('honors Retry-After in seconds', async () => {
      server.queueFaults({ kind: 'status', status: 429, retryAfter: '7' });
      await generate(makeClient());
      assert.strictEqual(server.counts.speech, 2);
      assert.strictEqual(sleeps.length, 1);
      assert.ok(sleeps[0]! >= 7000, `waited ${sleeps[0]} ms`);
    });

    it('honors Retry-After as an HTTP date (on a 503 too)', async () => {
      const now = Math.floor(Date.now() / 1000) * 1000;
      server.queueFaults({ kind: 'status', status: 503, retryAfter: new Date(now + 12_000).toUTCString() });
      await generate(makeClient(TOKEN_CREDS, { now: () => now }));
      assert.strictEqual(sleeps.length, 1);
      assert.ok(sleeps[0]! >= 12_000, `waited ${sleeps[0]} ms`);
    });

    it('gives up at once when Retry-After exceeds the total wait budget, and reports it', async () => {
      server.setFault({ kind: 'status', status: 429, retryAfter: '3600' });
      const error = await expectFault([], RateLimitError, TOKEN_CREDS, {
        retry: { maxAttempts: 5, maxTotalWaitMs: 30_000 },
      });
      assert.strictEqual((error as RateLimitError).retryAfterMs, 3_600_000);
      assert.strictEqual(server.counts.speech, 1);
      assert.deepStrictEqual(sleeps, []);
    });

    it('caps the attempts', async () => {
      server.setFault({ kind: 'status', status: 503 });
      await expectFailure(generate(makeClient(TOKEN_CREDS, { retry: { maxAttempts: 5 } })), ServerError);
      assert.strictEqual(server.counts.speech, 5);
      assert.strictEqual(sleeps.length, 4);
    });

    it('caps the total wait', async () => {
      server.setFault({ kind: 'status', status: 503 });
      const client = makeClient(TOKEN_CREDS, {
        random: () => 1,
        retry: { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 1000, maxTotalWaitMs: 2500 },
      });
      await expectFailure(generate(client), ServerError);
      assert.deepStrictEqual(sleeps, [1000, 1000, 500]);
      assert.strictEqual(server.counts.speech, 4);
    });

    it('never retries other 4xx', async () => {
      for (const status of [400, 402, 404, 409, 413, 422]) {
        server.reset();
        server.setFault({ kind: 'status', status });
        await assert.rejects(makeClient().requestSpeech(SPEECH));
        assert.strictEqual(server.counts.speech, 1, `HTTP ${status}`);
      }
      assert.deepStrictEqual(sleeps, []);
    });
  });

  describe('cancellation', () => {
    async function waitFor(condition: () => boolean): Promise<void> {
      for (let i = 0; i < 500 && !condition(); i++) await realSleep(5);
      assert.ok(condition(), 'condition never became true');
    }

    it('cancels during the request', async () => {
      server.setFault({ kind: 'slow', delayMs: 10_000 });
      const controller = new AbortController();
      const pending = generate(makeClient(TOKEN_CREDS, { timeoutMs: 30_000 }), controller.signal);
      await waitFor(() => server.counts.speech === 1);
      controller.abort();
      const error = await expectFailure(pending, CancelledError);
      assert.strictEqual(error.retryable, false);
      assertTargetUntouched();
    });

    it('cancels during the backoff wait', async () => {
      server.setFault({ kind: 'status', status: 503 });
      const controller = new AbortController();
      let waiting = false;
      const client = makeClient(TOKEN_CREDS, {
        retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
        sleep: (ms, signal) => {
          waiting = true;
          return realSleep(ms, signal);
        },
      });
      const pending = generate(client, controller.signal);
      await waitFor(() => waiting);
      controller.abort();
      await expectFailure(pending, CancelledError);
      assert.strictEqual(server.counts.speech, 1);
      assertTargetUntouched();
    });

    it('cancels during the download and removes the temp file', async () => {
      server.setFault({ kind: 'stallDownload' });
      const controller = new AbortController();
      const pending = generate(makeClient(TOKEN_CREDS, { timeoutMs: 30_000 }), controller.signal);
      await waitFor(() => server.counts.file === 1 && readdirSync(dir).some((f) => f.endsWith('.part')));
      controller.abort();
      await expectFailure(pending, CancelledError);
      assertTargetUntouched();
    });

    it('an already aborted signal sends nothing', async () => {
      const controller = new AbortController();
      controller.abort();
      await expectFailure(makeClient().requestSpeech(SPEECH, controller.signal), CancelledError);
      assert.strictEqual(server.counts.total, 0);
    });
  });

  describe('tokens minted from App ID + User Key', () => {
    it('mints a token once, sends it raw, and reuses it', async () => {
      const client = makeClient(APP_CREDS);
      await generate(client);
      await client.requestSpeech(SPEECH);
      assert.strictEqual(server.counts.token, 1);
      const mint = server.requests.find((r) => r.route === 'token')!;
      assert.deepStrictEqual(mint.body, { appId: SECRETS.appId, userKey: SECRETS.userKey });
      const speeches = server.requests.filter((r) => r.route === 'speech');
      assert.deepStrictEqual(
        speeches.map((r) => r.headers.authorization),
        [server.mintedTokens[0], server.mintedTokens[0]],
      );
      assertNoSecrets();
    });

    it('renews the token after 23 hours, not before', async () => {
      let clock = 1_700_000_000_000;
      const client = makeClient(APP_CREDS, { now: () => clock });
      await client.requestSpeech(SPEECH);
      clock += 22 * 60 * 60 * 1000;
      await client.requestSpeech(SPEECH);
      assert.strictEqual(server.counts.token, 1);
      clock += TOKEN_RENEW_AFTER_MS - 22 * 60 * 60 * 1000;
      await client.requestSpeech(SPEECH);
      assert.strictEqual(server.counts.token, 2);
      const last = server.requests.filter((r) => r.route === 'speech').pop()!;
      assert.strictEqual(last.headers.authorization, server.mintedTokens[1]);
      assertNoSecrets();
    });

    it('on a 401 renews once and retries the request', async () => {
      const client = makeClient(APP_CREDS);
      await client.requestSpeech(SPEECH);
      server.revokeMintedTokens();
      const result = await client.requestSpeech(SPEECH);
      assert.ok(result.downloadUrl);
      assert.strictEqual(server.counts.token, 2);
      assert.strictEqual(server.counts.speech, 3);
      assertNoSecrets();
    });

    it('a second 401 after renewing is final', async () => {
      const error = await expectFault({ kind: 'status', status: 401 }, AuthError, APP_CREDS);
      assert.strictEqual(server.counts.token, 2);
      assert.strictEqual(server.counts.speech, 2);
      assert.match(error.message, /App ID and User Key \(HTTP 401\)/);
    });

    it('a rejected App ID / User Key → AuthError without the key in it', async () => {
      const error = await expectFault([], AuthError, {
        kind: 'appKey',
        appId: SECRETS.appId,
        userKey: 'user-SECRET-wrong-key',
      });
      assert.strictEqual(error.message, 'AI Studios rejected the App ID or User Key (HTTP 401).');
      assert.ok(!logger.text().includes('user-SECRET-wrong-key') && !error.message.includes('user-SECRET-wrong-key'));
      assert.strictEqual(server.counts.speech, 0);
    });

    it('a mint answer without a token → ProtocolError', async () => {
      server.setFault({ kind: 'missingField', field: 'token', on: 'token' });
      await expectFault([], ProtocolError, APP_CREDS);
    });

    it('concurrent requests share one mint', async () => {
      const client = makeClient(APP_CREDS);
      await Promise.all([client.requestSpeech(SPEECH), client.requestSpeech(SPEECH), client.listModels()]);
      assert.strictEqual(server.counts.token, 1);
    });

    it('mint failures with 5xx are retried', async () => {
      server.queueFaults({ kind: 'status', status: 503, on: 'token' });
      await makeClient(APP_CREDS).requestSpeech(SPEECH);
      assert.strictEqual(server.counts.token, 2);
    });
  });

  describe('verifyCredentials', () => {
    it('resolves for a valid token and for a valid App ID / User Key', async () => {
      await makeClient().verifyCredentials();
      await makeClient(APP_CREDS).verifyCredentials();
      const auths = server.requests.filter((r) => r.route === 'auth');
      assert.strictEqual(auths.length, 2);
      assert.strictEqual(auths[0]!.method, 'GET');
      assert.strictEqual(auths[0]!.headers.authorization, SECRETS.token);
    });

    it('rejects an unknown token with AuthError', async () => {
      const error = await expectFailure(
        makeClient({ kind: 'token', token: 'unknown-SECRET-token' }).verifyCredentials(),
        AuthError,
      );
      assert.ok(!error.message.includes('unknown-SECRET-token'));
      assert.ok(!logger.text().includes('unknown-SECRET-token'));
    });

    it('isAuthenticated false with minted tokens → renews once, then AuthError', async () => {
      server.setFault({ kind: 'notAuthenticated' });
      await expectFailure(makeClient(APP_CREDS).verifyCredentials(), AuthError);
      assert.strictEqual(server.counts.token, 2);
      assertNoSecrets();
    });

    it('a missing or non-boolean isAuthenticated → ProtocolError', async () => {
      server.setFault({ kind: 'wrongType', field: 'isAuthenticated', value: 'yes', on: 'auth' });
      await expectFailure(makeClient().verifyCredentials(), ProtocolError);
      server.setFault({ kind: 'missingField', field: 'isAuthenticated', on: 'auth' });
      await expectFailure(makeClient().verifyCredentials(), ProtocolError);
    });
  });

  describe('listModels', () => {
    it('labels with English, then Korean, then the id', async () => {
      const models = await makeClient().listModels();
      assert.deepStrictEqual(models, [
        { id: 'M000045058', label: 'Paige' },
        { id: 'M000004017', label: '지수' },
        { id: 'M000099999', label: 'M000099999' },
      ]);
    });

    it('skips entries without a usable id and cleans labels', async () => {
      await startServer({
        models: [
          { id: '', label: { en: 'Nameless' } },
          { id: 'M1', label: { en: 'Line\nbreak\u0007' } },
          { id: 'M1', label: { en: 'dup' } },
          { id: 'M2', label: 'Plain string' },
          { id: 'M3', label: { en: 'Pai\u202ege\u200d\u2066' } },
        ],
      });
      assert.deepStrictEqual(await makeClient().listModels(), [
        { id: 'M1', label: 'Line break' },
        { id: 'M2', label: 'Plain string' },
        { id: 'M3', label: 'Paige' },
      ]);
    });

    it('a models field that is not a list → ProtocolError', async () => {
      server.setFault({ kind: 'wrongType', field: 'models', value: { a: 1 }, on: 'models' });
      await expectFailure(makeClient().listModels(), ProtocolError);
    });
  });

  describe('input checked before any request', () => {
    const bad = [
      { ...SPEECH, text: '   ' },
      { ...SPEECH, text: 'x'.repeat(101) },
      { ...SPEECH, voice: { ...SPEECH.voice, model: '' } },
      { ...SPEECH, voice: { ...SPEECH.voice, language: '' } },
      { ...SPEECH, voice: { ...SPEECH.voice, language: 'english please' } },
    ];
    for (const request of bad) {
      it(`refuses ${JSON.stringify(request).slice(0, 80)}`, async () => {
        await expectFailure(makeClient(TOKEN_CREDS, { maxTextCharacters: 100 }).requestSpeech(request), InputError);
        assert.strictEqual(server.counts.total, 0);
      });
    }

    it('refuses a base URL that is not https (or loopback http)', () => {
      for (const baseUrl of ['http://example.com', 'ftp://127.0.0.1', 'not a url', 'file:///tmp']) {
        assert.throws(() => new AiStudiosClient({ baseUrl, credentials: TOKEN_CREDS }), InputError, baseUrl);
      }
    });

    it('refuses a base URL with a query or a fragment', () => {
      for (const baseUrl of [`${server.url}/?region=cn`, `${server.url}/#x`]) {
        assert.throws(
          () => new AiStudiosClient({ baseUrl, credentials: TOKEN_CREDS }),
          /must not contain a query or a fragment/,
          baseUrl,
        );
      }
    });

    it('refuses empty credentials', () => {
      assert.throws(
        () => new AiStudiosClient({ baseUrl: server.url, credentials: { kind: 'token', token: ' ' } }),
        InputError,
      );
    });

    // node-fetch would throw "<value> is not a legal HTTP header value": the token inside an error.
    for (const [name, token] of [
      ['a non-Latin-1 character', 'static-SECRET-tökén-1234'],
      ['a line break', 'static-SECRET-\ntoken-1234'],
      ['a space', 'static-SECRET token-1234'],
    ] as const) {
      it(`refuses a pasted token with ${name}, without naming it`, async () => {
        let error: unknown;
        try {
          new AiStudiosClient({ baseUrl: server.url, credentials: { kind: 'token', token }, logger });
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof InputError, String(error));
        assert.strictEqual(error.message, 'The API token contains characters a token cannot have; paste it again.');
        for (const text of [
          error.message,
          String(error),
          error.stack ?? '',
          util.inspect(error, { depth: 5 }),
          logger.text(),
        ]) {
          assert.ok(!text.includes(token) && !text.includes('SECRET'), text.slice(0, 200));
        }
        assert.strictEqual(server.counts.total, 0);
      });
    }

    it('a fetch failure that names the key leaves only its code in the error', async () => {
      const fetchImpl = (async (_url: string, init: { headers: Record<string, string> }) => {
        throw new TypeError(`${init.headers.Authorization} is not a legal HTTP header value`);
      }) as unknown as FetchImpl;
      const error = await expectFailure(
        makeClient(TOKEN_CREDS, { fetchImpl, retry: { maxAttempts: 1 } }).listModels(),
        NetworkError,
      );
      assertNoSecrets(error);
    });

    it('trims the credentials once: the header and the redaction use the trimmed key', async () => {
      server.setFault({ kind: 'status', status: 400, message: `token ${SECRETS.token} is not allowed for this model` });
      const error = await expectFailure(
        makeClient({ kind: 'token', token: `  ${SECRETS.token}\n` }).requestSpeech(SPEECH),
        BadRequestError,
      );
      assert.strictEqual(server.requests[0]!.headers.authorization, SECRETS.token);
      assert.strictEqual(error.serverMessage, 'token [redacted] is not allowed for this model');
      assertNoSecrets(error);
    });

    it('trims App ID and User Key before minting', async () => {
      await makeClient({
        kind: 'appKey',
        appId: ` ${SECRETS.appId} `,
        userKey: `\t${SECRETS.userKey}\n`,
      }).verifyCredentials();
      assert.deepStrictEqual(server.requests.find((r) => r.route === 'token')!.body, {
        appId: SECRETS.appId,
        userKey: SECRETS.userKey,
      });
    });

    it('with an https API, a loopback http download link is refused (only the fake server may use loopback)', async () => {
      const answer = {
        success: true,
        data: { fileName: 'a.mp3', downloadUrl: `${server.url}/files/a.mp3`, metaList: [] },
      };
      const fetchImpl = (async () => ({
        status: 200,
        headers: { get: () => null },
        text: async () => JSON.stringify(answer),
      })) as unknown as FetchImpl;
      const client = new AiStudiosClient({
        baseUrl: 'https://app.aistudios.com',
        credentials: TOKEN_CREDS,
        fetchImpl,
        retry: { maxAttempts: 1 },
      });
      await expectFailure(client.requestSpeech(SPEECH), ProtocolError);
      // The same answer through the fake server's loopback base URL is accepted.
      const local = makeClient(TOKEN_CREDS, { fetchImpl });
      assert.strictEqual((await local.requestSpeech(SPEECH)).downloadUrl.href, `${server.url}/files/a.mp3`);
    });
  });

  it('the download of a result keeps the extension from the bytes when the server serves WAV', async () => {
    await startServer({ audioFormat: 'wav' });
    const client = makeClient();
    const result: SpeechResult = await client.requestSpeech(SPEECH);
    const file = await client.download(result, { directory: dir, baseName: 'intro' });
    assert.strictEqual(file.extension, '.wav');
    assert.strictEqual(path.basename(file.path), 'intro.wav');
    assert.strictEqual(readFileSync(file.path).subarray(0, 4).toString('ascii'), 'RIFF');
  });
});
