// The bench's measurements that need the real extension host (run by hostFigures.ts through
// scripts/run-integration.js --suite): activate_ms and first_sound_ratio. Writes its numbers as JSON to
// $AISTUDIOS_BENCH_RESULTS; the runner's exit code says whether it got them.
//   activate_ms: the first sample is VS Code's own activation (ext.activate(), loading dist/extension.js); the next
//     four load the bundle afresh and call activate() with the host's real API and context, the previous activation
//     disposed first. The median of the five.
//   first_sound_ratio: from the command until the player's page says part 1 can play (its `canplay`), on a 10-part
//     script at concurrency 3 against the fake server with 1 s latency, each run stopped by Cancel once measured;
//     against one raw request and download of a part in this same process, run alternately.
import { promises as fsp, writeFileSync } from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import type { PlayerPanel } from '../../../src/player/playerPanel';
import type { UserInterfaceHolder } from '../../../src/ui/userInterface';
import { DEMO_TOKEN, startFakeServer } from '../../fixtures/fakeServer';
import { ScriptedUi } from '../../integration/scriptedUi';
import { rawRoundTrip } from '../pipelineFigures';
import { oneChunkPerParagraphScript } from '../syntheticScripts';

const EXTENSION_ID = 'aistudios-audio.aistudios-audio';
const ACTIVATIONS = 5;
const FIRST_SOUND_PAIRS = 3;

interface TestingApi {
  ui: UserInterfaceHolder;
  player(): PlayerPanel | undefined;
  context: vscode.ExtensionContext;
  engineLoaded(): boolean;
}
type ExtensionModule = { activate(context: vscode.ExtensionContext): { testing?: TestingApi } };

export interface HostResults {
  activateMs: number[];
  /** Whether VS Code had activated the extension before the bench asked (then all samples are fresh loads). */
  activatedBefore: boolean;
  firstSoundMs: number[];
  roundTripMs: number[];
  error?: string;
}

/** Polls `condition` every few ms (finer than the 20 ms of test/support), failing after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`bench: ${what} did not happen in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** activate() five times: VS Code's own activation, then four fresh loads of the bundle with the real API. */
async function measureActivation(results: HostResults): Promise<TestingApi> {
  const extension = vscode.extensions.getExtension<{ testing?: TestingApi }>(EXTENSION_ID);
  if (!extension) throw new Error(`bench: ${EXTENSION_ID} is not installed in this host`);
  results.activatedBefore = extension.isActive;
  if (!extension.isActive) {
    const started = performance.now();
    await extension.activate();
    results.activateMs.push(performance.now() - started);
  }
  let testing = extension.exports.testing;
  if (!testing) throw new Error('bench: the extension runs without its test seams (not in test mode?)');
  const realContext = testing.context;
  let subscriptions = realContext.subscriptions;
  const main = path.join(extension.extensionPath, 'dist', 'extension.js');
  const load = Module.createRequire(main);
  while (results.activateMs.length < ACTIVATIONS) {
    for (const disposable of subscriptions.splice(0)) disposable.dispose();
    delete load.cache[main];
    // The host's own context, with fresh subscriptions for this activation.
    const context = Object.create(realContext, { subscriptions: { value: [] } }) as vscode.ExtensionContext;
    const started = performance.now();
    const module = load(main) as ExtensionModule;
    const api = module.activate(context);
    results.activateMs.push(performance.now() - started);
    subscriptions = context.subscriptions;
    testing = api.testing;
    if (!testing) throw new Error('bench: a fresh activation gave no test seams');
  }
  if (testing.engineLoaded()) throw new Error('bench: the engine was loaded by activation');
  return testing;
}

/** Time to the first audio the player can play, alternating with raw round trips of one part. */
async function measureFirstSound(results: HostResults, testing: TestingApi): Promise<void> {
  const settings = vscode.workspace.getConfiguration('aistudios');
  const server = await startFakeServer({ latencyMs: 1000 });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('bench: the host has no workspace folder');
  try {
    await settings.update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
    await settings.update('player.autoPlay', true, vscode.ConfigurationTarget.Global);
    await settings.update('concurrency', 3, vscode.ConfigurationTarget.Global);
    const ui = new ScriptedUi();
    testing.ui.current = ui;
    ui.answerPick('China').answerPick('API token').answerInput(DEMO_TOKEN);
    if ((await vscode.commands.executeCommand('aistudios.setApiKey')) !== true)
      throw new Error(`bench: the key could not be set: ${ui.describe()}`);

    const roundTrip = async (i: number): Promise<void> => {
      const text = oneChunkPerParagraphScript(1, ` (round trip ${i + 1})`);
      const rawFile = path.join(os.tmpdir(), `aistudios-bench-raw-${process.pid}-${i}.mp3`);
      const started = performance.now();
      await rawRoundTrip(server.url, text, rawFile);
      results.roundTripMs.push(performance.now() - started);
      await fsp.rm(rawFile, { force: true });
    };
    // Alternately first, so that neither always runs on a warmer machine.
    for (let i = 0; i < FIRST_SOUND_PAIRS; i++) {
      if (i % 2 === 0) await roundTrip(i);
      results.firstSoundMs.push(await firstSound(testing, ui, folder, i));
      if (i % 2 === 1) await roundTrip(i);
    }
  } finally {
    for (const key of ['apiBaseUrl', 'player.autoPlay', 'concurrency'])
      await settings.update(key, undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  }
}

/** One generation, from the command to the page's `canplay` of part 1; then Cancel, and wait until it is stopped. */
async function firstSound(testing: TestingApi, ui: ScriptedUi, folder: vscode.Uri, run: number): Promise<number> {
  const script = vscode.Uri.joinPath(folder, `first-sound-${run + 1}.md`);
  await vscode.workspace.fs.writeFile(script, Buffer.from(oneChunkPerParagraphScript(10, ` (first sound ${run + 1})`)));
  const progress = new Promise<vscode.CancellationTokenSource>((resolve) => {
    const listener = ui.onDidStartProgress((source) => {
      listener.dispose();
      resolve(source);
    });
  });
  const started = performance.now();
  const command = Promise.resolve(vscode.commands.executeCommand('aistudios.generateFromDocument', script));
  await until(
    () => testing.player()?.currentStream?.progress.some((m) => m.part === 0 && m.state === 'canPlay') === true,
    `the player's "part 1 can play" (messages: ${ui.describe()})`,
  );
  const elapsed = performance.now() - started;
  (await progress).cancel();
  await command;
  await until(() => testing.player() === undefined, 'the player closing after the cancel', 10_000);
  return elapsed;
}

/** Entry point called by the extension test runner. */
export async function run(): Promise<void> {
  const out = process.env.AISTUDIOS_BENCH_RESULTS;
  if (!out) throw new Error('bench: AISTUDIOS_BENCH_RESULTS is not set');
  const results: HostResults = { activateMs: [], activatedBefore: false, firstSoundMs: [], roundTripMs: [] };
  try {
    const testing = await measureActivation(results);
    await measureFirstSound(results, testing);
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw error;
  } finally {
    writeFileSync(out, JSON.stringify(results));
  }
}
