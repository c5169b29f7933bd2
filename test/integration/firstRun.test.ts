// The first run, as the walkthrough leads it, in a real extension host against the fake server: the sample opens as
// a copy in the extension's storage (never in the workspace, never over an earlier copy) in the voice's language,
// "Generate the Sample" makes its audio beside it and ticks the step, and "Play It" ticks once the page plays it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { UserInterfaceHolder } from '../../src/ui/userInterface';
import type { TakeHistory } from '../../src/player/take';
import type { PlayerPanel } from '../../src/player/playerPanel';
import type { WalkthroughState } from '../../src/walkthroughState';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';
import { eventually, waitFor } from '../support/eventually';
import { ScriptedUi } from './scriptedUi';
import { exists, settings, testSeams } from './workspace';

interface ExtensionApi {
  testing?: {
    ui: UserInterfaceHolder;
    takes: TakeHistory;
    walkthrough: WalkthroughState;
    globalState: vscode.Memento;
    context: vscode.ExtensionContext;
    player: () => PlayerPanel | undefined;
  };
}

const decoder = new TextDecoder();

describe('the first run: the sample script and the walkthrough', function () {
  this.timeout(60_000);
  let server: FakeServer;
  let api: NonNullable<ExtensionApi['testing']>;
  let ui: ScriptedUi;
  /** Every copy made here, removed at the end. */
  const copies: vscode.Uri[] = [];

  /** The bundled sample of a language, as the package ships it. */
  async function bundled(language: 'en' | 'ko'): Promise<string> {
    const name = language === 'ko' ? 'first-take.ko.md' : 'first-take.md';
    return decoder.decode(
      await vscode.workspace.fs.readFile(vscode.Uri.joinPath(api.context.extensionUri, 'media', 'sample', name)),
    );
  }

  async function openSample(options?: { generate: boolean }): Promise<vscode.Uri> {
    const sample = await vscode.commands.executeCommand<vscode.Uri | undefined>('aistudios.openSample', options);
    assert.ok(sample, `the sample opened: ${ui.describe()}`);
    copies.push(sample);
    return sample;
  }

  const textOf = async (uri: vscode.Uri) => decoder.decode(await vscode.workspace.fs.readFile(uri));
  const value = (key: string) => api.walkthrough.values[key];

  before(async () => {
    server = await startFakeServer();
    api = await testSeams<NonNullable<ExtensionApi['testing']>>();
    await settings().update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
    // The player is opened by Play It here, not by the generation.
    await settings().update('player.autoPlay', false, vscode.ConfigurationTarget.Global);
    ui = new ScriptedUi();
    api.ui.current = ui;
    await ui.setKey(DEMO_TOKEN);
  });

  beforeEach(() => {
    ui = new ScriptedUi();
    api.ui.current = ui;
    server.reset();
  });

  after(async () => {
    api.player()?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const copy of copies)
      await vscode.workspace.fs
        .delete(vscode.Uri.joinPath(copy, '..'), { recursive: true, useTrash: false })
        .then(undefined, () => undefined);
    for (const key of ['apiBaseUrl', 'player.autoPlay', 'language'])
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it("opens a copy in the extension's storage, outside the workspace, in the voice's language", async () => {
    await settings().update('language', 'ko', vscode.ConfigurationTarget.Global);
    const korean = await openSample();
    const storage = api.context.globalStorageUri;
    assert.strictEqual(korean.scheme, storage.scheme);
    assert.ok(korean.path.startsWith(`${storage.path}/sample/`), `${korean.path} is in ${storage.path}`);
    assert.strictEqual(vscode.workspace.getWorkspaceFolder(korean), undefined, 'not in a workspace folder');
    assert.strictEqual(korean.path.split('/').pop(), 'first-take.md');
    await eventually(() =>
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), korean.toString(), 'it is open'),
    );
    assert.strictEqual(vscode.window.activeTextEditor?.document.isUntitled, false);
    assert.strictEqual(await textOf(korean), await bundled('ko'));

    await settings().update('language', 'en', vscode.ConfigurationTarget.Global);
    const english = await openSample();
    assert.strictEqual(await textOf(english), await bundled('en'));
    assert.notStrictEqual(english.toString(), korean.toString());
  });

  it('never writes over an earlier copy, even when opened twice at once', async () => {
    const first = await openSample();
    // The writer edits the copy; the next ones are fresh copies beside it, and this one stays as edited.
    const edited = `${await textOf(first)}\nMy own last line.\n`;
    await vscode.workspace.fs.writeFile(first, new TextEncoder().encode(edited));
    const [second, third] = await Promise.all([openSample(), openSample()]);
    const folders = [first, second, third].map((uri) => vscode.Uri.joinPath(uri, '..').toString());
    assert.strictEqual(new Set(folders).size, 3, `a folder per copy: ${folders.join(', ')}`);
    assert.strictEqual(await textOf(first), edited);
    for (const copy of [second, third]) assert.strictEqual(await textOf(copy), await bundled('en'));
    for (const folder of [first, second, third].map((uri) => vscode.Uri.joinPath(uri, '..')))
      assert.deepStrictEqual(
        (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name),
        ['first-take.md'],
        'nothing else is left in the folder',
      );
  });

  it('"Generate the Sample" saves its audio beside the copy, without asking where, and ticks the step', async () => {
    await settings().update('language', 'ko', vscode.ConfigurationTarget.Global);
    // As in a profile that never made a take.
    await api.globalState.update('aistudios.madeATake', undefined);
    await api.walkthrough.update();
    assert.strictEqual(value('aistudios.hasTake'), false);

    const sample = await openSample({ generate: true });
    const audio = vscode.Uri.joinPath(sample, '..', 'first-take.mp3');
    assert.ok(await exists(audio), `the audio is beside the sample: ${ui.describe()}`);
    assert.strictEqual(api.takes.list()[0]?.audioUri.toString(), audio.toString(), 'it is the latest take');
    assert.strictEqual(api.takes.list()[0]?.sourceUri?.toString(), sample.toString());
    // The normal path: progress with the script's name, the requests in the voice's language, the outcome said.
    assert.deepStrictEqual(
      ui.progress.map((p) => p.title),
      ['AI Studios: first-take.md'],
    );
    const speech = server.requests.filter((r) => r.route === 'speech');
    assert.ok(speech.length >= 2, `the sample's parts were requested: ${speech.length}`);
    for (const request of speech) assert.strictEqual((request.body as { language: string }).language, 'ko');
    const saved = ui.messages.find((m) => m.message.startsWith('Saved first-take.mp3'));
    assert.ok(saved, ui.describe());
    // The copy is outside the workspace: the Explorer view cannot show it, so that button is not offered.
    assert.ok(!saved.actions.includes('Reveal in Explorer'), saved.actions.join());
    for (const request of speech)
      assert.ok(!/\*\*|\/\/|\[/.test((request.body as { text: string }).text), 'no cue, note or pause mark is sent');
    const workspaceNames = (await vscode.workspace.fs.readDirectory(vscode.workspace.workspaceFolders![0]!.uri)).map(
      ([name]) => name,
    );
    assert.ok(!workspaceNames.some((n) => n.startsWith('first-take')), 'nothing in the workspace');

    await eventually(() => assert.strictEqual(value('aistudios.hasTake'), true));
    assert.strictEqual(api.globalState.get('aistudios.madeATake'), true, 'remembered for later windows');
  });

  it('"Play It" plays the latest take, and the step ticks once the page plays it', async () => {
    const latest = api.takes.list()[0];
    assert.ok(latest?.audioUri.path.endsWith('/first-take.mp3'), 'the sample was generated by the test before');
    // As in a profile that never played a take.
    await api.globalState.update('aistudios.playedATake', undefined);
    await api.walkthrough.update();
    assert.strictEqual(value('aistudios.hasPlayed'), false);

    const panel = await vscode.commands.executeCommand<PlayerPanel | undefined>('aistudios.openPlayer', {
      latest: true,
    });
    assert.ok(panel, ui.describe());
    assert.strictEqual(panel.currentTake.id, latest.id);
    await waitFor(
      () => value('aistudios.hasPlayed') === true,
      () => `the step ticks once the page plays; the keys are ${JSON.stringify(api.walkthrough.values)}`,
      20_000,
    );
    assert.strictEqual(api.globalState.get('aistudios.playedATake'), true, 'remembered for later windows');
  });
});
