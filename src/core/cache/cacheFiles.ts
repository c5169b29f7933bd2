// File-system steps the audio cache is built from: renames that tolerate Windows' brief locks, listings and stats
// that treat "already gone" as a normal answer (other processes share the folder), and hashing with one small buffer.

import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';

/** Bytes read per step while hashing, through buffers reused from call to call, whatever the file's size. */
const HASH_BUFFER_BYTES = 256 * 1024;
/** Buffers kept for the next hash (a few hashes run at once, one per piece in flight). */
const spareHashBuffers: Buffer[] = [];

/** Size (bytes) and sha256 (hex) of a file, read through a reused 256 KiB buffer. */
export async function hashFile(filePath: string): Promise<{ bytes: number; digest: string }> {
  const buffer = spareHashBuffers.pop() ?? Buffer.allocUnsafeSlow(HASH_BUFFER_BYTES);
  try {
    return await hashWith(filePath, buffer);
  } finally {
    if (spareHashBuffers.length < 8) spareHashBuffers.push(buffer);
  }
}

async function hashWith(filePath: string, buffer: Buffer): Promise<{ bytes: number; digest: string }> {
  const hash = createHash('sha256');
  const handle = await fs.open(filePath, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { bytes, digest: hash.digest('hex') };
}

/** A name for a write in flight: hidden, unique to this process and call, ending in .tmp. */
export function temporaryName(base: string): string {
  return `.${base}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

/** rename(), retried briefly where Windows refuses to replace a file another process holds open for a moment. */
export async function renameReplacing(from: string, to: string): Promise<void> {
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

/** The names in a folder; none when it does not exist. */
export async function readdirOrEmpty(directory: string): Promise<string[]> {
  try {
    return await fs.readdir(directory);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** stat(), or undefined when the path does not exist. */
export async function statOrUndefined(filePath: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(filePath);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** When a file last came into being here: a rename updates ctime but keeps mtime, and put stamps mtime itself. */
export function lastChangeMs(stat: Stats): number {
  return Math.max(stat.mtimeMs, stat.ctimeMs);
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** An error's message for a log line. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Deletes a file, tolerating that it is already gone; other failures are logged, not thrown (e.g. a file in use on Windows). */
export async function unlinkQuietly(filePath: string, logger: { warn(m: string): void }): Promise<void> {
  try {
    await fs.unlink(filePath);
  } catch (error) {
    if (!isMissing(error)) logger.warn(`Audio cache could not delete ${filePath}: ${describe(error)}`);
  }
}
