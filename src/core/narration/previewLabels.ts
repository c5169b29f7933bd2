// The words of the narration preview. The editor passes them in the display language (vscode.l10n, see
// previewCommand.ts); the default is English, which the CLI and the tests use.
import type { CastSource } from './casting';
import { explainMode, type ModeReason } from './speakMode';
import type { SilenceReason } from './types';

export interface PreviewLabels {
  /** First line: the script, its request and character counts, and the per-request limit. */
  header(sourceName: string, requests: number, characters: number, limit: number): string;
  voice(model: string, language: string): string;
  cachedCount(cached: number, total: number): string;
  /** The heading of one part; `flags` are the details already joined. */
  part(number: number, total: number, flags: string): string;
  /** The heading of a silent region; `detail` is the label, the cue or (outside the narration) the mode. */
  silent(where: string, reason: SilenceReason, detail?: string): string;
  characters(count: number): string;
  line(line: number): string;
  lines(start: number, end: number): string;
  cached: string;
  new: string;
  /** How the script is read: the mode, chosen automatically or set, and why. */
  reading(mode: string, reason: ModeReason): string;
  /** The speakers line, from each speaker's description. */
  speakers(list: readonly string[]): string;
  /** A speaker cast to a voice: `name` may carry the front matter's name for it, `host1 (Alex)`. */
  castSpeaker(name: string, model: string, language: string | undefined, castBy: CastSource): string;
  /** A speaker no one cast: spoken in the default voice. */
  uncastSpeaker(name: string, defaultModel: string | undefined): string;
  /** The pronunciations line, from each replacement's description. */
  pronunciations(list: readonly string[]): string;
  pronunciation(word: string, said: string, where: string): string;
  /** Something of the script (or its front matter) that could not be read. */
  problem(text: string): string;
  /** The script's pauses in all. */
  pauses(count: number, seconds: string): string;
  /** The heading of one pause. */
  pause(seconds: string, where: string): string;
  seconds(ms: number): string;
  /** A part's voice, among its flags. */
  voiceFlag(model: string, language: string): string;
}

const count = (n: number) => n.toLocaleString('en');
const plural = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
const CAST_BY: Record<CastSource, string> = {
  'command line': '--voice',
  'front matter': 'front matter',
  settings: 'settings',
};

export const englishPreviewLabels: PreviewLabels = {
  header: (sourceName, requests, characters, limit) =>
    `Narration of ${sourceName}: ${plural(requests, 'request')}, ${plural(characters, 'character')} (at most ${count(limit)} per request).`,
  voice: (model, language) => `Voice ${model}, language ${language}.`,
  cachedCount: (cached, total) =>
    cached === 0
      ? `None of the ${total} parts is cached yet: each is requested when you generate.`
      : `${cached} of ${total} already cached: they cost nothing to regenerate.`,
  part: (number, total, flags) => `Part ${number} of ${total} · ${flags}`,
  silent: (where, reason, detail) => {
    if (!detail) return `Silent · ${where} · ${reason}`;
    return reason === 'outside the narration'
      ? `Silent · ${where} · ${reason} (speaking ${detail})`
      : `Silent · ${where} · ${reason} “${detail}”`;
  },
  characters: (n) => plural(n, 'character'),
  line: (line) => `line ${line}`,
  lines: (start, end) => `lines ${start}–${end}`,
  cached: 'cached',
  new: 'new',
  reading: (mode, reason) =>
    reason.kind === 'set' ? `Reading: ${mode}, ${explainMode(reason)}.` : `Reading (auto): ${explainMode(reason)}.`,
  speakers: (list) => `Speakers: ${list.join('; ')}.`,
  castSpeaker: (name, model, language, castBy) =>
    `${name}: ${model}${language ? `, ${language}` : ''} (${CAST_BY[castBy]})`,
  uncastSpeaker: (name, defaultModel) => `${name}: uncast, the default voice${defaultModel ? ` ${defaultModel}` : ''}`,
  pronunciations: (list) => `Pronunciations: ${list.join('; ')}.`,
  pronunciation: (word, said, where) => `${word} → ${said} (${where})`,
  problem: (text) => `Not read: ${text}`,
  pauses: (n, seconds) => `${plural(n, 'pause')} of the script: ${seconds} of silence in all.`,
  pause: (seconds, where) => `Pause ${seconds} · ${where}`,
  seconds: (ms) => `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 3 })} s`,
  voiceFlag: (model, language) => `voice ${model}, ${language}`,
};
