// Production labels: the words a script puts before what is for the crew, not the voice (`**Visual:**`, `**SFX:**`,
// `**Energy: 8/10 | Pace: Dynamic**`, `**画面**:`, `**화면**:`). A paragraph or line that begins with one is silent.
// The list is the setting `aistudios.script.productionLabels`; its default gathers the column and label names of
// two-column A/V scripts (Visual/Audio, B-roll, SFX, lower third, super), of the corpus's English, Chinese and Korean
// video scripts (画面, 字幕, BGM, 화면, 자막) and of delivery notes (Energy, Pace, Tone, Key emphasis), with the usual
// Japanese, Spanish, French and German equivalents.

/** The default of `aistudios.script.productionLabels`. */
export const DEFAULT_PRODUCTION_LABELS: readonly string[] = Object.freeze([
  // Picture
  'Visual',
  'Visuals',
  'Video',
  'Screen',
  'On screen',
  'On-screen text',
  'Scene',
  'Shot',
  'Camera',
  'B-roll',
  'Graphic',
  'Graphics',
  'GFX',
  'Lower third',
  'Title card',
  'Caption',
  'Captions',
  'Subtitle',
  'Subtitles',
  'Super',
  'Slide',
  'Animation',
  'Transition',
  'Cut',
  'Edit',
  'Action',
  'Location',
  'Setting',
  'Props',
  // Sound
  'SFX',
  'FX',
  'Sound',
  'Sound effect',
  'Music',
  'BGM',
  'Break',
  // Delivery and notes
  'Energy',
  'Pace',
  'Pacing',
  'Tone',
  'Mood',
  'Delivery',
  'Emphasis',
  'Key emphasis',
  'Direction',
  'Directions',
  'Stage direction',
  'Note',
  'Notes',
  'Cue',
  'Production note',
  "Director's note",
  'Duration',
  'Timing',
  'Timecode',
  // Chinese
  '画面',
  '镜头',
  '字幕',
  '背景音乐',
  '音乐',
  '音效',
  '动画',
  '转场',
  '场景',
  '特效',
  '备注',
  '时长',
  // Korean
  '화면',
  '자막',
  '배경음악',
  '음악',
  '효과음',
  '음향',
  '카메라',
  '장면',
  '전환',
  '연출',
  '참고',
  '메모',
  // Japanese
  '映像',
  'テロップ',
  '効果音',
  'SE',
  'カメラ',
  'シーン',
  '演出',
  '備考',
  // Spanish, French, German
  'Imagen',
  'Pantalla',
  'Música',
  'Sonido',
  'Efectos',
  'Cámara',
  'Escena',
  'Nota',
  'Rótulo',
  'Écran',
  'Musique',
  'Bruitage',
  'Caméra',
  'Bild',
  'Musik',
  'Geräusch',
  'Kamera',
  'Szene',
  'Einblendung',
  'Hinweis',
]);

/** Letters of scripts written without spaces between words: a label there may run on after the term ("画面切换"). */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** A label's comparable form: compatibility-normalized, lower case, single spaces, no closing colon. */
export function normalizeLabel(label: string): string {
  let normal = normalForms.get(label);
  if (normal === undefined) {
    normal = label
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[’‘`]/g, "'")
      .replace(/\s+/g, ' ')
      .replace(/[\s:：]+$/, '')
      .trim();
    if (normalForms.size >= MAX_NORMAL_FORMS) normalForms.clear();
    normalForms.set(label, normal);
  }
  return normal;
}

/**
 * Labels already normalized: a dialogue names its few speakers at every turn, and NFKC normalization is not cheap.
 * Bounded, since labels come from every script of a session.
 */
const normalForms = new Map<string, string>();
const MAX_NORMAL_FORMS = 2048;

/** Matches labels against a list of production labels (whole label, its first words, or a term it is built on). */
export class ProductionLabels {
  private readonly terms: Term[];
  /** Labels already matched: a script repeats its labels (every turn of a dialogue), so each is worked out once. */
  private readonly matched = new Map<string, string | undefined>();

  constructor(labels: readonly string[] = DEFAULT_PRODUCTION_LABELS) {
    this.terms = [...new Set(labels.map(normalizeLabel).filter((term) => term.length > 0))].map((text) => ({
      text,
      unspaced: UNSPACED.test(text),
      endsUnspaced: UNSPACED.test(text.slice(-1)),
    }));
  }

  /**
   * The production term a label is built on, or undefined: `Visual notes` and `Music cue` begin with one; `Energy: 8/10`
   * is one; in Chinese, Japanese and Korean, where words are not spaced, a label that begins or ends with a term
   * (`画面切换`, `字幕弹出`, `重点镜头`) is one too, as is, elsewhere, a label of up to four words whose last word is
   * one (`Producer note`, `Music cue`); a parenthetical naming one counts (`덧붙일 포인트(자막)`).
   */
  match(label: string): string | undefined {
    if (this.matched.has(label)) return this.matched.get(label);
    const found = this.find(label);
    if (this.matched.size >= MAX_REMEMBERED_LABELS) this.matched.clear();
    this.matched.set(label, found);
    return found;
  }

  /** True when the text begins with a production term followed by a word boundary: `Music fades in`, `SFX door`. */
  startsWithTerm(text: string): boolean {
    const normalized = normalizeLabel(text);
    return this.terms.some((term) => normalized.startsWith(term.text) && isBoundary(normalized, term));
  }

  private find(label: string): string | undefined {
    const normalized = normalizeLabel(label);
    const parts = [normalized, ...[...normalized.matchAll(/[(（]([^)）]*)[)）]/g)].map((m) => m[1].trim())];
    const bare = normalized.replace(/\s*[(（][^)）]*[)）]\s*/g, ' ').trim();
    parts.splice(1, 0, bare);
    for (const part of parts) {
      const words = part.split(' ').length;
      for (const term of this.terms) if (builtOn(part, words, term)) return term.text;
    }
    return undefined;
  }
}

/** A production term in its comparable form, with what the matching asks of it again and again. */
interface Term {
  text: string;
  /** Written in letters without spaces between words. */
  unspaced: boolean;
  /** Ends in such a letter. */
  endsUnspaced: boolean;
}

/** How many labels a ProductionLabels remembers (one script's are a handful; a very long one is not held whole). */
const MAX_REMEMBERED_LABELS = 1024;

function builtOn(label: string, words: number, term: Term): boolean {
  if (label === term.text) return true;
  if (label.startsWith(term.text) && isBoundary(label, term)) return true;
  if (term.unspaced) return label.endsWith(term.text) && label.length > term.text.length;
  // A note of someone or something: `Producer note`, `Director's notes`, `Music cue`.
  return words <= 4 && label.endsWith(` ${term.text}`);
}

/** After a term: the end, a separator or a number (`Scene 2`, `SFX-3`), or anything when the term is unspaced. */
function isBoundary(text: string, term: Term): boolean {
  const index = term.text.length;
  if (index >= text.length) return true;
  if (term.endsUnspaced) return true;
  return /[\s\-–—/|&,.(（\d]/.test(text[index]);
}
