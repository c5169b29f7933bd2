// Raw HTML in a script is markup, not words: tags, comments, scripts and styles are dropped, the text between
// tags is kept (`<b>word</b>` is spoken as "word").

const SILENT_HTML =
  /<!--[\s\S]*?(?:-->|$)|<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)|<\/?[A-Za-z][^>]*>|<![^>]*>|<\?[\s\S]*?(?:\?>|$)/gi;
const LINE_BREAK_TAG = /^<br\b/i;

/** For each code unit of an HTML fragment, whether it is text to speak (false for tags, comments, scripts). */
export function spokenHtmlMask(html: string): boolean[] {
  const keep = new Array<boolean>(html.length).fill(true);
  SILENT_HTML.lastIndex = 0;
  let markup: RegExpExecArray | null;
  while ((markup = SILENT_HTML.exec(html)) !== null) {
    if (markup[0].length === 0) {
      SILENT_HTML.lastIndex++;
      continue;
    }
    keep.fill(false, markup.index, markup.index + markup[0].length);
  }
  return keep;
}

/** True for `<br>`, `<br/>`, `<br />`: a line break, heard as a space. */
export function isLineBreakTag(html: string): boolean {
  return LINE_BREAK_TAG.test(html.trim());
}
