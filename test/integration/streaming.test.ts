// First sound after one request, in a real extension host with its real webview, against the fake server: the player
// plays part 1 while the fake server still holds the request of part 2, then carries on into the joined file; a
// cancel stops the playback and the requests, and leaves no file behind.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { PlayerPanel } from '../../src/player/playerPanel';
import type { StreamProgressMessage } from '../../src/shared/playerProtocol';
import type { UserInterfaceHolder } from '../../src/ui/userInterface';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';
import { eventually, waitFor } from '../support/eventually';
import { ScriptedUi } from './scriptedUi';
import { settings, workspaceFile, exists, testSeams } from './workspace';

interface ExtensionApi {
  testing?: { ui: UserInterfaceHolder; player: () => PlayerPanel | undefined };
}

/** Three paragraphs, each its own request at a 100-character limit. */
function script(word: string): string {
  return [
    `The ${word} opening paragraph is the first part and the first sound the writer hears.`,
    `The ${word} middle paragraph is held back by the server for a few seconds on purpose.`,
    `The ${word} closing paragraph arrives last, after the middle one has been answered.`,
  ].join('\n\n');
}

describe('first sound after one request', function () {
  this.timeout(90_000);
  let server: FakeServer;
  let api: NonNullable<ExtensionApi['testing']>;
  let ui: ScriptedUi;

  before(async () => {
    server = await startFakeServer();
    api = await testSeams<NonNullable<ExtensionApi['testing']>>();
    await settings().update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
    await settings().update('player.autoPlay', true, vscode.ConfigurationTarget.Global);
    await settings().update('maxCharactersPerRequest', 100, vscode.ConfigurationTarget.Global);
    // One request at a time, so the held-back request is always part 2's.
    await settings().update('concurrency', 1, vscode.ConfigurationTarget.Global);
    ui = new ScriptedUi();
    api.ui.current = ui;
    await ui.setKey(DEMO_TOKEN);
  });

  beforeEach(() => {
    ui = new ScriptedUi();
    api.ui.current = ui;
    server.reset();
    // Part 1's request is answered at once; every later one only after a delay.
    server.setFault({ kind: 'slow', delayMs: 3000, on: 'speech' });
    server.queueFaults({ kind: 'slow', delayMs: 0, on: 'speech' });
  });

  afterEach(async () => {
    server.reset();
    api.player()?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    for (const key of ['apiBaseUrl', 'player.autoPlay', 'maxCharactersPerRequest', 'concurrency'])
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  /** What the page reported for the stream playing in the panel. */
  function progress(player: PlayerPanel): readonly StreamProgressMessage[] {
    return player.currentStream?.progress ?? [];
  }

  async function startGeneration(name: string, text: string) {
    const uri = workspaceFile(name);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    let settled = false;
    const run = Promise.resolve(
      vscode.commands.executeCommand<vscode.Uri[] | undefined>('aistudios.generateFromDocument', uri),
    ).finally(() => (settled = true));
    // The panel opens as the generation starts, before any part arrived.
    const player = await eventually(() => {
      const panel = api.player();
      assert.ok(panel?.currentStream, 'the player opened on the generation');
      return panel;
    }, 20_000);
    return { run, player, isSettled: () => settled };
  }

  it('plays part 1 while part 2 is still being requested, then goes on into the joined file', async () => {
    const { run, player, isSettled } = await startGeneration('streamed.md', script('streamed'));
    const stream = player.currentStream!;
    await waitFor(
      () => progress(player).some((m) => m.part === 0 && m.state === 'playing'),
      () => `the page plays part 1; it reported ${JSON.stringify(progress(player))}`,
      20_000,
    );
    // Part 1 plays while the server still holds part 2's request: nothing is placed yet.
    assert.strictEqual(isSettled(), false, 'the generation is still running');
    assert.strictEqual(server.counts.speech, 2, 'part 2 has been requested');
    assert.strictEqual(
      server.requests.filter((r) => r.route === 'file').length,
      1,
      'only part 1 has been downloaded so far',
    );
    assert.strictEqual(await exists(workspaceFile('streamed.mp3')), false, 'no file is placed yet');
    assert.deepStrictEqual(
      stream.take.chunks.map((c) => c.startLine),
      [0],
      'the section list holds part 1 (its lines) and fills in as parts arrive',
    );

    const written = await run;
    assert.strictEqual(written?.[0]?.toString(), workspaceFile('streamed.mp3').toString(), ui.describe());
    assert.strictEqual(stream.take.chunks.length, 3, 'every part reached the player');
    // The panel shows the joined file's take; the page moves to the file at the end of the part it plays.
    assert.strictEqual(player.currentTake.audioUri.toString(), written[0].toString());
    assert.strictEqual(api.player(), player, 'the same panel, not a new one');
    await waitFor(
      () => stream.progress.some((m) => m.state === 'switched'),
      () => `the page switches to the joined file; it reported ${JSON.stringify(stream.progress)}`,
      30_000,
    );
    await eventually(async () => {
      let folderGone = false;
      await vscode.workspace.fs.stat(vscode.Uri.file(stream.folder)).then(undefined, () => (folderGone = true));
      assert.ok(folderGone, 'the parts are removed once the page plays the file');
    });
  });

  it('cancel stops the playback and the requests, and leaves no file', async () => {
    const cancel = new Promise<vscode.CancellationTokenSource>((resolve) => {
      const listener = ui.onDidStartProgress((source) => {
        listener.dispose();
        resolve(source);
      });
    });
    const { run, player } = await startGeneration('cancelled-stream.md', script('cancelled'));
    const stream = player.currentStream!;
    await waitFor(
      () => stream.progress.some((m) => m.part === 0 && m.state === 'playing'),
      () => `the page plays part 1; it reported ${JSON.stringify(stream.progress)}`,
      20_000,
    );
    const requestsBefore = server.counts.speech;
    (await cancel).cancel();
    assert.strictEqual(await run, undefined, 'nothing was made');
    // The panel was opened for this generation: it closes with it.
    await eventually(() => assert.strictEqual(api.player(), undefined, 'the player stopped and closed'));
    assert.strictEqual(stream.isStreaming, false);
    assert.strictEqual(await exists(workspaceFile('cancelled-stream.mp3')), false);
    const names = (await vscode.workspace.fs.readDirectory(workspaceFile())).map(([name]) => name);
    assert.deepStrictEqual(
      names.filter((n) => n.startsWith('cancelled-stream') && n !== 'cancelled-stream.md'),
      [],
      'no partial file',
    );
    await eventually(async () => {
      let folderGone = false;
      await vscode.workspace.fs.stat(vscode.Uri.file(stream.folder)).then(undefined, () => (folderGone = true));
      assert.ok(folderGone, "the parts' folder is removed");
    });
    assert.strictEqual(server.counts.speech, requestsBefore, 'no request after the cancel');
  });
});
