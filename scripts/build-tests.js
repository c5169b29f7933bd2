// Bundles one test suite (test/<suite>/**/*.ts) into out/test/<suite> so mocha runs plain CommonJS,
// with the ESM-only markdown parser bundled in. `vscode`, mocha and the browser driver stay external.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const suites = process.argv.slice(2);
if (suites.length === 0) {
  console.error('usage: node scripts/build-tests.js <unit|integration|webview|fixtures|bench>...');
  process.exit(2);
}

async function buildSuite(suite) {
  const dir = path.join('test', suite);
  const entryPoints = fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts') && !f.includes(`${path.sep}page${path.sep}`));
  // Fixtures are needed by every suite (the fake server is used everywhere).
  if (suite !== 'fixtures')
    entryPoints.push(
      ...fs
        .readdirSync('test/fixtures')
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join('test/fixtures', f)),
    );
  fs.rmSync(path.join('out', 'test', suite), { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: 'out',
    outbase: '.',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['vscode', 'mocha', 'playwright-core', 'fast-check', '@vscode/l10n-dev'],
    // The same node-fetch as the shipped bundle (see esbuild.js).
    alias: { 'whatwg-url': './scripts/shims/whatwg-url.js' },
    logLevel: 'warning',
  });
}

Promise.all(suites.map(buildSuite)).catch((e) => {
  console.error(e);
  process.exit(1);
});
