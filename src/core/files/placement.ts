// Puts a finished file in its place without ever replacing an existing file unless asked: the bytes go to a
// hidden part file in the target folder first, and the final name is claimed with a hard link, which fails
// atomically when the name is taken. Shared by downloads and by the command-line tool's output.

import { randomBytes } from 'crypto';
import { constants as fsConstants, promises as fsp } from 'fs';
import * as path from 'path';
import { InputError } from '../errors';
import { findFreeName, numberedName } from './naming';

export type IfExists = 'number' | 'overwrite' | 'fail';

/** How often a name taken under our feet is retried with the next free one. */
const MAX_NAME_RACES = 20;

/** Copies a finished temporary file to `directory/baseName+extension` (or the next free name); returns the path written. */
export async function placeFile(
  tempPath: string,
  directory: string,
  baseName: string,
  extension: string,
  ifExists: IfExists = 'number',
): Promise<string> {
  await assertDirectory(directory);
  const part = await createTempFile(directory, baseName);
  try {
    await fsp.copyFile(tempPath, part);
    return await moveIntoPlace(part, directory, baseName, extension, ifExists);
  } finally {
    await fsp.rm(part, { force: true });
  }
}

/** Whether two files hold exactly the same bytes (false when either is missing). */
export async function hasSameBytes(a: string, b: string): Promise<boolean> {
  try {
    const [x, y] = await Promise.all([fsp.readFile(a), fsp.readFile(b)]);
    return x.equals(y);
  } catch {
    return false;
  }
}

/** Refuses a missing or read-only folder before any credit is spent. */
export async function assertWritableDirectory(directory: string): Promise<void> {
  await assertDirectory(directory);
  await fsp.rm(await createTempFile(directory, 'write-check'), { force: true });
}

/** Refuses a missing path or a file where a folder is needed. */
export async function assertDirectory(directory: string): Promise<void> {
  let stat;
  try {
    stat = await fsp.stat(directory);
  } catch {
    throw new InputError(`The target folder does not exist: ${directory}`);
  }
  if (!stat.isDirectory()) throw new InputError(`The target is not a folder: ${directory}`);
}

/** Creates the temp file up front: this also proves the folder is writable before any request. */
export async function createTempFile(directory: string, baseName: string): Promise<string> {
  const tempPath = path.join(directory, `.${baseName}.${randomBytes(6).toString('hex')}.part`);
  try {
    const handle = await fsp.open(tempPath, 'wx');
    await handle.close();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`The target folder is not writable: ${directory}${code ? ` (${code})` : ''}`, {
      cause: error,
    });
  }
  return tempPath;
}

export async function pathExists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch {
    return false;
  }
}

export function alreadyExists(fileName: string): InputError {
  return new InputError(`The file "${fileName}" already exists and the setting says not to replace it.`);
}

/** Moves the finished temp file to its name; 'number' and 'fail' never replace an existing file, even in a race. */
export async function moveIntoPlace(
  tempPath: string,
  directory: string,
  baseName: string,
  extension: string,
  ifExists: IfExists,
): Promise<string> {
  if (ifExists === 'overwrite') {
    const finalPath = path.join(directory, numberedName(baseName, extension, 1));
    await fsp.rename(tempPath, finalPath);
    return finalPath;
  }
  for (let race = 0; race < MAX_NAME_RACES; race++) {
    const fileName =
      ifExists === 'fail'
        ? numberedName(baseName, extension, 1)
        : await findFreeName(baseName, extension, (name) => pathExists(path.join(directory, name)));
    const finalPath = path.join(directory, fileName);
    try {
      await linkWithoutReplacing(tempPath, finalPath);
      await fsp.rm(tempPath, { force: true });
      return finalPath;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (ifExists === 'fail') throw alreadyExists(fileName);
      // Someone took the name between our check and the link: pick the next one.
    }
  }
  throw new InputError(`Could not find a free file name for "${baseName}${extension}".`);
}

/** link() fails with EEXIST instead of replacing; where hard links are not supported, an exclusive copy does the same. */
async function linkWithoutReplacing(from: string, to: string): Promise<void> {
  try {
    await fsp.link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || !['EPERM', 'ENOTSUP', 'EXDEV', 'ENOSYS', 'EOPNOTSUPP', 'EMLINK'].includes(code ?? ''))
      throw error;
    await fsp.copyFile(from, to, fsConstants.COPYFILE_EXCL);
  }
}
