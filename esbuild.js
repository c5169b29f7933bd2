// Builds every entry point with one esbuild context each, in the style of the official esbuild sample.
// `--production` empties dist/ first, minifies and writes no source maps (this is what the .vsix
// ships); `--watch` rebuilds on change; `--outdir <folder>` writes there instead of dist/ (the bench
// and the activation test build into a folder of their own).
const esbuild = require('esbuild');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirArg = process.argv.indexOf('--outdir');
const outdir = outdirArg >= 0 ? path.resolve(process.argv[outdirArg + 1]) : 'dist';

/**
 * Prints errors in the format of VS Code's `$esbuild-watch` problem matcher. The "[watch]" lines mark a rebuild's
 * start and end for that matcher, so they are printed only with `--watch`: a one-off build prints only its errors.
 */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    if (watch) build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

// package.json says `"sideEffects": false`: no module of ours does anything when merely imported, so esbuild drops
// every module a bundle does not use, with the libraries only those modules import (the caption bundle no longer
// carries the markdown parser, YAML and the HTTP client; the engine no longer carries the caption library's streams).
const common = {
  bundle: true,
  alias: { 'whatwg-url': './scripts/shims/whatwg-url.js' },
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcherPlugin],
};

const entries = [
  // The extension's activation bundle: Node, CommonJS, `vscode` provided by the host. Only what activate() needs;
  // it requires dist/engine.js at run time on first use.
  { ...common, entryPoints: ['src/extension.ts'], outfile: `${outdir}/extension.js`, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  // The rest of the extension (the core's parser, client and audio code, the generation, the player).
  { ...common, entryPoints: ['src/engine.ts'], outfile: `${outdir}/engine.js`, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  // Caption files (MP3 decoder, caption library), loaded by the engine only when a generation asks for captions.
  { ...common, entryPoints: ['src/captionWriter.ts'], outfile: `${outdir}/captionWriter.js`, platform: 'node', format: 'cjs', target: 'node20' },
  // The command-line tool on the same core.
  { ...common, entryPoints: ['src/cli.ts'], outfile: `${outdir}/cli.js`, platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  // The player's script runs in the webview, a browser.
  { ...common, entryPoints: ['media/player.ts'], outfile: `${outdir}/media/player.js`, platform: 'browser', format: 'iife', target: 'es2022' },
];

async function main() {
  const fs = require('fs');
  // A stale source map or bundle from a development build must never reach the package.
  if (production) fs.rmSync(outdir, { recursive: true, force: true });
  const contexts = await Promise.all(entries.filter((e) => fs.existsSync(e.entryPoints[0])).map((e) => esbuild.context(e)));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((ctx) => ctx.rebuild().finally(() => ctx.dispose())));
  if (results.some((r) => r.errors.length > 0)) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
