// The shapes shared by the narration converter and the chunker (re-exported by ../narration).
import type { CastSource, SpeakerCast, VoiceChoice } from './casting';
import type { ScriptDirectives } from './frontMatter';
import type { PauseLengths } from './pauseCues';
import type { Lexicon, PronunciationUse } from './pronunciations';
import type { ChosenSpeakMode, ModeReason, SpeakMode } from './speakMode';

/** How markdown constructs are spoken, and how the script is read (see scriptReading.ts). */
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
  /** What is spoken (`aistudios.script.speak`); the front matter's `speak:` wins. Absent: `auto`. */
  speak?: SpeakMode;
  /**
   * Speakers cast to voices (`aistudios.voices`): a model id or `{ model, language }` per name; the front matter's
   * `voices:` wins for a speaker both cast.
   */
  voices?: Readonly<Record<string, string | VoiceChoice>>;
  /** Words replaced before sending (`aistudios.pronunciations`); the front matter's win. */
  pronunciations?: Lexicon;
  /** Labels that make a line a production note (`aistudios.script.productionLabels`). Absent: the default list. */
  productionLabels?: readonly string[];
  /** Lengths of `[beat]`, `[pause]`, `[long pause]` in ms (`aistudios.script.*Milliseconds`). */
  pauseLengths?: PauseLengths;
  /** The command line's `--speak`, `--voice` and `--lexicon`, which win over the front matter. */
  overrides?: ScriptDirectives;
  /**
   * For a part of a document (a selection): the whole document's front matter directives, which the part does not
   * contain, and the speaker whose turn the part begins in.
   */
  context?: { directives?: ScriptDirectives; speaker?: string };
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
  /** Who speaks the block (a speaker label's name), when the script says. */
  speaker?: string;
  /** Timed silences inside the block, in order: each before the character at `at` (0 … text.length). */
  pauses?: BlockPause[];
  /** Per-character map back to the source: for each UTF-16 index i of text, the source offset it came from. */
  sourceOffsets: Int32Array | number[];
}

/** A timed silence the script asks for with a pause mark (`[0.5s]`, `[beat]`, `[long pause]`). */
export interface Pause {
  /** The silence, in milliseconds. */
  ms: number;
  /** UTF-16 offsets of the mark in the source document, [sourceStart, sourceEnd). */
  sourceStart: number;
  sourceEnd: number;
}

/** A pause inside a block, before the character at `at` of its text (0: before the block; text.length: after it). */
export interface BlockPause extends Pause {
  at: number;
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
  | 'HTML markup'
  /** `**Visual:**`, `**SFX:**`, `**Energy: 8/10 | Pace: Dynamic**`, `**画面**:` (detail: the label). */
  | 'production label'
  /** A leading block of `**Label:** value` lines (version, date, voice…). */
  | 'metadata'
  /** `[SFX: …]`, `[SCENE START]`, `(slide: team photo)`, a line that is only a parenthetical or in italics. */
  | 'stage direction'
  /** `[laughs]`, `[whispering]`, `(quietly)` at a line's start, `*(whispered)*`. */
  | 'delivery cue'
  /** `[0:00-0:15]`, `(0:30 - 1:15)`, `\[06:11\]`. */
  | 'timecode'
  /** Not part of the narration in the chosen mode (detail: the mode). */
  | 'outside the narration';

/** A part of the script left silent, and why: the preview shows it, so no line goes quiet unnoticed. */
export interface Silence {
  /** UTF-16 offsets in the source document, [sourceStart, sourceEnd). */
  sourceStart: number;
  sourceEnd: number;
  reason: SilenceReason;
  /** What the reason applies to, when it helps: the label (`Energy`), the cue (`[laughs]`). */
  detail?: string;
}

/** How a script was read: what is spoken and why, who speaks in which voice, which words are said otherwise. */
export interface ScriptReading {
  mode: ChosenSpeakMode;
  /** In English words: "speaking only block quotes: 45 of 47 narrated paragraphs are quoted". */
  why: string;
  /** The same, as data, for words in other languages. */
  reason: ModeReason;
  /** `auto`, or where the mode was set. */
  setBy: 'auto' | CastSource;
  /** The speakers of the spoken narration, in order of appearance, with their voices. */
  speakers: SpeakerCast[];
  /** Every replacement made by a pronunciation, in order. */
  pronunciations: PronunciationUse[];
  /** What could not be read (an unreadable front matter, a voice that is not a model id), in words. */
  problems: string[];
}

export interface Narration {
  blocks: NarrationBlock[];
  /** What the script has that is not spoken, in source order; absent when everything is. */
  silences?: Silence[];
  /** The document's language, when known (see NarrationOptions.language). */
  language?: string;
  /** Pauses after the last block (a mark at the very end). */
  endPauses?: Pause[];
  /** How the script was read; absent for a script with nothing in it. */
  reading?: ScriptReading;
  /** Blocks joined: headings end with a sentence break, blocks separated by '\n\n'. */
  text: string;
}

/** The separator between blocks in Narration.text. */
export const BLOCK_SEPARATOR = '\n\n';
