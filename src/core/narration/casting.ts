// Casting: which voice speaks each speaker. Three sources, the most specific winning: the command line's repeatable
// `--voice NAME=MODEL[:LANGUAGE]`, then the script's own front matter `voices:`, then the `aistudios.voices` setting.
// Each maps a speaker (as labelled, or by the name front matter's `speakers:` gives it) to a model id, or to
// `{ model, language }`. An uncast speaker keeps the default voice, and the preview says so.
import type { VoiceParams } from '../api/voiceParams';
import { speakerKey } from './speakers';

/** A speaker's voice: a model id, and the language when it is not the script's. */
export interface VoiceChoice {
  model: string;
  language?: string;
}

/** Speaker name → voice, as written by the writer (names are matched by speakerKey). */
export type VoiceCasting = Readonly<Record<string, VoiceChoice>>;

/** Where a casting comes from, most specific first. */
export type CastSource = 'command line' | 'front matter' | 'settings';

/** A speaker of the script and the voice it is spoken in. */
export interface SpeakerCast {
  /** The label as the script first writes it: `host1`, `Jerod Santo`, `旁白`. */
  name: string;
  /** The name front matter's `speakers:` gives the label (`host1` → `Alex`). */
  displayName?: string;
  /** The voice, when cast; absent: the default voice. */
  voice?: VoiceChoice;
  castBy?: CastSource;
}

/** The castings of each source; any may be absent. */
export type Castings = Partial<Record<CastSource, VoiceCasting>>;

const CAST_ORDER: readonly CastSource[] = ['command line', 'front matter', 'settings'];

/**
 * Reads a casting written by a person (front matter, settings): `{ NAME: "M000045058" }` or
 * `{ NAME: { model: "M000045058", language: "ko" } }`. Entries that are neither are reported in `problems`, in words.
 */
export function readVoiceCasting(value: unknown, where: string): { casting: VoiceCasting; problems: string[] } {
  const casting: Record<string, VoiceChoice> = {};
  const problems: string[] = [];
  if (value === undefined || value === null) return { casting, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}: voices must map speaker names to model ids.`);
    return { casting, problems };
  }
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    const choice = voiceChoiceOf(entry);
    if (choice && name.trim() !== '') casting[name.trim()] = choice;
    else problems.push(`${where}: the voice of “${name}” is not a model id or { model, language }.`);
  }
  return { casting, problems };
}

function voiceChoiceOf(entry: unknown): VoiceChoice | undefined {
  if (typeof entry === 'string') return entry.trim() ? { model: entry.trim() } : undefined;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const { model, language, voice } = entry as Record<string, unknown>;
  const id = typeof model === 'string' ? model : typeof voice === 'string' ? voice : undefined;
  if (!id?.trim()) return undefined;
  const choice: VoiceChoice = { model: id.trim() };
  if (typeof language === 'string' && language.trim()) choice.language = language.trim();
  return choice;
}

/**
 * One `--voice` value, `NAME=MODEL` or `NAME=MODEL:LANGUAGE` (`"Min-ji=M000004017:ko"`); the name may hold spaces
 * and colons, the last `=` separates it. Returns undefined when the value has no name or no model.
 */
export function parseVoiceAssignment(value: string): [string, VoiceChoice] | undefined {
  const equals = value.lastIndexOf('=');
  if (equals <= 0) return undefined;
  const name = value.slice(0, equals).trim();
  const [model, language] = value
    .slice(equals + 1)
    .split(':')
    .map((part) => part.trim());
  if (!name || !model) return undefined;
  return [name, language ? { model, language } : { model }];
}

/** Finds a speaker's voice in the castings, most specific source first, by its label or by its declared name. */
export function castSpeaker(name: string, displayName: string | undefined, castings: Castings): SpeakerCast {
  const keys = [speakerKey(name), ...(displayName ? [speakerKey(displayName)] : [])];
  const cast: SpeakerCast = { name };
  if (displayName) cast.displayName = displayName;
  for (const source of CAST_ORDER) {
    const casting = castings[source];
    if (!casting) continue;
    const found = Object.entries(casting).find(([castName]) => keys.includes(speakerKey(castName)));
    if (found) return { ...cast, voice: found[1], castBy: source };
  }
  return cast;
}

/** Every name cast by any source, by speakerKey: a cast name is a speaker wherever it labels a line. */
export function castNames(castings: Castings): Set<string> {
  const names = new Set<string>();
  for (const casting of Object.values(castings))
    for (const name of Object.keys(casting ?? {})) names.add(speakerKey(name));
  return names;
}

/** The voice a speaker is spoken in: the default voice with the cast model (and language) in its place. */
export function voiceOf(cast: SpeakerCast | undefined, defaultVoice: VoiceParams): VoiceParams {
  if (!cast?.voice) return defaultVoice;
  return { ...defaultVoice, model: cast.voice.model, language: cast.voice.language ?? defaultVoice.language };
}
