// The fallback host: code-server's VS Code server + web workbench in headless Chromium, driven by
// playwright-core, with the suite started by the workbench's extension-development test mode.
// Everything here follows TEST-HOST.md; the comments say why where it is not obvious.
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');

const HOST = '127.0.0.1';
const HEALTHZ_TIMEOUT_MS = 60_000;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Belt and braces beside the request router: names other than loopback never resolve, which
  // also covers requests from workers the router does not see.
  `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${HOST}`,
];
// Settings that keep the workbench from reaching for things it cannot have here.
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

function getFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function healthzAnswers(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: HOST, port, path: '/healthz', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Environment for the server: its own home and XDG folders, none of the caller's VS Code variables. */
function serverEnvironment(runDir, extraEnv = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A runner started from a VS Code terminal would otherwise hand its IPC hooks to the server.
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  env.HOME = path.join(runDir, 'home');
  env.XDG_CONFIG_HOME = path.join(runDir, 'home', '.config');
  env.XDG_DATA_HOME = path.join(runDir, 'home', '.local', 'share');
  env.XDG_CACHE_HOME = path.join(runDir, 'home', '.cache');
  for (const dir of [env.XDG_CONFIG_HOME, env.XDG_DATA_HOME, env.XDG_CACHE_HOME])
    fs.mkdirSync(dir, { recursive: true });
  // The extension host inherits the server's environment: the demo passes its variables this way.
  Object.assign(env, extraEnv);
  return env;
}

/**
 * Starts code-server in its own process group and waits until it answers /healthz.
 * `userSettings` are merged over the quiet defaults; `extraEnv` reaches the extension host;
 * `extraArgs` go to code-server (e.g. `--locale ko`).
 */
async function startServer({ layout, runDir, cleanup, sink, userSettings = {}, extraEnv = {}, extraArgs = [] }) {
  const port = await getFreePort();
  const userDataDir = path.join(runDir, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...userSettings }, null, 2),
  );
  // An explicit config keeps code-server from generating one with a password in the real home.
  const configFile = path.join(runDir, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: ${HOST}:${port}\nauth: none\ncert: false\n`);

  const args = [
    layout.entry,
    '--auth',
    'none',
    '--bind-addr',
    `${HOST}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--config',
    configFile,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    path.join(runDir, 'extensions'),
    ...extraArgs,
  ];
  const server = childProcess.spawn(process.execPath, args, {
    cwd: runDir,
    env: serverEnvironment(runDir, extraEnv),
    // Its own process group: the server, the extension host and their helpers end together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = null;
  server.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const killGroup = (signal) => {
    try {
      process.kill(-server.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  cleanup.add(
    `code-server (process group ${server.pid})`,
    async () => {
      killGroup('SIGTERM');
      const deadline = Date.now() + 3000;
      while (exited === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      // Helpers (extension host, file watchers) may outlive the server; end the whole group for sure.
      killGroup('SIGKILL');
    },
    () => killGroup('SIGKILL'),
  );
  server.stdout.setEncoding('utf8');
  server.stderr.setEncoding('utf8');
  server.stdout.on('data', (text) => sink.fromServer('stdout', text));
  server.stderr.on('data', (text) => sink.fromServer('stderr', text));

  const deadline = Date.now() + HEALTHZ_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`code-server exited before answering (code ${exited.code ?? exited.signal})`);
    if (await healthzAnswers(port)) return { port };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${HOST}:${port}/healthz within ${HEALTHZ_TIMEOUT_MS / 1000} s`);
}

function remoteUri(port, absolutePath) {
  return `vscode-remote://${HOST}:${port}${absolutePath.split(path.sep).map(encodeURIComponent).join('/')}`;
}

function workbenchUrl({ port, workspaceFolder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [
    ['extensionDevelopmentPath', remoteUri(port, extensionDevelopmentPath)],
    ['extensionTestsPath', remoteUri(port, extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  return `http://${HOST}:${port}/?folder=${encodeURIComponent(workspaceFolder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Runs the suite in code-server + headless Chromium; resolves with the test runner's exit code.
 * Rejects when the host cannot start or the workbench says it cannot launch the test runner.
 */
async function runInOfflineHost({
  layout,
  extensionDevelopmentPath,
  extensionTestsPath,
  workspaceFolder,
  runDir,
  cleanup,
  sink,
  chromiumPath,
}) {
  const { port } = await startServer({ layout, runDir, cleanup, sink });

  // The repository's own devDependency: one pinned version for this runner and the webview tests.
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    // We handle signals ourselves, so cleanup runs in one order whatever ends the run.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  cleanup.add('Chromium', () => browser.close());
  // A failure says which browser it met: the workbench's event timing changes between Chromium releases.
  console.log(`browser: Chromium ${browser.version()} (${chromiumPath})`);

  const context = await browser.newContext();
  await confineToLoopback(context, sink);
  const page = await context.newPage();

  return new Promise((resolve, reject) => {
    page.on('console', (message) => {
      const text = message.text();
      sink.fromBrowser(message.type(), text);
      // A wrong test path leaves a notification and no exit: fail instead of waiting for the timeout.
      if (text.includes('No extension host found that can launch the test runner')) {
        reject(new Error(`the workbench found no extension host to launch ${extensionTestsPath}`));
      }
    });
    page.on('pageerror', (error) => sink.fromBrowser('pageerror', String(error && error.stack ? error.stack : error)));
    page.on('crash', () => reject(new Error('the workbench page crashed')));
    Promise.all([
      // The workbench's test mode reports the extension host's console and the runner's exit code
      // through these two window functions.
      page.exposeFunction('codeAutomationLog', (level, message) => sink.fromExtensionHost(level, message)),
      page.exposeFunction('codeAutomationExit', (code, logs) => {
        sink.workbenchLogs(logs);
        resolve(Number(code));
      }),
    ])
      .then(() => page.goto(workbenchUrl({ port, workspaceFolder, extensionDevelopmentPath, extensionTestsPath })))
      .catch(reject);
  });
}

/** Lets a browser context reach loopback only: any other request is refused and reported to the sink. */
async function confineToLoopback(context, sink) {
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === HOST) return route.continue();
    sink.blocked(route.request().url());
    return route.abort('blockedbyclient');
  });
}

module.exports = {
  runInOfflineHost,
  startServer,
  serverEnvironment,
  remoteUri,
  confineToLoopback,
  HOST,
  CHROMIUM_ARGS,
};
