// A unit of a script as the syntax walk sees it: a paragraph, heading, list item, quoted paragraph or table, with its
// spoken text (markup gone, every character mapped to the source) and where it sits (quoted? in a list? under which
// heading?). The script's reading (scriptReading.ts) turns units into narration blocks: it finds labels, cues and
// pauses in them, follows speakers' turns and keeps only the narration.
import type { SpokenText } from './spokenText';
import type { BlockKind } from './types';
import type { SourceRange } from './writerNotes';

export type { SourceRange };

export interface ScriptUnit {
  kind: BlockKind;
  spoken: SpokenText;
  /** UTF-16 offsets in the source document, [sourceStart, sourceEnd). */
  sourceStart: number;
  sourceEnd: number;
  sectionIndex: number;
  sectionTitle?: string;
  /** Inside a block quote, at any depth. */
  quoted: boolean;
  /** Inside a list item, at any depth. */
  inList: boolean;
  /**
   * Ids of the list items and block quotes around the unit, outermost first: a speaker's turn begun inside one ends
   * with it (`- **내레이션**:` then its quote is one turn; the next item is not part of it).
   */
  containers: readonly number[];
  /** A thematic break (`---`) comes before the unit: a scene break, which ends a speaker's turn. */
  afterBreak?: boolean;
  /** Headings: the depth, and whether headings are spoken at all (`markdown.speakHeadings`). */
  heading?: { depth: number; spoken: boolean };
  /** Tables: every row's cells, the header row first, and whether whole rows are spoken (`markdown.speakTables`). */
  table?: { rows: SpokenText[][]; speakRows: boolean };
}

/** What the syntax walk hands to the reading: the units, and facts of the source the rules need. */
export interface ScriptParts {
  units: ScriptUnit[];
  /** Source ranges in italics (`*…*`, `_…_`), sorted: an italic-only line is a direction. */
  italics: SourceRange[];
  /** The YAML of the front matter, when there is one. */
  frontMatter?: string;
}
