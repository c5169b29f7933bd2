// activate_ms and first_sound_ratio need the real extension host: host/index.ts runs there, through the integration
// runner (scripts/run-integration.js --suite), and hands its numbers back in a JSON file.
import { spawn } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import type { TempFolders } from './benchPaths';
import type { HostResults } from './host/index';

/** The longest the host may take, start and shutdown included. */
const HOST_TIMEOUT_SECONDS = 150;

export interface HostRun {
  results: HostResults;
  /** What the runner printed (for a failure's report). */
  output: string;
  seconds: number;
}

/** Runs host/index.js in the extension host (the offline host here); rejects with the runner's output on failure. */
export async function runInExtensionHost(root: string, folders: TempFolders): Promise<HostRun> {
  const resultsFile = path.join(folders.make('host'), 'results.json');
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'scripts/run-integration.js'), '--suite', path.join(__dirname, 'host', 'index.js')],
      {
        cwd: root,
        env: {
          ...process.env,
          AISTUDIOS_BENCH_RESULTS: resultsFile,
          AISTUDIOS_TEST_TIMEOUT_SECONDS: String(HOST_TIMEOUT_SECONDS),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const text = output.join('');
  const results = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as HostResults) : undefined;
  if (code !== 0 || !results || results.error) {
    throw new Error(
      `the extension host run failed (exit code ${code}): ${results?.error ?? 'no results'}\n${text.trim().split('\n').slice(-25).join('\n')}`,
    );
  }
  return { results, output: text, seconds: (Date.now() - started) / 1000 };
}
