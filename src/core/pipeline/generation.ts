import { promises as fs } from 'fs';
import * as path from 'path';
import { groupBySection, isItsOnlyPiece, renderPieces, type RenderedFile } from './render';
import { sectionBaseName } from '../files/sectionNames';
import type { FileSystem } from '../files/fileSystem';
import { placeFiles, type IfExists, type PlacedFile } from '../files/placement';
import {
  ChunkFailure,
  synthesizeChunks,
  type SynthesisOptions,
  type SynthesisRequest,
  type SynthesizedPiece,
} from './synthesis';
import { throwIfCancelled } from '../abort';
import type { CaptionFormat } from '../captions/captionSettings';
import { placeCaptions, type CaptionWriter, type Captions, type PlacedCaption } from '../captions/captionFiles';
import { timeCaptions, type CaptionPart } from '../captions/captionTiming';
import { CancelledError, isAiStudiosError } from '../errors';

export interface AudioGenerationRequest extends SynthesisRequest {
  /** Silence between the sections of the joined file. */
  sectionPauseMs: number;
  /** Also render one file per section (when the script has more than one). */
  perSection: boolean;
  /** Caption files to make for every audio file (none when absent or empty). */
  captions?: readonly CaptionFormat[];
  /**
   * Time caption cues for every audio file even when no caption file is asked for (the player shows them); without
   * files they are timed by characters only, so the audio is not decoded for them.
   */
  cues?: boolean;
}

/** A finished file in the run's folder, waiting to be placed next to the script under `baseName(…)`. */
export interface GeneratedFile {
  rendered: RenderedFile;
  /** Its captions, when the request asked for some (or cues for the player). */
  captions?: Captions;
  /** Why its caption files could not be made (the audio is fine; placeGeneration reports it). */
  captionFailure?: unknown;
  /** The output name for a given main name: the main name itself, or `main.01-welcome` for a section. */
  baseName(mainBaseName: string): string;
}

export interface AudioGeneration {
  /** The joined file first, then the section files. */
  files: GeneratedFile[];
  pieces: SynthesizedPiece[];
  /**
   * Waits for the pieces' cache writes still going on, then removes the run's temporary folder; call it once the
   * files are placed (or abandoned), always: the run is over when it resolves.
   */
  dispose(): Promise<void>;
}

/** How a generation runs: the synthesis's options, and who makes caption files when the request asks for some. */
export interface GenerationOptions extends Omit<SynthesisOptions, 'workDirectory'> {
  /** Makes caption files (the core's makeCaptionFiles, or a loader of it); needed only when captions are asked for. */
  writeCaptions?: CaptionWriter;
}

function captionWriterOf(options: GenerationOptions): CaptionWriter {
  if (!options.writeCaptions)
    throw new RangeError('Captions were asked for, but generateAudio was given no writeCaptions.');
  return options.writeCaptions;
}

/**
 * The whole generation short of placing files: chunks → cached or requested audio → one joined file (plus one per
 * section when asked), all in a private temporary folder, to be placed with placeGeneration.
 */
export async function generateAudio(
  request: AudioGenerationRequest,
  options: GenerationOptions,
): Promise<AudioGeneration> {
  // Made while the cache is looked at; the synthesis waits for it before any request, and fails when it cannot be made.
  const runFolder = makeRunFolder(options.cache);
  runFolder.catch(() => undefined);
  // The pieces' cache writes go on while they are joined and placed; the run ends (dispose) once they are done.
  const pendingStores: Promise<void>[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all(pendingStores);
    const made = await runFolder.catch(() => undefined);
    if (made !== undefined) await fs.rm(made, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  };
  try {
    // A one-part file is its piece as downloaded: the run keeps that for itself and the cache takes a copy.
    const privatePieces = isItsOnlyPiece(request.chunks, request.sectionPauseMs);
    const synthesis = { ...options, workDirectory: runFolder, pendingStores, privatePieces };
    const pieces = await synthesizeChunks(request, synthesis);
    const workDirectory = await runFolder;
    const files: GeneratedFile[] = [
      {
        rendered: await renderPieces(pieces, {
          sectionPauseMs: request.sectionPauseMs,
          workDirectory,
          signal: options.signal,
        }),
        baseName: (main) => main,
      },
    ];
    const sections = groupBySection(pieces);
    if (request.perSection && sections.length > 1) {
      for (const group of sections) {
        throwIfCancelled(options.signal);
        const rendered = await renderPieces(group, { sectionPauseMs: 0, workDirectory, signal: options.signal });
        // Numbered like the script's sections, so what comes before the first heading is 00 and the rest keep their numbers.
        const { sectionIndex, sectionTitle } = group[0].chunk;
        files.push({ rendered, baseName: (main) => sectionBaseName(main, sectionIndex, sectionTitle) });
      }
    }
    const formats = request.captions ?? [];
    for (const file of formats.length > 0 || request.cues ? files : []) {
      const parts = captionParts(file.rendered, pieces);
      file.captions = { cues: timeCaptions(parts), files: [], refined: false };
      if (formats.length === 0) continue;
      try {
        file.captions = await captionWriterOf(options)(file.rendered.tempPath, parts, formats, {
          workDirectory,
          logger: options.logger,
          signal: options.signal,
        });
      } catch (error) {
        // The audio is made (and paid for): captions that cannot be written are reported with it, never instead of it.
        throwIfCancelled(options.signal);
        options.logger.warn(`Captions could not be made: ${error instanceof Error ? error.message : String(error)}`);
        file.captionFailure = error;
      }
    }
    return { files, pieces, dispose };
  } catch (error) {
    // synthesizeChunks settles only once its tasks have, so nothing still writes into the folder removed here.
    await dispose();
    throw asCancelled(error, options.signal);
  }
}

export interface GenerationPlacement {
  /** The name of the joined file, without extension; section files are named after it. */
  mainBaseName: string;
  /** What to do when a file's name (`intro.mp3`, index 0 is the joined file) is taken. */
  ifExists(index: number, fileName: string): IfExists;
  /** Create a missing target folder; otherwise a missing folder is an InputError. */
  createFolder?: boolean;
  signal?: AbortSignal;
}

/**
 * Places a generation's files in `folder`, all or none (see placeFiles), in the order of `generation.files`. When the
 * newest take of a file's name already holds exactly the bytes we would write, it is kept as it is (`unchanged`):
 * an unchanged script names the take it already has instead of adding a copy.
 */
export async function placeGeneration<L>(
  fs: FileSystem<L>,
  folder: L,
  generation: AudioGeneration,
  placement: GenerationPlacement,
): Promise<PlacedGenerationFile<L>[]> {
  const files = generation.files.map((file, index) => {
    const baseName = file.baseName(placement.mainBaseName);
    const { tempPath, extension } = file.rendered;
    const ifExists = placement.ifExists(index, baseName + extension);
    // The rendered file is the run's own temporary (see RenderedFile): it may be put in place without a copy.
    return { localPath: tempPath, baseName, extension, ifExists, adopt: true };
  });
  const placed: PlacedGenerationFile<L>[] = await placeFiles(fs, folder, files, {
    keepUnchanged: true,
    createFolder: placement.createFolder,
    signal: placement.signal,
  });
  // The audio is in place (and paid for): a caption file that cannot be written is reported with it, never undone.
  for (const [index, file] of generation.files.entries()) {
    if (file.captionFailure !== undefined) placed[index].captionFailure = file.captionFailure;
    const captions = file.captions?.files ?? [];
    if (captions.length === 0) continue;
    try {
      placed[index].captions = await placeCaptions(fs, folder, placed[index].fileName, captions, {
        // Replacing was asked for the audio's name: its captions' names go with it.
        replace: files[index].ifExists === 'overwrite',
        signal: placement.signal,
      });
    } catch (error) {
      placed[index].captionFailure = error;
    }
  }
  return placed;
}

/** A placed audio file and, when captions were asked for, what became of its caption files. */
export interface PlacedGenerationFile<L> extends PlacedFile<L> {
  captions?: PlacedCaption<L>[];
  /** Why its captions could not be placed (the audio is in place all the same). */
  captionFailure?: unknown;
}

/** The text and real times of each part of a rendered file, for its captions. */
export function captionParts(rendered: RenderedFile, pieces: readonly SynthesizedPiece[]): CaptionPart[] {
  const byIndex = new Map(pieces.map((piece) => [piece.chunk.index, piece.chunk]));
  return rendered.timings.map((timing) => {
    const chunk = byIndex.get(timing.chunkIndex);
    return {
      text: chunk?.text ?? '',
      startMs: timing.startMs,
      durationMs: timing.durationMs,
      ...(chunk?.voice.language ? { language: chunk.voice.language } : {}),
      ...(chunk?.speakers?.length === 1 ? { speaker: chunk.speakers[0] } : {}),
    };
  });
}

/** A private folder for the run in the cache's staging folder (made again when someone removed it meanwhile). */
async function makeRunFolder(cache: SynthesisOptions['cache']): Promise<string> {
  try {
    return await fs.mkdtemp(path.join(await cache.stagingDirectory(), 'run-'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return fs.mkdtemp(path.join(await cache.stagingDirectory({ again: true }), 'run-'));
  }
}

/** The join throws the signal's raw reason when cancelled; the core reports a cancel as CancelledError. */
function asCancelled(error: unknown, signal: AbortSignal | undefined): unknown {
  if (!signal?.aborted || error instanceof ChunkFailure || isAiStudiosError(error)) return error;
  return new CancelledError(undefined, { cause: error });
}
