// Cues inside a line that are never spoken: bracketed stage directions (`[SFX: door creaks]`, `[MUSIC UP]`,
// `[SCENE START]`, `[B-ROLL]`, `[CUT TO …]`), delivery cues (`[laughs]`, `[whispering]`, `(quietly)` at the start of
// a line, `*(whispered)*`), timecodes (`[0:00-0:15]`, `(0:30 - 1:15)`, `\[06:11\]`), labelled parentheticals
// (`(slide: team photo)`) and pause marks (`[0.5s]`, `(beat)`), which become silence. Ordinary brackets and
// parentheses stay: a name in brackets (`[Frost Nova]`), an editor's `[Pause times]`, "(and it is a strong one)".
// The conventions: screenplay parentheticals and transitions, podcast transcripts' bracketed sounds and timestamps,
// the bracketed audio tags of speech engines (`[whispers]`, `[laughs]`), two-column A/V scripts' `[SFX: …]`.
import { pauseMarkMs, type PauseLengths } from './pauseCues';
import type { ProductionLabels } from './productionLabels';

export type CueKind = 'pause' | 'timecode' | 'stage direction' | 'delivery cue';

/** A cue found in a line of spoken text. */
export interface InlineCue {
  /** [start, end) in the text searched, brackets included. */
  start: number;
  end: number;
  kind: CueKind;
  /** The silence of a pause, in milliseconds. */
  pauseMs?: number;
}

export interface CueRules {
  pauseLengths: PauseLengths;
  productionLabels: ProductionLabels;
  /** Whether the text's character at this index is italic (inside `*…*` or `_…_` in the source). */
  italic(index: number): boolean;
  /** Whether this index is where a line's content begins (after any speaker label): a parenthetical there is a cue. */
  atLineStart(index: number): boolean;
}

/** `[…]`, `【…】`, `［…］`, `(…)`, `（…）` on one line, not nested. */
const GROUP =
  /\[([^[\]\r\n]{1,160})\]|【([^【】\r\n]{1,160})】|［([^［］\r\n]{1,160})］|[(（]([^()（）\r\n]{1,160})[)）]/g;
const TIME = String.raw`\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?`;
/** `0:30`, `06:11`, `1:02:03.5`, and ranges `0:00-0:15`, `0:30 – 1:15`. */
const TIMECODE = new RegExp(`^\\s*${TIME}(?:\\s*(?:-|–|—|~|to)\\s*${TIME})?\\s*$`, 'i');
/** `SFX: door creaks`, `Sound: rain`, `音效：开门声`: up to three words, then a colon. */
const LABELLED = /^\s*([^\s:：][^:：]{0,30}?)\s*(?::(?=\s)|：)\s*\S/u;
const HAS_LOWERCASE = /\p{Ll}/u;
const LETTERS = /\p{L}/gu;
const SENTENCE_END = /[.!?。！？]\s*\S|[!?！？]$/u;

/** The cues of a line of text, in order (the caller removes them, and times the pauses). */
export function inlineCues(text: string, rules: CueRules): InlineCue[] {
  const cues: InlineCue[] = [];
  GROUP.lastIndex = 0;
  let group: RegExpExecArray | null;
  while ((group = GROUP.exec(text)) !== null) {
    const start = group.index;
    const end = start + group[0].length;
    // `[[a b]]` is a wikilink's text, not a cue inside brackets.
    if (group[0][0] === '[' && (text[start - 1] === '[' || text[end] === ']')) continue;
    const cue =
      group[1] !== undefined || group[3] !== undefined
        ? bracketCue(group[1] ?? group[3], rules)
        : group[2] !== undefined
          ? (bracketCue(group[2], rules) ?? { kind: 'stage direction' as const })
          : parentheticalCue(group[4], start, end, rules);
    if (cue) cues.push({ start, end, ...cue });
  }
  return cues;
}

type Classified = Pick<InlineCue, 'kind' | 'pauseMs'> | undefined;

/** What a bracketed group is; undefined for brackets that are words (`[Frost Nova]`, `[x]`). */
export function bracketCue(content: string, rules: Pick<CueRules, 'pauseLengths' | 'productionLabels'>): Classified {
  const pauseMs = pauseMarkMs(content, rules.pauseLengths, true);
  if (pauseMs !== undefined) return { kind: 'pause', pauseMs };
  const inner = content.replace(/^[\s*_]+|[\s*_]+$/g, '');
  if (TIMECODE.test(inner)) return { kind: 'timecode' };
  if (LABELLED.test(inner) && wordsBeforeColon(inner) <= 3) return { kind: 'stage direction' };
  // The remaining rules read words: `[!NOTE]`, `[#3]`, `[…]` are not directions.
  if (!/^\p{L}/u.test(inner)) return undefined;
  const letters = inner.match(LETTERS)?.length ?? 0;
  // In capitals (`SCENE START`, `B-ROLL`, `CUT TO BLACK`), or opening with a production word (`Music fades in`).
  if (
    (letters >= 2 && !HAS_LOWERCASE.test(inner) && /\p{Lu}/u.test(inner)) ||
    rules.productionLabels.startsWithTerm(inner)
  )
    return { kind: 'stage direction' };
  // A delivery or sound cue is lower case and short: `laughs`, `whispering`, `phone ringing`, `sighs heavily`.
  if (isShortLowercase(inner, 6)) return { kind: 'delivery cue' };
  return undefined;
}

/** What a parenthetical is; most are prose and stay undefined. */
function parentheticalCue(content: string, start: number, end: number, rules: CueRules): Classified {
  const pauseMs = pauseMarkMs(content, rules.pauseLengths, false);
  if (pauseMs !== undefined) return { kind: 'pause', pauseMs };
  const inner = content.trim();
  if (TIMECODE.test(inner)) return { kind: 'timecode' };
  const labelled = LABELLED.exec(inner);
  if (labelled && rules.productionLabels.match(labelled[1]) !== undefined) return { kind: 'stage direction' };
  let italic = true;
  for (let i = start; i < end && italic; i++) italic = rules.italic(i);
  if (italic) return { kind: 'delivery cue' };
  if (rules.atLineStart(start) && isShortLowercase(inner, 4)) return { kind: 'delivery cue' };
  return undefined;
}

function wordsBeforeColon(text: string): number {
  return text.split(/[:：]/)[0].trim().split(/\s+/).length;
}

/** Lower-case first letter, at least two letters, at most `maxWords` words, no sentence inside. */
function isShortLowercase(text: string, maxWords: number): boolean {
  if (!/^\p{Ll}/u.test(text) || (text.match(LETTERS)?.length ?? 0) < 2) return false;
  return text.split(/\s+/).length <= maxWords && !SENTENCE_END.test(text);
}
