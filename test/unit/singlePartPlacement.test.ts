// A one-part script against the fake server, generated and placed as the CLI does: the download's frames spare the
// join a reading, the rendered file is linked into place instead of copied, and still: the placed file is the user's
// own (not another name of the cache's entry), an existing file is never replaced, and a cancel leaves nothing.
import * as assert from 'assert';
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AiStudiosClient } from '../../src/core/api/client';
import { AudioCache, cacheKey } from '../../src/core/cache/audioCache';
import { CancelledError, QuotaError } from '../../src/core/errors';
import { nodeFileSystem } from '../../src/core/files/nodeFileSystem';
import { MemoryLogger, silentLogger } from '../../src/core/logger';
import { chunkNarration } from '../../src/core/narration/chunker';
import { markdownToNarration } from '../../src/core/narration/narration';
import { generateAudio, placeGeneration, type AudioGeneration } from '../../src/core/pipeline/generation';
import { synthesizeChunks } from '../../src/core/pipeline/synthesis';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';

const VOICE = { model: 'M000045058', language: 'en' };

describe('a one-part script, generated and placed', () => {
  let server: FakeServer;
  let root: string;
  let out: string;
  let cache: AudioCache;
  let client: AiStudiosClient;

  const chunks = (text: string) => chunkNarration(markdownToNarration(text), 2000, VOICE);
  const generate = (text: string, signal?: AbortSignal): Promise<AudioGeneration> =>
    generateAudio(
      { chunks: chunks(text), host: server.url, sectionPauseMs: 0, perSection: false },
      { client, cache, concurrency: 3, logger: silentLogger, signal },
    );
  const place = (generation: AudioGeneration, signal?: AbortSignal) =>
    placeGeneration(nodeFileSystem, out, generation, { mainBaseName: 'script', ifExists: () => 'number', signal });
  const listing = async () => (await fsp.readdir(out)).sort();

  beforeEach(async () => {
    server = await startFakeServer();
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-single-part-'));
    out = path.join(root, 'out');
    await fsp.mkdir(out);
    cache = new AudioCache({ directory: path.join(root, 'cache') });
    client = new AiStudiosClient({ baseUrl: server.url, credentials: { kind: 'token', token: DEMO_TOKEN } });
  });
  afterEach(async () => {
    await server.close();
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('places the downloaded audio as a file of its own: writing to it leaves the cache entry as it was', async () => {
    const text = 'One part, spoken once and placed without a copy.';
    const generation = await generate(text);
    assert.ok(generation.pieces[0]!.mpeg, 'the fake server sends plain MPEG: its frames came with the download');
    const [placed] = await place(generation);
    await generation.dispose();
    assert.strictEqual(placed!.fileName, 'script.mp3');
    assert.deepStrictEqual(await listing(), ['script.mp3']);

    const key = cacheKey({ text: chunks(text)[0]!.text, voice: VOICE, host: server.url });
    const cached = (await cache.read(key))!;
    const bytes = await fsp.readFile(placed!.location);
    assert.ok(bytes.equals(cached.data), 'the placed file holds the downloaded bytes');
    const [placedStat, cachedStat] = await Promise.all([fsp.stat(placed!.location), fsp.stat(cached.path)]);
    assert.notStrictEqual(placedStat.ino, cachedStat.ino, 'not another name of the cached file');
    assert.strictEqual(placedStat.nlink, 1, 'the run folder is gone: the placed file has one name');

    // A user's editor writing into the placed file in place must not reach the cache.
    await fsp.writeFile(placed!.location, 'edited by the user');
    assert.ok((await cache.read(key))!.data.equals(cached.data));
  });

  it('never replaces an existing file, and an unchanged script names the take it already has', async () => {
    await fsp.writeFile(path.join(out, 'script.mp3'), 'a take made by hand');
    const text = 'One part, placed beside a file of the same name.';
    let generation = await generate(text);
    let [placed] = await place(generation);
    await generation.dispose();
    assert.strictEqual(placed!.fileName, 'script (2).mp3');
    assert.strictEqual(await fsp.readFile(path.join(out, 'script.mp3'), 'utf8'), 'a take made by hand');

    generation = await generate(text);
    assert.strictEqual(generation.pieces[0]!.fromCache, true);
    [placed] = await place(generation);
    await generation.dispose();
    assert.deepStrictEqual([placed!.fileName, placed!.unchanged], ['script (2).mp3', true]);
    assert.deepStrictEqual(await listing(), ['script (2).mp3', 'script.mp3']);
  });

  it('a cancel before placing, or during the generation, leaves nothing in the folder', async () => {
    const generation = await generate('One part, cancelled before it is placed.');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(place(generation, controller.signal), CancelledError);
    await generation.dispose();
    assert.deepStrictEqual(await listing(), []);

    server.latencyMs = 200;
    const cancelling = new AbortController();
    setTimeout(() => cancelling.abort(), 50);
    await assert.rejects(generate('One part, cancelled while it is spoken.', cancelling.signal), CancelledError);
    assert.deepStrictEqual(await listing(), []);
    const staging = await fsp.readdir(path.join(root, 'cache', 'staging'));
    assert.deepStrictEqual(staging, [], 'no run folder and no part file left in the cache');
  });

  it('only a one-part file keeps its piece to itself; the pieces of a longer script share their file with the cache', async () => {
    const inode = async (file: string) => (await fsp.stat(file)).ino;
    const cachedInode = async (text: string) =>
      inode((await cache.get(cacheKey({ text, voice: VOICE, host: server.url })))!.path);

    const one = await generate('A script of one part.');
    const [piece] = one.pieces;
    assert.strictEqual(piece!.private, true);
    const pieceInode = await inode(piece!.path);
    await one.dispose(); // after the cache's write
    assert.notStrictEqual(await cachedInode(piece!.chunk.text), pieceInode, 'the cache holds a copy of its own');

    const two = await generateAudio(
      {
        chunks: chunkNarration(markdownToNarration('First part of two.\n\nSecond part of two.'), 20, VOICE),
        host: server.url,
        sectionPauseMs: 0,
        perSection: false,
      },
      { client, cache, concurrency: 1, logger: silentLogger },
    );
    assert.strictEqual(two.pieces.length, 2);
    const pieceInodes = await Promise.all(two.pieces.map((p) => inode(p.path)));
    await two.dispose();
    for (const [i, p] of two.pieces.entries()) {
      assert.strictEqual(p.private, undefined);
      assert.strictEqual(await cachedInode(p.chunk.text), pieceInodes[i], 'one file, two names: no copy made');
    }
  });

  it('a request that fails or is cancelled leaves no part file in the run folder', async () => {
    const work = await fsp.mkdtemp(path.join(root, 'run-'));
    const original = client.requestSpeech.bind(client);
    client.requestSpeech = async () => {
      throw new QuotaError('AI Studios says: not enough credits.');
    };
    const options = { client, cache, concurrency: 1, logger: silentLogger, workDirectory: work };
    await assert.rejects(synthesizeChunks({ chunks: chunks('Refused.'), host: server.url }, options));
    assert.deepStrictEqual(await fsp.readdir(work), []);

    client.requestSpeech = original;
    server.latencyMs = 5000;
    const controller = new AbortController();
    const running = synthesizeChunks(
      { chunks: chunks('Cancelled while asked for.'), host: server.url },
      { ...options, signal: controller.signal },
    );
    while (server.counts.speech === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await assert.rejects(running, CancelledError);
    assert.deepStrictEqual(await fsp.readdir(work), []);
  });

  it('a run folder that cannot be made fails the run before any request', async () => {
    const notAFolder = path.join(root, 'not-a-folder');
    await fsp.writeFile(notAFolder, '');
    class BrokenStaging extends AudioCache {
      override async stagingDirectory(): Promise<string> {
        return notAFolder;
      }
    }
    cache = new BrokenStaging({ directory: path.join(root, 'cache') });
    await assert.rejects(
      generate('Never asked for.'),
      (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOTDIR',
    );
    assert.strictEqual(server.counts.speech, 0);
  });

  it('the cache has its copy before the file is placed: an edit right after placing never reaches it', async () => {
    // A cache slow to take its copy: before, the copy could start after placing, and read the user's edit.
    class SlowCache extends AudioCache {
      override async stagingPath(extension?: string): Promise<string> {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return super.stagingPath(extension);
      }
    }
    cache = new SlowCache({ directory: path.join(root, 'cache') });
    const text = 'One part, edited the moment it is saved.';
    const generation = await generate(text);
    const [placed] = await place(generation);
    const downloaded = await fsp.readFile(placed!.location);
    // Written in place (same file, same length), as an editor or a script might, before the run is disposed.
    const handle = await fsp.open(placed!.location, 'r+');
    await handle.write(Buffer.alloc(downloaded.length, 0x55), 0, downloaded.length, 0);
    await handle.close();
    await generation.dispose();
    const cached = await cache.read(cacheKey({ text: chunks(text)[0]!.text, voice: VOICE, host: server.url }));
    assert.ok(cached, 'the entry is there and passes its hash check');
    assert.ok(cached.data.equals(downloaded), 'it holds the downloaded audio, not the edit');
  });

  it("'overwrite' replaces the file and still leaves the piece for the cache's copy", async () => {
    await fsp.writeFile(path.join(out, 'script.mp3'), 'the take before');
    // The cache's copy starts only once the file is placed.
    class SlowCache extends AudioCache {
      override async stagingPath(extension?: string): Promise<string> {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return super.stagingPath(extension);
      }
    }
    cache = new SlowCache({ directory: path.join(root, 'cache') });
    const logger = new MemoryLogger();
    const text = 'One part, replacing the take before it.';
    const generation = await generateAudio(
      { chunks: chunks(text), host: server.url, sectionPauseMs: 0, perSection: false },
      { client, cache, concurrency: 3, logger },
    );
    const [placed] = await placeGeneration(nodeFileSystem, out, generation, {
      mainBaseName: 'script',
      ifExists: () => 'overwrite',
    });
    await generation.dispose();
    assert.deepStrictEqual([placed!.fileName, await listing()], ['script.mp3', ['script.mp3']]);
    assert.deepStrictEqual(
      logger.lines.filter((l) => l.level === 'warn'),
      [],
      'the cache took its copy',
    );
    const cached = await cache.read(cacheKey({ text: chunks(text)[0]!.text, voice: VOICE, host: server.url }));
    assert.ok(cached?.data.equals(await fsp.readFile(placed!.location)));
  });
});
