#!/usr/bin/env node
// Runs the integration suite inside a real VS Code extension host.
//   node scripts/run-integration.js [--suite <compiled test index exporting run()>]
// Desktop VS Code via @vscode/test-electron when a build is given (VSCODE_EXECUTABLE) or can be
// downloaded; otherwise code-server + headless Chromium (scripts/integration-host/offlineHost.js).
// Environment: AISTUDIOS_TEST_TIMEOUT_SECONDS (default 600), AISTUDIOS_TEST_HOST=electron|offline
// (skip the other), AISTUDIOS_TEST_HOST_CACHE (install folder), AISTUDIOS_TEST_HOST_VERBOSE=1
// (print everything the host says), CHROMIUM_PATH (default /usr/bin/chromium).
'use strict';

const fs = require('fs');
const path = require('path');
const { CleanupRegistry } = require('./integration-host/cleanupRegistry');
const { prepareRunFolder: prepareSharedRunFolder } = require('./integration-host/runFolder');
const { runInElectronHost } = require('./integration-host/electronHost');
const { ensureOfflineHost, bundledVSCodeVersion, cacheRoot } = require('./integration-host/installOfflineHost');
const { runInOfflineHost } = require('./integration-host/offlineHost');
const { createHostLogSink } = require('./integration-host/hostLog');

const repoRoot = path.resolve(__dirname, '..');
const DEFAULT_SUITE = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
const FIXTURE_WORKSPACE = path.join(repoRoot, 'test', 'fixtures', 'workspace');
const HOST_LOG = path.join(repoRoot, 'out', 'integration-host.log');

function parseArgs(argv) {
  const options = { suite: DEFAULT_SUITE };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--suite' && argv[i + 1]) options.suite = path.resolve(argv[++i]);
    else if (argv[i].startsWith('--suite=')) options.suite = path.resolve(argv[i].slice('--suite='.length));
    else
      throw new Error(
        `unknown argument ${argv[i]}\nusage: node scripts/run-integration.js [--suite <path to a compiled test index>]`,
      );
  }
  return options;
}

function timeoutMs() {
  const seconds = Number(process.env.AISTUDIOS_TEST_TIMEOUT_SECONDS || 600);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error('AISTUDIOS_TEST_TIMEOUT_SECONDS must be a positive number');
  return seconds * 1000;
}

/** Fails early with a clear message for what would otherwise be a silent hang in the workbench. */
function checkPrerequisites(suite) {
  if (!fs.existsSync(suite))
    throw new Error(`test suite ${suite} does not exist (run: node scripts/build-tests.js integration)`);
  const main = require(path.join(repoRoot, 'package.json')).main;
  if (main && !fs.existsSync(path.join(repoRoot, main)))
    throw new Error(`extension entry ${main} does not exist (run: npm run build)`);
  if (!fs.existsSync(FIXTURE_WORKSPACE)) throw new Error(`fixture workspace ${FIXTURE_WORKSPACE} is missing`);
}

/** A fresh run folder with a private copy of the fixture workspace. */
function prepareRunFolder(cleanup) {
  return prepareSharedRunFolder(cleanup, {
    prefix: 'aistudios-integration-',
    label: 'run folder',
    source: FIXTURE_WORKSPACE,
  });
}

async function runOffline({ suite, runDir, workspaceFolder, cleanup, limitMs }) {
  const { layout } = await ensureOfflineHost({ cleanup });
  console.log(`extension host: VS Code ${bundledVSCodeVersion(layout)} (code-server)`);
  const sink = createHostLogSink({ logFile: HOST_LOG, verbose: process.env.AISTUDIOS_TEST_HOST_VERBOSE === '1' });
  cleanup.add(
    'host log',
    () => sink.close(),
    () => sink.close(),
  );
  const pointToFullLog = () =>
    console.error(`offline host: everything the host said is in ${path.relative(process.cwd(), HOST_LOG)}`);
  try {
    // The first install is outside the limit: it is a one-time cost with its own failure modes.
    const exitCode = await withTimeout(
      runInOfflineHost({
        layout,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: suite,
        workspaceFolder,
        runDir,
        cleanup,
        sink,
        chromiumPath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      }),
      limitMs,
    );
    if (exitCode !== 0) pointToFullLog();
    return exitCode;
  } catch (e) {
    pointToFullLog();
    throw e;
  }
}

async function runSuite(options, cleanup, limitMs) {
  const { runDir, workspaceFolder } = prepareRunFolder(cleanup);
  const which = process.env.AISTUDIOS_TEST_HOST || 'auto';
  if (which !== 'offline') {
    const electron = await withTimeout(
      runInElectronHost({
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: options.suite,
        workspaceFolder,
        runDir,
        cachePath: path.join(cacheRoot(), 'vscode-electron'),
      }),
      limitMs,
    );
    if (electron.ran) return electron.exitCode;
    if (which === 'electron') throw new Error(`electron host unavailable: ${electron.reason}`);
    console.log(`electron host unavailable (${electron.reason}); using the offline host`);
  }
  return runOffline({ suite: options.suite, runDir, workspaceFolder, cleanup, limitMs });
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the run did not finish within ${ms / 1000} s (AISTUDIOS_TEST_TIMEOUT_SECONDS)`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const cleanup = new CleanupRegistry();
  let finishing = false;
  const started = Date.now();
  const finish = async (code) => {
    if (finishing) return;
    finishing = true;
    await cleanup.runAll();
    console.log(`integration run took ${((Date.now() - started) / 1000).toFixed(1)} s including start-up and cleanup`);
    process.exit(code);
  };
  process.on('exit', () => cleanup.runAllSync());
  process.on('SIGINT', () => {
    console.error('\ninterrupted; cleaning up');
    finish(130);
  });
  process.on('SIGTERM', () => {
    console.error('terminated; cleaning up');
    finish(143);
  });

  let exitCode;
  try {
    const options = parseArgs(process.argv.slice(2));
    checkPrerequisites(options.suite);
    exitCode = await runSuite(options, cleanup, timeoutMs());
    if (exitCode !== 0) console.error(`integration tests failed (test runner exit code ${exitCode})`);
  } catch (e) {
    console.error(`integration run failed: ${e && e.message ? e.message : e}`);
    exitCode = 1;
  }
  await finish(exitCode === 0 ? 0 : 1);
}

main();
