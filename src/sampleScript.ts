// The walkthrough's sample script (media/sample/, shipped in the package): which language's copy to open, and the
// name of the fresh folder each copy gets in the extension's storage. No VS Code here, so it is tested in plain Node.

/** The languages a sample is shipped in. */
export type SampleLanguage = 'en' | 'ko';

/** The copy's name, in every language; its audio is `first-take.mp3` beside it. */
export const SAMPLE_FILE_NAME = 'first-take.md';

/** The bundled sample of a language, as path segments under the extension's folder. */
export function bundledSamplePath(language: SampleLanguage): string[] {
  return ['media', 'sample', language === 'ko' ? 'first-take.ko.md' : SAMPLE_FILE_NAME];
}

/**
 * The sample the voice can read: Korean for a Korean voice (`ko`, `ko-KR`), else English. Before a voice is chosen,
 * the language VS Code is displayed in decides (the writer's own language is the likelier pick at Select Voice).
 */
export function sampleLanguage(voice: { chosen: boolean; language: string }, displayLanguage: string): SampleLanguage {
  const language = voice.chosen ? voice.language : displayLanguage;
  return /^ko(?:$|[-_])/i.test(language.trim()) ? 'ko' : 'en';
}

/**
 * A folder name for one copy, from the time it was made (`20260105-093012`); `attempt` 1, 2 … when that name is
 * taken (two copies in one second), so an earlier copy, perhaps edited, is never written over.
 */
export function sampleFolderName(now: Date, attempt = 0): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  return attempt === 0 ? stamp : `${stamp}-${attempt + 1}`;
}
