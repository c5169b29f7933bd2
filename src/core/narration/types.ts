// The shapes shared by the narration converter and the chunker (re-exported by ../narration).

/** How markdown constructs are spoken. */
export interface NarrationOptions {
  skipCodeBlocks: boolean;
  speakHeadings: boolean;
  speakImageAlt: boolean;
  speakTables: boolean;
  /**
   * The document's language (BCP 47, e.g. `en`, `ko-KR`): the words we add (an alert's type) are in it, and the
   * chunker splits sentences by its rules. Absent: unknown (English words, language-neutral sentence rules).
   */
  language?: string;
}

export const DEFAULT_NARRATION_OPTIONS: NarrationOptions = Object.freeze({
  skipCodeBlocks: true,
  speakHeadings: true,
  speakImageAlt: false,
  speakTables: false,
});

export type BlockKind = 'heading' | 'paragraph' | 'listItem' | 'blockquote' | 'table' | 'code';

export interface NarrationBlock {
  kind: BlockKind;
  /** The spoken text of this block (no leading/trailing whitespace, never empty). */
  text: string;
  /** UTF-16 offsets in the source document, [sourceStart, sourceEnd). */
  sourceStart: number;
  sourceEnd: number;
  /** 0 before the first top-level heading; increments at each top-level heading. */
  sectionIndex: number;
  /** The plain text of the heading that started the section. */
  sectionTitle?: string;
  /** True for headings: a pause follows. */
  pauseAfterHeading?: boolean;
  /** Per-character map back to the source: for each UTF-16 index i of text, the source offset it came from. */
  sourceOffsets: Int32Array | number[];
}

/** Why a part of the script is not spoken. */
export type SilenceReason =
  | 'front matter'
  | 'code block'
  | 'indented code'
  | 'math'
  | 'table'
  | 'comment'
  | 'note line'
  | 'footnote'
  | 'link definition'
  | 'image'
  | 'embed'
  | 'HTML markup';

/** A part of the script left silent, and why: the preview shows it, so no line goes quiet unnoticed. */
export interface Silence {
  /** UTF-16 offsets in the source document, [sourceStart, sourceEnd). */
  sourceStart: number;
  sourceEnd: number;
  reason: SilenceReason;
}

export interface Narration {
  blocks: NarrationBlock[];
  /** What the script has that is not spoken, in source order; absent when everything is. */
  silences?: Silence[];
  /** The document's language, when known (see NarrationOptions.language). */
  language?: string;
  /** Blocks joined: headings end with a sentence break, blocks separated by '\n\n'. */
  text: string;
}

/** The separator between blocks in Narration.text. */
export const BLOCK_SEPARATOR = '\n\n';
