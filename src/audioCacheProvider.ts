import { AudioCache, type AudioCacheOptions, type Logger } from './core';

/**
 * The window's one audio cache in `directory` (one instance, so its prunes are coalesced), replaced only when the
 * size limit changes. `maxBytes` is read on every call, so a changed setting applies to the next generation.
 * `ifUnusable` says what to do when the folder cannot be used (see AudioCacheOptions).
 */
export function sharedAudioCache(
  directory: string,
  maxBytes: () => number,
  logger: Logger,
  ifUnusable?: AudioCacheOptions['ifUnusable'],
): () => AudioCache {
  let cache: { maxBytes: number; instance: AudioCache } | undefined;
  return () => {
    const limit = maxBytes();
    if (cache?.maxBytes !== limit)
      cache = {
        maxBytes: limit,
        instance: new AudioCache({ directory, maxBytes: limit, logger, ...(ifUnusable ? { ifUnusable } : {}) }),
      };
    return cache.instance;
  };
}
