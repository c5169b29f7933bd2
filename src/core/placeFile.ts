import { promises as fs, constants as fsConstants } from 'fs';
import * as path from 'path';
import { randomUUID } from 'crypto';
import { InputError } from './errors';
import { findFreeName, numberedName } from './fileNaming';
import type { IfExists } from './download';

/**
 * Moves a finished temporary file to `directory/baseName+extension` without ever clobbering: the copy goes to a
 * hidden part file first, and the final name is claimed with a hard link, which fails atomically when taken.
 * Used by the command-line tool; the extension does the same through vscode.workspace.fs.
 */
export async function placeFile(tempPath: string, directory: string, baseName: string, extension: string, ifExists: IfExists = 'number'): Promise<string> {
  await assertWritableDirectory(directory);
  const part = path.join(directory, `.${baseName}.${randomUUID().slice(0, 8)}.part`);
  try {
    await fs.copyFile(tempPath, part);
    if (ifExists === 'overwrite') {
      const target = path.join(directory, baseName + extension);
      await fs.rename(part, target);
      return target;
    }
    for (let attempt = 0; attempt < 1000; attempt++) {
      const name = ifExists === 'fail' ? numberedName(baseName, extension, 1) : await findFreeName(baseName, extension, (n) => exists(path.join(directory, n)));
      const target = path.join(directory, name);
      try {
        await fs.link(part, target);
        return target;
      } catch (error) {
        if (errno(error) !== 'EEXIST') throw error;
        if (ifExists === 'fail') throw new InputError(`${name} already exists; nothing was overwritten.`);
        // Someone took the name between our check and our link: pick the next free one.
      }
    }
    throw new InputError(`No free file name was found for ${baseName}${extension}.`);
  } finally {
    await fs.rm(part, { force: true });
  }
}

/** Refuses a missing or read-only folder before any credit is spent. */
export async function assertWritableDirectory(directory: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(directory);
  } catch {
    throw new InputError(`The folder ${directory} does not exist.`);
  }
  if (!stat.isDirectory()) throw new InputError(`${directory} is not a folder.`);
  try {
    await fs.access(directory, fsConstants.W_OK);
  } catch {
    throw new InputError(`The folder ${directory} is read-only.`);
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
