// Everything the runner starts (server process groups, the browser, temp folders) registers how to
// undo it here, so a normal end, a failure, a timeout and Ctrl-C all clean up the same way.
'use strict';

class CleanupRegistry {
  constructor() {
    /** @type {{ name: string, close: () => (void | Promise<void>), closeSync?: () => void }[]} */
    this.entries = [];
  }

  /** Registers a resource; returns a function that forgets it (after it was released by other means). */
  add(name, close, closeSync) {
    const entry = { name, close, closeSync };
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** Releases everything, newest first; a failing step is reported and the rest still run. */
  async runAll() {
    while (this.entries.length > 0) {
      const entry = this.entries.pop();
      try {
        await entry.close();
      } catch (e) {
        console.error(`cleanup of ${entry.name} failed: ${e && e.message ? e.message : e}`);
      }
    }
  }

  /** Last resort from process.on('exit'), where nothing asynchronous can run any more. */
  runAllSync() {
    while (this.entries.length > 0) {
      const entry = this.entries.pop();
      try {
        if (entry.closeSync) entry.closeSync();
      } catch {
        // the process is exiting; nothing more we can do
      }
    }
  }
}

module.exports = { CleanupRegistry };
