// Lazy activation: the built activation bundle, loaded in plain Node with a recording stand-in for the `vscode` module,
// registers every contributed command, the status bar item, the player's serializer and the preview's provider, and
// does nothing else: no other module is loaded, nothing is read from disk or the network. The first command loads the
// engine bundle, which takes over the command ids. The bundles are built into a folder of their own, from the sources.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';
import packageJson from '../../package.json';
import { createVscodeStub, type Registration } from '../support/vscodeStub';

const REPO = path.join(__dirname, '..', '..', '..');
/** Node's own require, for the built bundles (loaded at run time, not bundled into this test). */
const load = Module.createRequire(__filename);

/** Counts calls of the functions that read files or open connections, while `counting` is on. */
function watchIo() {
  // The modules themselves, not the bundler's read-only namespace copies of them.
  const fs = load('fs') as typeof import('fs');
  const http = load('http') as typeof import('http');
  const https = load('https') as typeof import('https');
  const net = load('net') as typeof import('net');
  const calls: string[] = [];
  let counting = false;
  const restore: (() => void)[] = [];
  const wrap = (owner: Record<string, unknown>, name: string, label: string) => {
    const original = owner[name] as (...args: unknown[]) => unknown;
    owner[name] = function (this: unknown, ...args: unknown[]) {
      if (counting) calls.push(`${label}(${typeof args[0] === 'string' ? args[0] : ''})`);
      return original.apply(this, args);
    };
    restore.push(() => (owner[name] = original));
  };
  const fsFunctions = ['readFile', 'readFileSync', 'open', 'openSync', 'stat', 'statSync', 'readdir', 'readdirSync'];
  for (const name of fsFunctions) wrap(fs as unknown as Record<string, unknown>, name, `fs.${name}`);
  for (const name of ['readFile', 'open', 'stat', 'readdir'])
    wrap(fs.promises as unknown as Record<string, unknown>, name, `fs.promises.${name}`);
  wrap(http as unknown as Record<string, unknown>, 'request', 'http.request');
  wrap(https as unknown as Record<string, unknown>, 'request', 'https.request');
  wrap(net as unknown as Record<string, unknown>, 'connect', 'net.connect');
  return {
    calls,
    during: <T>(fn: () => T): T => {
      counting = true;
      try {
        return fn();
      } finally {
        counting = false;
      }
    },
    restore: () => restore.forEach((r) => r()),
  };
}

describe('lazy activation (the built bundles)', function () {
  this.timeout(60_000);
  let dist: string;

  before(() => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'aistudios-activation-'));
    const build = spawnSync(process.execPath, ['esbuild.js', '--outdir', dist], { cwd: REPO, encoding: 'utf8' });
    assert.strictEqual(build.status, 0, build.stderr);
  });
  after(() => fs.rmSync(dist, { recursive: true, force: true }));

  /** Loads dist/extension.js with the stand-in `vscode`, recording every module it requires. */
  function loadActivationBundle(engineModule?: unknown) {
    const { stub, registrations, handlers, contextKeys, showEditors, settings } = createVscodeStub();
    const required: string[] = [];
    const moduleApi = Module as unknown as {
      _load(request: string, parent: unknown, isMain: boolean): unknown;
      _resolveFilename(request: string, parent: unknown): string;
    };
    const originalLoad = moduleApi._load;
    const engineFile = path.join(dist, 'engine.js');
    moduleApi._load = function (request, parent, isMain) {
      if (request === 'vscode') return stub;
      const resolved = request === 'vscode' ? request : moduleApi._resolveFilename(request, parent);
      required.push(resolved);
      if (resolved === engineFile && engineModule) return engineModule;
      return originalLoad.call(this, request, parent, isMain);
    };
    const bundle = path.join(dist, 'extension.js');
    delete load.cache[bundle];
    try {
      const extension = load(bundle) as { activate(context: unknown): unknown };
      return {
        extension,
        stub,
        registrations,
        handlers,
        contextKeys,
        showEditors,
        settings,
        required,
        restore: () => (moduleApi._load = originalLoad),
      };
    } catch (error) {
      moduleApi._load = originalLoad;
      throw error;
    }
  }

  function fakeContext(mode = 1, state: Record<string, unknown> = {}) {
    return {
      subscriptions: [] as { dispose(): unknown }[],
      extensionMode: mode,
      globalState: {
        get: (key: string, fallback?: unknown) => (key in state ? state[key] : fallback),
        update: async () => undefined,
      },
      logUri: { fsPath: '/nowhere' },
    };
  }

  it('registers every contributed command, the status bar, the serializer and the preview provider, and nothing else', () => {
    const io = watchIo();
    const loaded = loadActivationBundle();
    try {
      const before = loaded.required.length;
      // A key was stored when the extension last looked, and a take was made and played: the walkthrough says so from
      // memory.
      io.during(() =>
        loaded.extension.activate(
          fakeContext(1, { 'aistudios.hadApiKey': true, 'aistudios.madeATake': true, 'aistudios.playedATake': true }),
        ),
      );
      const live = (kind: Registration['kind']) =>
        loaded.registrations.filter((r) => r.kind === kind && !r.disposed).map((r) => r.id);
      assert.deepStrictEqual(
        live('command').sort(),
        packageJson.contributes.commands.map((c) => c.command).sort(),
        'every contributed command has a handler from activation on',
      );
      assert.deepStrictEqual(live('serializer'), ['aistudios.player']);
      assert.deepStrictEqual(live('contentProvider'), ['aistudios-narration']);
      assert.deepStrictEqual(live('statusBarItem'), ['aistudios.voice']);
      assert.deepStrictEqual(
        Object.fromEntries(loaded.contextKeys),
        {
          'aistudios.hasApiKey': true,
          'aistudios.voiceChosen': false,
          'aistudios.hasTake': true,
          'aistudios.hasPlayed': true,
        },
        "the walkthrough's keys, set without reading the secrets",
      );
      assert.deepStrictEqual(loaded.required.slice(before), [], 'activate() requires no module');
      assert.deepStrictEqual(io.calls, [], 'activate() reads no file and opens no connection');
      assert.deepStrictEqual(
        loaded.required.filter((m) => path.isAbsolute(m) && m !== path.join(dist, 'extension.js')),
        [],
        'loading the activation bundle loads no other file (only Node built-ins)',
      );
    } finally {
      loaded.restore();
      io.restore();
    }
  });

  it('loads the engine on the first command, which then owns the command ids', async () => {
    const started: unknown[] = [];
    const holder: { loaded?: ReturnType<typeof loadActivationBundle> } = {};
    const fakeEngine = {
      startEngine: (context: unknown) => {
        started.push(context);
        // As the real engine does: registers the real commands under the same ids (the stub refuses duplicates).
        holder.loaded!.stub.commands.registerCommand(
          'aistudios.openPlayer',
          (arg: unknown) => `real openPlayer ${arg}`,
        );
        return { testing: {} };
      },
    };
    const loaded = loadActivationBundle(fakeEngine);
    holder.loaded = loaded;
    try {
      const context = fakeContext();
      loaded.extension.activate(context);
      assert.ok(!loaded.required.includes(path.join(dist, 'engine.js')), 'not loaded at activation');
      const result = await loaded.stub.commands.executeCommand('aistudios.openPlayer', 'file.mp3');
      assert.strictEqual(result, 'real openPlayer file.mp3', 'the first call reaches the real command, with its args');
      assert.deepStrictEqual(started, [context], 'the engine started once, with the extension context');
      assert.ok(loaded.required.includes(path.join(dist, 'engine.js')));
      const stillStandIns = loaded.registrations.filter((r) => !r.disposed && r.kind !== 'listener');
      assert.deepStrictEqual(
        stillStandIns.map((r) => `${r.kind} ${r.id}`).sort(),
        ['command aistudios.openPlayer', 'statusBarItem aistudios.voice'],
        'the stand-ins are gone; only the real command and the status bar remain',
      );
      await loaded.stub.commands.executeCommand('aistudios.openPlayer', 'again.mp3');
      assert.strictEqual(started.length, 1, 'loaded once');
    } finally {
      loaded.restore();
    }
  });

  it('starts the narration view on first need: once a script is visible with the view on, after activate() returned', async () => {
    const started: string[] = [];
    const fakeEngine = { startEngine: () => ({ startNarrationView: () => started.push('view'), testing: {} }) };
    const loaded = loadActivationBundle(fakeEngine);
    const engineFile = path.join(dist, 'engine.js');
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    try {
      loaded.extension.activate(fakeContext());
      loaded.showEditors({ languageId: 'json' }, { languageId: 'markdown', scheme: 'aistudios-narration' });
      await tick();
      assert.deepStrictEqual(
        started,
        [],
        'no script is visible: a JSON file and the narration preview are not scripts',
      );
      loaded.settings.set('editor.showNarration', false);
      loaded.showEditors({ languageId: 'markdown' });
      await tick();
      assert.deepStrictEqual(started, [], 'the view is off');
      assert.ok(!loaded.required.includes(engineFile), 'nothing loaded while the view is off');
      loaded.settings.delete('editor.showNarration');
      loaded.showEditors({ languageId: 'plaintext' });
      assert.deepStrictEqual(started, [], 'never inside the event itself');
      await tick();
      assert.deepStrictEqual(started, ['view'], 'started once a script is visible');
      assert.ok(loaded.required.includes(engineFile));
      loaded.showEditors({ languageId: 'markdown' });
      await tick();
      assert.deepStrictEqual(started, ['view'], 'started once');
      assert.ok(
        !loaded.registrations.some((r) => r.id === 'visibleTextEditors' && !r.disposed),
        'it stops listening once started',
      );
    } finally {
      loaded.restore();
    }
  });

  it('builds an engine bundle that exports startEngine, and keeps the parser, client and audio code out of the activation bundle', () => {
    const loaded = loadActivationBundle();
    try {
      const engine = load(path.join(dist, 'engine.js')) as { startEngine?: unknown };
      assert.strictEqual(typeof engine.startEngine, 'function');
    } finally {
      loaded.restore();
    }
    const activation = fs.readFileSync(path.join(dist, 'extension.js'), 'utf8');
    // esbuild names each bundled source in a comment in a development build.
    const sources = [...activation.matchAll(/^\/\/ (\S+)$/gm)].map((m) => m[1]);
    assert.deepStrictEqual(
      sources.filter((s) => /node_modules|src\/core\/|src\/player\/|src\/commands\//.test(s)),
      [],
      `the activation bundle holds only the thin shell: ${sources.join(', ')}`,
    );
  });
});
