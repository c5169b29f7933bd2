// Caption files for a joined audio file: made in the run's private folder from the text that was sent and the join's
// real part times (refined by the audio's silences when it can be decoded), then placed beside the audio under the
// audio's own name (`intro (2).mp3` → `intro (2).srt`), atomically, and never over a different file unless the audio
// itself replaced its namesake because the user asked for it.
import { promises as fs } from 'fs';
import * as path from 'path';
import { randomUUID } from 'crypto';
import { measureLoudness, silentSpans } from '../audio/loudness';
import { throwIfCancelled } from '../abort';
import { FileExistsError, type FileSystem } from '../files/fileSystem';
import { partFileName } from '../files/placement';
import type { Logger } from '../logger';
import { captionExtension, formatCaptions, type CaptionFormat } from './captionFormats';
import { timeCaptions, type CaptionCue, type CaptionPart } from './captionTiming';

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
 * Times the parts' text against the joined audio at `audioPath` (decoded to find its silences: WAV directly, MP3 with
 * mpg123; another format, or audio that cannot be decoded, keeps the proportional times, said in the log) and writes
 * one file per format in `options.workDirectory`. Throws the file system's errors and the signal's reason.
 */
export async function makeCaptionFiles(
  audioPath: string,
  parts: readonly CaptionPart[],
  formats: readonly CaptionFormat[],
  options: CaptionFileOptions,
): Promise<Captions> {
  let silences;
  try {
    const loudness = await measureLoudness(audioPath, { signal: options.signal });
    if (loudness) silences = silentSpans(loudness);
    else
      options.logger?.info(`Captions of ${path.basename(audioPath)}: timed by characters (its format is not decoded).`);
  } catch (error) {
    throwIfCancelled(options.signal);
    options.logger?.warn(
      `Captions are timed by characters only: the audio could not be decoded (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const cues = timeCaptions(parts, { silences });
  const files: CaptionFile[] = [];
  for (const format of formats) {
    throwIfCancelled(options.signal);
    const extension = captionExtension(format);
    const localPath = path.join(options.workDirectory, `captions-${randomUUID()}${extension}`);
    await fs.writeFile(localPath, formatCaptions(cues, format), 'utf8');
    files.push({ format, extension, localPath, cues: cues.length });
  }
  return { cues, files, refined: silences !== undefined };
}

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
