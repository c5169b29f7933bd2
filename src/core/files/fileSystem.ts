// The few file operations that placing a finished file needs, over any kind of location: the command-line tool
// passes Node's file system (nodeFileSystem.ts), the extension passes vscode.workspace.fs (so remote and virtual
// workspaces work). The audio to place is always a local file: it was made on this machine.

/** What placement needs to know about an existing entry. */
export interface FileStat {
  readonly isDirectory: boolean;
  /** In bytes. */
  readonly size: number;
  /** When the content last changed, in milliseconds since the epoch (0 when the file system cannot tell). */
  readonly modifiedMs: number;
}

/** A name was already taken: a rename or copy that must not replace anything did not happen. */
export class FileExistsError extends Error {
  override readonly name = 'FileExistsError';
  constructor(
    readonly location: string,
    options?: { cause?: unknown },
  ) {
    super(`${location} already exists.`, options);
  }
}

/**
 * A file system whose locations are of type `L` (a path, a URI). Errors other than FileExistsError are the
 * file system's own, passed through.
 */
export interface FileSystem<L> {
  /** The location of `name` inside the folder `folder`. */
  join(folder: L, name: string): L;
  /** What is at the location, or undefined when nothing is (a dangling link counts as something). */
  stat(location: L): Promise<FileStat | undefined>;
  /** The names of the entries in a folder (files and folders alike); empty when the folder does not exist. */
  readDirectory(folder: L): Promise<string[]>;
  /** Creates the folder and its parents; an existing folder is fine. */
  createDirectory(folder: L): Promise<void>;
  /** Copies a local file to a new file at `target`; FileExistsError when `target` already exists. */
  copyFromLocal(localPath: string, target: L): Promise<void>;
  /**
   * Moves `from` to `to`. Without `replace`, an existing `to` is never replaced: FileExistsError, and both stay as
   * they were. With `replace`, an existing file at `to` is replaced.
   */
  rename(from: L, to: L, options: { replace: boolean }): Promise<void>;
  /**
   * Optional. Puts a finished local file that the caller gives away (a temporary of its own, which nothing changes
   * any more) at `target` atomically and without copying its bytes: a hard link (to replace, one renamed over the
   * target). Without `replace`, an existing `target` is never replaced: FileExistsError, and nothing changed.
   * Resolves false, having changed nothing, when the file system cannot (another device, no hard links): the caller
   * then copies. The local path still names the same file afterwards; the caller only removes it.
   */
  adoptLocal?(localPath: string, target: L, options: { replace: boolean }): Promise<boolean>;
  /** Deletes a file; a missing one is not an error. */
  delete(location: L): Promise<void>;
  /** Whether the file holds exactly the bytes of the local file (false when it is missing); compared as streams. */
  hasSameBytes(location: L, localPath: string): Promise<boolean>;
}
