// What the editor loads: the sizes of the built bundles, and of the same bundles as `npm run package` makes them
// (esbuild.js --production, built now into a folder of the bench's own, so dist/ is left as it is); and the
// activation_bundle_kb figure: the JavaScript a child process loaded from that production build by the time
// activate() returned (activationProbe.js, with a stand-in for `vscode`).
import { execFile, execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { gzipSync } from 'zlib';
import type { TempFolders } from './benchPaths';

export interface BundleSize {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Built by esbuild.js --production (no source map comment at the end). */
  production: boolean;
  /** The same bundle from esbuild.js --production, built now. */
  productionBytes?: number;
  productionGzipBytes?: number;
}

/** The bundles esbuild.js writes. */
const BUNDLES = ['extension.js', 'engine.js', 'captionWriter.js', 'cli.js', 'media/player.js'];

/** Builds dist/ (a development build, as `npm run build`), so what is measured is what the sources say now. */
export function buildDist(root: string): void {
  execFileSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'pipe' });
}

/** Builds what `npm run package` ships into a fresh folder; returns it. */
export function buildProduction(root: string, folders: TempFolders): string {
  const dir = path.join(folders.make('production-build'), 'dist');
  execFileSync(process.execPath, ['esbuild.js', '--production', '--outdir', dir], { cwd: root, stdio: 'pipe' });
  return dir;
}

/** Sizes of the bundles in dist/, and of the same bundles in the production build. */
export function bundleSizes(root: string, productionDir: string): BundleSize[] {
  return BUNDLES.map((file) => {
    const built = readFileSync(path.join(root, 'dist', file));
    const productionFile = path.join(productionDir, file);
    const production = existsSync(productionFile) ? readFileSync(productionFile) : undefined;
    return {
      file: `dist/${file}`,
      bytes: built.length,
      gzipBytes: gzipSync(built).length,
      production: !/\/\/# sourceMappingURL=\S+\s*$/.test(built.subarray(-300).toString('utf8')),
      productionBytes: production?.length,
      productionGzipBytes: production && gzipSync(production).length,
    };
  });
}

export interface ActivationLoad {
  /** The build's files loaded before activate() returned. */
  files: { path: string; bytes: number }[];
  commands: number;
}

/** Loads the production build's activation bundle in a child and calls activate(): what it loaded. */
export async function activationLoad(productionDir: string): Promise<ActivationLoad> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    path.join(__dirname, 'activationProbe.js'),
    productionDir,
  ]);
  return JSON.parse(stdout.trim().split('\n').pop()!) as ActivationLoad;
}
