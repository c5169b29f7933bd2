// Plain text (a .txt script, or a selection outside markdown): paragraphs at blank lines, no markup interpreted.
// The script's reading still applies (speaker labels, cues, pauses), as it does to markdown.
import type { ScriptUnit } from './scriptUnit';
import { SpokenText } from './spokenText';

const LINE = /[^\r\n]*(?:\r\n|\r|\n|$)/g;

/** One paragraph unit per run of non-blank lines, whitespace collapsed, all in section 0. */
export function plainTextUnits(text: string): ScriptUnit[] {
  const blocks: ScriptUnit[] = [];
  let paragraphStart = -1;
  let paragraphEnd = -1;
  const flush = () => {
    if (paragraphStart < 0) return;
    const raw = text.slice(paragraphStart, paragraphEnd);
    const spoken = SpokenText.of(
      raw,
      Array.from({ length: raw.length }, (_, i) => paragraphStart + i),
    ).collapseWhitespace();
    if (spoken.length > 0) {
      blocks.push({
        kind: 'paragraph',
        spoken,
        sourceStart: paragraphStart,
        sourceEnd: paragraphEnd,
        sectionIndex: 0,
        quoted: false,
        inList: false,
        containers: [],
      });
    }
    paragraphStart = -1;
  };
  LINE.lastIndex = 0;
  let line: RegExpExecArray | null;
  while ((line = LINE.exec(text)) !== null && line.index < text.length) {
    const content = line[0].replace(/[\r\n]+$/, '');
    if (content.trim() === '') {
      flush();
    } else {
      if (paragraphStart < 0) paragraphStart = line.index;
      paragraphEnd = line.index + content.length;
    }
    if (line[0].length === 0) break;
  }
  flush();
  return blocks;
}
