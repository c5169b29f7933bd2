// The preferred host: desktop VS Code through @vscode/test-electron, when a build is given
// (VSCODE_EXECUTABLE) or can be downloaded. Anything that stops us from getting a runnable build is
// reported as "unavailable" so the runner falls back to the offline host; a test failure is not.
'use strict';

const fs = require('fs');
const path = require('path');

// An idle timeout: a download that stops receiving data is abandoned instead of hanging the run.
const DOWNLOAD_IDLE_TIMEOUT_MS = 15_000;

function readVersion(executable) {
  const dir = path.dirname(executable);
  const candidates = [
    path.join(dir, 'resources', 'app', 'package.json'), // Linux, Windows (older layout)
    path.join(dir, '..', 'Resources', 'app', 'package.json'), // macOS
  ];
  // Newer Windows builds keep resources in a folder named after the commit.
  try {
    for (const entry of fs.readdirSync(dir)) candidates.push(path.join(dir, entry, 'resources', 'app', 'package.json'));
  } catch {
    // not a folder we can list
  }
  for (const file of candidates) {
    try {
      const version = JSON.parse(fs.readFileSync(file, 'utf8')).version;
      if (version) return String(version);
    } catch {
      // try the next layout
    }
  }
  return 'unknown';
}

function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** Finds a desktop VS Code: the given one, or a download into the cache. Never throws. */
async function resolveElectronBuild({ cachePath }) {
  const given = process.env.VSCODE_EXECUTABLE;
  if (given) {
    if (!fs.existsSync(given)) return { available: false, reason: `VSCODE_EXECUTABLE=${given} does not exist` };
    return { available: true, executable: given };
  }
  let testElectron;
  try {
    testElectron = require('@vscode/test-electron');
  } catch (e) {
    return { available: false, reason: `@vscode/test-electron is not installed (${e.message})` };
  }
  try {
    const executable = await testElectron.downloadAndUnzipVSCode({
      version: 'stable',
      cachePath,
      timeout: DOWNLOAD_IDLE_TIMEOUT_MS,
      reporter: new testElectron.SilentReporter(),
    });
    if (!hasDisplay()) {
      return {
        available: false,
        reason: 'VS Code is available but there is no display (run under xvfb-run to use it)',
      };
    }
    return { available: true, executable };
  } catch (e) {
    const message = e && e.message ? e.message.split('\n')[0] : String(e);
    return { available: false, reason: `download failed: ${message}` };
  }
}

/**
 * Runs the suite in desktop VS Code. Returns { ran: false, reason } when no build can be had,
 * otherwise { ran: true, exitCode } after printing which VS Code ran it.
 */
async function runInElectronHost({ extensionDevelopmentPath, extensionTestsPath, workspaceFolder, runDir, cachePath }) {
  const build = await resolveElectronBuild({ cachePath });
  if (!build.available) return { ran: false, reason: build.reason };

  const { runTests } = require('@vscode/test-electron');
  console.log(`extension host: VS Code ${readVersion(build.executable)} (electron)`);
  try {
    await runTests({
      vscodeExecutablePath: build.executable,
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [
        workspaceFolder,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${path.join(runDir, 'user-data')}`,
        `--extensions-dir=${path.join(runDir, 'extensions')}`,
      ],
    });
    return { ran: true, exitCode: 0 };
  } catch (e) {
    console.error(`electron host: ${e && e.message ? e.message : e}`);
    return { ran: true, exitCode: 1 };
  }
}

module.exports = { runInElectronHost, resolveElectronBuild };
