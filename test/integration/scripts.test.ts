// Long scripts, voice choice and the narration preview in a real extension host, against the fake server.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { probeAudio } from '../../src/core/audio/format';
import type { UserInterfaceHolder } from '../../src/ui/userInterface';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';
import { ScriptedUi } from './scriptedUi';
import { settings, workspaceFile, testSeams } from './workspace';

/** Three sections of ten paragraphs, each paragraph too long to share a request with another at the limit used. */
function longScript(): string {
  const lines = ['---', 'title: A long module', '---', ''];
  for (let s = 1; s <= 3; s++) {
    lines.push(`## Part ${s}`, '');
    for (let p = 1; p <= 10; p++) {
      lines.push(
        `Paragraph ${p} of part ${s} explains one idea in plain words, so that a listener can follow it without a screen.`,
        '',
      );
    }
  }
  return lines.join('\n');
}

describe('long scripts, voices and preview', function () {
  this.timeout(120_000);
  let server: FakeServer;
  let ui: ScriptedUi;
  let holder: UserInterfaceHolder;

  before(async () => {
    server = await startFakeServer();
    holder = (await testSeams<{ ui: UserInterfaceHolder }>()).ui;
    await settings().update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
    await settings().update('player.autoPlay', false, vscode.ConfigurationTarget.Global);
    ui = new ScriptedUi();
    holder.current = ui;
    await ui.setKey(DEMO_TOKEN);
  });

  beforeEach(() => {
    ui = new ScriptedUi();
    holder.current = ui;
    server.reset();
  });

  after(async () => {
    ui.answerMessage(/Remove the stored/, 'Remove Key');
    await vscode.commands.executeCommand('aistudios.clearApiKey');
    for (const key of [
      'apiBaseUrl',
      'player.autoPlay',
      'maxCharactersPerRequest',
      'output.perSection',
      'model',
      'language',
      'concurrency',
    ]) {
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  it('turns a 30-part script into one playable file and one file per section, and pays for nothing twice', async () => {
    await settings().update('maxCharactersPerRequest', 150, vscode.ConfigurationTarget.Global);
    await settings().update('output.perSection', true, vscode.ConfigurationTarget.Global);
    const script = workspaceFile('module.md');
    await vscode.workspace.fs.writeFile(script, Buffer.from(longScript()));
    const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument', script);
    assert.ok(written?.length, ui.describe());
    assert.strictEqual(server.counts.speech, 30, 'one request per paragraph-sized part');
    assert.deepStrictEqual(
      written.map((u) => u.path.split('/').pop()),
      ['module.mp3', 'module.01-part-1.mp3', 'module.02-part-2.mp3', 'module.03-part-3.mp3'],
    );
    const joined = probeAudio(Buffer.from(await vscode.workspace.fs.readFile(written[0])));
    const sections = await Promise.all(
      written.slice(1).map(async (u) => probeAudio(Buffer.from(await vscode.workspace.fs.readFile(u))).durationMs),
    );
    const pauses = 2 * 700; // two section boundaries at the default pause
    const expected = sections.reduce((a, b) => a + b, 0) + pauses;
    assert.ok(
      Math.abs(joined.durationMs - expected) / expected < 0.01,
      `joined ${joined.durationMs} ms, sections + pauses ${expected} ms`,
    );

    server.reset();
    const again = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument', script);
    assert.ok(again?.length, ui.describe());
    assert.strictEqual(server.counts.speech, 0, 'a second run is served from the cache');
    assert.deepStrictEqual(
      again.map((u) => u.toString()),
      written.map((u) => u.toString()),
      'an unchanged script keeps its files instead of adding copies',
    );
    assert.ok(
      ui.messages.some((m) => /module\.mp3 is up to date/.test(m.message)),
      ui.describe(),
    );
    const names = (await vscode.workspace.fs.readDirectory(workspaceFile())).map(([n]) => n);
    assert.ok(!names.some((n) => n.startsWith('module (2)')), names.join(', '));
  });

  /** The length of the audio the server makes for one request, asked for again here, outside the extension. */
  async function pieceDurationMs(body: { text: string; model: string; language: string }): Promise<number> {
    const answer = await fetch(`${server.url}/api/odin/v3/simple/audio`, {
      method: 'POST',
      headers: { authorization: DEMO_TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const { data } = (await answer.json()) as { data: { downloadUrl: string } };
    const audio = await fetch(data.downloadUrl);
    return probeAudio(Buffer.from(await audio.arrayBuffer())).durationMs;
  }

  it('speaks a two-speaker script as one file: each line in its cast voice, in script order, the [pause 2s] as silence', async () => {
    // One request at a time, so the server records them in the order the script says them.
    await settings().update('concurrency', 1, vscode.ConfigurationTarget.Global);
    const script = workspaceFile('dialogue.md');
    const text = [
      '---',
      'voices:',
      '  HOST: M000004017',
      '  GUEST: M000099999',
      '---',
      '',
      '**Visual:** Two chairs in the studio.',
      '',
      'HOST: Welcome to the studio. [pause 2s] Today we talk about sleep.',
      '',
      'GUEST: [laughs] Thanks for having me.',
      '',
      'HOST: Let us begin.',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(script, Buffer.from(text));
    const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument', script);
    assert.ok(written?.length, ui.describe());
    assert.deepStrictEqual(
      written.map((u) => u.path.split('/').pop()),
      ['dialogue.mp3'],
      'one joined file',
    );
    const speech = server.requests
      .filter((r) => r.route === 'speech')
      .map((r) => r.body as { text: string; model: string; language: string });
    assert.deepStrictEqual(
      speech.map((b) => [b.model, b.text]),
      [
        ['M000004017', 'Welcome to the studio.'],
        ['M000004017', 'Today we talk about sleep.'],
        ['M000099999', 'Thanks for having me.'],
        ['M000004017', 'Let us begin.'],
      ],
      'the cast models, in script order; labels, cues and directions are never sent',
    );
    const joined = probeAudio(Buffer.from(await vscode.workspace.fs.readFile(written[0]))).durationMs;
    const pieces = await Promise.all(speech.map((body) => pieceDurationMs(body)));
    const expected = pieces.reduce((a, b) => a + b, 0) + 2000;
    assert.ok(
      Math.abs(joined - expected) / expected < 0.01,
      `joined ${joined} ms, pieces ${pieces.join(' + ')} + 2000 ms of pause = ${expected} ms`,
    );
  });

  it('previews exactly what would be sent, part by part, with what is cached', async () => {
    await settings().update('maxCharactersPerRequest', 150, vscode.ConfigurationTarget.Global);
    const script = workspaceFile('module.md');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
    const preview = await vscode.commands.executeCommand<vscode.TextDocument>('aistudios.previewNarration');
    assert.ok(preview);
    assert.strictEqual(preview.uri.scheme, 'aistudios-narration');
    // Its own language, whose default wraps the long lines of a part instead of cutting them off.
    assert.strictEqual(preview.languageId, 'aistudios-narration');
    assert.strictEqual(vscode.workspace.getConfiguration('editor', preview).get('wordWrap'), 'on');
    const text = preview.getText();
    assert.match(text, /30 requests/);
    assert.match(text, /Voice M000045058, language en\./);
    assert.match(text, /30 of 30 already cached/);
    assert.match(text, /── Part 1 of 30 · \d+ characters · lines 5–7 · “Part 1”/);
    assert.ok(!text.includes('title: A long module'), 'front matter is not spoken');
    assert.strictEqual(server.counts.total, 0, 'a preview makes no request');
    assert.ok(editor);
  });

  it("picks a voice from the account's models and saves it in user settings", async () => {
    ui.answerPick((items) => items.find((i) => (i as { modelId?: unknown }).modelId === 'M000004017'));
    ui.answerPick('ko');
    assert.strictEqual(await vscode.commands.executeCommand('aistudios.selectVoice'), true, ui.describe());
    assert.strictEqual(settings().inspect('model')?.globalValue, 'M000004017');
    assert.strictEqual(settings().inspect('language')?.globalValue, 'ko');
    assert.strictEqual(server.counts.models, 1);
    // Labels: English, then Korean, then the id; the recent one comes first next time.
    const labels = ui.pickedItems[0].map((i) => i.label);
    assert.ok(labels.includes('Paige') && labels.includes('지수') && labels.includes('M000099999'), labels.join(', '));
    // A voice without a name shows its id once, not as label and description.
    const unnamed = ui.pickedItems[0].find((i) => i.label === 'M000099999');
    assert.strictEqual(unnamed?.description, '');
    ui.answerPick(() => undefined);
    await vscode.commands.executeCommand('aistudios.selectVoice');
    const firstChoice = ui.pickedItems[2].find((i) => i.kind !== vscode.QuickPickItemKind.Separator);
    assert.strictEqual(firstChoice?.description?.startsWith('M000004017'), true, 'the recent voice comes first');
    assert.strictEqual(server.counts.models, 1, 'the list is cached for the window');
  });

  it('still offers the configured id and free entry when the voice list cannot be loaded', async () => {
    ui.answerMessage(/Remove the stored/, 'Remove Key');
    await vscode.commands.executeCommand('aistudios.clearApiKey');
    try {
      ui.answerPick((items) => items.find((i) => i.label.includes('Enter a model id')));
      ui.answerInput('M000011111');
      ui.answerPick('en');
      assert.strictEqual(await vscode.commands.executeCommand('aistudios.selectVoice'), true, ui.describe());
      const items = ui.pickedItems[0];
      assert.ok(
        items.some((i) => i.kind === vscode.QuickPickItemKind.Separator && /could not be loaded/.test(i.label)),
        items.map((i) => i.label).join(' | '),
      );
      assert.strictEqual(settings().inspect('model')?.globalValue, 'M000011111');
    } finally {
      ui.answerPick('China').answerPick('API token').answerInput(DEMO_TOKEN);
      await vscode.commands.executeCommand('aistudios.setApiKey');
    }
  });
});
