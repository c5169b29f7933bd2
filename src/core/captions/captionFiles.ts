// Caption files beside their audio: what a made caption file is (captionWriter.ts makes them in the run's private
// folder), and their placement beside the audio under the audio's own name (`intro (2).mp3` → `intro (2).srt`),
// atomically, and never over a different file unless the audio itself replaced its namesake because the user asked.
import { throwIfCancelled } from '../abort';
import { FileExistsError, type FileSystem } from '../files/fileSystem';
import { partFileName } from '../files/placement';
import type { Logger } from '../logger';
import type { CaptionFormat } from './captionSettings';
import type { CaptionCue, CaptionPart } from './captionTiming';

/** One caption file made for an audio file, waiting in a local folder to be placed. */
export interface CaptionFile {
  format: CaptionFormat;
  /** `.srt` or `.vtt`. */
  extension: string;
  localPath: string;
  /** How many cues it holds. */
  cues: number;
}

/** The captions of one audio file: its cues and their files. */
export interface Captions {
  cues: CaptionCue[];
  files: CaptionFile[];
  /** Whether boundaries inside parts were moved to the audio's silences (false: proportional to characters only). */
  refined: boolean;
}

export interface CaptionFileOptions {
  /** The local folder the files are written to (the run's private folder). */
  workDirectory: string;
  logger?: Logger;
  signal?: AbortSignal;
}

/**
 * Makes the caption files of one joined audio file (see captionWriter.ts, makeCaptionFiles). Passed to generateAudio
 * by its caller, so the extension can load the decoder and the caption library only when captions are asked for.
 */
export type CaptionWriter = (
  audioPath: string,
  parts: readonly CaptionPart[],
  formats: readonly CaptionFormat[],
  options: CaptionFileOptions,
) => Promise<Captions>;

/** What happened to one caption file beside its audio. */
export interface PlacedCaption<L> {
  format: CaptionFormat;
  location: L;
  fileName: string;
  /**
   * `written`: a new file; `unchanged`: the same captions were already there; `replaced`: the audio replaced its
   * namesake, so its captions did too; `kept`: a different file already had the name and was left as it was (the new
   * captions were not written: say so).
   */
  outcome: 'written' | 'unchanged' | 'replaced' | 'kept';
}

/**
 * Places caption files beside the audio file `audioFileName` in `folder`, each named like the audio with its own
 * extension. A name already taken by identical bytes is `unchanged`; by different bytes, it is replaced only when
 * `replace` (the audio was written over its namesake at the user's request), else `kept`. Writes through a hidden
 * part file and a rename, so no partial caption file ever carries a final name. Throws the file system's errors.
 */
export async function placeCaptions<L>(
  fs: FileSystem<L>,
  folder: L,
  audioFileName: string,
  files: readonly CaptionFile[],
  options: { replace: boolean; signal?: AbortSignal },
): Promise<PlacedCaption<L>[]> {
  const baseName = audioFileName.replace(/\.[^.]*$/, '');
  const placed: PlacedCaption<L>[] = [];
  for (const file of files) {
    throwIfCancelled(options.signal);
    const fileName = baseName + file.extension;
    const location = fs.join(folder, fileName);
    const existing = await fs.stat(location);
    if (existing && (await fs.hasSameBytes(location, file.localPath))) {
      placed.push({ format: file.format, location, fileName, outcome: 'unchanged' });
      continue;
    }
    if (existing && !options.replace) {
      placed.push({ format: file.format, location, fileName, outcome: 'kept' });
      continue;
    }
    const part = fs.join(folder, partFileName(baseName));
    try {
      await fs.copyFromLocal(file.localPath, part);
      await fs.rename(part, location, { replace: options.replace });
      placed.push({ format: file.format, location, fileName, outcome: existing ? 'replaced' : 'written' });
    } catch (error) {
      // Someone wrote the name between our look and the rename: theirs stays.
      if (!(error instanceof FileExistsError)) throw error;
      placed.push({ format: file.format, location, fileName, outcome: 'kept' });
    } finally {
      await fs.delete(part).catch(() => undefined);
    }
  }
  return placed;
}
