// Reading an audio file through one reused window of bounded size, so a file of any length is scanned, checked
// and copied with the same small amount of memory.

import { promises as fs } from 'fs';

/** The window's size (bytes): large enough for few system calls, small enough to be nothing next to the audio. */
export const FILE_WINDOW_BYTES = 1024 * 1024;

/** An open file read by position through one reused buffer. Close it when done. */
export class FileWindow {
  /** The bytes loaded last: a view of the reused buffer, valid until the next load(). */
  bytes: Uint8Array = new Uint8Array(0);
  /** The file position of bytes[0]. */
  start = 0;
  private readonly buffer: Uint8Array;
  /** The whole file, when it fits the window: read at once, every read then served from it. */
  private whole: Uint8Array | undefined;

  private constructor(
    private readonly handle: fs.FileHandle,
    /** The file's size in bytes when it was opened. */
    readonly size: number,
    buffer: Uint8Array,
  ) {
    this.buffer = buffer;
  }

  /**
   * Opens `filePath` for reading through `buffer` (default: a new one of 1 MiB). Pass the same buffer to files
   * read one after the other: allocating a window per file would leave megabytes of garbage per file behind.
   */
  static async open(filePath: string, buffer?: Uint8Array): Promise<FileWindow> {
    const handle = await fs.open(filePath, 'r');
    try {
      const { size } = await handle.stat();
      const file = new FileWindow(handle, size, buffer ?? new Uint8Array(FILE_WINDOW_BYTES));
      // A file no larger than the window (a short piece) is read in one go: its many small reads (tags, the head,
      // the tail) then cost no system call each.
      if (size <= file.buffer.length) file.whole = file.buffer.subarray(0, await file.fill(file.buffer, 0));
      return file;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The position right after the loaded bytes. */
  get end(): number {
    return this.start + this.bytes.length;
  }

  /** Loads the window with the file's bytes from `position` on (fewer at the end of the file); returns them. */
  async load(position: number): Promise<Uint8Array> {
    this.start = position;
    this.bytes = this.whole
      ? this.whole.subarray(Math.min(position, this.whole.length))
      : this.buffer.subarray(0, await this.fill(this.buffer, position));
    return this.bytes;
  }

  /** A fresh copy of `length` bytes at `position` (fewer at the end of the file), for small reads aside the window. */
  async readAt(position: number, length: number): Promise<Uint8Array> {
    if (this.whole) return this.whole.slice(Math.min(position, this.whole.length), Math.max(0, position + length));
    const out = new Uint8Array(Math.max(0, Math.min(length, this.size - position)));
    return out.subarray(0, await this.fill(out, position));
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  private async fill(target: Uint8Array, position: number): Promise<number> {
    let filled = 0;
    while (filled < target.length && position + filled < this.size) {
      const { bytesRead } = await this.handle.read(target, filled, target.length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled;
  }
}
