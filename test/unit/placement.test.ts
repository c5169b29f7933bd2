// The one placement routine, in plain Node on a temp folder: part file first, no-clobber numbering even when another
// writer takes the name between our check and our rename, "unchanged: keep the file", overwrite only when asked,
// all or none for several files, and never a part file left behind.
import * as assert from 'assert';
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CancelledError, InputError } from '../../src/core/errors';
import { FileExistsError, type FileSystem } from '../../src/core/files/fileSystem';
import { localFileHasBytes, nodeFileSystem } from '../../src/core/files/nodeFileSystem';
import { newestTake, placeFile, placeFiles, type FileToPlace } from '../../src/core/files/placement';

describe('placement', () => {
  let dir: string;
  let fresh: string;

  const read = (name: string) => fsp.readFile(path.join(dir, name), 'utf8');
  const listing = async () => (await fsp.readdir(dir)).sort();
  /** Sets a file's modification time `seconds` from now. */
  const touch = async (name: string, seconds: number) => {
    const when = new Date(Date.now() + seconds * 1000);
    await fsp.utimes(path.join(dir, name), when, when);
  };
  const intro = (extra: Partial<FileToPlace> = {}): FileToPlace => ({
    localPath: fresh,
    baseName: 'intro',
    extension: '.mp3',
    ...extra,
  });
  /** Node's file system, with another writer that takes `name` just before our next rename to it. */
  const racingOn = (...names: string[]): FileSystem<string> => ({
    ...nodeFileSystem,
    async rename(from, to, options) {
      const index = names.indexOf(path.basename(to));
      if (index >= 0) {
        names.splice(index, 1);
        await fsp.writeFile(to, 'the other writer');
      }
      return nodeFileSystem.rename(from, to, options);
    },
  });

  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-placement-'));
    fresh = path.join(await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-render-')), 'render.mp3');
    await fsp.writeFile(fresh, 'new audio');
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
    await fsp.rm(path.dirname(fresh), { recursive: true, force: true });
  });

  it('copies the file under its name, leaves the local file where it was, and no part file', async () => {
    const placed = await placeFile(nodeFileSystem, dir, intro());
    assert.deepStrictEqual(placed, { location: path.join(dir, 'intro.mp3'), fileName: 'intro.mp3', unchanged: false });
    assert.strictEqual(await read('intro.mp3'), 'new audio');
    assert.strictEqual(await fsp.readFile(fresh, 'utf8'), 'new audio');
    assert.deepStrictEqual(await listing(), ['intro.mp3']);
  });

  it('numbers around taken names: intro (2).mp3, then intro (3).mp3', async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'old audio');
    assert.strictEqual((await placeFile(nodeFileSystem, dir, intro())).location, path.join(dir, 'intro (2).mp3'));
    assert.strictEqual((await placeFile(nodeFileSystem, dir, intro())).location, path.join(dir, 'intro (3).mp3'));
    assert.strictEqual(await read('intro.mp3'), 'old audio');
    assert.deepStrictEqual(await listing(), ['intro (2).mp3', 'intro (3).mp3', 'intro.mp3']);
  });

  it('a name taken between the check and the rename gets the next number; the other file is untouched', async () => {
    const placed = await placeFile(racingOn('intro.mp3', 'intro (2).mp3'), dir, intro());
    assert.strictEqual(placed.location, path.join(dir, 'intro (3).mp3'));
    assert.strictEqual(await read('intro.mp3'), 'the other writer');
    assert.strictEqual(await read('intro (2).mp3'), 'the other writer');
    assert.strictEqual(await read('intro (3).mp3'), 'new audio');
    assert.deepStrictEqual(await listing(), ['intro (2).mp3', 'intro (3).mp3', 'intro.mp3']);
  });

  it("with 'fail', a name taken in the race is refused, the other file kept, and no part file left", async () => {
    await assert.rejects(
      placeFile(racingOn('intro.mp3'), dir, intro({ ifExists: 'fail' })),
      (e: unknown) => e instanceof InputError && /already exists/.test(e.message),
    );
    assert.strictEqual(await read('intro.mp3'), 'the other writer');
    assert.deepStrictEqual(await listing(), ['intro.mp3']);
  });

  it('gives every concurrent writer its own name', async () => {
    const placed = await Promise.all(Array.from({ length: 8 }, () => placeFile(nodeFileSystem, dir, intro())));
    assert.strictEqual(new Set(placed.map((p) => p.location)).size, 8);
    assert.strictEqual((await listing()).filter((name) => name.endsWith('.part')).length, 0);
  });

  it('overwrites only when asked', async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'old audio');
    const placed = await placeFile(nodeFileSystem, dir, intro({ ifExists: 'overwrite' }));
    assert.strictEqual(placed.location, path.join(dir, 'intro.mp3'));
    assert.strictEqual(await read('intro.mp3'), 'new audio');
    assert.deepStrictEqual(await listing(), ['intro.mp3']);
  });

  it('keeps an existing file with the same bytes when nothing changed, and only then', async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'new audio');
    const kept = await placeFile(nodeFileSystem, dir, intro(), { keepUnchanged: true });
    assert.deepStrictEqual(kept, { location: path.join(dir, 'intro.mp3'), fileName: 'intro.mp3', unchanged: true });
    assert.deepStrictEqual(await listing(), ['intro.mp3']);

    const copied = await placeFile(nodeFileSystem, dir, intro());
    assert.strictEqual(copied.location, path.join(dir, 'intro (2).mp3'), 'without keepUnchanged, a new copy');

    await fsp.writeFile(path.join(dir, 'intro (2).mp3'), 'old audio');
    await touch('intro (2).mp3', 10);
    const changed = await placeFile(nodeFileSystem, dir, intro(), { keepUnchanged: true });
    assert.deepStrictEqual(changed, {
      location: path.join(dir, 'intro (3).mp3'),
      fileName: 'intro (3).mp3',
      unchanged: false,
    });
  });

  it('"unchanged" compares with the newest take, whatever its number, and names it', async () => {
    // intro.mp3 is the take before an edit; intro (2).mp3 the take after it, with the bytes we would write now.
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'audio before the edit');
    await touch('intro.mp3', -60);
    await fsp.writeFile(path.join(dir, 'intro (2).mp3'), 'new audio');
    const kept = await placeFile(nodeFileSystem, dir, intro(), { keepUnchanged: true });
    assert.deepStrictEqual(kept, {
      location: path.join(dir, 'intro (2).mp3'),
      fileName: 'intro (2).mp3',
      unchanged: true,
    });

    // The script was changed back: the newest take differs, so a new take is written even though intro.mp3 matches.
    await fsp.writeFile(fresh, 'audio before the edit');
    const back = await placeFile(nodeFileSystem, dir, intro(), { keepUnchanged: true });
    assert.deepStrictEqual(back, {
      location: path.join(dir, 'intro (3).mp3'),
      fileName: 'intro (3).mp3',
      unchanged: false,
    });
    const again = await placeFile(nodeFileSystem, dir, intro(), { keepUnchanged: true });
    assert.deepStrictEqual(again, {
      location: path.join(dir, 'intro (3).mp3'),
      fileName: 'intro (3).mp3',
      unchanged: true,
    });
    assert.deepStrictEqual(await listing(), ['intro (2).mp3', 'intro (3).mp3', 'intro.mp3']);
  });

  it('the newest take is the one changed last, not the highest number (a deleted number is reused)', async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'first');
    await fsp.writeFile(path.join(dir, 'intro (3).mp3'), 'third');
    await fsp.writeFile(path.join(dir, 'intro (2).mp3'), 'new audio');
    await touch('intro.mp3', -120);
    await touch('intro (3).mp3', -60);
    await fsp.writeFile(path.join(dir, 'intro (20).mp3.part'), 'not a take');
    await fsp.writeFile(path.join(dir, 'intro (02).mp3'), 'not a take either');
    await touch('intro (02).mp3', 60);
    assert.strictEqual(await newestTake(nodeFileSystem, dir, 'intro', '.mp3'), path.join(dir, 'intro (2).mp3'));
    const kept = await placeFile(nodeFileSystem, dir, intro(), { keepUnchanged: true });
    assert.deepStrictEqual(kept, {
      location: path.join(dir, 'intro (2).mp3'),
      fileName: 'intro (2).mp3',
      unchanged: true,
    });
    assert.strictEqual(await newestTake(nodeFileSystem, dir, 'outro', '.mp3'), undefined);
    assert.strictEqual(await newestTake(nodeFileSystem, path.join(dir, 'missing'), 'intro', '.mp3'), undefined);
  });

  it("with 'overwrite', only the name itself counts as the take to keep", async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'old audio');
    await touch('intro.mp3', -60);
    await fsp.writeFile(path.join(dir, 'intro (2).mp3'), 'new audio');
    const placed = await placeFile(nodeFileSystem, dir, intro({ ifExists: 'overwrite' }), { keepUnchanged: true });
    assert.deepStrictEqual(placed, { location: path.join(dir, 'intro.mp3'), fileName: 'intro.mp3', unchanged: false });
    assert.strictEqual(await read('intro.mp3'), 'new audio');
  });

  it('creates a missing folder when asked, and otherwise refuses it before writing anything', async () => {
    const missing = path.join(dir, 'audio', 'takes');
    await assert.rejects(
      placeFile(nodeFileSystem, missing, intro()),
      (e: unknown) => e instanceof InputError && /does not exist/.test(e.message),
    );
    await fsp.writeFile(path.join(dir, 'file'), '');
    await assert.rejects(
      placeFile(nodeFileSystem, path.join(dir, 'file'), intro()),
      (e: unknown) => e instanceof InputError && /not a folder/.test(e.message),
    );
    const placed = await placeFile(nodeFileSystem, missing, intro(), { createFolder: true });
    assert.strictEqual(placed.location, path.join(missing, 'intro.mp3'));
  });

  it('leaves no part file when the copy or the rename fails', async () => {
    await assert.rejects(placeFile(nodeFileSystem, dir, intro({ localPath: path.join(dir, 'no-such-render.mp3') })));
    const failingRename: FileSystem<string> = {
      ...nodeFileSystem,
      rename: async () => {
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    };
    await assert.rejects(placeFile(failingRename, dir, intro()), /disk full/);
    assert.deepStrictEqual(await listing(), []);
  });

  describe('placeFiles', () => {
    it('places every file in order', async () => {
      const placed = await placeFiles(nodeFileSystem, dir, [intro(), intro({ baseName: 'intro.01-welcome' })]);
      assert.deepStrictEqual(
        placed.map((p) => path.basename(p.location)),
        ['intro.mp3', 'intro.01-welcome.mp3'],
      );
    });

    it('places all or none: a failure part-way removes what it wrote, never what it kept or found', async () => {
      await fsp.writeFile(path.join(dir, 'intro.mp3'), 'new audio');
      await fsp.writeFile(path.join(dir, 'intro.01-welcome.mp3'), 'old section');
      const files = [
        intro(),
        intro({ baseName: 'intro.01-welcome' }),
        intro({ baseName: 'intro.02-end', localPath: path.join(dir, 'missing.mp3') }),
      ];
      await assert.rejects(placeFiles(nodeFileSystem, dir, files, { keepUnchanged: true }));
      assert.deepStrictEqual(await listing(), ['intro.01-welcome.mp3', 'intro.mp3']);
      assert.strictEqual(await read('intro.01-welcome.mp3'), 'old section');
    });

    it('a cancel between files removes the files already written', async () => {
      const controller = new AbortController();
      const cancelling: FileSystem<string> = {
        ...nodeFileSystem,
        async rename(from, to, options) {
          await nodeFileSystem.rename(from, to, options);
          controller.abort();
        },
      };
      await assert.rejects(
        placeFiles(cancelling, dir, [intro(), intro({ baseName: 'intro.01-welcome' })], { signal: controller.signal }),
        CancelledError,
      );
      assert.deepStrictEqual(await listing(), []);
    });
  });

  describe('the Node file system', () => {
    it('renames without replacing: FileExistsError, both files as they were', async () => {
      const a = path.join(dir, 'a');
      const b = path.join(dir, 'b');
      await fsp.writeFile(a, 'A');
      await fsp.writeFile(b, 'B');
      await assert.rejects(nodeFileSystem.rename(a, b, { replace: false }), FileExistsError);
      assert.deepStrictEqual([await read('a'), await read('b')], ['A', 'B']);
      await assert.rejects(nodeFileSystem.copyFromLocal(fresh, b), FileExistsError);
      assert.strictEqual(await read('b'), 'B');
      await nodeFileSystem.rename(a, b, { replace: true });
      assert.deepStrictEqual(await listing(), ['b']);
      assert.strictEqual(await read('b'), 'A');
    });

    it('compares bytes block by block, across block boundaries, and says false for a missing file', async () => {
      const size = 200_000; // a little more than three 64 KiB blocks
      const bytes = Buffer.alloc(size, 7);
      const same = path.join(dir, 'same');
      const lastDiffers = path.join(dir, 'last');
      const shorter = path.join(dir, 'shorter');
      await fsp.writeFile(fresh, bytes);
      await fsp.writeFile(same, bytes);
      await fsp.writeFile(lastDiffers, Buffer.concat([bytes.subarray(0, size - 1), Buffer.from([8])]));
      await fsp.writeFile(shorter, bytes.subarray(0, size - 1));
      assert.strictEqual(await nodeFileSystem.hasSameBytes(same, fresh), true);
      assert.strictEqual(await nodeFileSystem.hasSameBytes(lastDiffers, fresh), false);
      assert.strictEqual(await nodeFileSystem.hasSameBytes(shorter, fresh), false);
      assert.strictEqual(await nodeFileSystem.hasSameBytes(path.join(dir, 'missing'), fresh), false);
      assert.strictEqual(await localFileHasBytes(same, bytes), true);
      assert.strictEqual(await localFileHasBytes(lastDiffers, bytes), false);
      assert.strictEqual(await localFileHasBytes(path.join(dir, 'missing'), bytes), false);
    });
  });
});
