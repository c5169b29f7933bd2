// A content-addressed cache of generated audio, so an unchanged chunk of narration is never paid for twice.
//
// Layout under the cache directory (format v1):
//   v1/<key[0..2]>/<key>.json                    sidecar: size and sha256 of the content; its rename is the commit point
//   v1/<key[0..2]>/<key>.<sha256[0..16]><ext>    the audio; named by its own hash, so it is immutable
//   v1/<key[0..2]>/.<anything>.tmp               a write in flight
//   staging/                                      downloads in flight, on the same file system (moved in by rename)
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
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { canonicalVoiceParams, type VoiceParams } from '../api/voiceParams';
import { AudioCacheError } from '../errors';

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
}

const KEY_SCHEME = 'aistudios-audio-cache';
/** Version 1 knew only model and language; version 2 holds the whole voice, canonically. */
const KEY_SCHEME_VERSION = 2;
const LAYOUT_DIRECTORY = 'v1';
const STAGING_DIRECTORY = 'staging';
const SIDECAR_FORMAT = 1;
const DEFAULT_MAX_BYTES = 500 * 1024 * 1024;
/** Unreferenced files younger than this may belong to a put in flight elsewhere; leave them alone. */
const ORPHAN_GRACE_MS = 10 * 60 * 1000;
/** A staging file this old is left over from a crashed download (one chunk takes seconds, not an hour). */
const STALE_STAGING_MS = 60 * 60 * 1000;
/** How often get() re-reads a sidecar that changed under it (another process replaced the entry). */
const READ_ATTEMPTS = 3;

const KEY_PATTERN = /^[0-9a-f]{64}$/;
const SHARD_PATTERN = /^[0-9a-f]{2}$/;
const SIDECAR_NAME = /^([0-9a-f]{64})\.json$/;
const CONTENT_NAME = /^([0-9a-f]{64})\.([0-9a-f]{16})(\.[a-z0-9]{1,10})$/;
const TEMP_NAME = /^\..*\.tmp$/;
const EXTENSION_PATTERN = /^\.[a-z0-9]{1,10}$/;

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

interface Sidecar {
  format: number;
  key: string;
  extension: string;
  bytes: number;
  sha256: string;
}

type SidecarRead =
  { kind: 'missing' } | { kind: 'invalid'; text: string } | { kind: 'valid'; text: string; sidecar: Sidecar };

/** File names found in one shard folder, grouped by key. */
interface ShardListing {
  directory: string;
  sidecars: Set<string>;
  contents: Map<string, string[]>;
  temps: string[];
}

interface EvictionCandidate {
  key: string;
  sidecarPath: string;
  contentPath: string;
  bytes: number;
  mtimeMs: number;
}

const silentLogger = { debug: (): void => undefined, warn: (): void => undefined };

/** Audio files stored by cache key in a folder that several instances and processes may share. */
export class AudioCache {
  private readonly root: string;
  private readonly layoutRoot: string;
  private readonly stagingRoot: string;
  private readonly maxBytes: number;
  private readonly logger: { debug(m: string): void; warn(m: string): void };
  private readonly now: () => number;
  // Puts in this instance coalesce their prunes: one running, at most one queued behind it.
  private pruneRunning: Promise<void> | undefined;
  private pruneQueued: Promise<void> | undefined;

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
  }

  /** The cached audio for a key, or undefined. Verifies integrity; a corrupted entry is deleted and reported as a miss. Marks the entry as recently used. */
  async get(key: string): Promise<CachedAudio | undefined> {
    const found = await this.read(key);
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
    const directory = this.shardDirectory(key);
    const sidecarRead = await readSidecar(path.join(directory, `${key}.json`), key);
    if (sidecarRead.kind !== 'valid') return false;
    const { sidecar } = sidecarRead;
    const stat = await statOrUndefined(path.join(directory, contentFileName(key, sidecar.sha256, sidecar.extension)));
    return stat?.isFile() === true && stat.size === sidecar.bytes;
  }

  /**
   * Like get(), and also returns the verified bytes. Prefer it when the caller needs the audio anyway: the file
   * behind get()'s path may be evicted by another process's prune before the caller opens it; these bytes cannot.
   */
  async read(key: string): Promise<CachedAudioData | undefined> {
    assertKey(key);
    const directory = this.shardDirectory(key);
    const sidecarPath = path.join(directory, `${key}.json`);
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const sidecarRead = await readSidecar(sidecarPath, key);
      if (sidecarRead.kind === 'missing') {
        this.logger.debug(`Audio cache miss ${key}.`);
        await this.sweepOrphansOfKey(directory, key);
        return undefined;
      }
      if (sidecarRead.kind === 'invalid') {
        this.logger.warn(`Audio cache entry ${key} has an unreadable sidecar; dropping it.`);
        await this.removeIfUnchanged(sidecarPath, sidecarRead.text);
        await this.sweepOrphansOfKey(directory, key);
        return undefined;
      }
      const { sidecar, text } = sidecarRead;
      const contentPath = path.join(directory, contentFileName(key, sidecar.sha256, sidecar.extension));
      // Reading and hashing the whole file on every hit is deliberate: chunks are small (a few MB at most), the
      // read costs milliseconds against seconds and money for a request, and serving a truncated or damaged
      // file would put a glitch into the user's narration without anyone noticing.
      let data: Buffer;
      try {
        data = await fs.readFile(contentPath);
      } catch (error) {
        if (!isMissing(error)) throw error;
        // The entry was replaced or evicted between our two reads: look again before judging it broken.
        if ((await readSidecarText(sidecarPath)) !== text) continue;
        this.logger.warn(`Audio cache entry ${key} has lost its audio file; dropping it.`);
        await this.removeIfUnchanged(sidecarPath, text);
        return undefined;
      }
      if (data.length !== sidecar.bytes || sha256(data) !== sidecar.sha256) {
        this.logger.warn(`Audio cache entry ${key} failed its integrity check (size or hash); dropping it.`);
        await this.removeIfUnchanged(sidecarPath, text);
        await this.unlinkQuietly(contentPath);
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
      return { key, path: contentPath, bytes: data.length, extension: sidecar.extension, data };
    }
    this.logger.debug(`Audio cache entry ${key} kept changing while being read; treating it as a miss.`);
    return undefined;
  }

  /**
   * Moves a finished audio file (e.g. a fresh download in a staging folder of this cache) into the cache under key;
   * returns the cached entry. Atomic: readers never see a partial entry. On failure the cache holds no partial
   * files, and the source is put back where it was when it had already been moved.
   */
  async put(key: string, sourcePath: string, extension: string): Promise<CachedAudio> {
    assertKey(key);
    const normalizedExtension = normalizeExtension(extension);
    const directory = this.shardDirectory(key);
    const sidecarPath = path.join(directory, `${key}.json`);
    const temporaryContent = path.join(directory, temporaryName(key));
    const temporarySidecar = path.join(directory, temporaryName(`${key}.json`));
    let ownedPath: string | undefined; // where our bytes are while the put is not committed
    let movedByRename = false;
    let contentPath: string | undefined;
    let committed = false;
    try {
      await fs.mkdir(directory, { recursive: true });
      try {
        await fs.rename(sourcePath, temporaryContent);
        movedByRename = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        // The source is on another file system: copy, and remove the source only once the entry is committed.
        ownedPath = temporaryContent; // a failed copy may leave a partial file to clean up
        await fs.copyFile(sourcePath, temporaryContent);
      }
      ownedPath = temporaryContent;
      // Stamp the time at once: a renamed file keeps its old mtime, which would make a fresh entry look least
      // recently used, or this put in flight look like a stale leftover to another process's prune.
      const storedAt = new Date(this.now());
      await fs.utimes(temporaryContent, storedAt, storedAt);
      // Hash the copy we own, not the caller's file, so what we record is exactly what we store.
      const { bytes, digest } = await hashFile(temporaryContent);
      contentPath = path.join(directory, contentFileName(key, digest, normalizedExtension));
      await renameReplacing(temporaryContent, contentPath);
      ownedPath = contentPath;
      const sidecar: Sidecar = { format: SIDECAR_FORMAT, key, extension: normalizedExtension, bytes, sha256: digest };
      await fs.writeFile(temporarySidecar, JSON.stringify(sidecar), { flag: 'wx' });
      await renameReplacing(temporarySidecar, sidecarPath);
      committed = true;
      if (!movedByRename) await this.unlinkQuietly(sourcePath);
      this.logger.debug(`Audio cache stored ${key} (${bytes} bytes).`);
      try {
        await this.prune();
      } catch (error) {
        this.logger.warn(`Audio cache could not prune: ${describe(error)}`);
      }
      return { key, path: contentPath, bytes, extension: normalizedExtension };
    } catch (error) {
      if (!committed) {
        try {
          await this.undoPut(sourcePath, ownedPath, movedByRename, contentPath, sidecarPath, temporarySidecar);
        } catch (undoError) {
          this.logger.warn(`Audio cache could not undo a failed put of ${key}: ${describe(undoError)}`);
        }
      }
      throw new AudioCacheError('write-failed', `Could not store audio in the cache: ${describe(error)}`, {
        cause: error,
      });
    }
  }

  /** A folder on the same file system as the cache, for temporary downloads that put() will then move in by rename. */
  async stagingDirectory(): Promise<string> {
    await fs.mkdir(this.stagingRoot, { recursive: true });
    return this.stagingRoot;
  }

  /** A fresh, unused file path in the staging folder (the file is not created). */
  async stagingPath(extension = ''): Promise<string> {
    const directory = await this.stagingDirectory();
    return path.join(directory, `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}${extension}`);
  }

  /** Evicts least-recently-used entries until the total size is ≤ maxBytes. Called by put(). */
  prune(): Promise<void> {
    if (this.pruneQueued) return this.pruneQueued;
    if (!this.pruneRunning) {
      this.pruneRunning = this.pruneOnce().finally(() => {
        this.pruneRunning = undefined;
      });
      return this.pruneRunning;
    }
    // A prune is running but may have listed the folder before the caller's put: run once more after it.
    this.pruneQueued = this.pruneRunning
      .catch(() => undefined)
      .then(() => {
        this.pruneQueued = undefined;
        return this.prune();
      });
    return this.pruneQueued;
  }

  /** Removes everything. */
  async clear(): Promise<void> {
    await fs.rm(this.layoutRoot, { recursive: true, force: true, maxRetries: 5 });
    // Staging files of downloads still running (in this or another process) are theirs to clean up.
    await this.removeStaleStagingFiles();
  }

  /** Total bytes and entry count (for the UI). Bytes count every audio file on disk, including superseded ones not yet swept. */
  async stats(): Promise<{ entries: number; bytes: number }> {
    let entries = 0;
    let bytes = 0;
    for (const shard of await this.listShards()) {
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

  private async pruneOnce(): Promise<void> {
    const now = this.now();
    const candidates: EvictionCandidate[] = [];
    let total = 0;
    for (const shard of await this.listShards()) {
      for (const temp of shard.temps) {
        const tempPath = path.join(shard.directory, temp);
        const stat = await statOrUndefined(tempPath);
        if (stat && now - lastChangeMs(stat) > ORPHAN_GRACE_MS) await this.unlinkQuietly(tempPath);
      }
      for (const [key, files] of shard.contents) {
        const sidecarPath = path.join(shard.directory, `${key}.json`);
        let current: string | undefined;
        if (shard.sidecars.has(key)) {
          if (files.length === 1) {
            current = files[0]; // the usual case, decided without reading the sidecar
          } else {
            const sidecarRead = await readSidecar(sidecarPath, key);
            if (sidecarRead.kind === 'valid')
              current = contentFileName(key, sidecarRead.sidecar.sha256, sidecarRead.sidecar.extension);
            if (sidecarRead.kind === 'invalid') await this.removeIfUnchanged(sidecarPath, sidecarRead.text);
          }
        }
        for (const file of files) {
          const contentPath = path.join(shard.directory, file);
          const stat = await statOrUndefined(contentPath);
          if (!stat) continue; // another process got there first
          if (file === current) {
            candidates.push({ key, sidecarPath, contentPath, bytes: stat.size, mtimeMs: stat.mtimeMs });
            total += stat.size;
          } else if (now - lastChangeMs(stat) > ORPHAN_GRACE_MS) {
            await this.unlinkQuietly(contentPath);
          }
          // A younger unreferenced file may be a put in flight elsewhere: not ours to delete, and not counted
          // either, since evicting live entries cannot make room it will not give back (it is swept later).
        }
      }
    }
    await this.removeStaleStagingFiles();
    if (total <= this.maxBytes) return;

    candidates.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const candidate of candidates) {
      if (total <= this.maxBytes) break;
      const stat = await statOrUndefined(candidate.contentPath);
      if (!stat) {
        total -= candidate.bytes; // already evicted by another process
        continue;
      }
      if (stat.mtimeMs !== candidate.mtimeMs) continue; // used since we listed it: no longer the least recent
      // The sidecar goes first: without it the entry is gone for readers at once, never half there.
      await this.unlinkQuietly(candidate.sidecarPath);
      await this.unlinkQuietly(candidate.contentPath);
      total -= candidate.bytes;
      this.logger.debug(`Audio cache evicted ${candidate.key} (${candidate.bytes} bytes).`);
    }
    if (total > this.maxBytes)
      this.logger.debug(`Audio cache is still over its limit (${total} bytes) after pruning; some entries are in use.`);
  }

  private async listShards(): Promise<ShardListing[]> {
    const shardNames = await readdirOrEmpty(this.layoutRoot);
    const listings: ShardListing[] = [];
    for (const shardName of shardNames.filter((name) => SHARD_PATTERN.test(name)).sort()) {
      const directory = path.join(this.layoutRoot, shardName);
      const listing: ShardListing = { directory, sidecars: new Set(), contents: new Map(), temps: [] };
      for (const name of await readdirOrEmpty(directory)) {
        const sidecarMatch = SIDECAR_NAME.exec(name);
        const contentMatch = CONTENT_NAME.exec(name);
        if (sidecarMatch) {
          listing.sidecars.add(sidecarMatch[1]);
        } else if (contentMatch) {
          const files = listing.contents.get(contentMatch[1]) ?? [];
          files.push(name);
          listing.contents.set(contentMatch[1], files);
        } else if (TEMP_NAME.test(name)) {
          listing.temps.push(name);
        }
      }
      listings.push(listing);
    }
    return listings;
  }

  /** Deletes audio files of a key that no sidecar references, once they are too old to be a put in flight. */
  private async sweepOrphansOfKey(directory: string, key: string): Promise<void> {
    const now = this.now();
    for (const name of await readdirOrEmpty(directory)) {
      if (CONTENT_NAME.exec(name)?.[1] !== key) continue;
      const contentPath = path.join(directory, name);
      const stat = await statOrUndefined(contentPath);
      if (stat && now - lastChangeMs(stat) > ORPHAN_GRACE_MS) await this.unlinkQuietly(contentPath);
    }
  }

  private async removeStaleStagingFiles(): Promise<void> {
    const now = this.now();
    for (const name of await readdirOrEmpty(this.stagingRoot)) {
      const stagingPath = path.join(this.stagingRoot, name);
      const stat = await statOrUndefined(stagingPath);
      if (!stat || now - lastChangeMs(stat) <= STALE_STAGING_MS) continue;
      if (stat.isFile()) await this.unlinkQuietly(stagingPath);
      // A run's private folder left behind by a process that was killed mid-generation.
      else if (stat.isDirectory() && name.startsWith('run-'))
        await fs.rm(stagingPath, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Deletes a sidecar only if it still says what we judged, so a fresh entry written meanwhile survives. */
  private async removeIfUnchanged(sidecarPath: string, expectedText: string): Promise<void> {
    if ((await readSidecarText(sidecarPath)) === expectedText) await this.unlinkQuietly(sidecarPath);
  }

  private async undoPut(
    sourcePath: string,
    ownedPath: string | undefined,
    movedByRename: boolean,
    contentPath: string | undefined,
    sidecarPath: string,
    temporarySidecar: string,
  ): Promise<void> {
    await this.unlinkQuietly(temporarySidecar);
    if (ownedPath === undefined) return;
    // An identical put elsewhere may have committed the very same hash-named file: then it is theirs now.
    if (ownedPath === contentPath) {
      const sidecarRead = await readSidecar(sidecarPath, path.basename(sidecarPath, '.json')).catch(
        (): SidecarRead => ({ kind: 'missing' }),
      );
      if (
        sidecarRead.kind === 'valid' &&
        contentFileName(sidecarRead.sidecar.key, sidecarRead.sidecar.sha256, sidecarRead.sidecar.extension) ===
          path.basename(contentPath)
      ) {
        return;
      }
    }
    if (movedByRename) {
      try {
        await fs.rename(ownedPath, sourcePath);
        return;
      } catch (error) {
        this.logger.debug(`Audio cache could not give back ${sourcePath}: ${describe(error)}`);
      }
    }
    await this.unlinkQuietly(ownedPath);
  }

  /** Deletes a file, tolerating that it is already gone; other failures are logged, not thrown (e.g. a file in use on Windows). */
  private async unlinkQuietly(filePath: string): Promise<void> {
    try {
      await fs.unlink(filePath);
    } catch (error) {
      if (!isMissing(error)) this.logger.warn(`Audio cache could not delete ${filePath}: ${describe(error)}`);
    }
  }
}

function assertKey(key: string): void {
  // Keys become file names: anything but a sha256 hex digest could escape the cache folder.
  if (!KEY_PATTERN.test(key))
    throw new AudioCacheError('invalid-key', 'An audio cache key must be 64 lower-case hex digits (see cacheKey).');
}

function normalizeExtension(extension: string): string {
  const withDot = (extension.startsWith('.') ? extension : `.${extension}`).toLowerCase();
  if (!EXTENSION_PATTERN.test(withDot)) {
    throw new AudioCacheError(
      'invalid-extension',
      `Not a usable audio file extension: ${JSON.stringify(extension.slice(0, 20))}.`,
    );
  }
  return withDot;
}

function contentFileName(key: string, digest: string, extension: string): string {
  return `${key}.${digest.slice(0, 16)}${extension}`;
}

function temporaryName(base: string): string {
  return `.${base}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function hashFile(filePath: string): Promise<{ bytes: number; digest: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(filePath)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, digest: hash.digest('hex') };
}

async function readSidecarText(sidecarPath: string): Promise<string | undefined> {
  try {
    return await fs.readFile(sidecarPath, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function readSidecar(sidecarPath: string, key: string): Promise<SidecarRead> {
  const text = await readSidecarText(sidecarPath);
  if (text === undefined) return { kind: 'missing' };
  const sidecar = parseSidecar(text, key);
  return sidecar ? { kind: 'valid', text, sidecar } : { kind: 'invalid', text };
}

function parseSidecar(text: string, key: string): Sidecar | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<Record<keyof Sidecar, unknown>>;
  const valid =
    candidate.format === SIDECAR_FORMAT &&
    candidate.key === key &&
    typeof candidate.extension === 'string' &&
    EXTENSION_PATTERN.test(candidate.extension) &&
    typeof candidate.bytes === 'number' &&
    Number.isSafeInteger(candidate.bytes) &&
    candidate.bytes >= 0 &&
    typeof candidate.sha256 === 'string' &&
    KEY_PATTERN.test(candidate.sha256);
  return valid ? (candidate as Sidecar) : undefined;
}

/** rename(), retried briefly where Windows refuses to replace a file another process holds open for a moment. */
async function renameReplacing(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 4 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

async function readdirOrEmpty(directory: string): Promise<string[]> {
  try {
    return await fs.readdir(directory);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function statOrUndefined(filePath: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(filePath);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** When a file last came into being here: a rename updates ctime but keeps mtime, and put stamps mtime itself. */
function lastChangeMs(stat: Stats): number {
  return Math.max(stat.mtimeMs, stat.ctimeMs);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
