// The FileSystem of this machine, on Node's fs: used by the command-line tool and by downloads into the cache.
// Node's rename() replaces silently, so a rename that must not replace claims the name with a hard link instead,
// which fails atomically when the name is taken.

import { constants as fsConstants, promises as fsp } from 'fs';
import * as path from 'path';
import { InputError } from '../errors';
import { FileExistsError, type FileStat, type FileSystem } from './fileSystem';
import { assertFolder, partFileName } from './placement';

/** Bytes compared at a time: two such buffers are all the memory a comparison takes. */
const COMPARE_BLOCK_BYTES = 64 * 1024;

export const nodeFileSystem: FileSystem<string> = {
  join: (folder, name) => path.join(folder, name),

  async stat(location: string): Promise<FileStat | undefined> {
    try {
      const stat = await fsp.stat(location);
      return { isDirectory: stat.isDirectory(), size: stat.size, modifiedMs: stat.mtimeMs };
    } catch (error) {
      if (!isMissing(error)) throw error;
      // A dangling link still takes the name.
      const link = await fsp.lstat(location).catch(() => undefined);
      return link && { isDirectory: false, size: link.size, modifiedMs: link.mtimeMs };
    }
  },

  async readDirectory(folder: string): Promise<string[]> {
    try {
      return await fsp.readdir(folder);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  },

  async createDirectory(folder: string): Promise<void> {
    await fsp.mkdir(folder, { recursive: true });
  },

  async copyFromLocal(localPath: string, target: string): Promise<void> {
    try {
      await fsp.copyFile(localPath, target, fsConstants.COPYFILE_EXCL);
    } catch (error) {
      throw code(error) === 'EEXIST' ? new FileExistsError(target, { cause: error }) : error;
    }
  },

  async rename(from: string, to: string, options: { replace: boolean }): Promise<void> {
    if (options.replace) return fsp.rename(from, to);
    await linkWithoutReplacing(from, to);
    await fsp.rm(from, { force: true });
  },

  async adoptLocal(localPath: string, target: string, options: { replace: boolean }): Promise<boolean> {
    // link() fails with EEXIST instead of replacing. To replace, a hidden link is renamed over the target. Either
    // way the local name stays (someone may still read it: the cache's copy of a piece), for the caller to remove.
    const linked = options.replace ? path.join(path.dirname(target), partFileName(path.basename(target))) : target;
    try {
      await fsp.link(localPath, linked);
    } catch (error) {
      if (!options.replace && code(error) === 'EEXIST') throw new FileExistsError(target, { cause: error });
      // Any other failure means "not by a link here": file systems say it in many ways (EXDEV, EPERM, ENOTSUP, and
      // EISDIR for FAT on Windows, EINVAL or EACCES on some shares). The copy that follows reports a real problem
      // (a missing folder, no space) in its own words.
      return false;
    }
    if (options.replace) {
      try {
        await fsp.rename(linked, target);
      } catch (error) {
        await fsp.rm(linked, { force: true }).catch(() => undefined);
        throw error;
      }
    }
    // A take's time is when it was placed (the newest take is found by it), not when its audio was downloaded.
    const now = new Date();
    await fsp.utimes(target, now, now).catch(() => undefined);
    return true;
  },

  async delete(location: string): Promise<void> {
    await fsp.rm(location, { force: true });
  },

  hasSameBytes: (location, localPath) => sameBytes(location, localPath),
};

/** link() fails with EEXIST instead of replacing; where hard links are not supported, an exclusive copy does the same. */
async function linkWithoutReplacing(from: string, to: string): Promise<void> {
  try {
    await fsp.link(from, to);
  } catch (error) {
    if (code(error) === 'EEXIST') throw new FileExistsError(to, { cause: error });
    // Not by a link here (see adoptLocal): the exclusive copy reports a real problem itself.
    await nodeFileSystem.copyFromLocal(from, to);
  }
}

/** Whether two local files hold the same bytes (false when either is missing), read block by block. */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const handles = await Promise.all([fsp.open(a, 'r'), fsp.open(b, 'r')].map((p) => p.catch(() => undefined)));
  try {
    const [x, y] = handles;
    if (!x || !y) return false;
    const [sizeX, sizeY] = await Promise.all([x.stat(), y.stat()]);
    if (sizeX.size !== sizeY.size) return false;
    const blockX = Buffer.alloc(COMPARE_BLOCK_BYTES);
    const blockY = Buffer.alloc(COMPARE_BLOCK_BYTES);
    for (let position = 0; ;) {
      const [readX, readY] = await Promise.all([
        x.read(blockX, 0, COMPARE_BLOCK_BYTES, position),
        y.read(blockY, 0, COMPARE_BLOCK_BYTES, position),
      ]);
      if (readX.bytesRead !== readY.bytesRead) return false;
      if (readX.bytesRead === 0) return true;
      if (!blockX.subarray(0, readX.bytesRead).equals(blockY.subarray(0, readY.bytesRead))) return false;
      position += readX.bytesRead;
    }
  } catch {
    return false;
  } finally {
    await Promise.all(handles.map((h) => h?.close().catch(() => undefined)));
  }
}

/** Whether a local file holds exactly `bytes` (false when it is missing), read block by block. */
export async function localFileHasBytes(localPath: string, bytes: Uint8Array): Promise<boolean> {
  const handle = await fsp.open(localPath, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    if ((await handle.stat()).size !== bytes.length) return false;
    const block = Buffer.alloc(COMPARE_BLOCK_BYTES);
    for (let position = 0; position < bytes.length;) {
      const { bytesRead } = await handle.read(block, 0, COMPARE_BLOCK_BYTES, position);
      if (bytesRead === 0 || !block.subarray(0, bytesRead).equals(bytes.subarray(position, position + bytesRead)))
        return false;
      position += bytesRead;
    }
    return true;
  } catch {
    return false;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Refuses a missing path or a file where a folder is needed (InputError). */
export function assertDirectory(directory: string): Promise<void> {
  return assertFolder(nodeFileSystem, directory);
}

/** Refuses a missing or read-only folder (InputError), before any credit is spent. */
export async function assertWritableDirectory(directory: string): Promise<void> {
  await assertDirectory(directory);
  await fsp.rm(await createTempFile(directory, 'write-check'), { force: true });
}

/** Creates an empty part file in the folder and returns its path; InputError when the folder is not writable. */
export async function createTempFile(directory: string, baseName: string): Promise<string> {
  const { path: tempPath, handle } = await openTempFile(directory, baseName);
  await handle.close();
  return tempPath;
}

/** A new part file, open for writing. */
export interface TempFile {
  path: string;
  handle: fsp.FileHandle;
}

/**
 * Creates a new, empty part file in the folder (`.name.<random>.part`) and returns its path with a handle open for
 * writing it, which the caller must close. InputError when the folder is missing, is not a folder, or is not writable.
 */
export async function openTempFile(directory: string, baseName: string): Promise<TempFile> {
  const tempPath = path.join(directory, partFileName(baseName));
  try {
    return { path: tempPath, handle: await fsp.open(tempPath, 'wx') };
  } catch (error) {
    // One system call when all is well; the folder is looked at only to say what is wrong with it.
    await assertDirectory(directory);
    const reason = code(error);
    throw new InputError(`The target folder is not writable: ${directory}${reason ? ` (${reason})` : ''}`, {
      cause: error,
    });
  }
}

/** Closes and deletes a part file that will not be used; never throws. */
export async function discardTempFile(temp: TempFile): Promise<void> {
  await temp.handle.close().catch(() => undefined);
  await fsp.rm(temp.path, { force: true }).catch(() => undefined);
}

/** Whether anything (even a dangling link) has the path. */
export async function pathExists(location: string): Promise<boolean> {
  return (await nodeFileSystem.stat(location).catch(() => undefined)) !== undefined;
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function isMissing(error: unknown): boolean {
  return code(error) === 'ENOENT' || code(error) === 'ENOTDIR';
}
