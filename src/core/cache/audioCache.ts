// A content-addressed cache of generated audio, so an unchanged chunk of narration is never paid for twice.
//
// Layout under the cache directory: see cacheLayout.ts (a sidecar per entry, whose rename is the commit point,
// beside the audio named by its own hash); pruning and sweeping: cachePrune.ts.
//
// Why the content file carries its own hash in its name: with a plain `<key>.mp3`, two runs putting different bytes
// for one key (TTS output need not be byte-identical) can interleave as "A's audio, B's sidecar", which every later
// get() would judge corrupt and drop — both paid, neither kept. With immutable, hash-named audio files, the sidecar
// rename alone decides which version is current, and a reader can never see a sidecar paired with foreign bytes.
// The price is that an overwritten version lingers as an unreferenced file; prune() sweeps those once they are older
// than a grace period (younger ones may be a put in flight in another process, between its two renames). Overwrites
// only happen when two runs generate the same chunk at once, so such leftovers are rare and small.
//
// There is no shared index: every decision is made from file names, sidecars and mtimes, all written by atomic
// renames, so any number of instances and processes can share the folder. Recency is the audio file's mtime,
// touched by get(). The worst a race can do is turn a hit into a miss; it can never serve bytes that fail the check.

import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { canonicalVoiceParams, type VoiceParams } from '../api/voiceParams';
import { AudioCacheError } from '../errors';
import { describe, hashFile, isMissing, statOrUndefined, unlinkQuietly } from './cacheFiles';
import {
  assertKey,
  contentFileName,
  LAYOUT_DIRECTORY,
  normalizeExtension,
  readSidecar,
  readSidecarText,
  STAGING_DIRECTORY,
} from './cacheLayout';
import { commitEntry, type KnownContent } from './cacheCommit';
import { checkCacheFolder, type CacheUnavailable } from './cacheUsability';
import {
  listShards,
  ORPHAN_GRACE_MS,
  pruneOnce,
  removeIfUnchanged,
  removeStaleStagingFiles,
  sweepOrphansOfKey,
  type CacheFolder,
} from './cachePrune';

export type { CacheUnavailable } from './cacheUsability';
// Defined with the core's other errors; still importable from here, beside the cache that throws it.
export { AudioCacheError, type AudioCacheErrorReason } from '../errors';

/** What identifies one generated audio: exactly what is sent to the API, and where. */
export interface CacheKeyParts {
  text: string;
  /** Hashed whole: a field added to VoiceParams changes the key without a change here. */
  voice: VoiceParams;
  /** The base URL the request goes to (accounts and voices differ per host). */
  host: string;
}

/** One entry of the cache: an audio file that passed its integrity check. */
export interface CachedAudio {
  key: string;
  path: string;
  bytes: number;
  /** Lower case, with the dot: '.mp3'. */
  extension: string;
}

/** A cache entry together with the verified bytes that were read to check it. */
export interface CachedAudioData extends CachedAudio {
  data: Buffer;
}

export interface AudioCacheOptions {
  directory: string;
  /** Default 500 MiB. */
  maxBytes?: number;
  logger?: { debug(m: string): void; warn(m: string): void };
  /** Milliseconds since the epoch; replaced in tests to control recency and ages. Default Date.now. */
  now?: () => number;
  /**
   * When given, the first operation checks that `directory` can be used (created, written); when it cannot, the
   * cache calls onUnusable once and works in `fallbackDirectory` instead (a temporary folder the caller owns and
   * removes), so an unusable cache costs a warning, not the run. Without it, file-system errors are thrown as usual.
   */
  ifUnusable?: { fallbackDirectory: string; onUnusable(problem: CacheUnavailable): void };
}

const KEY_SCHEME = 'aistudios-audio-cache';
/** Version 1 knew only model and language; version 2 holds the whole voice, canonically. */
const KEY_SCHEME_VERSION = 2;
const DEFAULT_MAX_BYTES = 500 * 1024 * 1024;
/** How often get() re-reads a sidecar that changed under it (another process replaced the entry). */
const READ_ATTEMPTS = 3;

/**
 * sha256 hex of a canonical, unambiguous encoding of the parts, versioned so the scheme can change. A voice of only
 * a model and a language keeps its version 1 key, so the audio already paid for stays in use; any other voice is
 * encoded whole, with sorted keys.
 */
export function cacheKey(parts: CacheKeyParts): string {
  const voice = canonicalVoiceParams(parts.voice);
  const { model, language, ...more } = voice;
  // A JSON array quotes and escapes every part, so no two different tuples encode alike ('ab','c' vs 'a','bc').
  const canonical =
    Object.keys(more).length === 0
      ? JSON.stringify([KEY_SCHEME, 1, parts.host, model, language, parts.text])
      : JSON.stringify([KEY_SCHEME, KEY_SCHEME_VERSION, parts.host, voice, parts.text]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const silentLogger = { debug: (): void => undefined, warn: (): void => undefined };

/** Audio files stored by cache key in a folder that several instances and processes may share. */
export class AudioCache {
  private root: string;
  private layoutRoot: string;
  private stagingRoot: string;
  private readonly maxBytes: number;
  private readonly logger: { debug(m: string): void; warn(m: string): void };
  private readonly now: () => number;
  private readonly folder: CacheFolder;
  // Puts in this instance coalesce their prunes: one running, at most one queued behind it.
  private pruneRunning: Promise<void> | undefined;
  private pruneQueued: Promise<void> | undefined;
  // A put prunes only when it may be needed: listing the whole folder after every put costs time and memory in
  // proportion to the entries, for every piece of a long script. Bytes of live entries at the last prune (undefined
  // before the first), bytes put by this instance ever, and that count when the last prune started.
  private prunedTotal: number | undefined;
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  private bytesPut = 0;
  private bytesPutAtPrune = 0;
  private readonly ifUnusable: AudioCacheOptions['ifUnusable'];
  private usable: Promise<void> | undefined;
  private problem: CacheUnavailable | undefined;
  /** The staging folder is made once per instance: every piece of every run asks for it. */
  private stagingMade: Promise<void> | undefined;

  constructor(options: AudioCacheOptions) {
    this.root = path.resolve(options.directory);
    this.layoutRoot = path.join(this.root, LAYOUT_DIRECTORY);
    this.stagingRoot = path.join(this.root, STAGING_DIRECTORY);
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    // NaN would compare false against every total and silently empty the cache.
    if (!(this.maxBytes >= 0))
      throw new RangeError(`AudioCache maxBytes must be a number of bytes ≥ 0, got ${String(options.maxBytes)}.`);
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.folder = { layoutRoot: this.layoutRoot, stagingRoot: this.stagingRoot, now: this.now, logger: this.logger };
    this.ifUnusable = options.ifUnusable;
  }

  /** The folder in use: the one asked for, or the fallback once it proved unusable. */
  get directory(): string {
    return this.root;
  }

  /** Why the folder asked for could not be used (known after the first operation), or undefined. */
  get unusable(): CacheUnavailable | undefined {
    return this.problem;
  }

  /** With ifUnusable: checks the folder once, and moves to the fallback folder when it cannot be used. */
  private ready(): Promise<void> {
    if (!this.ifUnusable) return Promise.resolve();
    this.usable ??= (async () => {
      const problem = await checkCacheFolder(this.root, this.stagingRoot, this.layoutRoot);
      if (!problem) return;
      this.problem = problem;
      this.root = path.resolve(this.ifUnusable!.fallbackDirectory);
      this.layoutRoot = this.folder.layoutRoot = path.join(this.root, LAYOUT_DIRECTORY);
      this.stagingRoot = this.folder.stagingRoot = path.join(this.root, STAGING_DIRECTORY);
      this.ifUnusable!.onUnusable(problem);
    })();
    return this.usable;
  }

  /**
   * The cached audio for a key, or undefined. Verifies integrity (size and sha256, the file read through one small
   * buffer, so memory does not grow with the audio); a corrupted entry is deleted and reported as a miss. Marks the
   * entry as recently used.
   */
  async get(key: string): Promise<CachedAudio | undefined> {
    const found = await this.lookup(key, false);
    if (!found) return undefined;
    return { key: found.key, path: found.path, bytes: found.bytes, extension: found.extension };
  }

  /**
   * Whether an entry looks present (its sidecar is valid and its audio has the recorded size), without reading
   * the audio or marking it used: for previews, which must stay cheap and must not disturb the LRU order.
   * get() still verifies the content before anything is served.
   */
  async has(key: string): Promise<boolean> {
    assertKey(key);
    await this.ready();
    const directory = this.shardDirectory(key);
    const sidecarRead = await readSidecar(path.join(directory, `${key}.json`), key);
    if (sidecarRead.kind !== 'valid') return false;
    const { sidecar } = sidecarRead;
    const stat = await statOrUndefined(path.join(directory, contentFileName(key, sidecar.sha256, sidecar.extension)));
    return stat?.isFile() === true && stat.size === sidecar.bytes;
  }

  /**
   * Like get(), and also returns the verified bytes, held in memory: for small entries whose bytes the caller needs
   * anyway (the file behind get()'s path may be evicted by another process's prune before the caller opens it;
   * these bytes cannot). Audio of unknown size goes through get() and a stream.
   */
  async read(key: string): Promise<CachedAudioData | undefined> {
    return (await this.lookup(key, true)) as CachedAudioData | undefined;
  }

  private async lookup(key: string, withData: boolean): Promise<(CachedAudio & { data?: Buffer }) | undefined> {
    assertKey(key);
    await this.ready();
    const directory = this.shardDirectory(key);
    const sidecarPath = path.join(directory, `${key}.json`);
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const sidecarRead = await readSidecar(sidecarPath, key);
      if (sidecarRead.kind === 'missing') {
        this.logger.debug(`Audio cache miss ${key}.`);
        await sweepOrphansOfKey(this.folder, directory, key);
        return undefined;
      }
      if (sidecarRead.kind === 'invalid') {
        this.logger.warn(`Audio cache entry ${key} has an unreadable sidecar; dropping it.`);
        await removeIfUnchanged(this.folder, sidecarPath, sidecarRead.text);
        await sweepOrphansOfKey(this.folder, directory, key);
        return undefined;
      }
      const { sidecar, text } = sidecarRead;
      const contentPath = path.join(directory, contentFileName(key, sidecar.sha256, sidecar.extension));
      // Hashing the whole file on every hit is deliberate: the read costs milliseconds against seconds and money
      // for a request, and serving a truncated or damaged file would put a glitch into the user's narration
      // without anyone noticing.
      let checked: { bytes: number; digest: string; data?: Buffer };
      try {
        checked = withData ? readAndHash(await fs.readFile(contentPath)) : await hashFile(contentPath);
      } catch (error) {
        if (!isMissing(error)) throw error;
        // The entry was replaced or evicted between our two reads: look again before judging it broken.
        if ((await readSidecarText(sidecarPath)) !== text) continue;
        this.logger.warn(`Audio cache entry ${key} has lost its audio file; dropping it.`);
        await removeIfUnchanged(this.folder, sidecarPath, text);
        return undefined;
      }
      if (checked.bytes !== sidecar.bytes || checked.digest !== sidecar.sha256) {
        this.logger.warn(`Audio cache entry ${key} failed its integrity check (size or hash); dropping it.`);
        await removeIfUnchanged(this.folder, sidecarPath, text);
        await unlinkQuietly(contentPath, this.logger);
        return undefined;
      }
      try {
        const usedAt = new Date(this.now());
        await fs.utimes(contentPath, usedAt, usedAt);
      } catch (error) {
        if (isMissing(error)) continue; // evicted this very moment; the sidecar read tells whether it was replaced
        // A read-only cache still serves hits; it only loses recency.
        this.logger.debug(`Audio cache could not mark ${key} as used: ${describe(error)}`);
      }
      this.logger.debug(`Audio cache hit ${key}.`);
      const found = { key, path: contentPath, bytes: checked.bytes, extension: sidecar.extension };
      return checked.data ? { ...found, data: checked.data } : found;
    }
    this.logger.debug(`Audio cache entry ${key} kept changing while being read; treating it as a miss.`);
    return undefined;
  }

  /**
   * Moves a finished audio file (e.g. a fresh download in a staging folder of this cache) into the cache under key;
   * returns the cached entry. Atomic: readers never see a partial entry. On failure the cache holds no partial
   * files, and the source is put back where it was when it had already been moved. `known`: the file's size and
   * sha256 as its writer computed them, which spares reading it again when it is moved in by rename.
   */
  async put(key: string, sourcePath: string, extension: string, known?: KnownContent): Promise<CachedAudio> {
    assertKey(key);
    const normalizedExtension = normalizeExtension(extension);
    await this.ready();
    let stored: { path: string; bytes: number };
    try {
      stored = await commitEntry(this.folder, this.shardDirectory(key), key, sourcePath, normalizedExtension, known);
    } catch (error) {
      throw new AudioCacheError('write-failed', `Could not store audio in the cache: ${describe(error)}`, {
        cause: error,
      });
    }
    this.logger.debug(`Audio cache stored ${key} (${stored.bytes} bytes).`);
    this.bytesPut += stored.bytes;
    try {
      if (this.pruneDue()) await this.prune();
    } catch (error) {
      this.logger.warn(`Audio cache could not prune: ${describe(error)}`);
    }
    return { key, path: stored.path, bytes: stored.bytes, extension: normalizedExtension };
  }

  /**
   * A folder on the same file system as the cache, for temporary downloads that put() will then move in by rename.
   * Made on the first call only; `again` makes it anew, for a caller who found it gone (someone deleted the cache).
   */
  async stagingDirectory(options: { again?: boolean } = {}): Promise<string> {
    await this.ready();
    if (options.again) this.stagingMade = undefined;
    const made = (this.stagingMade ??= fs.mkdir(this.stagingRoot, { recursive: true }).then(() => undefined));
    try {
      await made;
    } catch (error) {
      if (this.stagingMade === made) this.stagingMade = undefined;
      throw error;
    }
    return this.stagingRoot;
  }

  /** A fresh, unused file path in the staging folder (the file is not created). */
  async stagingPath(extension = ''): Promise<string> {
    const directory = await this.stagingDirectory();
    return path.join(directory, `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}${extension}`);
  }

  /**
   * A put's prune is due before this instance's first prune, when the entries may exceed maxBytes (the last prune's
   * total plus what this instance put since; other processes prune after their own puts), and at least every
   * ORPHAN_GRACE_MS so that leftovers are swept.
   */
  private pruneDue(): boolean {
    if (this.prunedTotal === undefined || this.now() - this.lastPruneAt > ORPHAN_GRACE_MS) return true;
    return this.prunedTotal + (this.bytesPut - this.bytesPutAtPrune) > this.maxBytes;
  }

  /** Evicts least-recently-used entries until the total size is ≤ maxBytes, and sweeps leftovers. put() calls it when due. */
  async prune(): Promise<void> {
    await this.ready();
    return this.pruneCoalesced();
  }

  private pruneCoalesced(): Promise<void> {
    if (this.pruneQueued) return this.pruneQueued;
    if (!this.pruneRunning) {
      const startedAt = this.now();
      const bytesPutBefore = this.bytesPut;
      this.pruneRunning = pruneOnce(this.folder, this.maxBytes)
        .then((total) => {
          this.prunedTotal = total;
          this.lastPruneAt = startedAt;
          this.bytesPutAtPrune = bytesPutBefore;
        })
        .finally(() => {
          this.pruneRunning = undefined;
        });
      return this.pruneRunning;
    }
    // A prune is running but may have listed the folder before the caller's put: run once more after it.
    this.pruneQueued = this.pruneRunning
      .catch(() => undefined)
      .then(() => {
        this.pruneQueued = undefined;
        return this.pruneCoalesced();
      });
    return this.pruneQueued;
  }

  /** Removes everything. */
  async clear(): Promise<void> {
    await this.ready();
    await fs.rm(this.layoutRoot, { recursive: true, force: true, maxRetries: 5 });
    // Staging files of downloads still running (in this or another process) are theirs to clean up.
    await removeStaleStagingFiles(this.folder);
  }

  /** Total bytes and entry count (for the UI). Bytes count every audio file on disk, including superseded ones not yet swept. */
  async stats(): Promise<{ entries: number; bytes: number }> {
    await this.ready();
    let entries = 0;
    let bytes = 0;
    for (const shard of await listShards(this.layoutRoot)) {
      for (const [key, files] of shard.contents) {
        if (shard.sidecars.has(key)) entries++;
        for (const file of files) {
          const stat = await statOrUndefined(path.join(shard.directory, file));
          if (stat) bytes += stat.size;
        }
      }
    }
    return { entries, bytes };
  }

  private shardDirectory(key: string): string {
    return path.join(this.layoutRoot, key.slice(0, 2));
  }
}

function readAndHash(data: Buffer): { bytes: number; digest: string; data: Buffer } {
  return { bytes: data.length, digest: createHash('sha256').update(data).digest('hex'), data };
}
