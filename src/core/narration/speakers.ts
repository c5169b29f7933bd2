// Which line labels name speakers. A label is read as a speaker's name (and not spoken) when the script or the writer
// says so: it is cast to a voice or declared in the front matter's `speakers:`; it is a narrator's label (`Narrator`,
// `VO`, `旁白`, `내레이션`, `ナレーション`); it is a role (`Host`, `Guest 2`, `host1`, `Speaker 1`, `Interviewer`);
// it is a screenplay cue in capitals with an extension (`DISPATCH (radio)`, `JANE (V.O.)`); it opens two or more
// paragraphs and stands alone on its line at least once, as a character's cue above the lines (`**Jerod Santo:**`);
// or the script is a dialogue: at least two labels of one form (bold, capitals, numbered) each open two or more
// paragraphs outside lists, and then every label of that form is a speaker. Anything else stays prose: "Remember this:", "MORE IMPORTANTLY:"
// once in a monologue, "**Net Improvement:**" in a list of results. Production labels are never speakers.
import type { LabelForm, LineLabel } from './lineLabels';
import { normalizeLabel } from './productionLabels';

/** Words for the narrator (a voice-over), in the languages of the corpus and their neighbours. */
const NARRATOR_WORDS =
  'narrator|narration|voice[- ]?over|vo|v\\.o\\.|' +
  'narrador|narradora|narración|narração|narrateur|narratrice|voix off|erzähler|erzählerin|sprecher|sprecherin|' +
  '旁白|解说|解說|画外音|畫外音|配音|내레이션|나레이션|해설|ナレーション|ナレーター|語り';
const NARRATOR = new RegExp(`^(?:${NARRATOR_WORDS})$`, 'iu');

/** Roles that speak in podcasts, interviews, lessons and ads, optionally numbered (`Host 2`, `guest1`). */
const ROLE = new RegExp(
  '^(?:speaker|host|co-?host|guest|narrator|presenter|anchor|reporter|correspondent|interviewer|interviewee|' +
    'moderator|panelist|panellist|caller|announcer|student|teacher|instructor|learner|customer|agent|expert|' +
    'participant)(?:[ -]?\\d{1,3})?$',
  'iu',
);

/** The key two spellings of a speaker share: `JEROD SANTO` and `Jerod  Santo` are one speaker. */
export function speakerKey(name: string): string {
  return normalizeLabel(name);
}

/** True for a narrator's label: `Narrator`, `VO`, `Voice-over`, `旁白`, `내레이션`, `ナレーション`, `Narración`. */
export function isNarratorName(name: string): boolean {
  return NARRATOR.test(normalizeLabel(name));
}

/** The alternation of narrator words, for narration headings and table columns (speakMode.ts). */
export const NARRATOR_WORDS_PATTERN = NARRATOR_WORDS;

/** One use of a label in the script. */
export interface LabelUse {
  label: LineLabel;
  /** In a list item: a list's `**Engagement:** High` lines are data, not a dialogue. */
  inList: boolean;
  /** A production label (never a speaker). */
  production: boolean;
  /** Nothing follows the label on its line. */
  alone: boolean;
}

/** Names the writer made speakers: cast to a voice (any source) or declared in `speakers:`, by speakerKey. */
export interface KnownSpeakers {
  has(key: string): boolean;
}

/** Decides, for the whole script, which labels name speakers (see the file's comment for the rules). */
export class SpeakerEvidence {
  private readonly dialogueForms = new Set<LabelForm>();
  /** Labels (form and key) that recur and stand alone on their line at least once. */
  private readonly cues = new Set<string>();

  constructor(
    uses: readonly LabelUse[],
    private readonly known: KnownSpeakers,
  ) {
    const counts = new Map<string, { form: LabelForm; count: number; alone: boolean }>();
    for (const use of uses) {
      if (use.production || use.inList) continue;
      const key = formKey(use.label);
      const entry = counts.get(key) ?? { form: use.label.form, count: 0, alone: false };
      entry.count++;
      entry.alone ||= use.alone;
      counts.set(key, entry);
    }
    for (const [key, { form, count, alone }] of counts) if (count >= 2 && alone && form !== 'plain') this.cues.add(key);
    const recurringPerForm = new Map<LabelForm, number>();
    for (const { form, count } of counts.values())
      if (count >= 2) recurringPerForm.set(form, (recurringPerForm.get(form) ?? 0) + 1);
    for (const [form, recurring] of recurringPerForm)
      if (recurring >= 2 && form !== 'plain') this.dialogueForms.add(form);
  }

  /** True when a (non-production) label names a speaker. */
  isSpeaker(label: LineLabel): boolean {
    const name = label.name;
    if (this.known.has(speakerKey(name)) || this.known.has(speakerKey(label.text))) return true;
    if (isNarratorName(name) || ROLE.test(normalizeLabel(name))) return true;
    if (label.form === 'capitals' && label.extension !== undefined) return true;
    return this.cues.has(formKey(label)) || this.dialogueForms.has(label.form);
  }
}

function formKey(label: LineLabel): string {
  return `${label.form}\u0000${speakerKey(label.name)}`;
}
