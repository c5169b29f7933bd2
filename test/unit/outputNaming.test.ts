import * as assert from 'assert';
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expandFileNameTemplate } from '../../src/core/files/outputName';
import { placeFile, type IfExists } from '../../src/core/files/placement';
import { nodeFileSystem } from '../../src/core/files/nodeFileSystem';
import { sectionBaseName, slugify } from '../../src/core/files/sectionNames';
import { InputError } from '../../src/core/errors';

const parts = { name: 'intro', model: 'M000045058', language: 'en', date: new Date('2026-11-25T12:00:00Z') };

describe('output names', () => {
  it('expands the default template for a document and for a selection', () => {
    assert.strictEqual(expandFileNameTemplate('{name}{lines}', parts), 'intro');
    assert.strictEqual(
      expandFileNameTemplate('{name}{lines}', { ...parts, lines: { start: 12, end: 20 } }),
      'intro-L12-L20',
    );
    assert.strictEqual(expandFileNameTemplate('{name}{lines}', { ...parts, lines: { start: 7, end: 7 } }), 'intro-L7');
  });

  it('knows {model}, {language} and {date}, and leaves unknown placeholders as written', () => {
    assert.strictEqual(
      expandFileNameTemplate('{date} {name} {model}-{language} {unknown}', parts),
      '2026-11-25 intro M000045058-en {unknown}',
    );
  });

  it('can never leave the folder, whatever the template says', () => {
    for (const template of ['../{name}', '/etc/{name}', 'a/b/{name}', '..', '{name}\u0000x']) {
      const name = expandFileNameTemplate(template, parts);
      assert.ok(
        !name.includes('/') && !name.includes('\\') && name !== '..' && !name.includes('\u0000'),
        `${template} → ${name}`,
      );
      assert.ok(name.length > 0);
    }
  });

  it('names section files so they sort and read well', () => {
    assert.strictEqual(sectionBaseName('intro', 1, 'Welcome!'), 'intro.01-welcome');
    assert.strictEqual(
      sectionBaseName('intro', 12, 'Short Sentences & Signposts'),
      'intro.12-short-sentences-signposts',
    );
    assert.strictEqual(sectionBaseName('intro', 3, undefined), 'intro.03-opening');
    assert.strictEqual(sectionBaseName('script', 2, '场景 2：开场'), 'script.02-场景-2-开场');
    assert.ok(slugify('a '.repeat(100)).length <= 40);
  });
});

describe('placeFile', () => {
  let dir: string;
  let temp: string;
  const place = async (localPath: string, folder: string, baseName: string, extension: string, ifExists?: IfExists) =>
    (await placeFile(nodeFileSystem, folder, { localPath, baseName, extension, ifExists })).location;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-place-'));
    temp = path.join(dir, 'render.tmp');
    await fsp.writeFile(temp, 'new audio');
  });
  afterEach(async () => fsp.rm(dir, { recursive: true, force: true }));

  it('never overwrites by default: intro (2).mp3, the original byte-identical, no part file left', async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'old audio');
    const saved = await place(temp, dir, 'intro', '.mp3');
    assert.strictEqual(path.basename(saved), 'intro (2).mp3');
    assert.strictEqual(await fsp.readFile(path.join(dir, 'intro.mp3'), 'utf8'), 'old audio');
    assert.strictEqual(await fsp.readFile(saved, 'utf8'), 'new audio');
    assert.deepStrictEqual((await fsp.readdir(dir)).sort(), ['intro (2).mp3', 'intro.mp3', 'render.tmp']);
  });

  it('overwrites only when asked, and fails without touching the file when told to', async () => {
    await fsp.writeFile(path.join(dir, 'intro.mp3'), 'old audio');
    await assert.rejects(place(temp, dir, 'intro', '.mp3', 'fail'), InputError);
    assert.strictEqual(await fsp.readFile(path.join(dir, 'intro.mp3'), 'utf8'), 'old audio');
    await place(temp, dir, 'intro', '.mp3', 'overwrite');
    assert.strictEqual(await fsp.readFile(path.join(dir, 'intro.mp3'), 'utf8'), 'new audio');
  });

  it('gives every concurrent writer its own name', async () => {
    const saved = await Promise.all(Array.from({ length: 8 }, () => place(temp, dir, 'intro', '.mp3')));
    assert.strictEqual(new Set(saved).size, 8);
  });

  it('refuses a folder that does not exist, before anything is written', async () => {
    await assert.rejects(
      place(temp, path.join(dir, 'missing'), 'intro', '.mp3'),
      (e: unknown) => e instanceof InputError && /does not exist/.test(e.message),
    );
  });
});
