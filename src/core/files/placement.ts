// Puts finished files in their place, for the extension and the command-line tool alike, on any FileSystem: the
// bytes go to a hidden part file in the target folder first, so no partial file ever carries a final name; the name
// is then claimed by a rename that never replaces an existing file unless the caller asked for it. A temporary file
// the caller gives away is put in place by a hard link instead where the file system allows (no copy, no part file).

import { randomBytes } from 'crypto';
import { throwIfCancelled } from '../abort';
import { InputError } from '../errors';
import { FileExistsError, type FileSystem } from './fileSystem';
import { findFreeName, numberedName, takeNumber } from './naming';

/** When the name is taken: `number` saves `intro (2).mp3`, `fail` refuses, `overwrite` replaces (only when asked). */
export type IfExists = 'number' | 'overwrite' | 'fail';

/** One finished local file and the name it should get. */
export interface FileToPlace {
  /** The finished file on this machine; it is copied, and left where it is (unless `adopt`). */
  localPath: string;
  baseName: string;
  /** With the dot: '.mp3'. */
  extension: string;
  /** Default 'number'. */
  ifExists?: IfExists;
  /**
   * The local file is the caller's to give away (a temporary of its own that nothing changes any more): where the
   * file system can put it in place in one step (FileSystem.adoptLocal), it is, without a copy; the caller must then
   * only remove the local path. Default false: copied.
   */
  adopt?: boolean;
}

export interface PlacementOptions {
  /** Create a missing target folder (the extension's output folder); otherwise a missing folder is an InputError. */
  createFolder?: boolean;
  /**
   * When the newest take of the name (see newestTake; with 'overwrite' or 'fail', the name itself) already holds
   * exactly these bytes, keep it as it is and name it, so regenerating an unchanged script does not pile up
   * numbered copies.
   */
  keepUnchanged?: boolean;
  signal?: AbortSignal;
}

export interface PlacedFile<L> {
  location: L;
  /** The name it has in the folder: `intro (2).mp3`. */
  fileName: string;
  /** The newest take was already there with exactly these bytes and was kept: it is up to date. */
  unchanged: boolean;
}

/** How often a name taken under our feet is retried with the next free one. */
const MAX_NAME_RACES = 100;

/**
 * Places every file in `folder`, in order, or none: a cancel (CancelledError) or failure part-way deletes the files
 * this call wrote before it rethrows (files kept as unchanged stay). Returns one PlacedFile per file, in order.
 */
export async function placeFiles<L>(
  fs: FileSystem<L>,
  folder: L,
  files: readonly FileToPlace[],
  options: PlacementOptions = {},
): Promise<PlacedFile<L>[]> {
  const placed: PlacedFile<L>[] = [];
  try {
    for (const file of files) {
      throwIfCancelled(options.signal);
      placed.push(await placeFile(fs, folder, file, options));
    }
    return placed;
  } catch (error) {
    await Promise.all(placed.filter((p) => !p.unchanged).map((p) => fs.delete(p.location).catch(() => undefined)));
    throw error;
  }
}

/**
 * Copies a finished local file into `folder` as `baseName+extension` (or, for 'number', the next free numbered
 * name), or with `adopt` puts it there without a copy where it can; never leaves a part file behind. Throws
 * InputError for a missing folder (unless `createFolder`) and, with 'fail', for a taken name; other errors are the
 * file system's.
 */
export async function placeFile<L>(
  fs: FileSystem<L>,
  folder: L,
  file: FileToPlace,
  options: PlacementOptions = {},
): Promise<PlacedFile<L>> {
  const ifExists = file.ifExists ?? 'number';
  /** The folder's names, when they were read anyway: the first guess at a free name. */
  let names: readonly string[] | undefined;
  if (options.keepUnchanged) {
    const firstName = numberedName(file.baseName, file.extension, 1);
    if (ifExists === 'number') names = await fs.readDirectory(folder);
    const existing = names
      ? await newestTakeEntry(fs, folder, names, file.baseName, file.extension)
      : { location: fs.join(folder, firstName), fileName: firstName };
    if (existing !== undefined && (await fs.hasSameBytes(existing.location, file.localPath)))
      return { ...existing, unchanged: true };
  }
  if (options.createFolder) await fs.createDirectory(folder);
  try {
    return await putInPlace(file, { fs, folder, baseName: file.baseName, extension: file.extension, ifExists, names });
  } catch (error) {
    // The folder is looked at only when something failed: a missing one, or a file, is said as such.
    if (!options.createFolder)
      await assertFolder(fs, folder).catch((e: unknown) => {
        if (e instanceof InputError) throw e;
      });
    throw error;
  }
}

/** Links (adopt) or copies the file into the folder under a free name; see placeFile. */
async function putInPlace<L>(file: FileToPlace, naming: Naming<L>): Promise<PlacedFile<L>> {
  const { fs, folder } = naming;
  const { adoptLocal } = fs;
  if (file.adopt && adoptLocal) {
    // A link (or a rename) is atomic: the name never holds part of the file, so no part file is needed.
    const adopted = await claimFileName(naming, (target, replace) =>
      adoptLocal.call(fs, file.localPath, target, { replace }),
    );
    if (adopted) return { ...adopted, unchanged: false };
  }
  const part = fs.join(folder, partFileName(file.baseName));
  let claimed = false;
  try {
    await fs.copyFromLocal(file.localPath, part);
    const placed = await claimFileName(naming, async (target, replace) => {
      await fs.rename(part, target, { replace });
      return true;
    });
    claimed = true;
    return { ...placed!, unchanged: false };
  } finally {
    // Gone already when the name was claimed; after a failure, the part file must not stay.
    if (!claimed) await fs.delete(part).catch(() => undefined);
  }
}

/**
 * Renames a part file (already in `folder`) to its final name and returns that location; 'number' and 'fail' never
 * replace an existing file, even when another writer takes the name between our check and the rename.
 */
export async function claimName<L>(
  fs: FileSystem<L>,
  part: L,
  folder: L,
  baseName: string,
  extension: string,
  ifExists: IfExists,
): Promise<L> {
  const claimed = await claimFileName({ fs, folder, baseName, extension, ifExists }, async (target, replace) => {
    await fs.rename(part, target, { replace });
    return true;
  });
  return claimed!.location;
}

/** Where a file is to get its name, and how. */
interface Naming<L> {
  fs: FileSystem<L>;
  folder: L;
  baseName: string;
  extension: string;
  ifExists: IfExists;
  /** The folder's names as read a moment ago, if they were: taken for the first guess instead of a stat per name. */
  names?: readonly string[];
}

/**
 * Claims a name with `put(target, replace)`, which puts the file there (FileExistsError when the name is taken; false
 * when it cannot put it at all: then undefined is returned). Says the name it claimed.
 */
async function claimFileName<L>(
  naming: Naming<L>,
  put: (target: L, replace: boolean) => Promise<boolean>,
): Promise<{ location: L; fileName: string } | undefined> {
  const { fs, folder, baseName, extension, ifExists } = naming;
  if (ifExists === 'overwrite') {
    const fileName = numberedName(baseName, extension, 1);
    const target = fs.join(folder, fileName);
    return (await put(target, true)) ? { location: target, fileName } : undefined;
  }
  // A stale listing costs at most one lost race: after it, each name is asked of the file system.
  let listed = naming.names && new Set(naming.names);
  const exists = async (name: string) => listed?.has(name) ?? (await fs.stat(fs.join(folder, name))) !== undefined;
  for (let race = 0; race < MAX_NAME_RACES; race++) {
    const fileName =
      ifExists === 'fail' ? numberedName(baseName, extension, 1) : await findFreeName(baseName, extension, exists);
    const target = fs.join(folder, fileName);
    try {
      return (await put(target, false)) ? { location: target, fileName } : undefined;
    } catch (error) {
      if (!(error instanceof FileExistsError)) throw error;
      if (ifExists === 'fail') throw alreadyExists(fileName);
      // Someone took the name between our check and the rename: pick the next one.
      listed = undefined;
    }
  }
  throw new InputError(`Could not find a free file name for "${baseName}${extension}".`);
}

/**
 * The newest take of `baseName+extension` in `folder`: of 'intro.mp3', 'intro (2).mp3', … the one changed last (the
 * highest number when the times are equal, since names are taken in order); undefined when there is none. A deleted
 * take's number is reused by the next one, so the number alone does not tell which is newest.
 */
export async function newestTake<L>(
  fs: FileSystem<L>,
  folder: L,
  baseName: string,
  extension: string,
): Promise<L | undefined> {
  return (await newestTakeEntry(fs, folder, await fs.readDirectory(folder), baseName, extension))?.location;
}

async function newestTakeEntry<L>(
  fs: FileSystem<L>,
  folder: L,
  names: readonly string[],
  baseName: string,
  extension: string,
): Promise<{ location: L; fileName: string } | undefined> {
  const takes = names
    .map((name) => ({ name, n: takeNumber(name, baseName, extension) }))
    .filter((take): take is { name: string; n: number } => take.n !== undefined);
  let newest: { location: L; fileName: string; n: number; modifiedMs: number } | undefined;
  for (const { name, n } of takes) {
    const location = fs.join(folder, name);
    const stat = await fs.stat(location);
    if (!stat || stat.isDirectory) continue;
    if (!newest || stat.modifiedMs > newest.modifiedMs || (stat.modifiedMs === newest.modifiedMs && n > newest.n))
      newest = { location, fileName: name, n, modifiedMs: stat.modifiedMs };
  }
  return newest && { location: newest.location, fileName: newest.fileName };
}

/** Refuses a missing folder, or a file where a folder is needed, with an InputError. */
export async function assertFolder<L>(fs: FileSystem<L>, folder: L): Promise<void> {
  const stat = await fs.stat(folder);
  if (!stat) throw new InputError(`The target folder does not exist: ${String(folder)}`);
  if (!stat.isDirectory) throw new InputError(`The target is not a folder: ${String(folder)}`);
}

/** A hidden, unique name for a file being written beside its final name: `.intro.3f2a9c1b0e4d.part`. */
export function partFileName(baseName: string): string {
  return `.${baseName}.${randomBytes(6).toString('hex')}.part`;
}

export function alreadyExists(fileName: string): InputError {
  return new InputError(`The file "${fileName}" already exists and the setting says not to replace it.`);
}
