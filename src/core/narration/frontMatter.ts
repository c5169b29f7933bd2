// A script's YAML front matter, read for the directives a writer puts there (the rest, such as `title:`, is left
// alone and stays silent):
//
//   ---
//   speak: blockquotes            # all | blockquotes | sections | table-column | speakers | auto
//   speakers: { host1: Alex }     # who a label is (the podcast templates' form); a name may be cast in its place
//   voices:                       # speaker → model id, or { model, language }
//     Alex: M000045058
//     host2: { model: M000004017, language: ko }
//   pronunciations: { SQL: sequel, GIF: jif }
//   ---
//
// Parsed with the `yaml` package (YAML 1.2, core schema). Anything unreadable is reported as a problem and ignored.
import { parse } from 'yaml';
import { readVoiceCasting, type VoiceCasting } from './casting';
import { readLexicon, type Lexicon } from './pronunciations';
import { isSpeakMode, SPEAK_MODES, type SpeakMode } from './speakMode';

/** What a script (or the settings, or the command line) says about how to read it. */
export interface ScriptDirectives {
  speak?: SpeakMode;
  voices?: VoiceCasting;
  /** Label → name (`host1` → `Alex`): declared speakers. */
  speakers?: Readonly<Record<string, string>>;
  pronunciations?: Lexicon;
}

const WHERE = 'front matter';

/** The directives of a front matter block's YAML text, and what could not be read in it. */
export function readFrontMatter(yaml: string): { directives: ScriptDirectives; problems: string[] } {
  const directives: ScriptDirectives = {};
  const problems: string[] = [];
  let data: unknown;
  try {
    data = parse(yaml, { prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    problems.push(`${WHERE} could not be read as YAML (${firstLine(error)}); it is silent and ignored.`);
    return { directives, problems };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { directives, problems };
  const fields = data as Record<string, unknown>;
  if (fields.speak !== undefined) {
    const speak = typeof fields.speak === 'string' ? fields.speak.trim().toLowerCase() : '';
    if (isSpeakMode(speak)) directives.speak = speak;
    else problems.push(`${WHERE}: speak must be one of ${SPEAK_MODES.join(', ')}.`);
  }
  const voices = readVoiceCasting(fields.voices, WHERE);
  problems.push(...voices.problems);
  const declared = readSpeakers(fields.speakers, problems);
  // `speakers: { host1: { name: Alex, model: M… } }` also casts.
  const casting: Record<string, { model: string; language?: string }> = { ...declared.casting, ...voices.casting };
  if (Object.keys(casting).length > 0) directives.voices = casting;
  if (Object.keys(declared.names).length > 0) directives.speakers = declared.names;
  const lexicon = readLexicon(fields.pronunciations, WHERE);
  problems.push(...lexicon.problems);
  if (Object.keys(lexicon.lexicon).length > 0) directives.pronunciations = lexicon.lexicon;
  return { directives, problems };
}

/** `speakers:` as a map of label → name or { name, model, language }, or a list of labels. */
function readSpeakers(
  value: unknown,
  problems: string[],
): { names: Record<string, string>; casting: Record<string, { model: string; language?: string }> } {
  const names: Record<string, string> = {};
  const casting: Record<string, { model: string; language?: string }> = {};
  if (value === undefined || value === null) return { names, casting };
  if (Array.isArray(value)) {
    for (const label of value) if (typeof label === 'string' && label.trim()) names[label.trim()] = label.trim();
    return { names, casting };
  }
  if (typeof value !== 'object') {
    problems.push(`${WHERE}: speakers must map labels to names.`);
    return { names, casting };
  }
  for (const [label, entry] of Object.entries(value as Record<string, unknown>)) {
    const key = label.trim();
    if (!key) continue;
    if (typeof entry === 'string' || typeof entry === 'number') {
      names[key] = String(entry).trim() || key;
    } else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      const { name } = entry as Record<string, unknown>;
      names[key] = typeof name === 'string' && name.trim() ? name.trim() : key;
      const cast = readVoiceCasting({ [key]: entry }, WHERE);
      Object.assign(casting, cast.casting);
    } else {
      names[key] = key;
    }
  }
  return { names, casting };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
