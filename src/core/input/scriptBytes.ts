// Is this input a text script? Checked before any request, so an MP3, a PDF or a file in a legacy encoding is never
// sent (and billed) as replacement characters and NULs. Scripts are read strictly as UTF-8 (RFC 3629, as the WHATWG
// Encoding standard's UTF-8 decoder reads it, with its byte order mark allowed); anything else is refused with a
// message that says what the file seems to be and how to turn it into a script.

import { InputError } from '../errors';
import { decodeScript } from '../narration/scriptSource';
import { describeSignature, findSignature } from './signatures';

/** Why an input is not a text script. */
export type NotTextReason = 'signature' | 'utf16' | 'nul' | 'encoding' | 'replacement';

/** The input is not UTF-8 text: `seemsToBe` names what it looks like ("an MP3 audio file", "text in GB18030"). */
export class NotTextError extends InputError {
  constructor(
    message: string,
    readonly reason: NotTextReason,
    readonly seemsToBe: string,
  ) {
    super(message);
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export interface DecodeScriptOptions {
  /**
   * Names the likely encoding of bytes that are not UTF-8, as iconv knows it ("WINDOWS-1252", "GB18030"), or
   * undefined when unsure (see guessLegacyEncoding); without it the message suggests Windows-1252 or Latin-1.
   */
  guessEncoding?: (bytes: Uint8Array) => string | undefined;
}

/**
 * The text of a script given as bytes, checked to be UTF-8 text, then decoded by decodeScript (the one place that
 * drops a byte order mark, EF BB BF, as an editor does): line and character positions are those after the mark.
 * Throws NotTextError (an InputError) for: a known binary signature (audio, image, archive, PDF, office document,
 * executable…), a UTF-16 or UTF-32 byte order mark, a NUL byte, or bytes that are not valid UTF-8, whose encoding
 * is then guessed. `name` is how the message calls the input ("intro.md", "The standard input").
 */
export function decodeScriptBytes(bytes: Uint8Array, name: string, options: DecodeScriptOptions = {}): string {
  const signature = findSignature(bytes);
  if (signature) {
    const { what, advice: template } = describeSignature(signature, bytes);
    const advice = template.replace('{name}', quoteName(name));
    throw new NotTextError(`${name} seems to be ${what}, not a text script. ${advice}`, signature.reason, what);
  }
  const start = UTF8_BOM.every((b, i) => bytes[i] === b) ? UTF8_BOM.length : 0;
  const nul = bytes.indexOf(0, start);
  if (nul >= 0) {
    const utf16 = looksLikeUtf16(bytes);
    const what = utf16 ? 'text saved as UTF-16 without a byte order mark' : 'binary data';
    const advice = utf16
      ? `Save it again as UTF-8 (for instance: iconv -f UTF-16LE -t UTF-8 ${quoteName(name)} > script.md).`
      : 'Give the markdown (.md) or plain text (.txt) file that holds the narration instead.';
    throw new NotTextError(
      `${name} contains NUL bytes (the first on line ${lineOf(bytes, nul)}), so it is not a text script: it seems to be ${what}. ${advice}`,
      'nul',
      what,
    );
  }
  const invalid = firstInvalidUtf8(bytes, start);
  if (invalid >= 0) {
    const guess = options.guessEncoding?.(bytes);
    const what = guess ? `text in ${guess}` : 'text in a legacy 8-bit encoding such as Windows-1252 or Latin-1';
    const from = guess ?? 'WINDOWS-1252';
    throw new NotTextError(
      `${name} is not UTF-8 text: byte 0x${bytes[invalid].toString(16).toUpperCase().padStart(2, '0')} on line ${lineOf(bytes, invalid)} is not valid UTF-8; it seems to be ${what}. ` +
        `Convert it to UTF-8 (for instance: iconv -f ${from} -t UTF-8 ${quoteName(name)} > script.md, or in VS Code “Reopen with Encoding”, then “Save with Encoding” → UTF-8).`,
      'encoding',
      what,
    );
  }
  return decodeScript(bytes);
}

/**
 * Checks text that an editor already decoded (VS Code honours the user's encoding settings): refuses NUL characters
 * and U+FFFD replacement characters, the marks of bytes the editor could not decode, with NotTextError. Returns the
 * text unchanged.
 */
export function checkScriptText(text: string, name: string): string {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new NotTextError(
      `${name} contains NUL characters (the first on line ${lineOfText(text, nul)}), so it is not a text script: it seems to be binary data, or text in UTF-16 read as UTF-8. Give the markdown or text file that holds the narration, saved as UTF-8.`,
      'nul',
      'binary data',
    );
  }
  const replacement = text.indexOf('\uFFFD');
  if (replacement >= 0) {
    throw new NotTextError(
      `${name} has bytes its encoding cannot read (shown as � on line ${lineOfText(text, replacement)}): it seems to be text in another encoding. Reopen it with the right one (“Reopen with Encoding”), then “Save with Encoding” → UTF-8.`,
      'replacement',
      'text in another encoding',
    );
  }
  return text;
}

/** Index of the first byte of an ill-formed UTF-8 sequence at or after `start`, or -1 (RFC 3629: no overlong forms, surrogates or values above U+10FFFF). */
export function firstInvalidUtf8(bytes: Uint8Array, start = 0): number {
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0; // no overlong forms
      if (b === 0xed) high = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90; // no overlong forms
      if (b === 0xf4) high = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** NULs at mostly even or mostly odd positions of the first kilobyte: UTF-16 text of a Latin-script language. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 1024);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const pairs = Math.floor(sample.length / 2);
  return pairs >= 4 && Math.max(even, odd) >= pairs * 0.4 && Math.min(even, odd) <= pairs * 0.05;
}

function lineOf(bytes: Uint8Array, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function lineOfText(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The input's name as a shell argument in the advice ("script.txt" for standard input). */
function quoteName(name: string): string {
  if (/^The /.test(name)) return 'script.txt';
  return /^[\w./-]+$/.test(name) ? name : `"${name.replace(/"/g, '\\"')}"`;
}
