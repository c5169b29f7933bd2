// Reading the text of an API answer as JSON, and cleaning strings the server sent before we show them.
// Every field of every answer is untrusted: these helpers never throw on odd input.

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isFilledString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** U+FEFF, what a UTF-8 byte order mark (EF BB BF) decodes to. */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Parses the text of an answer as JSON; undefined when it is empty or not JSON. One leading byte order mark is
 * removed first, as the WHATWG Fetch standard's `Response.json()` does (it decodes the body with "UTF-8 decode",
 * which strips a BOM, then parses), so an answer a browser accepts is accepted here too.
 */
export function parseJsonAnswer(text: string): unknown {
  const body = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Removes control and format (bidi, zero-width) characters and squeezes whitespace from text the server sent
 * before we show it; longer than maxLength characters (code points) → cut, with an ellipsis.
 */
export function cleanServerText(text: string, maxLength: number): string {
  const flat = text
    .replace(/\p{Cf}+/gu, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(flat);
  return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : flat;
}
