import { constants as fsConstants, promises as fs } from 'fs';
import * as path from 'path';
import type { DownloadedFile } from '../api/download';
import type { PlainMpegStream } from '../audio/mpegStream';
import type { SpeechResult, SpeechService } from '../api/speechService';
import { discardTempFile, openTempFile } from '../files/nodeFileSystem';
import { cacheKey, type AudioCache, type CachedAudio } from '../cache/audioCache';
import type { Chunk } from '../narration/chunker';
import { mapWithConcurrency } from '../concurrency';
import { isAiStudiosError, type AiStudiosError } from '../errors';
import type { Logger } from '../logger';

/** One chunk's audio, in the cache. */
export interface SynthesizedPiece {
  chunk: Chunk;
  path: string;
  extension: string;
  /** Taken from the cache: no request was made (and no credit spent). */
  fromCache: boolean;
  /** A fresh download's MPEG frames, walked as it arrived, when it is plain MPEG audio (see DownloadedFile.mpeg). */
  mpeg?: PlainMpegStream;
  /** Its file is the run's alone, not another name of a cached file (see SynthesisOptions.privatePieces). */
  private?: boolean;
}

/** The chunks to speak, each in its own voice, and the host that speaks them. */
export interface SynthesisRequest {
  chunks: readonly Chunk[];
  /** The API's base URL; part of the cache key: the same text on another host is another account's audio. */
  host: string;
}

export interface SynthesisProgress {
  done: number;
  total: number;
  fromCache: number;
}

export interface SynthesisOptions {
  /** Who makes the audio: the AI Studios client, or an in-memory service in tests. */
  client: SpeechService;
  cache: AudioCache;
  concurrency: number;
  logger: Logger;
  /**
   * A folder private to this run (on the cache's file system) that holds each piece: downloads are written there,
   * and cached pieces hard-linked there, so another run's prune, or this run's own when the cache is small, cannot
   * remove a piece before it is joined. May be a promise of the folder still being made: the cache is looked at
   * meanwhile, and nothing is requested before the folder is there (a failure to make it fails the run).
   */
  workDirectory: string | Promise<string>;
  /**
   * Keep a fresh download of plain constant-bitrate MP3 for the run alone, and store a copy of it in the cache (in
   * the background), instead of sharing its file with the cache: for a run whose one piece becomes the output file
   * as it is, which then needs no copy on the way. Default false.
   */
  privatePieces?: boolean;
  signal?: AbortSignal;
  onProgress?(progress: SynthesisProgress): void;
  /**
   * Each piece as soon as it is there (taken from the cache or downloaded), in the order they complete, so a player
   * can start before the rest arrive. Its file lives in the run's folder until the run is disposed.
   */
  onPiece?(piece: SynthesizedPiece): void;
  /**
   * When given, a downloaded piece is handed on as soon as the run has its own copy, while its cache write goes on:
   * the write's promise (which never rejects) is added here, and the caller must await them all before the run ends.
   * Without it, each piece's task waits for its cache write.
   */
  pendingStores?: Promise<void>[];
}

/** A chunk failed: carries which one, so the user is told which part of the script to look at. */
export class ChunkFailure extends Error {
  constructor(
    readonly chunk: Chunk,
    readonly failure: AiStudiosError | Error,
  ) {
    super(failure.message);
    this.name = 'ChunkFailure';
  }
}

/** Which chunks are already in the cache (for previews and dry runs; makes no request). */
export async function cachedChunks(request: SynthesisRequest, cache: AudioCache): Promise<boolean[]> {
  return Promise.all(request.chunks.map((chunk) => cache.has(keyOf(request, chunk))));
}

/**
 * Turns chunks into audio files: cached chunks are reused, the others are requested with bounded concurrency
 * and stored in the cache as soon as each arrives, so a failed or cancelled run never pays twice for a chunk.
 * A failure lets the requests already sent finish (and reach the cache) before it is reported; a cancel aborts them.
 */
export async function synthesizeChunks(
  request: SynthesisRequest,
  options: SynthesisOptions,
): Promise<SynthesizedPiece[]> {
  const progress: SynthesisProgress = { done: 0, total: request.chunks.length, fromCache: 0 };
  options.onProgress?.({ ...progress });
  return mapWithConcurrency(
    request.chunks,
    options.concurrency,
    async (chunk, _index, signal) => {
      const key = keyOf(request, chunk);
      const [cached, workDirectory] = await Promise.all([options.cache.get(key), options.workDirectory]);
      let piece = cached && (await takeFromCache(cached, chunk, workDirectory, options));
      if (piece) {
        progress.fromCache++;
      } else {
        try {
          const baseName = pieceBaseName(chunk.index);
          // The download's part file is made while the request is on its way: making a file is not free.
          const part = openTempFile(workDirectory, baseName);
          part.catch(() => undefined); // judged when the download needs it
          let speech: SpeechResult;
          try {
            speech = await options.client.requestSpeech({ text: chunk.text, voice: chunk.voice }, signal);
          } catch (error) {
            await part.then(discardTempFile, () => undefined);
            throw error;
          }
          // Into the run's own folder, where no one else writes: the name is free, claimed by a plain rename.
          const file = await options.client.download(
            speech,
            { directory: workDirectory, baseName, ifExists: 'overwrite', part: await part },
            signal,
          );
          // Only a piece of one bitrate is the file as it is (several get a header frame: the join writes a new file).
          const kept = options.privatePieces === true && file.mpeg?.bitrates.size === 1;
          await storeInCache(key, file, chunk, kept, options);
          piece = {
            chunk,
            path: file.path,
            extension: file.extension,
            fromCache: false,
            ...(file.mpeg ? { mpeg: file.mpeg } : {}),
            ...(kept ? { private: true } : {}),
          };
        } catch (error) {
          if (isAiStudiosError(error) && error.kind === 'cancelled') throw error;
          throw new ChunkFailure(chunk, error instanceof Error ? error : new Error(String(error)));
        }
      }
      progress.done++;
      options.onProgress?.({ ...progress });
      if (options.onPiece) {
        try {
          options.onPiece(piece);
        } catch (error) {
          // A listener's failure (the player) must not cost the run its audio.
          options.logger.warn(`A listener of part ${chunk.index + 1} failed: ${String(error)}`);
        }
      }
      return piece;
    },
    options.signal,
  );
}

/** The chunk's cached audio, linked into the run's folder; undefined when it is no longer in the cache. */
async function takeFromCache(
  cached: CachedAudio,
  chunk: Chunk,
  workDirectory: string,
  options: SynthesisOptions,
): Promise<SynthesizedPiece | undefined> {
  const { key } = cached;
  try {
    return {
      chunk,
      path: await keepPrivateCopy(cached.path, workDirectory, chunk.index, cached.extension),
      extension: cached.extension,
      fromCache: true,
    };
  } catch (error) {
    // Another process's prune may evict the entry between get() and the link: then it is a miss like any other.
    if (!isMissing(error)) throw error;
    options.logger.debug(`Audio cache entry ${key} was evicted before it could be used; requesting it again.`);
    return undefined;
  }
}

/**
 * Stores a fresh download (already the run's piece) in the cache, best effort: the audio is paid for, so neither a
 * cache that cannot be written (read-only, disk full) nor a prune that evicts the new entry at once (a cache smaller
 * than the piece, other runs' puts) may cost the run its piece. The cache takes another name of the file (a link)
 * by rename, or, for a piece the run keeps to itself, a copy. With options.pendingStores the write goes on after this
 * returns (its promise is added there); without, it is awaited.
 */
async function storeInCache(
  key: string,
  file: DownloadedFile,
  chunk: Chunk,
  keepToRun: boolean,
  options: SynthesisOptions,
): Promise<void> {
  const { path: piecePath, extension } = file;
  const known = file.sha256 !== undefined ? { bytes: file.bytes, sha256: file.sha256 } : undefined;
  const store = (async () => {
    let staged: string | undefined;
    try {
      staged = await options.cache.stagingPath(extension);
      // A copy holds the download's bytes, so their hash is known too; the cache checks it on every read.
      if (keepToRun) await fs.copyFile(piecePath, staged, fsConstants.COPYFILE_EXCL);
      else await linkOrCopy(piecePath, staged);
      await options.cache.put(key, staged, extension, known);
    } catch (error) {
      options.logger.warn(
        `Could not store part ${chunk.index + 1} in the audio cache (it is used for this run only): ${error instanceof Error ? error.message : String(error)}`,
      );
      if (staged !== undefined) await fs.rm(staged, { force: true }).catch(() => undefined);
    }
  })();
  // The run has its piece: the join need not wait for the cache (the caller awaits the write before the run ends).
  // Except a piece the run keeps to itself, which becomes the writer's file as it is: its copy must be taken before
  // the file is placed, or an edit made in the meantime would be stored under the download's hash.
  if (options.pendingStores && !keepToRun) options.pendingStores.push(store);
  else await store;
}

/** Hard-links (or, across file systems, copies) an audio file into the run's own folder. */
async function keepPrivateCopy(
  sourcePath: string,
  workDirectory: string,
  index: number,
  extension: string,
): Promise<string> {
  const target = path.join(workDirectory, `${pieceBaseName(index)}${extension}`);
  await linkOrCopy(sourcePath, target);
  return target;
}

/** A piece's file name in the run's folder, without extension: `piece-00003`. */
function pieceBaseName(index: number): string {
  return `piece-${String(index).padStart(5, '0')}`;
}

/** Gives a file another name by a hard link; where that cannot be (another file system), or the name is taken, a copy. */
async function linkOrCopy(sourcePath: string, target: string): Promise<void> {
  try {
    await fs.link(sourcePath, target);
  } catch (error) {
    if (isMissing(error)) throw error; // nothing to copy either
    // Another file system, or a piece left by an earlier attempt in this folder: a copy replaces it.
    await fs.copyFile(sourcePath, target);
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function keyOf(request: SynthesisRequest, chunk: Chunk): string {
  return cacheKey({ text: chunk.text, voice: chunk.voice, host: request.host });
}
