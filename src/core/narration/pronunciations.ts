// Pronunciations: whole words replaced before sending (`SQL` → `sequel`, `GIF` → `jif`, `Nginx` → `engine x`), the
// way a pronunciation lexicon (W3C PLS) or a VO script's phonetic notes work. From the front matter's
// `pronunciations:`, the `aistudios.pronunciations` setting and the CLI's `--lexicon FILE` (a JSON object); the more
// specific source wins a word both define. Matching is case-sensitive and whole-word: `SQL` is not replaced inside
// `SQLite` or `MySQL`; for words in Chinese or Japanese, which have no spaces, a word is replaced wherever it occurs.
import { SpokenText } from './spokenText';

/** Written word → what the voice should read. */
export type Lexicon = Readonly<Record<string, string>>;

/** One replacement made, for the preview. */
export interface PronunciationUse {
  word: string;
  said: string;
  /** Source offset of the word replaced. */
  sourceStart: number;
}

const WORD_CHARACTER = /[\p{L}\p{N}_]/u;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * Reads a lexicon written by a person: an object of non-empty strings. Other entries are reported in `problems`.
 */
export function readLexicon(value: unknown, where: string): { lexicon: Lexicon; problems: string[] } {
  const lexicon: Record<string, string> = {};
  const problems: string[] = [];
  if (value === undefined || value === null) return { lexicon, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}: pronunciations must map words to what is said.`);
    return { lexicon, problems };
  }
  for (const [word, said] of Object.entries(value as Record<string, unknown>)) {
    if (word.trim() && typeof said === 'string' && said.trim()) lexicon[word.trim()] = said.trim();
    else problems.push(`${where}: the pronunciation of “${word}” is not a word to say.`);
  }
  return { lexicon, problems };
}

/** Applies a lexicon to spoken text, many times; built once per lexicon. */
export class Pronouncer {
  private readonly pattern: RegExp | undefined;

  constructor(private readonly lexicon: Lexicon) {
    const words = Object.keys(lexicon).sort((a, b) => b.length - a.length);
    this.pattern = words.length > 0 ? new RegExp(words.map(escapeRegExp).join('|'), 'gu') : undefined;
  }

  get isEmpty(): boolean {
    return this.pattern === undefined;
  }

  /**
   * The text with every whole-word occurrence replaced; each replacement's characters map to the source offsets of the
   * word it replaces (the extra ones to its last character), so lines and follow-along stay right.
   */
  apply(spoken: SpokenText, uses?: PronunciationUse[]): SpokenText {
    if (!this.pattern) return spoken;
    const pieces: SpokenText[] = [];
    let cursor = 0;
    this.pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = this.pattern.exec(spoken.text)) !== null) {
      const word = match[0];
      const start = match.index;
      const end = start + word.length;
      if (!isWholeWord(spoken.text, start, end, word)) {
        this.pattern.lastIndex = start + 1;
        continue;
      }
      const said = this.lexicon[word];
      const offsets = Array.from(said, (_, i) => spoken.offsets[Math.min(start + i, end - 1)]);
      pieces.push(spoken.slice(cursor, start), SpokenText.of(said, offsets));
      uses?.push({ word, said, sourceStart: spoken.offsets[start] });
      cursor = end;
    }
    if (pieces.length === 0) return spoken;
    pieces.push(spoken.slice(cursor));
    return SpokenText.join(pieces, '');
  }
}

/** A word of a spaced script must not continue a longer word on either side; an unspaced one may. */
function isWholeWord(text: string, start: number, end: number, word: string): boolean {
  const before = start > 0 ? text[start - 1] : '';
  const after = end < text.length ? text[end] : '';
  const firstUnspaced = UNSPACED.test(word[0]);
  const lastUnspaced = UNSPACED.test(word[word.length - 1]);
  if (!firstUnspaced && before && WORD_CHARACTER.test(before) && WORD_CHARACTER.test(word[0])) return false;
  if (!lastUnspaced && after && WORD_CHARACTER.test(after) && WORD_CHARACTER.test(word[word.length - 1])) return false;
  return true;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
