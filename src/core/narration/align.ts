// Finds, for each code unit of a parsed value (a text node, inline code, alt text), the source offset it came from.
// The parser drops markers, backslash escapes, container prefixes ('> ', list indentation) and decodes character
// references, so a value is a near-subsequence of its source range: a greedy forward match recovers the mapping.

const CHARACTER_REFERENCE = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/y;
const WHITESPACE = /\s/;
/** How far ahead to look for a character the parser moved (prefixes and markers are short). */
const MAX_LOOKAHEAD = 256;

function isWhitespace(char: string | undefined): boolean {
  return char !== undefined && WHITESPACE.test(char);
}

/** Same character, treating any whitespace as equal (the parser turns line endings in code spans into spaces). */
function matches(sourceChar: string | undefined, valueChar: string): boolean {
  return sourceChar === valueChar || (isWhitespace(valueChar) && isWhitespace(sourceChar));
}

/**
 * Source offsets for each UTF-16 code unit of value, which the parser produced from source[start, end).
 * Offsets never decrease; a character that cannot be found (a decoded reference) maps to where it was produced.
 */
export function alignToSource(value: string, source: string, start: number, end: number): number[] {
  const offsets: number[] = new Array<number>(value.length);
  let cursor = start;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (cursor >= end) {
      offsets[i] = Math.max(start, end - 1);
      continue;
    }
    if (matches(source[cursor], char)) {
      offsets[i] = cursor++;
      continue;
    }
    if (source[cursor] === '\\' && source[cursor + 1] === char) {
      offsets[i] = cursor + 1;
      cursor += 2;
      continue;
    }
    CHARACTER_REFERENCE.lastIndex = cursor;
    const reference = CHARACTER_REFERENCE.exec(source);
    if (reference !== null && reference.index === cursor && reference.index + reference[0].length <= end) {
      // A decoded reference (`&copy;` → ©): the following code units of the same reference map here too.
      offsets[i] = cursor;
      cursor += reference[0].length;
      while (i + 1 < value.length && !matches(source[cursor], value[i + 1]) && isLowSurrogate(value, i + 1)) {
        i++;
        offsets[i] = offsets[i - 1];
      }
      continue;
    }
    const found = findAhead(source, cursor, end, char);
    if (found >= 0) {
      offsets[i] = found;
      cursor = found + 1;
    } else {
      offsets[i] = cursor;
    }
  }
  return offsets;
}

function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

function findAhead(source: string, from: number, end: number, char: string): number {
  const limit = Math.min(end, from + MAX_LOOKAHEAD);
  for (let k = from; k < limit; k++) {
    if (matches(source[k], char)) return k;
  }
  return -1;
}
