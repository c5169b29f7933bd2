// Plain text (a .txt script, or a selection outside markdown): paragraphs at blank lines, nothing else interpreted.
import { SpokenText } from './spokenText';
import type { NarrationBlock } from './types';

const LINE = /[^\r\n]*(?:\r\n|\r|\n|$)/g;

/** One paragraph block per run of non-blank lines, whitespace collapsed, all in section 0. */
export function plainTextBlocks(text: string): NarrationBlock[] {
  const blocks: NarrationBlock[] = [];
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
        text: spoken.text,
        sourceStart: paragraphStart,
        sourceEnd: paragraphEnd,
        sectionIndex: 0,
        sourceOffsets: Int32Array.from(spoken.offsets),
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
