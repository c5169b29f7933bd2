// Whether the cache folder can be used at all: a cache is an optimisation, so one that cannot be created or written
// (a file where the folder should be, a folder left to root by a run with sudo, a read-only or full disk) must cost
// the user a warning, not the run. This finds out once, and says what is wrong and how to fix it.

import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { errorCodeOf, fileProblem } from '../systemErrors';

/** Why the cache folder cannot be used. */
export interface CacheUnavailable {
  /** The cache folder. */
  directory: string;
  /** One or two sentences for the user: the folder, what is wrong, how to fix it. */
  message: string;
  /** The system's error code (ENOTDIR, EACCES…), for the log. */
  code?: string;
}

/**
 * Tries the cache folder the way a run uses it: creates `stagingRoot` (and so `root`), writes and removes a small
 * file in it, and checks that `layoutRoot` is writable when it exists. Resolves to undefined when all of that works,
 * else to what is wrong; never throws for file-system errors.
 */
export async function checkCacheFolder(
  root: string,
  stagingRoot: string,
  layoutRoot: string,
): Promise<CacheUnavailable | undefined> {
  try {
    await fs.mkdir(stagingRoot, { recursive: true });
    const probe = path.join(stagingRoot, `.write-check-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    await fs.writeFile(probe, '', { flag: 'wx' });
    await fs.unlink(probe);
    await fs.access(layoutRoot, constants.W_OK).catch((error: unknown) => {
      if (errorCodeOf(error) !== 'ENOENT') throw error;
    });
    return undefined;
  } catch (error) {
    return describeUnusableCache(root, error);
  }
}

async function describeUnusableCache(root: string, error: unknown): Promise<CacheUnavailable> {
  const code = errorCodeOf(error);
  const failedPath = (error as { path?: unknown }).path;
  const where = typeof failedPath === 'string' && failedPath !== '' ? failedPath : root;
  let problem: string;
  let fix: string;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    const blocking = (await firstFileOnPath(root)) ?? where;
    problem = `${blocking} is a file, where a folder is needed`;
    fix = `Remove or rename that file.`;
  } else if (code === 'EACCES' || code === 'EPERM') {
    problem = `you may not write to ${where} (it may belong to another user, for instance after a run with sudo)`;
    fix =
      process.platform === 'win32'
        ? `Give your account write access to ${root}, or delete it.`
        : `Give it back to your user (sudo chown -R "$USER" "${root}") or delete it.`;
  } else {
    problem = fileProblem(code) ?? 'the folder could not be created or written';
    fix = code === 'ENOSPC' || code === 'EDQUOT' ? 'Free some disk space.' : `Check the folder ${root}.`;
  }
  return {
    directory: root,
    message: `The audio cache in ${root} cannot be used: ${problem}. ${fix}`,
    ...(code !== undefined ? { code } : {}),
  };
}

/** The first path from the root of the file system down to `target` that exists and is not a folder. */
async function firstFileOnPath(target: string): Promise<string | undefined> {
  const parts: string[] = [];
  for (let current = path.resolve(target); ; current = path.dirname(current)) {
    parts.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const candidate of parts) {
    const stat = await fs.stat(candidate).catch(() => undefined);
    if (!stat) return undefined;
    if (!stat.isDirectory()) return candidate;
  }
  return undefined;
}
