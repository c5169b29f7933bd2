import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AudioCache, AudioCacheError, cacheKey, type CacheKeyParts } from '../../src/core/cache/audioCache';
import { isValidPayload, raceKeys, runRace } from './fixtures/cacheWorker';

const MINUTE = 60 * 1000;
const baseParts: CacheKeyParts = {
  text: 'Hello there.',
  voice: { model: 'M000045058', language: 'en' },
  host: 'china',
};
const withVoice = (voice: Record<string, unknown>): CacheKeyParts => ({
  ...baseParts,
  voice: { ...baseParts.voice, ...voice } as CacheKeyParts['voice'],
});

/** A clock the test moves by hand, starting at the real time so files' real ctimes are never in its future. */
class ManualClock {
  value = Date.now();
  readonly now = (): number => this.value;
  advance(ms: number): void {
    this.value += ms;
  }
}

interface Fixture {
  directory: string;
  clock: ManualClock;
  warnings: string[];
  cache(maxBytes?: number): AudioCache;
  /** Writes bytes into the cache's staging folder, as a download would. */
  stage(cache: AudioCache, data: Buffer, extension?: string): Promise<string>;
}

async function withFixture(body: (fixture: Fixture) => Promise<void>): Promise<void> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'aistudios-cache-'));
  const clock = new ManualClock();
  const warnings: string[] = [];
  const fixture: Fixture = {
    directory,
    clock,
    warnings,
    cache: (maxBytes) =>
      new AudioCache({
        directory,
        maxBytes,
        now: clock.now,
        logger: { debug: () => undefined, warn: (m) => warnings.push(m) },
      }),
    stage: async (cache, data, extension = '.mp3') => {
      const file = await cache.stagingPath(extension);
      await fs.writeFile(file, data);
      return file;
    },
  };
  try {
    await body(fixture);
  } finally {
    await fs.rm(directory, { recursive: true, force: true });
  }
}

function keyFor(text: string): string {
  return cacheKey({ ...baseParts, text });
}

function bytesOf(label: string, size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (label.charCodeAt(i % label.length) + i * 31) & 0xff;
  return data;
}

function sidecarPathOf(directory: string, key: string): string {
  return path.join(directory, 'v1', key.slice(0, 2), `${key}.json`);
}

/** Every file under the folder, relative, sorted. */
async function listFiles(directory: string): Promise<string[]> {
  const entries = await fs.readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .sort();
}

async function audioFilesOf(directory: string, key: string): Promise<string[]> {
  const shard = path.join(directory, 'v1', key.slice(0, 2));
  const names = await fs.readdir(shard).catch(() => []);
  return names
    .filter((name) => name.startsWith(`${key}.`) && !name.endsWith('.json'))
    .map((name) => path.join(shard, name));
}

/**
 * Checks the folder as a third party would: no temp files, every sidecar well formed and matching its audio file
 * byte for byte; with `swept`, also no audio file that no sidecar references.
 */
async function assertConsistent(directory: string, options: { swept: boolean }): Promise<void> {
  const files = await listFiles(directory);
  assert.deepEqual(
    files.filter((file) => file.endsWith('.tmp') || file.startsWith(`staging${path.sep}`)),
    [],
    'no temp or staging files may be left',
  );
  const referenced = new Set<string>();
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const key = path.basename(file, '.json');
    const sidecar = JSON.parse(await fs.readFile(path.join(directory, file), 'utf8')) as {
      key: string;
      bytes: number;
      sha256: string;
      extension: string;
    };
    assert.equal(sidecar.key, key);
    const audio = path.join(path.dirname(file), `${key}.${sidecar.sha256.slice(0, 16)}${sidecar.extension}`);
    const data = await fs.readFile(path.join(directory, audio));
    assert.equal(data.length, sidecar.bytes, `size of ${audio}`);
    assert.equal(createHash('sha256').update(data).digest('hex'), sidecar.sha256, `hash of ${audio}`);
    referenced.add(audio);
  }
  if (options.swept) {
    const audioFiles = files.filter((f) => !f.endsWith('.json'));
    assert.deepEqual(
      audioFiles.filter((f) => !referenced.has(f)),
      [],
      'no unreferenced audio may remain after a sweep',
    );
  }
}

describe('cacheKey', () => {
  it('is a stable sha256 hex digest, pinned so a silent change of the scheme cannot go unnoticed', () => {
    const key = cacheKey(baseParts);
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(cacheKey({ ...baseParts }), key);
    const canonical = JSON.stringify(['aistudios-audio-cache', 1, 'china', 'M000045058', 'en', 'Hello there.']);
    assert.equal(key, createHash('sha256').update(canonical, 'utf8').digest('hex'));
  });

  it('changes with each part', () => {
    const key = cacheKey(baseParts);
    for (const parts of [
      { ...baseParts, text: 'Hello there!' },
      withVoice({ model: 'M000045059' }),
      withVoice({ language: 'ko' }),
      { ...baseParts, host: 'global' },
    ]) {
      assert.notEqual(cacheKey(parts), key, JSON.stringify(parts));
    }
  });

  it('hashes the whole voice: a field added to VoiceParams later changes the key without a change to cacheKey', () => {
    const key = cacheKey(baseParts);
    const faster = cacheKey(withVoice({ rate: 1.2 }));
    assert.notEqual(faster, key);
    assert.notEqual(cacheKey(withVoice({ rate: 1.1 })), faster, 'each value of the new field is its own recording');
    assert.notEqual(cacheKey(withVoice({ style: { pitch: 1 } })), cacheKey(withVoice({ style: { pitch: 2 } })));
  });

  it("is canonical: the order in which the voice's fields were set does not matter, nor does an undefined field", () => {
    const reordered = { language: 'en', model: 'M000045058' };
    assert.equal(cacheKey({ ...baseParts, voice: reordered }), cacheKey(baseParts));
    assert.equal(cacheKey(withVoice({ rate: undefined })), cacheKey(baseParts), 'an undefined field is not sent');
    assert.equal(
      cacheKey({ ...baseParts, voice: { rate: 1.2, language: 'en', model: 'M000045058' } as CacheKeyParts['voice'] }),
      cacheKey(withVoice({ rate: 1.2 })),
    );
    assert.equal(cacheKey(withVoice({ style: { b: 1, a: 2 } })), cacheKey(withVoice({ style: { a: 2, b: 1 } })));
  });

  it('is unambiguous: moving characters between neighbouring parts gives another key', () => {
    const pairs: Array<[CacheKeyParts, CacheKeyParts]> = [
      [withVoice({ model: 'ab', language: 'c' }), withVoice({ model: 'a', language: 'bc' })],
      [
        { ...withVoice({ language: 'ab' }), text: 'c' },
        { ...withVoice({ language: 'a' }), text: 'bc' },
      ],
      [
        { ...withVoice({ model: 'c' }), host: 'ab' },
        { ...withVoice({ model: 'bc' }), host: 'a' },
      ],
      [withVoice({ model: 'a","b', language: 'c' }), withVoice({ model: 'a', language: 'b","c' })],
      [withVoice({ model: 'a', rate: 'b' }), withVoice({ model: 'a","rate":"b' })],
    ];
    for (const [a, b] of pairs)
      assert.notEqual(cacheKey(a), cacheKey(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  });
});

describe('AudioCache', () => {
  it('misses on an empty cache, then hits with identical bytes after a put', () =>
    withFixture(async ({ directory, cache: makeCache, stage }) => {
      const cache = makeCache();
      const key = keyFor('one');
      assert.equal(await cache.get(key), undefined);
      const audio = await fs.readFile(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'audio', 'hello.mp3'));
      const staged = await stage(cache, audio);

      const stored = await cache.put(key, staged, '.MP3');
      assert.equal(stored.key, key);
      assert.equal(stored.bytes, audio.length);
      assert.equal(stored.extension, '.mp3');
      assert.ok(stored.path.startsWith(directory + path.sep));
      assert.equal(existsSync(staged), false, 'put moves the source');

      const hit = await cache.get(key);
      assert.ok(hit);
      assert.deepEqual(hit, stored);
      assert.ok((await fs.readFile(hit.path)).equals(audio));
      const read = await cache.read(key);
      assert.ok(read?.data.equals(audio));
      assert.deepEqual(await cache.stats(), { entries: 1, bytes: audio.length });
      await assertConsistent(directory, { swept: true });
    }));

  it("takes a file's size and hash from its writer when it is moved in, and still verifies them on every get()", () =>
    withFixture(async ({ directory, cache: makeCache, stage }) => {
      const cache = makeCache();
      const audio = bytesOf('known', 4096);
      const sha256 = createHash('sha256').update(audio).digest('hex');
      const key = keyFor('known');
      const stored = await cache.put(key, await stage(cache, audio), '.mp3', { bytes: audio.length, sha256 });
      assert.equal(stored.bytes, audio.length);
      assert.deepEqual(await cache.get(key), stored, 'the recorded hash is the real one');
      // A writer that got it wrong: the entry is recorded as told, and the first get() finds it out and drops it.
      const wrong = keyFor('wrongly known');
      await cache.put(wrong, await stage(cache, audio), '.mp3', { bytes: audio.length, sha256: '0'.repeat(64) });
      assert.equal(await cache.get(wrong), undefined, 'an entry whose bytes do not match its hash is never served');
      await assertConsistent(directory, { swept: true });
    }));

  it('has() answers from the sidecar and the file size, without marking the entry used', () =>
    withFixture(async ({ cache: makeCache, stage, clock }) => {
      const cache = makeCache();
      const key = keyFor('present');
      assert.equal(await cache.has(key), false);
      const stored = await cache.put(key, await stage(cache, bytesOf('present', 2048)), '.mp3');
      const before = (await fs.stat(stored.path)).mtimeMs;
      clock.advance(60_000); // a get() now would stamp the file a minute later
      assert.equal(await cache.has(key), true);
      assert.equal((await fs.stat(stored.path)).mtimeMs, before, 'a look does not count as a use');
      await fs.truncate(stored.path, 100);
      assert.equal(await cache.has(key), false, 'a truncated file is not counted as cached');
    }));

  it('accepts a source outside its staging folder (on another file system where there is one), and a put over an existing key replaces it', () =>
    withFixture(async ({ directory, clock, cache: makeCache, stage }) => {
      const cache = makeCache();
      const key = keyFor('replace me');
      // /dev/shm is usually a tmpfs: then the move cannot be a rename and takes the copy path.
      const otherFileSystem = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(directory).dev;
      const outside = await fs.mkdtemp(path.join(otherFileSystem ? '/dev/shm' : os.tmpdir(), 'aistudios-source-'));
      try {
        const first = path.join(outside, 'first.mp3');
        await fs.writeFile(first, bytesOf('first', 500));
        await cache.put(key, first, 'mp3');
        assert.ok((await cache.read(key))?.data.equals(bytesOf('first', 500)));
        assert.equal(existsSync(first), false);
      } finally {
        await fs.rm(outside, { recursive: true, force: true });
      }
      await cache.put(key, await stage(cache, bytesOf('second', 700)), '.mp3');
      assert.ok((await cache.read(key))?.data.equals(bytesOf('second', 700)));
      // The superseded audio lingers until it is too old to be a put in flight elsewhere, then prune sweeps it.
      assert.equal((await audioFilesOf(directory, key)).length, 2);
      await assertConsistent(directory, { swept: false });
      clock.advance(11 * MINUTE);
      await cache.prune();
      assert.equal((await audioFilesOf(directory, key)).length, 1);
      assert.deepEqual(await cache.stats(), { entries: 1, bytes: 700 });
      await assertConsistent(directory, { swept: true });
    }));

  it('refuses keys that are not digests and extensions that are not plain, leaving the source alone', () =>
    withFixture(async ({ cache: makeCache, stage }) => {
      const cache = makeCache();
      const staged = await stage(cache, bytesOf('x', 10));
      for (const badKey of ['../../etc/passwd', 'ABC', keyFor('x').toUpperCase(), '']) {
        await assert.rejects(cache.get(badKey), (e) => e instanceof AudioCacheError && e.reason === 'invalid-key');
        await assert.rejects(
          cache.put(badKey, staged, '.mp3'),
          (e) => e instanceof AudioCacheError && e.reason === 'invalid-key',
        );
      }
      for (const badExtension of ['.mp3/../x', '', '.', '.a b', '.waytoolongextension']) {
        await assert.rejects(
          cache.put(keyFor('x'), staged, badExtension),
          (e) => e instanceof AudioCacheError && e.reason === 'invalid-extension',
        );
      }
      assert.ok(existsSync(staged));
    }));

  it('refuses a size limit that is not a number of bytes', () => {
    for (const maxBytes of [Number.NaN, -1])
      assert.throws(() => new AudioCache({ directory: os.tmpdir(), maxBytes }), RangeError);
  });

  it('fails a put of a missing source with a typed error and leaves nothing behind', () =>
    withFixture(async ({ directory, cache: makeCache }) => {
      const cache = makeCache();
      const missing = path.join(await cache.stagingDirectory(), 'never-written.mp3');
      await assert.rejects(
        cache.put(keyFor('x'), missing, '.mp3'),
        (e) => e instanceof AudioCacheError && e.reason === 'write-failed' && e.cause !== undefined,
      );
      assert.deepEqual(await listFiles(directory), []);
    }));

  it('gives the source back and leaves no temp files when the commit fails', () =>
    withFixture(async ({ directory, cache: makeCache, stage }) => {
      const cache = makeCache();
      const key = keyFor('blocked');
      // A directory where the sidecar must go makes the final rename fail after the audio has been moved in.
      await fs.mkdir(sidecarPathOf(directory, key), { recursive: true });
      const staged = await stage(cache, bytesOf('blocked', 300));
      await assert.rejects(
        cache.put(key, staged, '.mp3'),
        (e) => e instanceof AudioCacheError && e.reason === 'write-failed',
      );
      assert.ok((await fs.readFile(staged)).equals(bytesOf('blocked', 300)), 'the source is back where it was');
      assert.deepEqual(await listFiles(path.join(directory, 'v1')), []);
    }));

  describe('drops corrupted entries and reports a miss', () => {
    const corruptions: Array<{
      name: string;
      corrupt(audioPath: string, sidecarPath: string): Promise<void>;
      audioLingers: boolean;
    }> = [
      { name: 'truncated audio', corrupt: (audio) => fs.truncate(audio, 100), audioLingers: false },
      {
        name: 'one flipped byte',
        corrupt: async (audio) => {
          const data = await fs.readFile(audio);
          data[data.length >> 1] ^= 0x01;
          await fs.writeFile(audio, data);
        },
        audioLingers: false,
      },
      { name: 'audio file deleted', corrupt: (audio) => fs.unlink(audio), audioLingers: false },
      // Without a readable sidecar, the audio could be a put in flight in another process: it goes after the grace period.
      { name: 'sidecar deleted', corrupt: (_audio, sidecar) => fs.unlink(sidecar), audioLingers: true },
      {
        name: 'garbage sidecar',
        corrupt: (_audio, sidecar) => fs.writeFile(sidecar, '{"format":1,"key":'),
        audioLingers: true,
      },
      {
        name: 'sidecar with a wrong size',
        corrupt: async (_audio, sidecar) => {
          const parsed = JSON.parse(await fs.readFile(sidecar, 'utf8')) as { bytes: number };
          await fs.writeFile(sidecar, JSON.stringify({ ...parsed, bytes: parsed.bytes + 1 }));
        },
        audioLingers: false,
      },
      {
        name: 'sidecar of another key',
        corrupt: async (_audio, sidecar) => {
          const parsed = JSON.parse(await fs.readFile(sidecar, 'utf8')) as object;
          await fs.writeFile(sidecar, JSON.stringify({ ...parsed, key: keyFor('someone else') }));
        },
        audioLingers: true,
      },
    ];
    for (const corruption of corruptions) {
      it(corruption.name, () =>
        withFixture(async ({ directory, clock, warnings, cache: makeCache, stage }) => {
          const cache = makeCache();
          const key = keyFor(corruption.name);
          const stored = await cache.put(key, await stage(cache, bytesOf(corruption.name, 4000)), '.mp3');
          await corruption.corrupt(stored.path, sidecarPathOf(directory, key));

          assert.equal(await cache.get(key), undefined);
          assert.equal(existsSync(sidecarPathOf(directory, key)), false, 'the sidecar is removed');
          assert.ok(warnings.length > 0 || corruption.name === 'sidecar deleted', 'a corruption is worth a warning');
          assert.equal(existsSync(stored.path), corruption.audioLingers);
          if (corruption.audioLingers) {
            clock.advance(11 * MINUTE);
            assert.equal(await cache.get(key), undefined);
            assert.equal(
              existsSync(stored.path),
              false,
              'the orphaned audio is removed once it cannot be a put in flight',
            );
          }
          assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0 });

          // And the key is usable again.
          await cache.put(key, await stage(cache, bytesOf('fresh', 900)), '.mp3');
          assert.ok((await cache.read(key))?.data.equals(bytesOf('fresh', 900)));
        }),
      );
    }
  });

  it('evicts the least recently used entries, not the oldest created, to stay within maxBytes', () =>
    withFixture(async ({ directory, clock, cache: makeCache, stage }) => {
      const cache = makeCache(3000);
      const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(keyFor);
      const put = async (key: string): Promise<void> => {
        clock.advance(1000);
        await cache.put(key, await stage(cache, bytesOf(key, 1000)), '.mp3');
      };
      const present = (): string[] => [a, b, c, d, e].filter((key) => existsSync(sidecarPathOf(directory, key)));

      await put(a);
      await put(b);
      await put(c);
      assert.deepEqual(present(), [a, b, c]);
      clock.advance(1000);
      assert.ok(await cache.get(a)); // a is now the most recently used
      await put(d);
      assert.deepEqual(present(), [a, c, d], 'b, the least recently used, goes first');
      await put(e);
      assert.deepEqual(present(), [a, d, e], 'then c; a survives although it was created first');
      assert.deepEqual(await cache.stats(), { entries: 3, bytes: 3000 });
      await assertConsistent(directory, { swept: true });
    }));

  it('neither deletes unreferenced audio in its grace period nor evicts live entries on its account', () =>
    withFixture(async ({ directory, clock, cache: makeCache, stage }) => {
      const cache = makeCache(2500);
      const key = keyFor('pending');
      // An audio file without a sidecar is what a put in flight in another process looks like.
      const shard = path.join(directory, 'v1', key.slice(0, 2));
      await fs.mkdir(shard, { recursive: true });
      const inFlight = path.join(shard, `${key}.0123456789abcdef.mp3`);
      await fs.writeFile(inFlight, bytesOf('pending', 1000));
      const now = new Date(clock.now());
      await fs.utimes(inFlight, now, now);
      const live = (): string[] => ['x', 'y', 'z'].filter((text) => existsSync(sidecarPathOf(directory, keyFor(text))));

      for (const text of ['x', 'y']) {
        clock.advance(1000);
        await cache.put(keyFor(text), await stage(cache, bytesOf(text, 1000)), '.mp3');
      }
      assert.deepEqual(live(), ['x', 'y'], 'two live entries fit; the pending file does not count');
      assert.ok(existsSync(inFlight));
      clock.advance(1000);
      await cache.put(keyFor('z'), await stage(cache, bytesOf('z', 1000)), '.mp3');
      assert.deepEqual(live(), ['y', 'z']);
      assert.ok(existsSync(inFlight));
      assert.deepEqual(await cache.stats(), { entries: 2, bytes: 3000 }, 'stats report what is on disk');

      clock.advance(11 * MINUTE);
      await cache.prune();
      assert.equal(existsSync(inFlight), false);
      assert.deepEqual(await cache.stats(), { entries: 2, bytes: 2000 });
    }));

  it('removes temp and staging files left by a crash, but only once they are stale', () =>
    withFixture(async ({ directory, clock, cache: makeCache, stage }) => {
      const cache = makeCache();
      const key = keyFor('crash');
      await cache.put(key, await stage(cache, bytesOf('crash', 100)), '.mp3');
      const leftoverTemp = path.join(directory, 'v1', key.slice(0, 2), `.${key}.1234-abcdef.tmp`);
      await fs.writeFile(leftoverTemp, 'partial');
      const leftoverStaging = await stage(cache, bytesOf('partial download', 50));

      await cache.prune();
      assert.ok(existsSync(leftoverTemp) && existsSync(leftoverStaging), 'young files may be writes in flight');
      clock.advance(61 * MINUTE);
      await cache.prune();
      assert.equal(existsSync(leftoverTemp), false);
      assert.equal(existsSync(leftoverStaging), false);
      assert.ok(await cache.get(key));
    }));

  it('clear() removes every entry', () =>
    withFixture(async ({ directory, cache: makeCache, stage }) => {
      const cache = makeCache();
      for (const text of ['1', '2', '3']) await cache.put(keyFor(text), await stage(cache, bytesOf(text, 200)), '.wav');
      assert.deepEqual(await cache.stats(), { entries: 3, bytes: 600 });
      await cache.clear();
      assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0 });
      assert.equal(await cache.get(keyFor('1')), undefined);
      assert.deepEqual(await listFiles(directory), []);
      await cache.put(keyFor('1'), await stage(cache, bytesOf('1', 200)), '.wav');
      assert.ok(await cache.get(keyFor('1')));
    }));

  describe('an unusable folder (issue 11)', () => {
    it('a file where the folder should be: onUnusable once, naming the file and the fix, then the fallback works', () =>
      withFixture(async ({ directory, stage }) => {
        const blocking = path.join(directory, 'cache-home');
        await fs.writeFile(blocking, 'a file');
        const problems: string[] = [];
        const fallback = path.join(directory, 'fallback');
        const cache = new AudioCache({
          directory: path.join(blocking, 'aistudios-audio', 'audio-cache'),
          ifUnusable: { fallbackDirectory: fallback, onUnusable: (problem) => problems.push(problem.message) },
        });
        const key = keyFor('fallback');
        assert.equal(await cache.has(key), false);
        await cache.put(key, await stage(cache, bytesOf('fallback', 500)), '.mp3');
        assert.ok(await cache.get(key));
        assert.equal(problems.length, 1, 'warned once');
        assert.match(
          problems[0],
          /^The audio cache in .*audio-cache cannot be used: .*cache-home is a file, where a folder is needed\. Remove or rename that file\.$/,
        );
        assert.equal(cache.unusable?.code, 'ENOTDIR');
        assert.equal(cache.directory, fallback);
        assert.equal(await fs.readFile(blocking, 'utf8'), 'a file', 'the blocking file is left alone');
      }));

    it('a usable folder is used, without a word', () =>
      withFixture(async ({ directory }) => {
        const problems: unknown[] = [];
        const cache = new AudioCache({
          directory,
          ifUnusable: { fallbackDirectory: path.join(directory, 'unused'), onUnusable: (p) => problems.push(p) },
        });
        await cache.stats();
        assert.deepEqual(problems, []);
        assert.equal(cache.directory, directory);
        assert.deepEqual(await listFiles(directory), [], 'the check leaves nothing behind');
      }));
  });

  it('stays consistent when two instances race puts, gets and prunes on the same keys', () =>
    withFixture(async ({ directory, clock }) => {
      // Real time here: the racers' recency must come from one clock; the manual one only moves for the final sweep.
      const maxBytes = 60_000; // smaller than the race's working set, so evictions happen during it
      const first = new AudioCache({ directory, maxBytes });
      const second = new AudioCache({ directory, maxBytes });
      const hits = await Promise.all([runRace(first, 'first', 6), runRace(second, 'second', 6)]);
      assert.ok(hits[0] > 0 && hits[1] > 0, `both racers verified hits (${hits.join(', ')})`);
      await assertFinalState(directory, clock, maxBytes);
    }));

  it('stays consistent when another process races on the same folder', function () {
    this.timeout(60_000);
    return withFixture(async ({ directory, clock }) => {
      const maxBytes = 60_000;
      const workerScript = path.join(__dirname, 'fixtures', 'cacheWorker.js');
      const child = fork(workerScript, ['--cache-worker', directory, 'child', '8', String(maxBytes)], {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      let stderr = '';
      const messages: string[] = [];
      let ourHits: number;
      try {
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        await new Promise<void>((resolve, reject) => {
          child.on('message', (message) => {
            messages.push(String(message));
            if (message === 'ready') resolve();
          });
          child.on('exit', (code) => reject(new Error(`worker exited early (${code}): ${stderr}`)));
        });
        child.send('go');
        ourHits = await runRace(new AudioCache({ directory, maxBytes }), 'parent', 8);
        assert.equal(await exited, 0, stderr);
      } finally {
        // Never leave our worker running, whatever failed.
        if (child.exitCode === null && child.signalCode === null) child.kill();
      }
      const childHits = Number(messages.find((m) => m.startsWith('done '))?.slice(5));
      assert.ok(ourHits > 0 && childHits > 0, `both processes verified hits (${ourHits}, ${childHits})`);
      await assertFinalState(directory, clock, maxBytes);
    });
  });
});

/** After a race: consistent folder, every key either a miss or a payload some racer really wrote, and within size once swept. */
async function assertFinalState(directory: string, clock: ManualClock, maxBytes: number): Promise<void> {
  await assertConsistent(directory, { swept: false });
  clock.advance(30 * MINUTE);
  const sweeper = new AudioCache({ directory, maxBytes, now: clock.now });
  await sweeper.prune();
  await assertConsistent(directory, { swept: true });
  let hits = 0;
  for (const [index, key] of raceKeys().entries()) {
    const hit = await sweeper.read(key);
    if (!hit) continue;
    hits++;
    assert.ok(isValidPayload(hit.data, index), `key ${index} holds bytes a racer wrote`);
  }
  assert.ok(hits > 0, 'the race left entries in the cache');
  const stats = await sweeper.stats();
  assert.equal(stats.entries, hits);
  assert.ok(stats.bytes <= maxBytes, `${stats.bytes} bytes within ${maxBytes}`);
}
