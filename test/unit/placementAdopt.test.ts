// Placing a temporary the caller gives away (FileToPlace.adopt): linked into place instead of copied, with the same
// promises as a copy: never a partial file under a final name, never a replaced file unless asked, no leftovers after
// a failure or a cancel, and a plain copy where the file system cannot link.
import * as assert from 'assert';
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CancelledError, InputError } from '../../src/core/errors';
import type { FileSystem } from '../../src/core/files/fileSystem';
import { nodeFileSystem } from '../../src/core/files/nodeFileSystem';
import { placeFile, placeFiles, type FileToPlace } from '../../src/core/files/placement';

describe('placement of an adopted temporary', () => {
  let dir: string;
  let work: string;
  let fresh: string;

  const read = (name: string) => fsp.readFile(path.join(dir, name), 'utf8');
  const listing = async () => (await fsp.readdir(dir)).sort();
  const intro = (extra: Partial<FileToPlace> = {}): FileToPlace => ({
    localPath: fresh,
    baseName: 'intro',
    extension: '.mp3',
    adopt: true,
    ...extra,
  });
  /** Node's file system, recording what it is asked to do. */
  const recording = (calls: string[], overrides: Partial<FileSystem<string>> = {}): FileSystem<string> => ({
    ...nodeFileSystem,
    copyFromLocal: async (local, target) => {
      calls.push(`copy ${path.basename(target)}`);
      return nodeFileSystem.copyFromLocal(local, target);
    },
    adoptLocal: async (local, target, options) => {
      calls.push(`adopt ${path.basename(target)}`);
      return nodeFileSystem.adoptLocal!(local, target, options);
    },
    ...overrides,
  });

  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-adopt-'));
    work = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-adopt-run-'));
    fresh = path.join(work, 'render.mp3');
    await fsp.writeFile(fresh, 'new audio');
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
    await fsp.rm(work, { recursive: true, force: true });
  });

  it('links the file into place: no copy, no part file, the bytes under the name, the local name kept', async () => {
    const calls: string[] = [];
    const placed = await placeFile(recording(calls), dir, intro());
    assert.deepStrictEqual(placed, { location: path.join(dir, 'intro.mp3'), fileName: 'intro.mp3', unchanged: false });
    assert.deepStrictEqual(calls, ['adopt intro.mp3']);
    assert.strictEqual(await read('intro.mp3'), 'new audio');
    assert.deepStrictEqual(await listing(), ['intro.mp3']);
    assert.strictEqual(await fsp.readFile(fresh, 'utf8'), 'new audio');
  });

  it('never replaces an existing file: the next number, the existing file untouched', async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'old audio');
    const placed = await placeFile(nodeFileSystem, dir, intro(), { keepUnchanged: true });
    assert.strictEqual(placed.fileName, 'intro (2).mp3');
    assert.strictEqual(await read('intro.mp3'), 'old audio');
    assert.strictEqual(await read('intro (2).mp3'), 'new audio');
  });

  it('a name taken between the listing and the link gets the next number; the other file is untouched', async () => {
    // The listing (read for "unchanged") says intro.mp3 is free; another writer takes it just before our link.
    const racing = recording([], {
      adoptLocal: async (local, target, options) => {
        if (path.basename(target) === 'intro.mp3') await fsp.writeFile(target, 'the other writer');
        return nodeFileSystem.adoptLocal!(local, target, options);
      },
    });
    const placed = await placeFile(racing, dir, intro(), { keepUnchanged: true });
    assert.strictEqual(placed.fileName, 'intro (2).mp3');
    assert.strictEqual(await read('intro.mp3'), 'the other writer');
    assert.strictEqual(await read('intro (2).mp3'), 'new audio');
    assert.deepStrictEqual(await listing(), ['intro (2).mp3', 'intro.mp3']);
  });

  it("with 'fail', a taken name is refused and nothing is written", async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'old audio');
    await assert.rejects(
      placeFile(nodeFileSystem, dir, intro({ ifExists: 'fail' })),
      (e: unknown) => e instanceof InputError && /already exists/.test(e.message),
    );
    assert.strictEqual(await read('intro.mp3'), 'old audio');
    assert.deepStrictEqual(await listing(), ['intro.mp3']);
  });

  it("with 'overwrite', replaces the file (and only then)", async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'old audio');
    const placed = await placeFile(nodeFileSystem, dir, intro({ ifExists: 'overwrite' }));
    assert.strictEqual(placed.fileName, 'intro.mp3');
    assert.strictEqual(await read('intro.mp3'), 'new audio');
    assert.deepStrictEqual(await listing(), ['intro.mp3'], 'no hidden link left');
    assert.strictEqual(
      await fsp.readFile(fresh, 'utf8'),
      'new audio',
      'the local name stays, for whoever still reads it',
    );
  });

  it('copies through a part file where the file system cannot link (another device), and without adopt', async () => {
    const calls: string[] = [];
    const noLinks = recording(calls, {
      adoptLocal: async () => {
        calls.push('adopt refused');
        return false;
      },
    });
    assert.strictEqual((await placeFile(noLinks, dir, intro())).fileName, 'intro.mp3');
    assert.strictEqual((await placeFile(noLinks, dir, intro({ adopt: false }))).fileName, 'intro (2).mp3');
    assert.deepStrictEqual(
      calls.map((c) => c.replace(/\.intro\.[0-9a-f]+\.part$/, '.intro.<random>.part')),
      ['adopt refused', 'copy .intro.<random>.part', 'copy .intro.<random>.part'],
    );
    assert.deepStrictEqual(await listing(), ['intro (2).mp3', 'intro.mp3']);
    // A file system without adoptLocal (the extension's workspace file system) copies too.
    const withoutAdopt: FileSystem<string> = { ...nodeFileSystem, adoptLocal: undefined };
    assert.strictEqual((await placeFile(withoutAdopt, dir, intro())).fileName, 'intro (3).mp3');
    assert.strictEqual(await read('intro (3).mp3'), 'new audio');
  });

  it('a failure or a cancel part-way removes the adopted files already placed, and leaves no part file', async () => {
    const second = path.join(work, 'render-2.mp3');
    await fsp.writeFile(second, 'section audio');
    const files = [intro(), intro({ baseName: 'intro.01-welcome', localPath: second })];
    const controller = new AbortController();
    const cancelling = recording([], {
      adoptLocal: async (local, target, options) => {
        const done = await nodeFileSystem.adoptLocal!(local, target, options);
        controller.abort();
        return done;
      },
    });
    await assert.rejects(placeFiles(cancelling, dir, files, { signal: controller.signal }), CancelledError);
    assert.deepStrictEqual(await listing(), []);

    const failing = recording([], {
      adoptLocal: async (local, target, options) => {
        if (path.basename(target).startsWith('intro.01'))
          throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        return nodeFileSystem.adoptLocal!(local, target, options);
      },
    });
    await assert.rejects(placeFiles(failing, dir, files), /disk full/);
    assert.deepStrictEqual(await listing(), []);
  });

  it('refuses a missing folder, or a file given as the folder, with an InputError and nothing written', async () => {
    await fsp.writeFile(path.join(dir, 'file'), '');
    for (const [folder, message] of [
      [path.join(dir, 'missing'), /does not exist/],
      [path.join(dir, 'file'), /not a folder/],
    ] as const) {
      await assert.rejects(
        placeFile(nodeFileSystem, folder, intro(), { keepUnchanged: true }),
        (e: unknown) => e instanceof InputError && message.test(e.message),
      );
    }
    assert.deepStrictEqual(await listing(), ['file']);
    assert.strictEqual(await fsp.readFile(fresh, 'utf8'), 'new audio', 'the local file is still there');
  });
  it("the placed take's time is when it was placed, not when its audio was made (the newest take is found by it)", async () => {
    const longAgo = new Date('2020-01-01T00:00:00Z');
    await fsp.utimes(fresh, longAgo, longAgo);
    const before = Date.now();
    const placed = await placeFile(nodeFileSystem, dir, intro());
    const { mtimeMs } = await fsp.stat(placed.location);
    assert.ok(mtimeMs >= before - 1000, `placed at ${new Date(mtimeMs).toISOString()}`);
  });

  describe("Node's file system where a link cannot be made", () => {
    const realLink = fsp.link;
    const failLinks = (errorCode: string) => {
      fsp.link = async () => {
        throw Object.assign(new Error(`${errorCode}: link refused`), { code: errorCode });
      };
    };
    afterEach(() => {
      fsp.link = realLink;
    });

    // EXDEV across volumes, EPERM/ENOTSUP without hard links, EISDIR for FAT on Windows, EINVAL/EACCES on some shares.
    for (const errorCode of ['EXDEV', 'EPERM', 'ENOTSUP', 'EISDIR', 'EINVAL', 'EACCES']) {
      it(`${errorCode}: adoptLocal says no, and placement copies instead`, async () => {
        failLinks(errorCode);
        const target = path.join(dir, 'probe.mp3');
        assert.strictEqual(await nodeFileSystem.adoptLocal!(fresh, target, { replace: false }), false);
        assert.strictEqual(await nodeFileSystem.adoptLocal!(fresh, target, { replace: true }), false);
        assert.deepStrictEqual(await listing(), [], 'nothing left behind by the refused link');
        const calls: string[] = [];
        const placed = await placeFile(recording(calls), dir, intro());
        assert.strictEqual(calls[0], 'adopt intro.mp3');
        assert.match(calls[1] ?? '', /^copy \.intro\.[0-9a-f]{12}\.part$/, 'a copy through a part file, as before');
        assert.strictEqual(placed.fileName, 'intro.mp3');
        assert.strictEqual(await read('intro.mp3'), 'new audio');
        assert.deepStrictEqual(await listing(), ['intro.mp3']);
      });
    }

    it('EEXIST without replace is a taken name, never a reason to copy over it', async () => {
      await fsp.writeFile(path.join(dir, 'intro.mp3'), 'the take before');
      await assert.rejects(
        nodeFileSystem.adoptLocal!(fresh, path.join(dir, 'intro.mp3'), { replace: false }),
        (error: Error) => error.name === 'FileExistsError',
      );
      assert.strictEqual(await read('intro.mp3'), 'the take before');
    });
  });
});
