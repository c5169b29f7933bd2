// The first bytes by which common files that are not scripts give themselves away: audio, images, archives,
// documents, executables, and text in UTF-16/32. Used to refuse such input before any request and to say what it
// seems to be; a file that matches none of these is judged by its bytes (UTF-8, NUL) alone.

/** One known kind of file. */
export interface Signature {
  /** What it is, after "seems to be": "an MP3 audio file". */
  what: string;
  /** What to do instead; `{name}` stands for the input's name. */
  advice: string;
  reason: 'signature' | 'utf16';
  matches(bytes: Uint8Array): boolean;
}

const GIVE_SCRIPT = 'Give the markdown (.md) or plain text (.txt) file that holds the narration instead.';
const EXPORT_TEXT = 'Save or export it as plain text or markdown in UTF-8, then give that file.';
const UNPACK = 'Unpack it and give the markdown or text file inside.';

function at(offset: number, ...expected: (number | string)[]): (bytes: Uint8Array) => boolean {
  const want = expected.flatMap((part) =>
    typeof part === 'number' ? [part] : Array.from(part, (c) => c.charCodeAt(0)),
  );
  return (bytes) => bytes.length >= offset + want.length && want.every((b, i) => bytes[offset + i] === b);
}

function kind(what: string, advice: string, matches: (bytes: Uint8Array) => boolean): Signature {
  return { what, advice, reason: 'signature', matches };
}

const SIGNATURES: Signature[] = [
  // Text in other Unicode forms first: UTF-32 little-endian starts like UTF-16 little-endian.
  {
    what: 'text saved as UTF-32',
    advice: 'Save it again as UTF-8 (for instance: iconv -f UTF-32 -t UTF-8 {name} > script.md).',
    reason: 'utf16',
    matches: (b) => at(0, 0xff, 0xfe, 0, 0)(b) || at(0, 0, 0, 0xfe, 0xff)(b),
  },
  {
    what: 'text saved as UTF-16',
    advice: 'Save it again as UTF-8 (for instance: iconv -f UTF-16 -t UTF-8 {name} > script.md).',
    reason: 'utf16',
    matches: (b) => at(0, 0xff, 0xfe)(b) || at(0, 0xfe, 0xff)(b),
  },
  // Audio and video.
  kind('an MP3 audio file', GIVE_SCRIPT, (b) => at(0, 'ID3')(b) || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)),
  kind('a WAV audio file', GIVE_SCRIPT, (b) => at(0, 'RIFF')(b) && at(8, 'WAVE')(b)),
  kind('an AVI video file', GIVE_SCRIPT, (b) => at(0, 'RIFF')(b) && at(8, 'AVI ')(b)),
  kind('an Ogg audio file', GIVE_SCRIPT, at(0, 'OggS')),
  kind('a FLAC audio file', GIVE_SCRIPT, at(0, 'fLaC')),
  kind('an MP4/M4A audio or video file', GIVE_SCRIPT, at(4, 'ftyp')),
  kind('an AIFF audio file', GIVE_SCRIPT, (b) => at(0, 'FORM')(b) && (at(8, 'AIFF')(b) || at(8, 'AIFC')(b))),
  kind('a WebM or Matroska video file', GIVE_SCRIPT, at(0, 0x1a, 0x45, 0xdf, 0xa3)),
  // Images.
  kind('a PNG image', GIVE_SCRIPT, at(0, 0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a)),
  kind('a JPEG image', GIVE_SCRIPT, at(0, 0xff, 0xd8, 0xff)),
  kind('a GIF image', GIVE_SCRIPT, (b) => at(0, 'GIF87a')(b) || at(0, 'GIF89a')(b)),
  kind('a WebP image', GIVE_SCRIPT, (b) => at(0, 'RIFF')(b) && at(8, 'WEBP')(b)),
  kind('a TIFF image', GIVE_SCRIPT, (b) => at(0, 'II*', 0)(b) || at(0, 'MM', 0, '*')(b)),
  kind('a BMP image', GIVE_SCRIPT, (b) => at(0, 'BM')(b) && b.length >= 26 && b[6] === 0 && b[7] === 0 && b[14] >= 12),
  kind('an icon file', GIVE_SCRIPT, at(0, 0, 0, 1, 0)),
  // Documents.
  kind('a PDF document', EXPORT_TEXT, at(0, '%PDF-')),
  kind('an RTF document', EXPORT_TEXT, at(0, '{\\rtf')),
  kind(
    'an old Microsoft Office document (.doc, .xls, .ppt)',
    EXPORT_TEXT,
    at(0, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1),
  ),
  // Archives (a ZIP may be an office document or an e-book: see describeSignature).
  kind('a ZIP archive', UNPACK, (b) => at(0, 'PK', 3, 4)(b) || at(0, 'PK', 5, 6)(b)),
  kind('a gzip archive', UNPACK, at(0, 0x1f, 0x8b)),
  kind('a 7-Zip archive', UNPACK, at(0, '7z', 0xbc, 0xaf, 0x27, 0x1c)),
  kind('a RAR archive', UNPACK, at(0, 'Rar!', 0x1a, 0x07)),
  kind('an xz archive', UNPACK, at(0, 0xfd, '7zXZ', 0)),
  kind('a bzip2 archive', UNPACK, (b) => at(0, 'BZh')(b) && at(4, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59)(b)),
  kind('a tar archive', UNPACK, at(257, 'ustar')),
  // Programs and databases.
  kind('a program (ELF executable)', GIVE_SCRIPT, at(0, 0x7f, 'ELF')),
  kind('a Windows program', GIVE_SCRIPT, (b) => at(0, 'MZ')(b) && b.length >= 64 && b.subarray(2, 64).includes(0)),
  kind('a macOS program', GIVE_SCRIPT, (b) => [0xfe, 0xca, 0xcf, 0xce].includes(b[0]) && at(1, 0xed, 0xfa)(b)),
  kind('a WebAssembly module', GIVE_SCRIPT, at(0, 0, 'asm')),
  kind('an SQLite database', GIVE_SCRIPT, at(0, 'SQLite format 3', 0)),
];

/** The known kind the bytes start like, or undefined. */
export function findSignature(bytes: Uint8Array): Signature | undefined {
  return SIGNATURES.find((signature) => signature.matches(bytes));
}

/** What a matched file seems to be and what to do, refined where the first bytes tell more (a ZIP that is a Word document). */
export function describeSignature(signature: Signature, bytes: Uint8Array): { what: string; advice: string } {
  if (signature.what === 'a ZIP archive') {
    // The first entry's name (and an OpenDocument's or EPUB's stored "mimetype") follows the 30-byte local header.
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
    if (head.includes('mimetypeapplication/epub+zip')) return { what: 'an EPUB e-book', advice: EXPORT_TEXT };
    if (head.includes('mimetypeapplication/vnd.oasis.opendocument'))
      return { what: 'an OpenDocument file (.odt)', advice: EXPORT_TEXT };
    if (/\[Content_Types\]\.xml|word\/|xl\/|ppt\//.test(head))
      return { what: 'a Microsoft Office document (.docx, .xlsx or .pptx)', advice: EXPORT_TEXT };
  }
  return { what: signature.what, advice: signature.advice };
}
