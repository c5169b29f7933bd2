// The fake server must be as strict as the vendor documents, or the client tests prove nothing.

import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import fetch from 'node-fetch';
import { scanMpegFrames } from '../../src/core/audio/mpeg';
import { probeAudio } from '../../src/core/audio/format';
import { DEMO_APP_ID, DEMO_TOKEN, DEMO_USER_KEY, startFakeServer, type FakeServer } from '../fixtures/fakeServer';
import { espeakInstalled } from '../fixtures/fakeSpeech';

const AUDIO_DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'audio');
const SPEECH_BODY = { language: 'en', text: 'Hello there.', model: 'M000045058' };

describe('fake AI Studios server', () => {
  let server: FakeServer;

  beforeEach(async () => {
    server = await startFakeServer();
  });
  afterEach(async () => {
    await server.close();
  });

  function post(
    pathName: string,
    body: unknown,
    headers: Record<string, string> = { Authorization: DEMO_TOKEN, 'Content-Type': 'application/json' },
  ) {
    return fetch(`${server.url}${pathName}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }
  function get(pathName: string, token: string | undefined = DEMO_TOKEN) {
    return fetch(`${server.url}${pathName}`, { headers: token === undefined ? {} : { Authorization: token } });
  }
  async function json(response: Awaited<ReturnType<typeof fetch>>): Promise<Record<string, unknown>> {
    return (await response.json()) as Record<string, unknown>;
  }

  it('listens on 127.0.0.1 with a random port', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers speech in the vendor envelope and serves the real audio from its own URL', async () => {
    const response = await post('/api/odin/v3/simple/audio', SPEECH_BODY);
    assert.strictEqual(response.status, 200);
    const body = await json(response);
    assert.strictEqual(body.success, true);
    const data = body.data as { fileName: string; downloadUrl: string; metaList: { endTime: number }[] };
    assert.match(data.fileName, /^[a-z0-9]+\.mp3$/);
    assert.ok(data.downloadUrl.startsWith(`${server.url}/files/`));
    assert.ok(Array.isArray(data.metaList) && typeof data.metaList[0] === 'object');
    const audio = await fetch(data.downloadUrl);
    assert.strictEqual(audio.headers.get('content-type'), 'audio/mpeg');
    const bytes = await audio.buffer();
    assert.strictEqual(audio.headers.get('content-length'), String(bytes.length));
    const probe = probeAudio(bytes);
    assert.deepStrictEqual([probe.format, probe.sampleRate, probe.channels], ['mp3', 22050, 1]);
    assert.ok(Math.abs(probe.durationMs / 1000 - data.metaList[0]!.endTime) < 0.01, 'metaList says how long it is');
  });

  it('makes the audio from the text: about 14 characters a second, the same text the same bytes', async () => {
    const speak = async (text: string) => {
      const data = (await json(await post('/api/odin/v3/simple/audio', { ...SPEECH_BODY, text }))).data as {
        downloadUrl: string;
      };
      return (await fetch(data.downloadUrl)).buffer();
    };
    const short = 'Welcome to the studio.';
    const long = 'Welcome to the studio. Every script starts with a sentence, and this one has a few more words.';
    const [a, again, b, edited] = await Promise.all([
      speak(short),
      speak(short),
      speak(long),
      speak('Welcome to the stage.!'),
    ]);
    assert.ok(a.equals(again), 'the same text gives the same bytes');
    assert.ok(!a.equals(edited), 'an edited word of the same length changes the audio');
    assert.strictEqual(probeAudio(a).durationMs, probeAudio(edited).durationMs, 'and not its length');
    for (const [text, bytes] of [
      [short, a],
      [long, b],
    ] as const) {
      const seconds = probeAudio(bytes).durationMs / 1000;
      const expected = Array.from(text).length / 14;
      assert.ok(Math.abs(seconds - expected) < 0.05, `${text.length} characters: ${seconds} s, expected ${expected} s`);
    }
    await server.close();
    server = await startFakeServer({ audioFormat: 'wav' });
    const wav = await speak(long);
    const probe = probeAudio(wav);
    assert.strictEqual(probe.format, 'wav');
    assert.ok(Math.abs(probe.durationMs / 1000 - Array.from(long).length / 14) < 0.05);
    // Silence between words, sound inside them: the content follows the text, not one clip for every text.
    const samples = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.length - 44) / 2);
    const loudness = (fromChar: number, toChar: number) => {
      const from = Math.round((fromChar / 14) * 22050);
      const to = Math.round((toChar / 14) * 22050);
      let peak = 0;
      for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples[i]!));
      return peak;
    };
    assert.ok(loudness(0.5, 6.5) > 3000, '"Welcome" sounds');
    assert.ok(loudness(22.3, 22.7) === 0, 'the space after "studio." is silent');
  });

  it("speaks with espeak-ng when asked (and installed), in the request's language", async function () {
    if (!(await espeakInstalled())) this.skip();
    await server.close();
    server = await startFakeServer({ speech: 'espeak-ng' });
    const speak = async (text: string, language: string) => {
      const data = (await json(await post('/api/odin/v3/simple/audio', { ...SPEECH_BODY, text, language }))).data as {
        downloadUrl: string;
      };
      return (await fetch(data.downloadUrl)).buffer();
    };
    const english = await speak('Welcome to the studio.', 'en');
    const korean = await speak('스튜디오에 오신 것을 환영합니다.', 'ko');
    assert.strictEqual(probeAudio(english).format, 'mp3');
    assert.ok(probeAudio(english).durationMs > 500, `${probeAudio(english).durationMs} ms`);
    assert.ok(probeAudio(korean).durationMs > 500);
    assert.ok(!english.equals(await speak('Welcome to the stage.', 'en')));
  });

  it('serves the fixture clips when asked: "second" anywhere gives second, else hello', async () => {
    await server.close();
    server = await startFakeServer({ speech: 'clips' });
    const hello = (await json(await post('/api/odin/v3/simple/audio', SPEECH_BODY))).data as { downloadUrl: string };
    assert.ok(
      (await (await fetch(hello.downloadUrl)).buffer()).equals(readFileSync(path.join(AUDIO_DIR, 'hello.mp3'))),
    );
    await server.close();
    server = await startFakeServer({ speech: 'clips', audioFormat: 'wav', envelope: 'bare' });
    const body = await json(await post('/api/odin/v3/simple/audio', { ...SPEECH_BODY, text: 'The second scene.' }));
    assert.strictEqual(body.success, undefined, 'bare answer');
    const audio = await fetch(String(body.downloadUrl));
    assert.strictEqual(audio.headers.get('content-type'), 'audio/wav');
    assert.ok((await audio.buffer()).equals(readFileSync(path.join(AUDIO_DIR, 'second.wav'))));
  });

  it('checks the Authorization header: raw known token only', async () => {
    for (const token of [undefined, `Bearer ${DEMO_TOKEN}`, 'wrong-token', '']) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (token !== undefined) headers.Authorization = token;
      const response = await post('/api/odin/v3/simple/audio', SPEECH_BODY, headers);
      assert.strictEqual(response.status, 401, String(token));
      assert.deepStrictEqual((await json(response)).success, false);
    }
    assert.strictEqual((await get('/api/odin/v3/model', 'wrong')).status, 401);
  });

  it('checks the body: JSON with the three required non-empty strings', async () => {
    const bad: unknown[] = [
      'not json',
      '[]',
      {},
      { ...SPEECH_BODY, text: '' },
      { ...SPEECH_BODY, model: 7 },
      { text: 'x', model: 'M' },
    ];
    for (const body of bad) {
      const response = await post('/api/odin/v3/simple/audio', body);
      assert.strictEqual(response.status, 400, JSON.stringify(body));
      const error = (await json(response)).error as { code: string; msg: string };
      assert.ok(error.msg.length > 0);
    }
    const wrongType = await post('/api/odin/v3/simple/audio', SPEECH_BODY, {
      Authorization: DEMO_TOKEN,
      'Content-Type': 'text/plain',
    });
    assert.strictEqual(wrongType.status, 400);
    const tooLong = await post('/api/odin/v3/simple/audio', { ...SPEECH_BODY, text: 'x'.repeat(5001) });
    assert.strictEqual(tooLong.status, 400);
    assert.match(((await json(tooLong)).error as { msg: string }).msg, /too long/);
  });

  it('checks method and path', async () => {
    assert.strictEqual((await get('/api/odin/v3/simple/audio')).status, 405);
    assert.strictEqual((await get('/api/odin/v3/nope')).status, 404);
    assert.strictEqual((await post('/api/odin/v3/model', {})).status, 405);
  });

  it('mints tokens from the configured App ID / User Key, accepts them, and can revoke them', async () => {
    const denied = await post(
      '/api/odin/v3/auth/token',
      { appId: DEMO_APP_ID, userKey: 'wrong' },
      { 'Content-Type': 'application/json' },
    );
    assert.strictEqual(denied.status, 401);
    const minted = await json(
      await post(
        '/api/odin/v3/auth/token',
        { appId: DEMO_APP_ID, userKey: DEMO_USER_KEY },
        { 'Content-Type': 'application/json' },
      ),
    );
    const token = (minted.data as { token: string }).token;
    assert.deepStrictEqual(server.mintedTokens, [token]);
    assert.strictEqual((await get('/api/odin/v3/model', token)).status, 200);
    assert.deepStrictEqual((await json(await get('/api/odin/v3/auth', token))).data, { isAuthenticated: true });
    server.revokeMintedTokens();
    assert.strictEqual((await get('/api/odin/v3/model', token)).status, 401);
    assert.deepStrictEqual((await json(await get('/api/odin/v3/auth', token))).data, { isAuthenticated: false });
  });

  it('lists models with the documented shape', async () => {
    const body = await json(await get('/api/odin/v3/model'));
    const models = (body.data as { models: { id: string; label: object; thumbnail: string; clothes: unknown[] }[] })
      .models;
    assert.ok(models.length > 0);
    for (const m of models)
      assert.ok(typeof m.id === 'string' && typeof m.label === 'object' && Array.isArray(m.clothes));
  });

  it('records requests with headers and parsed body, and counts them per route', async () => {
    await post('/api/odin/v3/simple/audio', SPEECH_BODY);
    await get('/api/odin/v3/auth');
    assert.strictEqual(server.requests.length, 2);
    const [speech] = server.requests;
    assert.strictEqual(speech!.method, 'POST');
    assert.strictEqual(speech!.path, '/api/odin/v3/simple/audio');
    assert.strictEqual(speech!.route, 'speech');
    assert.strictEqual(speech!.headers.authorization, DEMO_TOKEN);
    assert.deepStrictEqual(speech!.body, SPEECH_BODY);
    assert.strictEqual(server.counts.speech, 1);
    assert.strictEqual(server.counts.auth, 1);
    assert.strictEqual(server.counts.total, 2);
    server.reset();
    assert.strictEqual(server.requests.length, 0);
    assert.strictEqual(server.counts.total, 0);
  });

  it('uses queued faults once each, in order, on their route, before the persistent fault', async () => {
    server.setFault({ kind: 'status', status: 500 });
    server.queueFaults({ kind: 'status', status: 429, retryAfter: '3' }, { kind: 'status', status: 401, on: 'models' });
    assert.strictEqual((await get('/api/odin/v3/model')).status, 401);
    const limited = await post('/api/odin/v3/simple/audio', SPEECH_BODY);
    assert.strictEqual(limited.status, 429);
    assert.strictEqual(limited.headers.get('retry-after'), '3');
    assert.strictEqual((await post('/api/odin/v3/simple/audio', SPEECH_BODY)).status, 500);
    server.setFault(undefined);
    assert.strictEqual((await post('/api/odin/v3/simple/audio', SPEECH_BODY)).status, 200);
  });

  it('sends status faults with the envelope, a {message}, plain text, or no body', async () => {
    server.queueFaults(
      { kind: 'status', status: 422, message: 'language mismatch', code: 'E1' },
      { kind: 'status', status: 422, body: 'message', message: 'm' },
      { kind: 'status', status: 502, body: 'text', message: 'Bad gateway' },
      { kind: 'status', status: 503, body: 'empty' },
    );
    assert.deepStrictEqual(await json(await post('/api/odin/v3/simple/audio', SPEECH_BODY)), {
      success: false,
      error: { code: 'E1', msg: 'language mismatch' },
    });
    assert.deepStrictEqual(await json(await post('/api/odin/v3/simple/audio', SPEECH_BODY)), { message: 'm' });
    assert.strictEqual(await (await post('/api/odin/v3/simple/audio', SPEECH_BODY)).text(), 'Bad gateway');
    assert.strictEqual(await (await post('/api/odin/v3/simple/audio', SPEECH_BODY)).text(), '');
  });

  it('fakes success:false with HTTP 200, invalid JSON and shape faults', async () => {
    server.queueFaults(
      { kind: 'successFalse', code: 'X', message: 'nope' },
      { kind: 'invalidJson' },
      { kind: 'missingField', field: 'downloadUrl' },
      { kind: 'wrongType', field: 'metaList', value: 'x' },
      { kind: 'downloadUrl', url: 'file:///etc/passwd' },
      { kind: 'fileName', fileName: '../../x.mp3' },
    );
    const r1 = await post('/api/odin/v3/simple/audio', SPEECH_BODY);
    assert.strictEqual(r1.status, 200);
    assert.deepStrictEqual(await json(r1), { success: false, error: { code: 'X', msg: 'nope' } });
    const invalid = await (await post('/api/odin/v3/simple/audio', SPEECH_BODY)).text();
    assert.throws(() => JSON.parse(invalid), SyntaxError);
    const data = async () =>
      (await json(await post('/api/odin/v3/simple/audio', SPEECH_BODY))).data as Record<string, unknown>;
    assert.ok(!('downloadUrl' in (await data())));
    assert.strictEqual((await data()).metaList, 'x');
    assert.strictEqual((await data()).downloadUrl, 'file:///etc/passwd');
    assert.strictEqual((await data()).fileName, '../../x.mp3');
  });

  it('resets the connection on demand', async () => {
    server.setFault({ kind: 'reset' });
    await assert.rejects(
      post('/api/odin/v3/simple/audio', SPEECH_BODY),
      (e: { code?: string }) => e.code === 'ECONNRESET',
    );
  });

  it('expires and truncates downloads', async () => {
    const data = (await json(await post('/api/odin/v3/simple/audio', SPEECH_BODY))).data as { downloadUrl: string };
    const whole = await (await fetch(data.downloadUrl)).buffer();
    server.queueFaults({ kind: 'truncatedDownload', bytes: 100 });
    const received = await rawGet(data.downloadUrl);
    assert.strictEqual(received.contentLength, whole.length);
    assert.strictEqual(received.bytes, 100);
    server.expireFiles();
    assert.strictEqual((await fetch(data.downloadUrl)).status, 404);
  });

  it('serves an HTML page with 200 instead of audio on demand (notAudio)', async () => {
    const data = (await json(await post('/api/odin/v3/simple/audio', SPEECH_BODY))).data as { downloadUrl: string };
    server.queueFaults({ kind: 'notAudio' });
    const page = await fetch(data.downloadUrl);
    assert.strictEqual(page.status, 200);
    assert.match(String(page.headers.get('content-type')), /^text\/html/);
    assert.match(await page.text(), /^<!DOCTYPE html>/);
    const audio = await fetch(data.downloadUrl);
    assert.strictEqual(audio.headers.get('content-type'), 'audio/mpeg', 'the fault was used once, by the file request');
    assert.strictEqual(server.counts.file, 2);
  });

  it('serves generated MP3 of any size without holding it (generatedAudioBytes)', async () => {
    server.generatedAudioBytes = 10 * 384 + 100;
    const data = (await json(await post('/api/odin/v3/simple/audio', SPEECH_BODY))).data as { downloadUrl: string };
    const audio = await fetch(data.downloadUrl);
    const bytes = await audio.buffer();
    assert.strictEqual(audio.headers.get('content-length'), String(10 * 384), 'whole frames only');
    assert.strictEqual(bytes.length, 10 * 384);
    const scan = scanMpegFrames(new Uint8Array(bytes));
    assert.strictEqual(scan?.frames.length, 10);
    assert.strictEqual(scan?.junkBytes, 0);
    server.generatedAudioBytes = undefined;
  });

  it('answers with a byte order mark, a relative download link, or a body longer than announced on demand', async () => {
    server.queueFaults({ kind: 'bomJson' }, { kind: 'relativeDownloadUrl' });
    const withBom = await post('/api/odin/v3/simple/audio', SPEECH_BODY);
    const raw = await withBom.buffer();
    assert.deepStrictEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.strictEqual(withBom.headers.get('content-length'), String(raw.length));
    const relative = (await json(await post('/api/odin/v3/simple/audio', SPEECH_BODY))).data as { downloadUrl: string };
    assert.match(relative.downloadUrl, /^\/files\/[a-z0-9]+\.mp3\?expires=/);
    const whole = await (await fetch(`${server.url}${relative.downloadUrl}`)).buffer();
    server.queueFaults({ kind: 'overlongDownload', extraBytes: 10 });
    const { head, body } = await rawHttp(`${server.url}${relative.downloadUrl}`);
    const announced = Number(/content-length: (\d+)/i.exec(head)?.[1]);
    assert.strictEqual(announced, whole.length);
    assert.strictEqual(body.length, announced + 10);
  });

  it('delays answers by latencyMs and by slow faults (observed through request order, not time)', async () => {
    server.queueFaults({ kind: 'slow', delayMs: 300 });
    const order: string[] = [];
    const slow = post('/api/odin/v3/simple/audio', SPEECH_BODY).then(() => order.push('slow'));
    await new Promise((r) => setTimeout(r, 20));
    const fast = get('/api/odin/v3/auth').then(() => order.push('fast'));
    await Promise.all([slow, fast]);
    assert.deepStrictEqual(order, ['fast', 'slow']);
  });
});

/** Reads a response by hand so a body cut short of its Content-Length is observable. */
function rawGet(url: string): Promise<{ contentLength: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('close', () => resolve({ contentLength: Number(res.headers['content-length']), bytes }));
      })
      .on('error', reject);
  });
}

/** A GET over a bare socket: what the server really sent, header and body, whatever its Content-Length says. */
function rawHttp(url: string): Promise<{ head: string; body: Buffer }> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () =>
      socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`),
    );
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(parts);
      const split = all.indexOf('\r\n\r\n');
      resolve({ head: all.subarray(0, split).toString('latin1'), body: all.subarray(split + 4) });
    });
  });
}
