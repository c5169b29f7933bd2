// Where things are when the bench runs bundled from out/test/bench: the checkout root, its fixtures, temp folders.
import { existsSync, mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The checkout (the folder with package.json and test/fixtures), found by walking up from the bundle. */
export function projectRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'test', 'fixtures'))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`bench: cannot find the project root above ${__dirname}`);
}

/** Temporary folders made during the bench, removed together at the end. */
export class TempFolders {
  private readonly made: string[] = [];

  make(label: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), `aistudios-bench-${label}-`));
    this.made.push(dir);
    return dir;
  }

  removeAll(): void {
    for (const dir of this.made.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
