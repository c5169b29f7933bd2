import * as assert from 'assert';
import fc from 'fast-check';
import {
  extensionFromMagicBytes,
  findFreeName,
  numberedName,
  sanitizeBaseName,
  sanitizeExtension,
  selectionBaseName,
  takeNumber,
} from '../../src/core/files/naming';
import { InputError } from '../../src/core/errors';

describe('fileNaming', () => {
  describe('sanitizeExtension', () => {
    const cases: [string | undefined, string | undefined, string][] = [
      ['abc.mp3', undefined, '.mp3'],
      ['ABC.WAV', 'audio/mpeg', '.wav'],
      ['take.wave', undefined, '.wav'],
      ['x.ogg', undefined, '.ogg'],
      ['x.m4a', undefined, '.m4a'],
      ['x.flac', undefined, '.flac'],
      ['../../etc/evil.wav', undefined, '.wav'],
      ['/abs/path/file.exe', 'audio/wav', '.wav'],
      ['x.sh', undefined, '.mp3'],
      ['x.mp3.exe', undefined, '.mp3'],
      ['no-extension', 'audio/x-wav; charset=binary', '.wav'],
      [undefined, 'audio/ogg', '.ogg'],
      [undefined, 'AUDIO/MPEG', '.mp3'],
      [undefined, 'text/html', '.mp3'],
      ['dir.wav/file', undefined, '.mp3'],
      ['x.wav?sig=1', undefined, '.wav'],
      [undefined, undefined, '.mp3'],
      ['', '', '.mp3'],
    ];
    for (const [name, type, expected] of cases) {
      it(`${JSON.stringify(name)} + ${JSON.stringify(type)} → ${expected}`, () => {
        assert.strictEqual(sanitizeExtension(name, type), expected);
      });
    }
  });

  describe('extensionFromMagicBytes', () => {
    it('recognizes WAV, ID3 and frame-sync MP3, Ogg, FLAC and MP4', () => {
      const bytes = (s: string, ...extra: number[]) => new Uint8Array([...Buffer.from(s, 'latin1'), ...extra]);
      assert.strictEqual(extensionFromMagicBytes(bytes('RIFF\x24\x00\x00\x00WAVEfmt ')), '.wav');
      assert.strictEqual(extensionFromMagicBytes(bytes('ID3\x04')), '.mp3');
      assert.strictEqual(extensionFromMagicBytes(new Uint8Array([0xff, 0xfb, 0x90, 0x00])), '.mp3');
      assert.strictEqual(extensionFromMagicBytes(bytes('OggS\x00')), '.ogg');
      assert.strictEqual(extensionFromMagicBytes(bytes('fLaC')), '.flac');
      assert.strictEqual(extensionFromMagicBytes(bytes('\x00\x00\x00\x20ftypM4A ')), '.m4a');
      assert.strictEqual(extensionFromMagicBytes(bytes('<html>')), undefined);
      assert.strictEqual(extensionFromMagicBytes(new Uint8Array(0)), undefined);
    });
  });

  describe('sanitizeBaseName', () => {
    const cases: [string, string][] = [
      ['intro', 'intro'],
      ['../../etc/passwd', 'etc-passwd'],
      ['a/b\\c', 'a-b-c'],
      ['..', 'audio'],
      ['', 'audio'],
      ['   ', 'audio'],
      ['.hidden', 'hidden'],
      ['name.', 'name'],
      ['tab\there\nnew', 'tabherenew'],
      ['what? "quoted" <x>|*:', 'what- -quoted- -x----'],
      ['CON', 'CON_'],
      ['nul.txt', 'nul.txt_'],
      ['장면 1 — 소개', '장면 1 — 소개'],
      ['a..b', 'a.b'],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        assert.strictEqual(sanitizeBaseName(input), expected);
      });
    }

    it('bounds the length without splitting a character', () => {
      const long = '😀'.repeat(300);
      const result = sanitizeBaseName(long);
      assert.strictEqual(Array.from(result).length, 120);
      assert.ok(!/[\ud800-\udbff]$/.test(result), 'no lone surrogate at the end');
    });

    it('holds its promises for any string', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
          const r = sanitizeBaseName(s);
          assert.ok(r.length > 0);
          assert.ok(Array.from(r).length <= 121);
          assert.ok(!/[\\/]/.test(r), r);
          assert.ok(!r.includes('..'), r);
          assert.ok(!/[\u0000-\u001f\u007f]/.test(r), r);
          assert.ok(!r.startsWith('.'), r);
        }),
      );
    });
  });

  describe('selectionBaseName', () => {
    it('names a range of lines and a single line', () => {
      assert.strictEqual(selectionBaseName('intro', 12, 20), 'intro-L12-L20');
      assert.strictEqual(selectionBaseName('intro', 12, 12), 'intro-L12');
      assert.strictEqual(selectionBaseName('intro', 20, 12), 'intro-L12-L20');
    });
    it('keeps the line suffix when the source name is long, and sanitizes it', () => {
      const name = selectionBaseName('x'.repeat(500), 1, 2);
      assert.ok(name.endsWith('-L1-L2'));
      assert.ok(name.length <= 120);
      assert.strictEqual(selectionBaseName('../a', 3, 3), 'a-L3');
    });
  });

  describe('numberedName and findFreeName', () => {
    it('numbers from 2', () => {
      assert.strictEqual(numberedName('intro', '.mp3', 1), 'intro.mp3');
      assert.strictEqual(numberedName('intro', '.mp3', 2), 'intro (2).mp3');
    });

    it('returns the first free name', async () => {
      const taken = new Set(['intro.mp3', 'intro (2).mp3', 'intro (4).mp3']);
      assert.strictEqual(await findFreeName('intro', '.mp3', async (n) => taken.has(n)), 'intro (3).mp3');
      assert.strictEqual(await findFreeName('intro', '.wav', async (n) => taken.has(n)), 'intro.wav');
    });

    it('takeNumber reads back what numberedName wrote, and nothing else', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 100_000 }), (base, n) => {
          assert.strictEqual(takeNumber(numberedName(base, '.mp3', n), base, '.mp3'), n);
        }),
      );
      for (const other of [
        'intro (2).wav',
        'intro (0).mp3',
        'intro (1).mp3',
        'intro (02).mp3',
        'intro 2.mp3',
        'intro (x).mp3',
        'outro.mp3',
        'intro (2).mp3.part',
      ])
        assert.strictEqual(takeNumber(other, 'intro', '.mp3'), undefined, other);
    });

    it('gives up with InputError when nothing is free', async () => {
      await assert.rejects(
        findFreeName('intro', '.mp3', async () => true),
        InputError,
      );
    });
  });
});
