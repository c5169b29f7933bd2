import { promises as fs } from 'fs';
import * as path from 'path';
import { randomUUID } from 'crypto';
import type { AiStudiosClient } from './apiClient';
import { cacheKey, type AudioCache } from './audioCache';
import type { Chunk } from './chunker';
import { mapWithConcurrency } from './concurrency';
import { isAiStudiosError, type AiStudiosError } from './errors';
import type { Logger } from './logger';

/** One chunk's audio, in the cache. */
export interface SynthesizedPiece {
  chunk: Chunk;
  path: string;
  extension: string;
  /** Taken from the cache: no request was made (and no credit spent). */
  fromCache: boolean;
}

export interface SynthesisRequest {
  chunks: readonly Chunk[];
  model: string;
  language: string;
  /** Part of the cache key: the same text on another host is another account's audio. */
  region: string;
}

export interface SynthesisProgress {
  done: number;
  total: number;
  fromCache: number;
}

export interface SynthesisOptions {
  client: AiStudiosClient;
  cache: AudioCache;
  concurrency: number;
  logger: Logger;
  /**
   * A folder private to this run (on the cache's file system) that receives a hard link to each piece, so another
   * run's prune, or this run's own when the cache is small, cannot remove a piece before it is joined.
   */
  workDirectory: string;
  signal?: AbortSignal;
  onProgress?(progress: SynthesisProgress): void;
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
 */
export async function synthesizeChunks(request: SynthesisRequest, options: SynthesisOptions): Promise<SynthesizedPiece[]> {
  const progress: SynthesisProgress = { done: 0, total: request.chunks.length, fromCache: 0 };
  options.onProgress?.({ ...progress });
  const staging = await options.cache.stagingDirectory();
  return mapWithConcurrency(
    request.chunks,
    options.concurrency,
    async (chunk, _index, signal) => {
      const key = keyOf(request, chunk);
      const cached = await options.cache.get(key);
      let piece: SynthesizedPiece;
      if (cached) {
        piece = { chunk, path: await keepPrivateCopy(cached.path, options.workDirectory, chunk.index, cached.extension), extension: cached.extension, fromCache: true };
        progress.fromCache++;
      } else {
        try {
          const speech = await options.client.requestSpeech({ text: chunk.text, model: request.model, language: request.language }, signal);
          // A unique name: another window or the CLI may be downloading the same chunk into the same staging folder.
          const file = await options.client.download(speech, { directory: staging, baseName: `${key}-${randomUUID()}`, ifExists: 'fail' }, signal);
          const stored = await options.cache.put(key, file.path, file.extension);
          piece = { chunk, path: await keepPrivateCopy(stored.path, options.workDirectory, chunk.index, stored.extension), extension: stored.extension, fromCache: false };
        } catch (error) {
          if (isAiStudiosError(error) && error.kind === 'cancelled') throw error;
          throw new ChunkFailure(chunk, error instanceof Error ? error : new Error(String(error)));
        }
      }
      progress.done++;
      options.onProgress?.({ ...progress });
      return piece;
    },
    options.signal,
  );
}

/** Hard-links (or, across file systems, copies) a cached file into the run's own folder. */
async function keepPrivateCopy(cachedPath: string, workDirectory: string, index: number, extension: string): Promise<string> {
  const target = path.join(workDirectory, `piece-${String(index).padStart(5, '0')}${extension}`);
  await fs.rm(target, { force: true });
  try {
    await fs.link(cachedPath, target);
  } catch {
    await fs.copyFile(cachedPath, target);
  }
  return target;
}

function keyOf(request: SynthesisRequest, chunk: Chunk): string {
  return cacheKey({ text: chunk.text, model: request.model, language: request.language, region: request.region });
}
