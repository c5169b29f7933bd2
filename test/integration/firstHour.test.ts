// A writer's first hour, end to end in a real extension host against the fake server: messages that are true
// (progress, "up to date", what an edit cost), the takes list, text in another language stopped before it is sent,
// the walkthrough following the state, voice names learnt lazily, and the demo token given up on Clear API Key.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { UserInterfaceHolder } from '../../src/ui/userInterface';
import type { TakeHistory } from '../../src/player/take';
import type { WalkthroughState } from '../../src/walkthroughState';
import type { VoiceLabels } from '../../src/voiceLabels';
import { DEFAULT_FAKE_MODELS, DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';
import { eventually, withDeadline } from '../support/eventually';
import { ScriptedUi } from './scriptedUi';
import { EXTENSION_ID, settings, workspaceFile, testSeams } from './workspace';

interface ExtensionApi {
  testing?: {
    ui: UserInterfaceHolder;
    takes: TakeHistory;
    walkthrough: WalkthroughState;
    voiceLabels: VoiceLabels;
    globalState: vscode.Memento;
  };
}

async function names(prefix: string): Promise<string[]> {
  return (await vscode.workspace.fs.readDirectory(workspaceFile()))
    .map(([name]) => name)
    .filter((name) => name.startsWith(prefix))
    .sort();
}

const PARAGRAPHS = [
  'The first paragraph is long enough to need a request of its own here.',
  'The second paragraph is also long enough to need its own request.',
  'The third paragraph closes the script with a few more words.',
];

describe("a writer's first hour", function () {
  this.timeout(60_000);
  let server: FakeServer;
  let api: NonNullable<ExtensionApi['testing']>;
  let ui: ScriptedUi;

  async function setToken(): Promise<void> {
    await ui.setKey(DEMO_TOKEN);
  }

  async function clearKey(): Promise<void> {
    ui.answerMessage(/Remove the stored AI Studios API key/, 'Remove Key');
    await vscode.commands.executeCommand('aistudios.clearApiKey');
  }

  /** Runs Generate Audio from Markdown Script on a script with this text. */
  async function generate(name: string, text: string): Promise<vscode.Uri[] | undefined> {
    const script = workspaceFile(name);
    await vscode.workspace.fs.writeFile(script, Buffer.from(text, 'utf8'));
    // A document the extension read before follows the file on disk a moment later.
    await eventually(async () => assert.strictEqual((await vscode.workspace.openTextDocument(script)).getText(), text));
    return vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument', script);
  }

  before(async () => {
    server = await startFakeServer({
      models: [...DEFAULT_FAKE_MODELS, { id: 'M000077777', label: { en: 'Nova' }, thumbnail: '', clothes: [] }],
    });
    api = await testSeams<NonNullable<ExtensionApi['testing']>>();
    await settings().update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
    await settings().update('player.autoPlay', false, vscode.ConfigurationTarget.Global);
    await settings().update('maxCharactersPerRequest', 100, vscode.ConfigurationTarget.Global);
    ui = new ScriptedUi();
    api.ui.current = ui;
    await setToken();
  });

  beforeEach(() => {
    ui = new ScriptedUi();
    api.ui.current = ui;
    server.reset();
  });

  after(async () => {
    delete process.env.AISTUDIOS_DEMO_TOKEN;
    for (const key of ['apiBaseUrl', 'player.autoPlay', 'maxCharactersPerRequest', 'language', 'model'])
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it('says what an edit cost, names the newest take when nothing changed, and names the script in progress', async () => {
    const first = await generate('firsthour.md', PARAGRAPHS.join('\n\n') + '\n');
    assert.strictEqual(first?.[0]?.path.split('/').pop(), 'firsthour.mp3', ui.describe());
    assert.ok(
      ui.messages.some((m) => m.message === 'Saved firsthour.mp3: 3 parts requested.'),
      ui.describe(),
    );

    const edited = [PARAGRAPHS[0], 'The second paragraph now says something new.', PARAGRAPHS[2]].join('\n\n');
    const second = await generate('firsthour.md', edited);
    assert.strictEqual(second?.[0]?.path.split('/').pop(), 'firsthour (2).mp3', ui.describe());
    assert.ok(
      ui.messages.some(
        (m) => m.message === 'Saved firsthour (2).mp3: 1 of 3 parts requested, 2 reused from earlier takes.',
      ),
      ui.describe(),
    );

    for (let i = 0; i < 2; i++) {
      const again = await generate('firsthour.md', edited);
      assert.strictEqual(again?.[0]?.toString(), second[0]!.toString(), 'the newest take is kept and named');
    }
    assert.ok(
      ui.messages.some(
        (m) =>
          m.message ===
          'firsthour (2).mp3 is up to date: the script has not changed since it was made; nothing was requested.',
      ),
      ui.describe(),
    );
    assert.deepStrictEqual(await names('firsthour'), ['firsthour (2).mp3', 'firsthour.md', 'firsthour.mp3']);

    // Progress named the script, never a file name it could not know yet.
    assert.ok(ui.progress.length >= 4);
    for (const shown of ui.progress) {
      assert.strictEqual(shown.title, 'AI Studios: firsthour.md');
      for (const message of shown.messages) assert.ok(!/\.mp3|\.wav/.test(message), message);
    }
    assert.ok(ui.progress[1]!.messages.includes('3 of 3 parts (2 reused)'), JSON.stringify(ui.progress[1]));

    // One row per file in the takes list: the newest take of firsthour (2).mp3, not one per generation.
    const rows = api.takes.list().filter((t) => t.audioUri.path.endsWith('/firsthour (2).mp3'));
    assert.strictEqual(rows.length, 1);
    assert.strictEqual(rows[0], api.takes.list()[0], 'and it is the newest');
  });

  it('section rows name the heading once', async () => {
    await generate('sections.md', '# Short sentences\n\nReaders follow one idea at a time.\n');
    const take = api.takes.list()[0];
    assert.ok(take?.audioUri.path.endsWith('/sections.mp3'), ui.describe());
    assert.strictEqual(take.chunks[0]?.label, 'Short sentences: Readers follow one idea at a time.');
  });

  it('stops text that is not in the voice language before sending, and Use Language changes it and goes on', async () => {
    const done = new Promise<void>((resolve) => {
      const listener = api.takes.onDidChange(() => {
        listener.dispose();
        resolve();
      });
    });
    ui.answerMessage(/is mostly in Korean/, 'Use Language “ko”');
    const first = await generate('korean.md', '# 환영합니다\n\n스튜디오에 오신 것을 환영합니다.\n');
    assert.strictEqual(first, undefined);
    const warning = ui.messages.find((m) => /is mostly in Korean/.test(m.message));
    assert.ok(warning, ui.describe());
    assert.strictEqual(
      warning.message,
      'korean.md is mostly in Korean (Hangul), but the voice speaks “en”. A voice speaks only its own language, so nothing was sent.',
    );
    assert.deepStrictEqual(warning.actions, ['Use Language “ko”', 'Select Voice', 'Send Anyway']);
    await withDeadline(done, 'the generation after changing the language', 30_000);
    assert.strictEqual(settings().get('language'), 'ko');
    const speech = server.requests.filter((r) => r.route === 'speech');
    assert.ok(speech.length > 0);
    for (const request of speech) assert.strictEqual((request.body as { language: string }).language, 'ko');
    assert.deepStrictEqual(await names('korean'), ['korean.md', 'korean.mp3']);
    await settings().update('language', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Send Anyway sends text the check stopped, once', async () => {
    const done = new Promise<void>((resolve) => {
      const listener = api.takes.onDidChange(() => {
        listener.dispose();
        resolve();
      });
    });
    ui.answerMessage(/is mostly in/, 'Send Anyway');
    assert.strictEqual(await generate('russian.md', 'Добро пожаловать в студию.\n'), undefined);
    await withDeadline(done, 'the generation sent anyway', 30_000);
    assert.strictEqual(server.counts.speech, 1);
    assert.deepStrictEqual(await names('russian'), ['russian.md', 'russian.mp3']);
  });

  it('learns the voice name lazily, so the take names it without Select Voice', async () => {
    assert.strictEqual(api.voiceLabels.name('M000077777'), 'M000077777', 'not known before');
    await settings().update('model', 'M000077777', vscode.ConfigurationTarget.Global);
    try {
      await generate('named.md', 'A voice with a name.\n');
      assert.ok(server.counts.models >= 1, 'the voice list was asked for');
      assert.strictEqual(api.takes.list()[0]?.model, 'Nova (M000077777)');
      assert.strictEqual(api.voiceLabels.name('M000077777'), 'Nova');
    } finally {
      await settings().update('model', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("the walkthrough's steps complete on the state, whenever it was reached", async () => {
    const steps = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        contributes: { walkthroughs: { steps: { id: string; completionEvents: string[] }[] }[] };
      }
    ).contributes.walkthroughs[0]!.steps;
    assert.deepStrictEqual(
      steps.map((s) => [s.id, s.completionEvents]),
      [
        ['setKey', ['onContext:aistudios.hasApiKey']],
        ['selectVoice', ['onContext:aistudios.voiceChosen']],
        ['generate', ['onContext:aistudios.hasTake']],
        ['play', ['onContext:aistudios.hasPlayed']],
      ],
    );
    const value = (key: string) => api.walkthrough.values[key];
    await eventually(() => assert.strictEqual(value('aistudios.hasApiKey'), true));
    assert.strictEqual(value('aistudios.hasTake'), true, 'takes were made by the tests before');
    await clearKey();
    await eventually(() => assert.strictEqual(value('aistudios.hasApiKey'), false));
    await setToken();
    await eventually(() => assert.strictEqual(value('aistudios.hasApiKey'), true));
    await settings().update('language', 'en', vscode.ConfigurationTarget.Global);
    await eventually(() => assert.strictEqual(value('aistudios.voiceChosen'), true));
    await settings().update('language', undefined, vscode.ConfigurationTarget.Global);
  });

  it('in the demo, Clear API Key gives up the demo token: the next generation asks for a key', async () => {
    await clearKey();
    // A first run of the demo: earlier tests removed keys, which gave the demo token up in this profile.
    await api.globalState.update('aistudios.demoTokenRemoved', undefined);
    process.env.AISTUDIOS_DEMO_TOKEN = DEMO_TOKEN;
    try {
      const withDemo = await generate('demo.md', 'Spoken with the demo token.\n');
      assert.ok(withDemo?.length, `the demo token works while no key was removed: ${ui.describe()}`);
      assert.strictEqual(server.requests.find((r) => r.route === 'speech')?.headers.authorization, DEMO_TOKEN);
      await eventually(() => assert.strictEqual(api.walkthrough.values['aistudios.hasApiKey'], true));

      ui.answerMessage(/Remove the stored AI Studios API key/, 'Remove Key');
      assert.strictEqual(await vscode.commands.executeCommand('aistudios.clearApiKey'), true, ui.describe());
      const prompt = ui.messages.find((m) => /Remove the stored/.test(m.message));
      assert.ok(prompt?.modal);
      assert.ok(
        ui.messages.some((m) => m.message === 'AI Studios API key removed.'),
        ui.describe(),
      );
      await eventually(() => assert.strictEqual(api.walkthrough.values['aistudios.hasApiKey'], false));

      server.reset();
      const without = await generate('demo.md', 'Spoken after the key was removed.\n');
      assert.strictEqual(without, undefined);
      const noKey = ui.messages.find((m) => m.message === 'No AI Studios API key is set.');
      assert.ok(noKey?.actions.includes('Set API Key'), ui.describe());
      assert.strictEqual(server.counts.speech, 0);
    } finally {
      delete process.env.AISTUDIOS_DEMO_TOKEN;
      await setToken();
    }
  });
});
