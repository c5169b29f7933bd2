// GitHub alerts (`> [!WARNING]`) and Obsidian callouts (`> [!tip]- Title`): a quote that starts with `[!type]`. Both
// previews show the type as a word with an icon, not the brackets; a listener hears that word once, in the
// document's language where we know it, then the callout's own title as a sentence.

/** The `[!type]` marker, an optional fold sign (`+`/`-`, Obsidian), then the title up to the end of the line. */
const MARKER = /^\[!([A-Za-z][\w-]*)\]([+-]?)[ \t]*/;

/** Obsidian's other names for its callout types, and GitHub's five. */
const KIND_OF: Readonly<Record<string, string>> = {
  summary: 'abstract',
  tldr: 'abstract',
  hint: 'tip',
  check: 'success',
  done: 'success',
  help: 'question',
  faq: 'question',
  attention: 'warning',
  fail: 'failure',
  missing: 'failure',
  error: 'danger',
  cite: 'quote',
};

type Kind =
  | 'note'
  | 'abstract'
  | 'info'
  | 'todo'
  | 'tip'
  | 'important'
  | 'success'
  | 'question'
  | 'warning'
  | 'caution'
  | 'failure'
  | 'danger'
  | 'bug'
  | 'example'
  | 'quote';

// English speaks the type as the preview writes it (`[!error]` is "Error"); these read badly letter by letter.
const ENGLISH_SPELLINGS: Readonly<Record<string, string>> = { tldr: 'TL;DR', faq: 'FAQ', todo: 'To-do' };

/** The word for each kind, per language (ISO 639-1); GitHub's documentation in that language where it has one. */
const LABELS: Readonly<Record<string, Readonly<Record<Kind, string>>>> = {
  ko: {
    note: '참고',
    abstract: '요약',
    info: '정보',
    todo: '할 일',
    tip: '팁',
    important: '중요',
    success: '성공',
    question: '질문',
    warning: '경고',
    caution: '주의',
    failure: '실패',
    danger: '위험',
    bug: '버그',
    example: '예시',
    quote: '인용',
  },
  ja: {
    note: 'メモ',
    abstract: '要約',
    info: '情報',
    todo: 'ToDo',
    tip: 'ヒント',
    important: '重要',
    success: '成功',
    question: '質問',
    warning: '警告',
    caution: '注意',
    failure: '失敗',
    danger: '危険',
    bug: 'バグ',
    example: '例',
    quote: '引用',
  },
  zh: {
    note: '备注',
    abstract: '摘要',
    info: '信息',
    todo: '待办',
    tip: '提示',
    important: '重要',
    success: '成功',
    question: '问题',
    warning: '警告',
    caution: '小心',
    failure: '失败',
    danger: '危险',
    bug: '缺陷',
    example: '示例',
    quote: '引用',
  },
  de: {
    note: 'Hinweis',
    abstract: 'Zusammenfassung',
    info: 'Info',
    todo: 'Aufgabe',
    tip: 'Tipp',
    important: 'Wichtig',
    success: 'Erfolg',
    question: 'Frage',
    warning: 'Warnung',
    caution: 'Vorsicht',
    failure: 'Fehlschlag',
    danger: 'Gefahr',
    bug: 'Fehler',
    example: 'Beispiel',
    quote: 'Zitat',
  },
  fr: {
    note: 'Remarque',
    abstract: 'Résumé',
    info: 'Info',
    todo: 'À faire',
    tip: 'Astuce',
    important: 'Important',
    success: 'Succès',
    question: 'Question',
    warning: 'Avertissement',
    caution: 'Attention',
    failure: 'Échec',
    danger: 'Danger',
    bug: 'Bogue',
    example: 'Exemple',
    quote: 'Citation',
  },
  es: {
    note: 'Nota',
    abstract: 'Resumen',
    info: 'Información',
    todo: 'Pendiente',
    tip: 'Consejo',
    important: 'Importante',
    success: 'Éxito',
    question: 'Pregunta',
    warning: 'Advertencia',
    caution: 'Precaución',
    failure: 'Fallo',
    danger: 'Peligro',
    bug: 'Error',
    example: 'Ejemplo',
    quote: 'Cita',
  },
};

/** Languages that write a full-width colon after a label, and no space between sentences. */
const UNSPACED = new Set(['zh', 'ja']);

export interface AlertMarker {
  /** The spoken word for the alert's type. */
  label: string;
  /** Between the label and a title: ': ' or '：'. */
  colon: string;
  /** Between the label's sentence and the next: ' ', or nothing in Chinese and Japanese. */
  space: string;
  /** Length (UTF-16) of `[!type]` with its fold sign and the spaces after it. */
  length: number;
}

/**
 * The alert marker at the start of a quote's first line (`[!WARNING]`, `[!tip]-`), spoken in the given language
 * (a BCP 47 tag such as `ko` or `en-GB`; unknown or absent: English, which also speaks unknown types as written).
 */
export function alertMarker(firstLine: string, language: string | undefined): AlertMarker | undefined {
  const marker = MARKER.exec(firstLine);
  if (!marker) return undefined;
  const written = marker[1];
  const lower = written.toLowerCase();
  const kind = (KIND_OF[lower] ?? lower) as Kind;
  const primary = (language ?? 'en').toLowerCase().split(/[-_]/)[0];
  const translated = Object.hasOwn(LABELS, primary) ? LABELS[primary][kind] : undefined;
  const label = translated ?? ENGLISH_SPELLINGS[lower] ?? written.charAt(0).toUpperCase() + lower.slice(1);
  const unspaced = UNSPACED.has(primary);
  return { label, colon: unspaced ? '：' : ': ', space: unspaced ? '' : ' ', length: marker[0].length };
}

/** True when a callout's title only repeats its type ("> [!note] Note"): the label alone says it. */
export function titleRepeatsLabel(title: string, label: string, firstLine: string): boolean {
  const normalized = title.trim().toLowerCase();
  const written = MARKER.exec(firstLine)?.[1].toLowerCase();
  return normalized === label.toLowerCase() || normalized === written;
}
