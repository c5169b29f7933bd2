// Names of the files we write. The server's fileName is never used as a path: only a sanitized,
// allow-listed extension is taken from it. Shared by the Node download and vscode.workspace.fs saving.

import { InputError } from '../errors';

/** The only extensions we ever write. */
export const AUDIO_EXTENSIONS = ['.mp3', '.wav', '.ogg', '.m4a', '.flac'] as const;
export type AudioExtension = (typeof AUDIO_EXTENSIONS)[number];

const EXTENSION_ALIASES: Record<string, AudioExtension> = {
  mp3: '.mp3',
  mpga: '.mp3',
  wav: '.wav',
  wave: '.wav',
  ogg: '.ogg',
  oga: '.ogg',
  m4a: '.m4a',
  mp4: '.m4a',
  flac: '.flac',
};

const CONTENT_TYPES: Record<string, AudioExtension> = {
  'audio/mpeg': '.mp3',
  'audio/mp3': '.mp3',
  'audio/mpeg3': '.mp3',
  'audio/x-mpeg': '.mp3',
  'audio/x-mp3': '.mp3',
  'audio/wav': '.wav',
  'audio/wave': '.wav',
  'audio/x-wav': '.wav',
  'audio/vnd.wave': '.wav',
  'audio/ogg': '.ogg',
  'application/ogg': '.ogg',
  'audio/mp4': '.m4a',
  'audio/m4a': '.m4a',
  'audio/x-m4a': '.m4a',
  'audio/flac': '.flac',
  'audio/x-flac': '.flac',
};

const DEFAULT_EXTENSION: AudioExtension = '.mp3';
const MAX_BASE_NAME_LENGTH = 120;
const MAX_NUMBERED_TRIES = 10_000;

/** The extension named by a server fileName (only the last path segment counts), if allow-listed. */
function extensionFromFileName(serverFileName: string | undefined): AudioExtension | undefined {
  if (typeof serverFileName !== 'string') return undefined;
  const lastSegment = serverFileName.split(/[\\/]/).pop() ?? '';
  const withoutQuery = lastSegment.split(/[?#]/)[0] ?? '';
  const match = /\.([a-z0-9]{1,5})\s*$/i.exec(withoutQuery);
  return match ? EXTENSION_ALIASES[match[1]!.toLowerCase()] : undefined;
}

/** The extension named by a Content-Type header (parameters ignored), if allow-listed. */
function extensionFromContentType(contentType: string | undefined): AudioExtension | undefined {
  if (typeof contentType !== 'string') return undefined;
  const mime = contentType.split(';')[0]!.trim().toLowerCase();
  return CONTENT_TYPES[mime];
}

/** '.mp3' | '.wav' | '.ogg' | '.m4a' | '.flac': from the fileName's extension, else Content-Type, else '.mp3'. */
export function sanitizeExtension(serverFileName: string | undefined, contentType: string | undefined): string {
  return extensionFromFileName(serverFileName) ?? extensionFromContentType(contentType) ?? DEFAULT_EXTENSION;
}

/** The extension the file's first bytes prove (RIFF/WAVE, ID3 or MPEG frame sync, OggS, fLaC, ftyp), if any. */
export function extensionFromMagicBytes(head: Uint8Array): AudioExtension | undefined {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return '.wav';
  if (head.length >= 3 && ascii(0, 3) === 'ID3') return '.mp3';
  if (head.length >= 4 && ascii(0, 4) === 'OggS') return '.ogg';
  if (head.length >= 4 && ascii(0, 4) === 'fLaC') return '.flac';
  if (head.length >= 8 && ascii(4, 8) === 'ftyp') return '.m4a';
  // MPEG audio frame sync: 11 set bits, layer bits not 00.
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0 && (head[1]! & 0x06) !== 0) return '.mp3';
  return undefined;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** A safe file base name: no separators, no '..', no control or reserved characters, at most ~120 characters, never empty. */
export function sanitizeBaseName(name: string): string {
  let s = String(name ?? '').normalize('NFC');
  s = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  // Path segments that only navigate ('.', '..') carry no name; the rest are kept, joined with '-'.
  s = s
    .split(/[\\/]/)
    .filter((segment) => !/^[\s.]*$/.test(segment))
    .join('-');
  s = s.replace(/[<>:"|?*]/g, '-');
  s = s.replace(/\.{2,}/g, '.');
  s = s.replace(/\s+/g, ' ');
  // Leading dots would hide the file; trailing dots and spaces are dropped by Windows.
  s = s.replace(/^[\s.-]+|[\s.]+$/g, '');
  const codePoints = Array.from(s);
  if (codePoints.length > MAX_BASE_NAME_LENGTH)
    s = codePoints
      .slice(0, MAX_BASE_NAME_LENGTH)
      .join('')
      .replace(/[\s.]+$/, '');
  if (s === '' || /^-+$/.test(s)) return 'audio';
  if (WINDOWS_RESERVED.test(s.split('.')[0]!)) s = `${s}_`;
  return s;
}

/** Base name for a selection, with 1-based lines: 'intro-L12-L20' (single line: 'intro-L12'). */
export function selectionBaseName(sourceBaseName: string, startLine: number, endLine: number): string {
  const first = Math.max(1, Math.floor(Math.min(startLine, endLine)));
  const last = Math.max(1, Math.floor(Math.max(startLine, endLine)));
  const suffix = first === last ? `-L${first}` : `-L${first}-L${last}`;
  const room = MAX_BASE_NAME_LENGTH - suffix.length;
  const source = Array.from(sanitizeBaseName(sourceBaseName))
    .slice(0, room)
    .join('')
    .replace(/[\s.]+$/, '');
  return sanitizeBaseName(`${source || 'audio'}${suffix}`);
}

/** n=1 → 'intro.mp3', n=2 → 'intro (2).mp3'. */
export function numberedName(baseName: string, extension: string, n: number): string {
  return n <= 1 ? `${baseName}${extension}` : `${baseName} (${n})${extension}`;
}

/** The inverse of numberedName: 'intro.mp3' → 1, 'intro (3).mp3' → 3; undefined for any other name. */
export function takeNumber(fileName: string, baseName: string, extension: string): number | undefined {
  if (fileName === `${baseName}${extension}`) return 1;
  const prefix = `${baseName} (`;
  const suffix = `)${extension}`;
  if (!fileName.startsWith(prefix) || !fileName.endsWith(suffix)) return undefined;
  const digits = fileName.slice(prefix.length, fileName.length - suffix.length);
  const n = /^[1-9][0-9]{0,8}$/.test(digits) ? Number(digits) : undefined;
  return n !== undefined && n >= 2 ? n : undefined;
}

/** The first of 'intro.mp3', 'intro (2).mp3', … for which exists() is false. */
export async function findFreeName(
  baseName: string,
  extension: string,
  exists: (fileName: string) => Promise<boolean>,
): Promise<string> {
  for (let n = 1; n <= MAX_NUMBERED_TRIES; n++) {
    const candidate = numberedName(baseName, extension, n);
    if (!(await exists(candidate))) return candidate;
  }
  throw new InputError(`Could not find a free file name for "${baseName}${extension}" in the target folder.`);
}
