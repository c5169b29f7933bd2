// What the editor loads: the sizes of the built bundles, as numbers rather than a load time (timing a require() with a
// stubbed 'vscode' would measure the stub as much as the bundle). Also the sizes a production build would have,
// built in memory, so a development dist/ does not overstate the shipped size.
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { gzipSync } from 'zlib';
import type * as Esbuild from 'esbuild';

export interface BundleSize {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** esbuild.js --production: minified and without a source map comment. */
  production: boolean;
  /** The same entry built minified in memory. */
  minifiedBytes: number;
  minifiedGzipBytes: number;
}

/** The entries of esbuild.js (kept in step with it by hand). */
const ENTRIES: { source: string; output: string; options: Esbuild.BuildOptions }[] = [
  { source: 'src/extension.ts', output: 'dist/extension.js', options: { platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] } },
  { source: 'src/cli.ts', output: 'dist/cli.js', options: { platform: 'node', format: 'cjs', target: 'node20' } },
  { source: 'media/player.ts', output: 'dist/media/player.js', options: { platform: 'browser', format: 'iife', target: 'es2022' } },
];

/** Builds dist/ with `npm run build` when a bundle is missing; returns whether it did. */
export function ensureBuilt(root: string): boolean {
  if (ENTRIES.every((e) => existsSync(path.join(root, e.output)))) return false;
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  return true;
}

/** Sizes of the three bundles in dist/, and of their minified equivalents. */
export async function bundleSizes(root: string): Promise<BundleSize[]> {
  // Loaded from the checkout at run time: esbuild's native binary cannot be bundled into the bench.
  const esbuild = createRequire(path.join(root, 'package.json'))('esbuild') as typeof Esbuild;
  const sizes: BundleSize[] = [];
  for (const entry of ENTRIES) {
    const built = readFileSync(path.join(root, entry.output));
    const minified = await esbuild.build({
      ...entry.options,
      entryPoints: [path.join(root, entry.source)],
      absWorkingDir: root,
      bundle: true,
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    const code = minified.outputFiles[0]!.contents;
    sizes.push({
      file: entry.output,
      bytes: built.length,
      gzipBytes: gzipSync(built).length,
      production: !/\/\/# sourceMappingURL=\S+\s*$/.test(built.subarray(-300).toString('utf8')),
      minifiedBytes: code.length,
      minifiedGzipBytes: gzipSync(code).length,
    });
  }
  return sizes;
}
