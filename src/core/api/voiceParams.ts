// The voice a text is spoken in: every parameter of a speech request besides the text itself. It is made once (from
// the settings in the extension, from flags in the command-line tool), travels on each chunk, is sent as it is, and
// is hashed whole into the cache key, so a new field reaches the request and the cache without anyone remembering to.

import { InputError } from '../errors';

/**
 * The voice parameters of one speech request, named as the API names them in the JSON body of
 * `POST /api/odin/v3/simple/audio` (see the vendor's "Export AI Audio"). A field added later should be optional
 * (absent: the server's default), so that every place that makes a voice keeps compiling and keeps its cache.
 */
export interface VoiceParams {
  /** The voice model id, e.g. `M000045058`. */
  readonly model: string;
  /** The language of the text, an ISO 639-1 code such as `en`, `ko`, `ja` or `zh`; the text must be in the model's language. */
  readonly language: string;
}

const LANGUAGE_CODE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/;
/** The fields every log line names first, in this order; any others follow sorted by name. */
const LEADING_FIELDS = ['model', 'language'];

/**
 * The voice checked and trimmed, ready to send; every other field is passed through unchanged.
 * Throws InputError for an empty or malformed model id or language code, before any request is made.
 */
export function checkVoiceParams(voice: VoiceParams): VoiceParams {
  const { model, language } = voice ?? ({} as Partial<VoiceParams>);
  if (typeof model !== 'string' || model.trim() === '' || model.length > 200 || /[\s\u0000-\u001f]/.test(model.trim()))
    throw new InputError('The voice model id is empty or invalid.');
  if (typeof language !== 'string' || !LANGUAGE_CODE.test(language.trim()))
    throw new InputError('The language must be a language code such as "en", "ko", "ja" or "zh".');
  return { ...voice, model: model.trim(), language: language.trim() };
}

/**
 * A canonical copy of the voice for hashing: keys sorted at every depth and undefined fields left out (as in the
 * JSON sent), so equal voices encode alike whatever order their fields were set in, and a new field always counts.
 */
export function canonicalVoiceParams(voice: VoiceParams): Record<string, unknown> {
  return canonical(voice) as Record<string, unknown>;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) sorted[key] = canonical(field);
  }
  return sorted;
}

/** `model=M000045058 language=en`, then any further fields by name: for log lines (a voice holds no secret). */
export function formatVoiceParams(voice: VoiceParams): string {
  const fields = canonicalVoiceParams(voice);
  const names = [
    ...LEADING_FIELDS.filter((name) => name in fields),
    ...Object.keys(fields).filter((name) => !LEADING_FIELDS.includes(name)),
  ];
  return names.map((name) => `${name}=${JSON.stringify(fields[name]).replace(/^"(.*)"$/, '$1')}`).join(' ');
}
