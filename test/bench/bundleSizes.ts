// What the editor loads: the sizes of the built bundles, as numbers rather than a load time (timing a require() with a
// stubbed 'vscode' would measure the stub as much as the bundle). Also the sizes `npm run package` would produce:
// esbuild.js --production is run with esbuild's writes redirected to memory, so dist/ is left as it is (other
// work may be using it) and the numbers follow whatever esbuild.js does, without a copy of its settings here.
import { execFileSync } from 'child_process';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import type { TempFolders } from './benchPaths';

export interface BundleSize {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Built by esbuild.js --production (no source map comment at the end). */
  production: boolean;
  /** The same bundle from esbuild.js --production, built in memory now. */
  productionBytes?: number;
  productionGzipBytes?: number;
}

/** The bundles esbuild.js writes. */
const BUNDLES = ['dist/extension.js', 'dist/cli.js', 'dist/media/player.js'];

/**
 * Preloaded into `node esbuild.js --production`: replaces esbuild's context() with one whose rebuild() builds with
 * write: false, and saves the size of every output (by path relative to the checkout) as JSON when the process exits.
 */
const IN_MEMORY_BUILD_PRELOAD = `
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const resolved = require.resolve('esbuild', { paths: [process.cwd()] });
const real = require(resolved);
const sizes = {};
const context = async (options) => ({
  rebuild: async () => {
    const result = await real.build({ ...options, write: false });
    for (const file of result.outputFiles) {
      sizes[path.relative(process.cwd(), file.path).split(path.sep).join('/')] = { bytes: file.contents.length, gzipBytes: zlib.gzipSync(file.contents).length };
    }
    return result;
  },
  watch: async () => { throw new Error('not in the bench'); },
  dispose: async () => undefined,
});
require.cache[resolved].exports = Object.assign({}, real, { context });
process.on('exit', () => fs.writeFileSync(process.env.AISTUDIOS_BENCH_SIZES, JSON.stringify(sizes)));
`;

/** Builds dist/ with `npm run build` when a bundle is missing; returns whether it did. */
export function ensureBuilt(root: string): boolean {
  if (BUNDLES.every((bundle) => existsSync(path.join(root, bundle)))) return false;
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  return true;
}

/** Sizes of the production bundles, from esbuild.js --production run in memory. */
function productionSizes(root: string, folders: TempFolders): Record<string, { bytes: number; gzipBytes: number }> {
  const dir = folders.make('production-build');
  const preload = path.join(dir, 'inMemoryBuild.js');
  const output = path.join(dir, 'sizes.json');
  writeFileSync(preload, IN_MEMORY_BUILD_PRELOAD);
  execFileSync(process.execPath, ['--require', preload, 'esbuild.js', '--production'], {
    cwd: root,
    env: { ...process.env, AISTUDIOS_BENCH_SIZES: output },
    stdio: 'pipe',
  });
  return JSON.parse(readFileSync(output, 'utf8')) as Record<string, { bytes: number; gzipBytes: number }>;
}

/** Sizes of the three bundles in dist/, and of the same bundles in a production build. */
export function bundleSizes(root: string, folders: TempFolders): BundleSize[] {
  const production = productionSizes(root, folders);
  return BUNDLES.map((file) => {
    const built = readFileSync(path.join(root, file));
    return {
      file,
      bytes: built.length,
      gzipBytes: gzipSync(built).length,
      production: !/\/\/# sourceMappingURL=\S+\s*$/.test(built.subarray(-300).toString('utf8')),
      productionBytes: production[file]?.bytes,
      productionGzipBytes: production[file]?.gzipBytes,
    };
  });
}
