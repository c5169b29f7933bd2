// The request pipeline against the fake AI Studios server: chunks become cached pieces, an unchanged chunk is
// never requested twice, an edit re-requests only what changed, and a failed part is named and keeps the rest.
import * as assert from 'assert';
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AiStudiosClient } from '../../src/core/api/client';
import { generateAudio, type AudioGenerationRequest } from '../../src/core/pipeline/generation';
import { AudioCache, AudioCacheError, cacheKey, type CachedAudio } from '../../src/core/cache/audioCache';
import { probeAudio } from '../../src/core/audio/format';
import { chunkNarration } from '../../src/core/narration/chunker';
import { CancelledError, NetworkError, QuotaError } from '../../src/core/errors';
import { MemoryLogger, silentLogger } from '../../src/core/logger';
import { markdownToNarration } from '../../src/core/narration/narration';
import { groupBySection, renderPieces } from '../../src/core/pipeline/render';
import { cachedChunks, ChunkFailure, synthesizeChunks, type SynthesisRequest } from '../../src/core/pipeline/synthesis';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';

/** A script of `sections` sections with `paragraphs` paragraphs each; every paragraph becomes its own chunk at a small limit. */
function script(
  sections: number,
  paragraphs: number,
  edit?: { section: number; paragraph: number; text: string },
): string {
  const parts: string[] = [];
  for (let s = 1; s <= sections; s++) {
    parts.push(`## Section ${s}`);
    for (let p = 1; p <= paragraphs; p++) {
      const text =
        edit && edit.section === s && edit.paragraph === p
          ? edit.text
          : `Paragraph ${p} of section ${s} says something worth hearing, at a calm and even pace.`;
      parts.push(text);
    }
  }
  return parts.join('\n\n') + '\n';
}

/** Waits until condition() holds, polling; fails after a generous deadline (a stuck test, not a slow one). */
async function until(condition: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`Gave up waiting: ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('synthesizeChunks', () => {
  let server: FakeServer;
  let root: string;
  let cache: AudioCache;
  let client: AiStudiosClient;

  const requestFor = (markdown: string, voice = { model: 'M000045058', language: 'en' }): SynthesisRequest => ({
    chunks: chunkNarration(markdownToNarration(markdown), 100, voice),
    host: server.url,
  });

  const run = async (request: SynthesisRequest, signal?: AbortSignal) =>
    synthesizeChunks(request, {
      client,
      cache,
      concurrency: 3,
      logger: silentLogger,
      workDirectory: await fsp.mkdtemp(path.join(root, 'run-')),
      signal,
    });

  before(async () => {
    server = await startFakeServer();
  });
  after(async () => server.close());

  beforeEach(async () => {
    server.reset();
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-synthesis-'));
    cache = new AudioCache({ directory: path.join(root, 'cache') });
    client = new AiStudiosClient({
      baseUrl: server.url,
      credentials: { kind: 'token', token: DEMO_TOKEN },
      retry: { maxAttempts: 1 },
    });
  });
  afterEach(async () => {
    server.latencyMs = 0;
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('returns one piece per chunk, in order, each a real audio file', async () => {
    const request = requestFor(script(2, 3));
    assert.strictEqual(
      request.chunks.length,
      6,
      'at this limit each paragraph is a chunk (a heading travels with the first)',
    );
    const pieces = await run(request);
    assert.deepStrictEqual(
      pieces.map((p) => p.chunk.index),
      request.chunks.map((c) => c.index),
    );
    for (const piece of pieces) {
      assert.ok(probeAudio(await fsp.readFile(piece.path)).durationMs > 0);
      assert.strictEqual(piece.fromCache, false);
    }
    assert.strictEqual(server.counts.speech, 6);
  });

  it('asks for nothing on a second run of the same script: every chunk comes from the cache', async () => {
    const request = requestFor(script(3, 3));
    await run(request);
    server.reset();
    const again = await run(request);
    assert.strictEqual(server.counts.total, 0, 'no request at all on the second run');
    assert.ok(again.every((p) => p.fromCache));
    assert.deepStrictEqual(
      await cachedChunks(request, cache),
      request.chunks.map(() => true),
    );
  });

  it('re-requests exactly the one edited paragraph', async () => {
    await run(requestFor(script(3, 3)));
    server.reset();
    const edited = requestFor(
      script(3, 3, { section: 2, paragraph: 2, text: 'A brand new second paragraph, rewritten after listening.' }),
    );
    const pieces = await run(edited);
    assert.strictEqual(server.counts.speech, 1);
    const speech = server.requests.filter((r) => r.route === 'speech');
    assert.strictEqual(
      (speech[0].body as { text: string }).text,
      'A brand new second paragraph, rewritten after listening.',
    );
    assert.strictEqual(pieces.filter((p) => !p.fromCache).length, 1);
  });

  it('a voice or language change is a different recording, not a cache hit', async () => {
    const request = requestFor(script(1, 2));
    await run(request);
    server.reset();
    await run(requestFor(script(1, 2), { model: 'M000004017', language: 'en' }));
    assert.strictEqual(server.counts.speech, request.chunks.length);
  });

  it('a failed part names its chunk, and the parts already made are kept for the retry', async () => {
    const request = requestFor(script(2, 2));
    // One at a time, so "the third request fails" is deterministic: two parts are made first.
    let calls = 0;
    const original = client.requestSpeech.bind(client);
    client.requestSpeech = async (req, signal) => {
      if (++calls === 3) throw new QuotaError('AI Studios says: not enough credits.');
      return original(req, signal);
    };
    await assert.rejects(
      synthesizeChunks(request, { client, cache, concurrency: 1, logger: silentLogger, workDirectory: root }),
      (error: unknown) =>
        error instanceof ChunkFailure && error.chunk.index === 2 && error.failure instanceof QuotaError,
    );
    client.requestSpeech = original;
    server.reset();
    const pieces = await run(request);
    assert.strictEqual(
      server.counts.speech,
      request.chunks.length - 2,
      'the two parts made before the failure are not paid for again',
    );
    assert.strictEqual(pieces.filter((p) => p.fromCache).length, 2);
  });

  it('a network failure of a part is reported as that part', async () => {
    server.setFault({ kind: 'reset' });
    const request = requestFor(script(1, 1));
    await assert.rejects(
      run(request),
      (error: unknown) =>
        error instanceof ChunkFailure && error.chunk.index === 0 && error.failure instanceof NetworkError,
    );
    server.setFault(undefined);
  });

  it('a failure lets the requests already sent finish: they are cached, and a retry asks only for the rest', async () => {
    const request = requestFor(script(2, 3));
    // Slow answers keep the other two requests in flight when the second chunk fails.
    server.latencyMs = 300;
    const original = client.requestSpeech.bind(client);
    let inFlightAtFailure = -1;
    client.requestSpeech = async (req, signal) => {
      if (req.text !== request.chunks[1].text) return original(req, signal);
      await until(() => server.counts.speech === 2, 'the first and third requests reach the server');
      inFlightAtFailure = server.counts.speech;
      throw new QuotaError('AI Studios says: not enough credits.');
    };
    await assert.rejects(run(request), (error: unknown) => error instanceof ChunkFailure && error.chunk.index === 1);
    assert.strictEqual(inFlightAtFailure, 2);
    assert.strictEqual(server.counts.speech, 2, 'no request starts after the failure');
    client.requestSpeech = original;
    server.reset();
    server.latencyMs = 0;
    const pieces = await run(request);
    assert.deepStrictEqual(
      pieces.filter((p) => p.fromCache).map((p) => p.chunk.index),
      [0, 2],
      'the requests in flight at the failure were kept',
    );
    assert.strictEqual(server.counts.speech, request.chunks.length - 2);
  });

  it('a cache that cannot be written still yields every piece, with a warning, and leaves no download behind', async () => {
    class ReadOnlyCache extends AudioCache {
      override put(): Promise<never> {
        return Promise.reject(
          new AudioCacheError('write-failed', 'Could not store audio in the cache: EROFS: read-only file system.'),
        );
      }
    }
    cache = new ReadOnlyCache({ directory: path.join(root, 'cache') });
    const logger = new MemoryLogger();
    const request = requestFor(script(1, 3));
    const workDirectory = await fsp.mkdtemp(path.join(root, 'run-'));
    const pieces = await synthesizeChunks(request, { client, cache, concurrency: 3, logger, workDirectory });
    assert.strictEqual(pieces.length, 3);
    for (const piece of pieces) assert.ok(probeAudio(await fsp.readFile(piece.path)).durationMs > 0);
    assert.strictEqual(
      logger.lines.filter((l) => l.level === 'warn' && /part \d+ in the audio cache/.test(l.message)).length,
      3,
    );
    assert.deepStrictEqual(await fsp.readdir(await cache.stagingDirectory()), []);
  });

  it('a cache smaller than one piece (it evicts each entry as it is stored) still yields every piece', async () => {
    cache = new AudioCache({ directory: path.join(root, 'cache'), maxBytes: 1 });
    const request = requestFor(script(2, 2));
    const pieces = await run(request);
    assert.strictEqual(pieces.length, 4);
    for (const piece of pieces) assert.ok(probeAudio(await fsp.readFile(piece.path)).durationMs > 0);
    assert.strictEqual((await cache.stats()).entries, 0, 'the cache really evicted them');
  });

  it('a cache hit evicted before it is linked (another process pruned it) is requested again', async () => {
    const request = requestFor(script(1, 2));
    await run(request);
    class RacingCache extends AudioCache {
      override async get(key: string): Promise<CachedAudio | undefined> {
        const found = await super.get(key);
        // Another process's prune, between our get() and our link.
        if (
          found &&
          key === cacheKey({ text: request.chunks[1].text, voice: request.chunks[1].voice, host: request.host })
        )
          await fsp.unlink(found.path);
        return found;
      }
    }
    cache = new RacingCache({ directory: path.join(root, 'cache') });
    server.reset();
    const pieces = await run(request);
    assert.deepStrictEqual(
      pieces.map((p) => p.fromCache),
      [true, false],
    );
    assert.strictEqual(server.counts.speech, 1);
    for (const piece of pieces) assert.ok(probeAudio(await fsp.readFile(piece.path)).durationMs > 0);
  });

  it('hands each piece to onPiece as soon as it is there, while the later parts are still being requested', async () => {
    const request = requestFor(script(1, 3));
    // The first speech request is answered at once, every later one only after a minute (this test cancels them).
    server.setFault({ kind: 'slow', delayMs: 60_000 });
    server.queueFaults({ kind: 'slow', delayMs: 0 });
    const controller = new AbortController();
    const seen: { index: number; bytes: number; settled: boolean }[] = [];
    let settled = false;
    const run = synthesizeChunks(request, {
      client,
      cache,
      concurrency: 1,
      logger: silentLogger,
      workDirectory: await fsp.mkdtemp(path.join(root, 'run-')),
      signal: controller.signal,
      onPiece: (piece) => {
        void fsp.stat(piece.path).then((stat) => seen.push({ index: piece.chunk.index, bytes: stat.size, settled }));
      },
    }).finally(() => (settled = true));
    await until(() => seen.length === 1, 'the first piece');
    assert.deepStrictEqual(
      seen.map((s) => [s.index, s.settled]),
      [[0, false]],
      'part 1 came while the run went on',
    );
    assert.ok(seen[0].bytes > 0, 'its file is there to be played');
    await until(() => server.counts.speech === 2, 'part 2 requested');
    controller.abort();
    await assert.rejects(run, CancelledError);
    assert.strictEqual(seen.length, 1, 'no piece of the cancelled part');
  });

  it('cancel aborts the requests in flight and starts no more', async () => {
    const request = requestFor(script(3, 3));
    server.latencyMs = 5000; // far longer than the test: the requests are still waiting when the cancel comes
    const controller = new AbortController();
    const running = run(request, controller.signal);
    running.catch(() => undefined); // judged below, after the cancel
    await until(() => server.counts.speech === 3, 'three requests (the concurrency) reach the server');
    controller.abort();
    await assert.rejects(running, (error: unknown) => error instanceof CancelledError);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.strictEqual(server.counts.speech, 3, 'no fourth request, not even after the cancel');
  });

  describe('generateAudio', () => {
    const generationRequest = (markdown: string): AudioGenerationRequest => ({
      ...requestFor(markdown),
      sectionPauseMs: 300,
      perSection: false,
    });
    const runFolders = async (): Promise<string[]> =>
      (await fsp.readdir(await cache.stagingDirectory())).filter((name) => name.startsWith('run-'));

    it('a cancel during the requests rejects with CancelledError only once every request settled, and leaves no run folder', async () => {
      server.latencyMs = 300;
      // These requests ignore the cancel, as an answer already on its way would: the run must still wait for them.
      const original = client.requestSpeech.bind(client);
      let inFlight = 0;
      client.requestSpeech = async (req) => {
        inFlight++;
        try {
          return await original(req);
        } finally {
          inFlight--;
        }
      };
      const controller = new AbortController();
      const running = generateAudio(generationRequest(script(2, 3)), {
        client,
        cache,
        concurrency: 3,
        logger: silentLogger,
        signal: controller.signal,
      });
      running.catch(() => undefined); // judged below, after the cancel
      await until(() => server.counts.speech === 3, 'three requests reach the server');
      controller.abort();
      await assert.rejects(running, (error: unknown) => error instanceof CancelledError);
      assert.strictEqual(inFlight, 0, 'no request still running when the cancel is reported');
      assert.deepStrictEqual(await runFolders(), []);
    });

    it('a cancel during the join rejects with CancelledError, not the raw abort reason', async () => {
      const controller = new AbortController();
      const running = generateAudio(generationRequest(script(2, 2)), {
        client,
        cache,
        concurrency: 2,
        logger: silentLogger,
        signal: controller.signal,
        // Right after the last part, once the join has begun.
        onProgress: ({ done, total }) => {
          if (done === total) setImmediate(() => controller.abort());
        },
      });
      await assert.rejects(
        running,
        (error: unknown) =>
          error instanceof CancelledError && (error.cause as Error | undefined)?.name === 'AbortError',
      );
      assert.strictEqual(server.counts.speech, 4, 'the cancel came after every part was made');
      assert.deepStrictEqual(await runFolders(), []);
    });
  });

  it('joins the pieces into one file whose duration is the sum plus the section pauses', async () => {
    const request = requestFor(script(3, 2));
    const pieces = await run(request);
    const work = await fsp.mkdtemp(path.join(root, 'render-'));
    const rendered = await renderPieces(pieces, { sectionPauseMs: 500, workDirectory: work });
    const pieceSum = rendered.timings.reduce((sum, t) => sum + t.durationMs, 0);
    const sectionStarts = pieces.filter((p, i) => i > 0 && p.chunk.startsSection).length;
    assert.strictEqual(sectionStarts, 2);
    const measured = probeAudio(await fsp.readFile(rendered.tempPath)).durationMs;
    assert.ok(
      Math.abs(measured - (pieceSum + 2 * 500)) / measured < 0.01,
      `joined ${measured} ms vs pieces ${pieceSum} ms + pauses`,
    );
    assert.deepStrictEqual(
      groupBySection(pieces).map((g) => g.length),
      [2, 2, 2],
    );
  });
});
