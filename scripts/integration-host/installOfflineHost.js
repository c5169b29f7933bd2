// Installs code-server (a VS Code server + web workbench from npm) into a per-user cache folder,
// once per version, so integration tests can run in a real extension host without downloading
// VS Code itself. See TEST-HOST.md for why each step is needed.
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CODE_SERVER_VERSION = '4.100.3';
// @vscode/ripgrep looks for this archive in $TMPDIR before downloading; we hand it Debian's rg.
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** The per-user cache root, outside the repository. */
function cacheRoot() {
  if (process.env.AISTUDIOS_TEST_HOST_CACHE) return path.resolve(process.env.AISTUDIOS_TEST_HOST_CACHE);
  const xdgCache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdgCache, 'aistudios-audio-test-host');
}

/** Paths of an installed (or to-be-installed) host folder. */
function hostLayout(root) {
  const codeServer = path.join(root, 'node_modules', 'code-server');
  const vscodeDir = path.join(codeServer, 'lib', 'vscode');
  return {
    root,
    codeServer,
    entry: path.join(codeServer, 'out', 'node', 'entry.js'),
    vscodeDir,
    ptyNode: path.join(vscodeDir, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
    ripgrep: path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
  };
}

/** Names of the files a usable install must have; empty when complete. */
function missingPieces(layout) {
  return ['entry', 'ptyNode', 'ripgrep'].filter((key) => !fs.existsSync(layout[key])).map((key) => layout[key]);
}

function findExecutable(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function run(command, args, options) {
  const result = childProcess.spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** Runs a long command in its own process group, registered for cleanup so Ctrl-C ends all of it. */
function runInGroup(command, args, options, cleanup) {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(command, args, { ...options, detached: true });
    const killGroup = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const forget = cleanup ? cleanup.add(`${command} (process group ${child.pid})`, killGroup, killGroup) : () => {};
    child.on('error', (e) => {
      forget();
      reject(e);
    });
    child.on('exit', (code, signal) => {
      forget();
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`));
    });
  });
}

/** Places Debian's rg as the archive @vscode/ripgrep's postinstall would otherwise download. */
function seedRipgrepArchive(tmpDir) {
  const rg = findExecutable('rg');
  if (!rg) throw new Error('ripgrep (rg) is not installed; install the Debian package "ripgrep" first');
  const cacheDir = path.join(tmpDir, RIPGREP_CACHE_DIR);
  const staging = path.join(tmpDir, 'rg-staging');
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  run('tar', ['-czf', path.join(cacheDir, RIPGREP_ARCHIVE), '-C', staging, 'rg']);
}

function tailOf(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function pidIsAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Removes half-finished installs left behind by runs that were killed (their pid is in the name). */
function removeAbandonedInstalls(root) {
  if (!fs.existsSync(root)) return;
  for (const name of fs.readdirSync(root)) {
    const match = /^\.installing-(\d+)-/.exec(name);
    if (match && !pidIsAlive(Number(match[1]))) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/**
 * Returns the layout of the cached code-server install, installing it first if needed.
 * The install happens in a temporary sibling folder that is renamed into place only when
 * complete, so an interrupted install is never mistaken for a usable one.
 */
async function ensureOfflineHost({ log = (line) => console.log(line), cleanup } = {}) {
  const root = cacheRoot();
  const finalDir = path.join(root, `code-server-${CODE_SERVER_VERSION}`);
  const layout = hostLayout(finalDir);
  if (fs.existsSync(finalDir)) {
    const missing = missingPieces(layout);
    if (missing.length === 0) return { layout, installed: false, seconds: 0 };
    log(`offline host: cached install at ${finalDir} is incomplete (missing ${missing.join(', ')}); reinstalling`);
    fs.rmSync(finalDir, { recursive: true, force: true });
  }

  fs.mkdirSync(root, { recursive: true });
  removeAbandonedInstalls(root);
  const started = Date.now();
  const workDir = fs.mkdtempSync(path.join(root, `.installing-${process.pid}-`));
  const logFile = path.join(root, `install-code-server-${CODE_SERVER_VERSION}.log`);
  const removeWorkDir = () => fs.rmSync(workDir, { recursive: true, force: true });
  const forgetWorkDir = cleanup
    ? cleanup.add('unfinished offline host install', removeWorkDir, removeWorkDir)
    : () => {};
  try {
    log(`offline host: installing code-server ${CODE_SERVER_VERSION} into ${finalDir} (once; takes a minute or two)`);
    const tmpDir = path.join(workDir, 'tmp');
    fs.mkdirSync(tmpDir);
    seedRipgrepArchive(tmpDir);
    // A package.json of its own keeps npm from walking up into another project.
    fs.writeFileSync(
      path.join(workDir, 'package.json'),
      JSON.stringify({ name: 'aistudios-audio-test-host', private: true }, null, 2),
    );
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // npm and node-gyp print hundreds of lines; keep them in a file and show its tail only on failure.
    const logFd = fs.openSync(logFile, 'w');
    await runInGroup(
      npm,
      [
        'install',
        '--foreground-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `code-server@${CODE_SERVER_VERSION}`,
      ],
      {
        cwd: workDir,
        stdio: ['ignore', logFd, logFd],
        env: {
          ...process.env,
          TMPDIR: tmpDir,
          // code-server's postinstall refuses to run as root without it.
          npm_config_unsafe_perm: 'true',
          // node-pty's install runs `npx node-gyp`, which would otherwise wait for a prompt.
          npm_config_yes: 'true',
        },
      },
      cleanup,
    ).finally(() => fs.closeSync(logFd));
    const missing = missingPieces(hostLayout(workDir));
    if (missing.length > 0) throw new Error(`code-server install is incomplete, missing: ${missing.join(', ')}`);
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.chmodSync(workDir, 0o755); // mkdtemp made it private; the final folder is an ordinary cache folder
    try {
      fs.renameSync(workDir, finalDir);
    } catch (e) {
      // Another run finished the same install first: use theirs.
      if (!(e.code === 'ENOTEMPTY' || e.code === 'EEXIST') || missingPieces(layout).length > 0) throw e;
      removeWorkDir();
    }
  } catch (e) {
    removeWorkDir();
    e.message += `\n--- last lines of ${logFile} ---\n${tailOf(logFile, 30)}`;
    throw e;
  } finally {
    forgetWorkDir();
  }
  const seconds = (Date.now() - started) / 1000;
  log(`offline host: installed in ${seconds.toFixed(1)} s`);
  return { layout, installed: true, seconds };
}

/** The VS Code version code-server bundles, read from its lib/vscode/package.json. */
function bundledVSCodeVersion(layout) {
  for (const file of [path.join(layout.vscodeDir, 'package.json'), path.join(layout.vscodeDir, 'product.json')]) {
    try {
      const version = JSON.parse(fs.readFileSync(file, 'utf8')).version;
      if (version) return String(version);
    } catch {
      // try the next one
    }
  }
  return 'unknown';
}

module.exports = { CODE_SERVER_VERSION, cacheRoot, ensureOfflineHost, bundledVSCodeVersion, hostLayout };

if (require.main === module) {
  ensureOfflineHost().then(
    ({ layout, installed, seconds }) => {
      console.log(
        `${installed ? `installed in ${seconds.toFixed(1)} s` : 'already installed'}: ${layout.root} (VS Code ${bundledVSCodeVersion(layout)})`,
      );
    },
    (e) => {
      console.error(`offline host install failed: ${e.message}`);
      process.exit(1);
    },
  );
}
