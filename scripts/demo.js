#!/usr/bin/env node
// `npm run demo`: try the extension without an account. Starts the fake AI Studios server, then opens
// VS Code with the extension under development, pointed at the fake server, with a copy of
// examples/ as the workspace and welcome.md open. Desktop VS Code through @vscode/test-electron when
// a build is given (VSCODE_EXECUTABLE) or can be downloaded; otherwise code-server (TEST-HOST.md),
// printing the address to open in a browser. Runs until Ctrl-C (or until desktop VS Code is closed).
// Expects `npm run build` and `node scripts/build-tests.js fixtures` to have run.
// Environment: PORT (fake server port; default 8765, or any free port when taken), LATENCY_MS (fake
// server delay per answer), AISTUDIOS_DEMO_HOST=electron|offline (skip the other),
// AISTUDIOS_TEST_HOST_CACHE, VSCODE_EXECUTABLE, AISTUDIOS_TEST_HOST_VERBOSE=1.
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');
const { CleanupRegistry } = require('./integration-host/cleanupRegistry');
const { prepareRunFolder: prepareSharedRunFolder } = require('./integration-host/runFolder');
const { resolveElectronBuild } = require('./integration-host/electronHost');
const { ensureOfflineHost, bundledVSCodeVersion, cacheRoot } = require('./integration-host/installOfflineHost');
const { startServer, remoteUri, HOST } = require('./integration-host/offlineHost');
const { createHostLogSink } = require('./integration-host/hostLog');

const repoRoot = path.resolve(__dirname, '..');
const EXAMPLES = path.join(repoRoot, 'examples');
const SAMPLE_SCRIPT = 'welcome.md';
const FAKE_SERVER_MODULE = path.join(repoRoot, 'out', 'test', 'fixtures', 'fakeServer.js');
const FAKE_SPEECH_MODULE = path.join(repoRoot, 'out', 'test', 'fixtures', 'fakeSpeech.js');
const HOST_LOG = path.join(repoRoot, 'out', 'demo-host.log');
const PREFERRED_PORT = 8765;
// The extension seeds the demo token from this variable when no key is stored and the API base URL
// is a loopback http address, so the demo needs no typing. Only the fake server accepts this token.
const DEMO_TOKEN_VARIABLE = 'AISTUDIOS_DEMO_TOKEN';

/** Fails early with the command that fixes it. */
function checkPrerequisites() {
  const main = require(path.join(repoRoot, 'package.json')).main;
  if (main && !fs.existsSync(path.join(repoRoot, main)))
    throw new Error(`extension entry ${main} does not exist (run: npm run build)`);
  if (!fs.existsSync(FAKE_SERVER_MODULE))
    throw new Error(
      `${path.relative(repoRoot, FAKE_SERVER_MODULE)} does not exist (run: node scripts/build-tests.js fixtures)`,
    );
  if (!fs.existsSync(path.join(EXAMPLES, SAMPLE_SCRIPT))) throw new Error(`examples/${SAMPLE_SCRIPT} is missing`);
}

/** A run folder with a fresh copy of examples/, so generated audio never lands in the repository. */
function prepareRunFolder(cleanup) {
  return prepareSharedRunFolder(cleanup, { prefix: 'aistudios-demo-', label: 'demo folder', source: EXAMPLES });
}

/** The fake server on PORT, else 8765, else (when 8765 is taken) any free port. */
async function startDemoServer(cleanup) {
  const { startFakeServer, DEMO_TOKEN } = require(FAKE_SERVER_MODULE);
  const { espeakInstalled } = require(FAKE_SPEECH_MODULE);
  const latencyMs = Number(process.env.LATENCY_MS || 0) || 0;
  const requested = process.env.PORT ? Number(process.env.PORT) : undefined;
  if (requested !== undefined && !(Number.isInteger(requested) && requested >= 0 && requested <= 65535)) {
    throw new Error(`PORT must be a port number, not "${process.env.PORT}"`);
  }
  let server;
  try {
    server = await startFakeServer({ port: requested ?? PREFERRED_PORT, latencyMs, speech: 'auto' });
  } catch (e) {
    if (requested !== undefined || !e || e.code !== 'EADDRINUSE') throw e;
    server = await startFakeServer({ port: 0, latencyMs, speech: 'auto' });
  }
  console.log(
    (await espeakInstalled())
      ? 'The fake server speaks the script with espeak-ng.'
      : 'The fake server plays the script as tones, 14 characters a second (apt-get install espeak-ng to hear the words).',
  );
  cleanup.add('fake AI Studios server', () => server.close());
  return { server, demoToken: DEMO_TOKEN };
}

function demoSettings(apiBaseUrl) {
  return {
    'aistudios.apiBaseUrl': apiBaseUrl,
    'aistudios.player.autoPlay': true,
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
  };
}

function printKeyInstructions(demoToken) {
  console.log('');
  console.log(`If the extension asks for a key: run "AI Studios: Set API Key", pick China, then "API token",`);
  console.log(`and paste ${demoToken} (the fake server's demo token; it works nowhere else).`);
  console.log(`Then open ${SAMPLE_SCRIPT} and run "AI Studios: Generate Audio from Markdown Script".`);
}

/** Desktop VS Code: runs until its window is closed. Resolves with its exit code. */
function runElectron({ executable, runDir, workspaceFolder, settings, env, cleanup }) {
  const userDataDir = path.join(runDir, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const args = [
    `--extensionDevelopmentPath=${repoRoot}`,
    `--user-data-dir=${userDataDir}`,
    `--extensions-dir=${path.join(runDir, 'extensions')}`,
    '--disable-workspace-trust',
    '--skip-welcome',
    '--skip-release-notes',
    '--new-window',
    workspaceFolder,
    path.join(workspaceFolder, SAMPLE_SCRIPT),
  ];
  const childEnv = { ...process.env, ...env };
  // Started from a VS Code terminal, these would hand the new window to the running VS Code.
  for (const key of Object.keys(childEnv))
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete childEnv[key];
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(executable, args, {
      env: childEnv,
      stdio: 'inherit',
      detached: process.platform !== 'win32',
    });
    const kill = () => {
      try {
        if (process.platform === 'win32') child.kill();
        else process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    const forget = cleanup.add(`VS Code (process ${child.pid})`, kill, kill);
    child.on('error', (e) => {
      forget();
      reject(e);
    });
    child.on('exit', (code, signal) => {
      forget();
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Starts code-server with the extension under development; resolves with the address to open. */
async function startOffline({ runDir, workspaceFolder, settings, env, cleanup }) {
  const { layout } = await ensureOfflineHost({ cleanup });
  const sink = createHostLogSink({ logFile: HOST_LOG, verbose: process.env.AISTUDIOS_TEST_HOST_VERBOSE === '1' });
  cleanup.add(
    'host log',
    () => sink.close(),
    () => sink.close(),
  );
  const { port } = await startServer({ layout, runDir, cleanup, sink, userSettings: settings, extraEnv: env });
  const payload = [
    ['extensionDevelopmentPath', remoteUri(port, repoRoot)],
    ['openFile', remoteUri(port, path.join(workspaceFolder, SAMPLE_SCRIPT))],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `http://${HOST}:${port}/?folder=${encodeURIComponent(workspaceFolder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return { url, version: bundledVSCodeVersion(layout) };
}

async function main() {
  const cleanup = new CleanupRegistry();
  let finishing = false;
  const finish = async (code) => {
    if (finishing) return;
    finishing = true;
    await cleanup.runAll();
    process.exit(code);
  };
  process.on('exit', () => cleanup.runAllSync());
  process.on('SIGINT', () => {
    console.log('\nstopping the demo');
    finish(0);
  });
  process.on('SIGTERM', () => finish(143));

  try {
    checkPrerequisites();
    const { runDir, workspaceFolder } = prepareRunFolder(cleanup);
    const { server, demoToken } = await startDemoServer(cleanup);
    console.log(`Fake AI Studios server: ${server.url}`);
    const settings = demoSettings(server.url);
    const env = { [DEMO_TOKEN_VARIABLE]: demoToken };

    const which = process.env.AISTUDIOS_DEMO_HOST || 'auto';
    if (which !== 'offline') {
      const build = await resolveElectronBuild({ cachePath: path.join(cacheRoot(), 'vscode-electron') });
      if (build.available) {
        console.log(
          `Opening VS Code (${build.executable}) with the extension under development; close its window to end the demo.`,
        );
        printKeyInstructions(demoToken);
        const code = await runElectron({
          executable: build.executable,
          runDir,
          workspaceFolder,
          settings,
          env,
          cleanup,
        });
        return finish(code);
      }
      if (which === 'electron') throw new Error(`desktop VS Code unavailable: ${build.reason}`);
      console.log(`Desktop VS Code unavailable (${build.reason}); using code-server.`);
    }
    const { url, version } = await startOffline({ runDir, workspaceFolder, settings, env, cleanup });
    console.log(`VS Code ${version} (code-server) is running with the extension under development.`);
    console.log('Open this address in a browser on this machine:');
    console.log('');
    console.log(`  ${url}`);
    console.log('');
    console.log(`(everything the host says: ${path.relative(process.cwd(), HOST_LOG)})`);
    printKeyInstructions(demoToken);
    console.log('Press Ctrl+C to stop.');
    // Runs until Ctrl-C; the SIGINT handler cleans up and exits.
  } catch (e) {
    console.error(`demo failed: ${e && e.message ? e.message : e}`);
    await finish(1);
  }
}

main();
