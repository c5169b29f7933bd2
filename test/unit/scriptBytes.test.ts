// Input that is not text is refused before any request: strict UTF-8, no NUL, no known binary signature.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { InputError } from '../../src/core/errors';
import {
  checkScriptText,
  decodeScriptBytes,
  firstInvalidUtf8,
  NotTextError,
  type NotTextReason,
} from '../../src/core/input/scriptBytes';
import { guessLegacyEncoding } from '../../src/core/input/encodingGuess';

const AUDIO_DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'audio');
const bytes = (...parts: (string | number[] | Uint8Array)[]): Uint8Array =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p as ArrayLike<number>))),
  );

function refusal(input: Uint8Array, name = 'intro.md'): NotTextError {
  try {
    decodeScriptBytes(input, name, { guessEncoding: guessLegacyEncoding });
  } catch (error) {
    assert.ok(error instanceof NotTextError, `expected NotTextError, got ${String(error)}`);
    assert.ok(error instanceof InputError, 'a NotTextError is an input error (the CLI exits 2)');
    assert.ok(!error.message.includes('\n'), 'one paragraph');
    return error;
  }
  return assert.fail('the input was accepted');
}

describe('decodeScriptBytes', () => {
  it('accepts UTF-8 text in any script, and removes a byte order mark', () => {
    const text = '# 소개\n\nCafé crème, 你好, こんにちは, emoji 🎙️.\n';
    assert.strictEqual(decodeScriptBytes(bytes(text), 'intro.md'), text);
    assert.strictEqual(decodeScriptBytes(bytes([0xef, 0xbb, 0xbf], text), 'intro.md'), text);
    assert.strictEqual(decodeScriptBytes(new Uint8Array(0), 'empty.md'), '');
  });

  it('refuses Latin-1 text, naming the byte, its line, a likely encoding and how to convert', () => {
    const latin1 = Buffer.from('Title\n\nCafé crème brûlée, naïve façade, déjà vu.\n'.repeat(20), 'latin1');
    const error = refusal(latin1, 'notes.txt');
    assert.strictEqual(error.reason satisfies NotTextReason, 'encoding');
    assert.match(error.message, /^notes\.txt is not UTF-8 text: byte 0xE9 on line 3 is not valid UTF-8/);
    assert.match(error.message, /seems to be text in (ISO-8859-1|WINDOWS-1252|a legacy 8-bit encoding)/);
    assert.match(error.message, /iconv -f \S+ -t UTF-8 notes\.txt/);
    assert.match(error.message, /Save with Encoding/);
  });

  it('names East Asian legacy encodings from their bytes', () => {
    const korean = Buffer.from(
      'c7d1b1b9beeebfa120b3aab7a1c0cc20c0d6bdc0b4cfb4d92e20c0ccb0cdc0ba20c5d7bdbac6aec0d4b4cfb4d92e0a'.repeat(40),
      'hex',
    );
    const error = refusal(korean, 'ko.txt');
    assert.match(error.seemsToBe, /EUC-KR|legacy/);
  });

  const signatures: [string, Uint8Array, RegExp][] = [
    ['an MP3 file (the fixture)', new Uint8Array(readFileSync(path.join(AUDIO_DIR, 'hello.mp3'))), /an MP3 audio file/],
    ['a WAV file', new Uint8Array(readFileSync(path.join(AUDIO_DIR, 'hello.wav'))), /a WAV audio file/],
    ['an Ogg file', new Uint8Array(readFileSync(path.join(AUDIO_DIR, 'short.ogg'))), /an Ogg audio file/],
    ['a PNG image', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR'), /a PNG image/],
    ['a JPEG image', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF'), /a JPEG image/],
    ['a PDF', bytes('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n'), /a PDF document.*export it as plain text/],
    ['an RTF document (valid ASCII, still refused)', bytes('{\\rtf1\\ansi Hello}'), /an RTF document/],
    [
      'a ZIP archive',
      bytes('PK', [3, 4, 20, 0], new Array(22).fill(0), 'notes.txt'),
      /a ZIP archive, not a text script\. Unpack it/,
    ],
    [
      'a Word document',
      bytes('PK', [3, 4, 20, 0], new Array(22).fill(0), '[Content_Types].xml'),
      /a Microsoft Office document/,
    ],
    ['a gzip archive', bytes([0x1f, 0x8b, 8, 0]), /a gzip archive/],
    ['an ELF program', bytes([0x7f], 'ELF', [2, 1, 1, 0]), /a program/],
    ['UTF-16 text with its byte order mark', bytes([0xff, 0xfe], 'H', [0], 'i', [0]), /text saved as UTF-16/],
  ];
  for (const [name, input, expected] of signatures) {
    it(`refuses ${name}, saying what it seems to be`, () => {
      const error = refusal(input, 'script.md');
      assert.match(error.message, /^script\.md seems to be /);
      assert.match(error.message, expected);
    });
  }

  it('refuses NUL bytes, telling UTF-16 text without a byte order mark from binary data', () => {
    const utf16 = Buffer.from('Hello there, this is a script.\n', 'utf16le');
    assert.match(refusal(utf16).message, /contains NUL bytes \(the first on line 1\).*UTF-16/);
    const binary = bytes('line one\nline two\n', [0, 1, 2, 3, 200, 0, 0, 7]);
    const error = refusal(binary);
    assert.strictEqual(error.reason, 'nul');
    assert.match(error.message, /the first on line 3\), so it is not a text script: it seems to be binary data/);
  });

  it('names the standard input without offering it as a file name', () => {
    const error = refusal(Buffer.from('Caf\xe9', 'latin1'), 'The standard input');
    assert.match(error.message, /^The standard input is not UTF-8 text/);
    assert.match(error.message, /iconv -f \S+ -t UTF-8 script\.txt/);
  });
});

describe('firstInvalidUtf8', () => {
  const cases: [string, number[], number][] = [
    ['ASCII', [0x41, 0x42], -1],
    ['two, three and four bytes', [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x8e, 0x99], -1],
    ['a lone continuation byte', [0x41, 0x80], 1],
    ['an overlong two-byte form', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a surrogate', [0xed, 0xa0, 0x80], 0],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a sequence cut short at the end', [0x41, 0xe2, 0x82], 1],
    ['a byte never used in UTF-8', [0x41, 0x42, 0xff], 2],
  ];
  for (const [name, input, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      assert.strictEqual(firstInvalidUtf8(new Uint8Array(input)), expected);
      // Node's own decoder agrees on validity.
      assert.strictEqual(expected === -1, Buffer.from(input).toString('utf8').indexOf('\uFFFD') === -1);
    });
  }
});

describe('checkScriptText (text an editor already decoded)', () => {
  it('passes ordinary text through unchanged', () => {
    assert.strictEqual(checkScriptText('Hello, 세계.\n', 'intro.md'), 'Hello, 세계.\n');
  });
  it('refuses replacement characters (bytes the editor could not decode) and NUL characters', () => {
    assert.throws(
      () => checkScriptText('Title\nCaf\uFFFD cr\uFFFDme\n', 'notes.txt'),
      (e: unknown) =>
        e instanceof NotTextError && /on line 2/.test(e.message) && /Reopen with Encoding/.test(e.message),
    );
    assert.throws(
      () => checkScriptText('ID3\u0004\u0000\u0000', 'song.md'),
      (e: unknown) => e instanceof NotTextError && e.reason === 'nul',
    );
  });
});
