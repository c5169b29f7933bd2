// Makes the caption files of a joined audio file in the run's private folder, from the text that was sent and the
// join's real part times, refined by the audio's silences when it can be decoded. The one module that needs the MP3
// decoder and the caption library: the extension loads it (dist/captionWriter.js) only when captions are asked for.
import { promises as fs } from 'fs';
import * as path from 'path';
import { randomUUID } from 'crypto';
import { throwIfCancelled } from '../abort';
import { measureLoudness, silentSpans } from '../audio/loudness';
import type { CaptionFile, CaptionFileOptions, Captions } from './captionFiles';
import { formatCaptions } from './captionFormats';
import { captionExtension, type CaptionFormat } from './captionSettings';
import { timeCaptions, type CaptionPart } from './captionTiming';

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
