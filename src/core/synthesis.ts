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
  return Promise.all(request.chunks.map(async (chunk) => (await cache.get(keyOf(request, chunk))) !== undefined));
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
        piece = { chunk, path: cached.path, extension: cached.extension, fromCache: true };
        progress.fromCache++;
      } else {
        try {
          const speech = await options.client.requestSpeech({ text: chunk.text, model: request.model, language: request.language }, signal);
          const file = await options.client.download(speech, { directory: staging, baseName: key, ifExists: 'overwrite' }, signal);
          const stored = await options.cache.put(key, file.path, file.extension);
          piece = { chunk, path: stored.path, extension: stored.extension, fromCache: false };
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

function keyOf(request: SynthesisRequest, chunk: Chunk): string {
  return cacheKey({ text: chunk.text, model: request.model, language: request.language, region: request.region });
}
