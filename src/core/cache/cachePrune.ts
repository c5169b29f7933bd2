// Keeping the shared audio cache within its size: least-recently-used entries go first, superseded audio and
// abandoned writes are swept once they are too old to belong to a put in flight in another process.
// Every decision is made from file names, sidecars and mtimes; the worst a race can do is keep a file a bit longer.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { lastChangeMs, readdirOrEmpty, statOrUndefined, unlinkQuietly } from './cacheFiles';
import {
  CONTENT_NAME,
  contentFileName,
  readSidecar,
  readSidecarText,
  SHARD_PATTERN,
  SIDECAR_NAME,
  TEMP_NAME,
} from './cacheLayout';

/** Unreferenced files younger than this (ms) may belong to a put in flight elsewhere; leave them alone. */
export const ORPHAN_GRACE_MS = 10 * 60 * 1000;
/** A staging file this old (ms) is left over from a crashed download (one chunk takes seconds, not an hour). */
const STALE_STAGING_MS = 60 * 60 * 1000;

/** The cache folder as the sweeping functions see it. */
export interface CacheFolder {
  layoutRoot: string;
  stagingRoot: string;
  /** ms since the epoch */
  now(): number;
  logger: { debug(m: string): void; warn(m: string): void };
}

/** File names found in one shard folder, grouped by key. */
export interface ShardListing {
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

/**
 * Evicts least-recently-used entries until the audio files' total is ≤ maxBytes; sweeps old leftovers on the way.
 * Returns the total bytes of the live entries left (as listed; other processes may add or remove meanwhile).
 */
export async function pruneOnce(folder: CacheFolder, maxBytes: number): Promise<number> {
  const { logger } = folder;
  const now = folder.now();
  const candidates: EvictionCandidate[] = [];
  let total = 0;
  for (const shard of await listShards(folder.layoutRoot)) {
    for (const temp of shard.temps) {
      const tempPath = path.join(shard.directory, temp);
      const stat = await statOrUndefined(tempPath);
      if (stat && now - lastChangeMs(stat) > ORPHAN_GRACE_MS) await unlinkQuietly(tempPath, logger);
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
          if (sidecarRead.kind === 'invalid') await removeIfUnchanged(folder, sidecarPath, sidecarRead.text);
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
          await unlinkQuietly(contentPath, logger);
        }
        // A younger unreferenced file may be a put in flight elsewhere: not ours to delete, and not counted
        // either, since evicting live entries cannot make room it will not give back (it is swept later).
      }
    }
  }
  await removeStaleStagingFiles(folder);
  if (total <= maxBytes) return total;

  candidates.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const candidate of candidates) {
    if (total <= maxBytes) break;
    const stat = await statOrUndefined(candidate.contentPath);
    if (!stat) {
      total -= candidate.bytes; // already evicted by another process
      continue;
    }
    if (stat.mtimeMs !== candidate.mtimeMs) continue; // used since we listed it: no longer the least recent
    // The sidecar goes first: without it the entry is gone for readers at once, never half there.
    await unlinkQuietly(candidate.sidecarPath, logger);
    await unlinkQuietly(candidate.contentPath, logger);
    total -= candidate.bytes;
    logger.debug(`Audio cache evicted ${candidate.key} (${candidate.bytes} bytes).`);
  }
  if (total > maxBytes)
    logger.debug(`Audio cache is still over its limit (${total} bytes) after pruning; some entries are in use.`);
  return total;
}

/** Every shard folder's files, sorted by shard. */
export async function listShards(layoutRoot: string): Promise<ShardListing[]> {
  const shardNames = await readdirOrEmpty(layoutRoot);
  const listings: ShardListing[] = [];
  for (const shardName of shardNames.filter((name) => SHARD_PATTERN.test(name)).sort()) {
    const directory = path.join(layoutRoot, shardName);
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
export async function sweepOrphansOfKey(folder: CacheFolder, directory: string, key: string): Promise<void> {
  const now = folder.now();
  for (const name of await readdirOrEmpty(directory)) {
    if (CONTENT_NAME.exec(name)?.[1] !== key) continue;
    const contentPath = path.join(directory, name);
    const stat = await statOrUndefined(contentPath);
    if (stat && now - lastChangeMs(stat) > ORPHAN_GRACE_MS) await unlinkQuietly(contentPath, folder.logger);
  }
}

/** Deletes staging files and run folders left behind by processes that ended mid-generation an hour ago or more. */
export async function removeStaleStagingFiles(folder: CacheFolder): Promise<void> {
  const now = folder.now();
  for (const name of await readdirOrEmpty(folder.stagingRoot)) {
    const stagingPath = path.join(folder.stagingRoot, name);
    const stat = await statOrUndefined(stagingPath);
    if (!stat || now - lastChangeMs(stat) <= STALE_STAGING_MS) continue;
    if (stat.isFile()) await unlinkQuietly(stagingPath, folder.logger);
    // A run's private folder left behind by a process that was killed mid-generation.
    else if (stat.isDirectory() && name.startsWith('run-'))
      await fs.rm(stagingPath, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Deletes a sidecar only if it still says what we judged, so a fresh entry written meanwhile survives. */
export async function removeIfUnchanged(folder: CacheFolder, sidecarPath: string, expectedText: string): Promise<void> {
  if ((await readSidecarText(sidecarPath)) === expectedText) await unlinkQuietly(sidecarPath, folder.logger);
}
