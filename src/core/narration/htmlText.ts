// Raw HTML in a script is markup, not words: tags, comments, scripts and styles are dropped, the text between
// tags is kept (`<b>word</b>` is spoken as "word"). A writer's `Press <Enter>` is not markup, though CommonMark parses
// it as a tag: a bare `<Name>` that names no HTML element and is never closed is spoken as its name.
import { htmlTagNames } from 'html-tag-names';

const SILENT_HTML =
  /<!--[\s\S]*?(?:-->|$)|<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)|<\/?[A-Za-z][^>]*>|<![^>]*>|<\?[\s\S]*?(?:\?>|$)/gi;
const LINE_BREAK_TAG = /^<br\b/i;
/** An opening tag with nothing but a name: `<Enter>`, `<Tab>` (attributes or a slash make it markup). */
const BARE_TAG = /^<([A-Za-z][A-Za-z0-9]*)>$/;
const HTML_ELEMENTS = new Set(htmlTagNames);

/**
 * For each code unit of an HTML fragment, whether it is text to speak (false for tags, comments, scripts). A bare
 * tag-like word (`<Enter>`) keeps its name unless document (the whole script) closes it somewhere (`</Enter>`).
 */
export function spokenHtmlMask(html: string, document: string = html): boolean[] {
  const keep = new Array<boolean>(html.length).fill(true);
  SILENT_HTML.lastIndex = 0;
  let markup: RegExpExecArray | null;
  while ((markup = SILENT_HTML.exec(html)) !== null) {
    if (markup[0].length === 0) {
      SILENT_HTML.lastIndex++;
      continue;
    }
    const end = markup.index + markup[0].length;
    keep.fill(false, markup.index, end);
    if (isTagLikeWord(markup[0], document)) keep.fill(true, markup.index + 1, end - 1);
  }
  return keep;
}

/** `<Enter>` in "Press <Enter> to continue": a bare tag whose name is no HTML element, never closed in the document. */
function isTagLikeWord(tag: string, document: string): boolean {
  const name = BARE_TAG.exec(tag)?.[1].toLowerCase();
  return name !== undefined && !HTML_ELEMENTS.has(name) && !document.toLowerCase().includes(`</${name}`);
}

/** True for `<br>`, `<br/>`, `<br />`: a line break, heard as a space. */
export function isLineBreakTag(html: string): boolean {
  return LINE_BREAK_TAG.test(html.trim());
}
