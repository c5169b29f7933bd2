// A bare URL read aloud letter by letter is noise; its host name is what a listener can use.

const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+$/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The [start, end) of the host name inside a bare URL (without a leading "www."), or undefined if text is not a URL. */
export function hostSpanOfUrl(text: string): { start: number; end: number } | undefined {
  if (!URL_LIKE.test(text)) return undefined;
  let start = SCHEME.exec(text)?.[0].length ?? 0;
  const authorityLength = text.slice(start).search(/[/?#]/);
  let end = authorityLength < 0 ? text.length : start + authorityLength;
  const userInfoEnd = text.lastIndexOf('@', end - 1);
  if (userInfoEnd >= start) start = userInfoEnd + 1;
  const port = text.indexOf(':', start);
  if (port >= 0 && port < end) end = port;
  if (text.slice(start, start + 4).toLowerCase() === 'www.' && end - start > 4) start += 4;
  return end > start ? { start, end } : undefined;
}
