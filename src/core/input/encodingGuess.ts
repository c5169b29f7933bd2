// Which legacy encoding a script that is not UTF-8 is probably in, so the advice to convert it names the right one
// (Windows-1252 for a French script, GB18030, EUC-KR or Shift_JIS for Chinese, Korean or Japanese ones). chardet, a
// maintained statistical detector, does this far better than a table of our own; only the CLI needs it (the editor
// decodes with the user's own encoding settings), so it is kept apart from the input check itself.

import { analyse } from 'chardet';

/** How much of a refused input chardet looks at (bytes). */
const GUESS_SAMPLE_BYTES = 64 * 1024;
/** chardet's confidence (0–100) from which its guess is named. */
const GUESS_CONFIDENCE = 50;

/** The likely legacy encoding of bytes that are not UTF-8, in the name iconv knows it by; undefined when unsure. */
export function guessLegacyEncoding(bytes: Uint8Array): string | undefined {
  const best = analyse(bytes.subarray(0, GUESS_SAMPLE_BYTES)).find(
    (match) => !/^UTF-/i.test(match.name) && match.name !== 'ASCII',
  );
  return best && best.confidence >= GUESS_CONFIDENCE ? best.name.toUpperCase() : undefined;
}
