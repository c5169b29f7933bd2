// How one entry enters the shared audio cache: the audio is moved (or copied) in under a temporary name, hashed,
// renamed to its hash-named file, and the sidecar's rename commits it. Until then a failure undoes every step, and
// the caller's file is put back where it was.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, hashFile, renameReplacing, temporaryName, unlinkQuietly } from './cacheFiles';
import { contentFileName, readSidecar, SIDECAR_FORMAT, type Sidecar, type SidecarRead } from './cacheLayout';
import type { CacheFolder } from './cachePrune';

/**
 * Stores `sourcePath` in `directory` (the key's shard) as the entry for `key`; returns the audio file's path and
 * size in bytes. Atomic: readers never see a partial entry. Throws the file system's error when it fails, after
 * removing every partial file and giving the source back when it had already been moved.
 */
export async function commitEntry(
  folder: CacheFolder,
  directory: string,
  key: string,
  sourcePath: string,
  extension: string,
  known?: KnownContent,
): Promise<{ path: string; bytes: number }> {
  const sidecarPath = path.join(directory, `${key}.json`);
  const temporaryContent = path.join(directory, temporaryName(key));
  const temporarySidecar = path.join(directory, temporaryName(`${key}.json`));
  const state: PutState = { sourcePath, sidecarPath, temporarySidecar, movedByRename: false };
  try {
    await fs.mkdir(directory, { recursive: true });
    try {
      await fs.rename(sourcePath, temporaryContent);
      state.movedByRename = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      // The source is on another file system: copy, and remove the source only once the entry is committed.
      state.ownedPath = temporaryContent; // a failed copy may leave a partial file to clean up
      await fs.copyFile(sourcePath, temporaryContent);
    }
    state.ownedPath = temporaryContent;
    // Stamp the time at once: a renamed file keeps its old mtime, which would make a fresh entry look least
    // recently used, or this put in flight look like a stale leftover to another process's prune.
    const storedAt = new Date(folder.now());
    await fs.utimes(temporaryContent, storedAt, storedAt);
    // Hash the copy we own, not the caller's file, so what we record is exactly what we store; a file moved in by
    // rename is the caller's very bytes, whose hash the caller may already know (a download hashes as it writes).
    const { bytes, digest } =
      known && state.movedByRename ? { bytes: known.bytes, digest: known.sha256 } : await hashFile(temporaryContent);
    const contentPath = path.join(directory, contentFileName(key, digest, extension));
    state.contentPath = contentPath;
    await renameReplacing(temporaryContent, contentPath);
    state.ownedPath = contentPath;
    const sidecar: Sidecar = { format: SIDECAR_FORMAT, key, extension, bytes, sha256: digest };
    await fs.writeFile(temporarySidecar, JSON.stringify(sidecar), { flag: 'wx' });
    await renameReplacing(temporarySidecar, sidecarPath);
    if (!state.movedByRename) await unlinkQuietly(sourcePath, folder.logger);
    return { path: contentPath, bytes };
  } catch (error) {
    try {
      await undoPut(folder, state);
    } catch (undoError) {
      folder.logger.warn(`Audio cache could not undo a failed put of ${key}: ${describe(undoError)}`);
    }
    throw error;
  }
}

/** The size and sha256 (hex) of the bytes of a file to store, as whoever wrote it computed them. */
export interface KnownContent {
  bytes: number;
  sha256: string;
}

/** Where a put's bytes are while it is not committed. */
interface PutState {
  sourcePath: string;
  sidecarPath: string;
  temporarySidecar: string;
  movedByRename: boolean;
  ownedPath?: string;
  contentPath?: string;
}

async function undoPut(folder: CacheFolder, state: PutState): Promise<void> {
  const { sourcePath, ownedPath, contentPath, sidecarPath } = state;
  await unlinkQuietly(state.temporarySidecar, folder.logger);
  if (ownedPath === undefined) return;
  // An identical put elsewhere may have committed the very same hash-named file: then it is theirs now.
  if (ownedPath === contentPath) {
    const sidecarRead = await readSidecar(sidecarPath, path.basename(sidecarPath, '.json')).catch((): SidecarRead => ({
      kind: 'missing',
    }));
    if (
      sidecarRead.kind === 'valid' &&
      contentFileName(sidecarRead.sidecar.key, sidecarRead.sidecar.sha256, sidecarRead.sidecar.extension) ===
        path.basename(contentPath)
    ) {
      return;
    }
  }
  if (state.movedByRename) {
    try {
      await fs.rename(ownedPath, sourcePath);
      return;
    } catch (error) {
      folder.logger.debug(`Audio cache could not give back ${sourcePath}: ${describe(error)}`);
    }
  }
  await unlinkQuietly(ownedPath, folder.logger);
}
