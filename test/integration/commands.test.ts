// The editor commands end to end in a real extension host, against the fake AI Studios server on loopback:
// key, selection, whole script, naming, cancel, errors, log redaction and the menu contract.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { detectAudioFormat } from '../../src/core/audio/format';
import type { UserInterfaceHolder } from '../../src/ui/userInterface';
import type { TakeHistory } from '../../src/player/take';
import type { PlayerPanel } from '../../src/player/playerPanel';
import { DEMO_APP_ID, DEMO_TOKEN, DEMO_USER_KEY, startFakeServer, type FakeServer } from '../fixtures/fakeServer';
import { eventually, waitFor, withDeadline } from '../support/eventually';
import { ScriptedUi } from './scriptedUi';
import { EXTENSION_ID, settings, workspaceFile, exists, testSeams } from './workspace';

interface ExtensionApi {
  testing?: { ui: UserInterfaceHolder; takes: TakeHistory; logUri: vscode.Uri; player: () => PlayerPanel | undefined };
}

async function readBytes(uri: vscode.Uri): Promise<Buffer> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri));
}

/** Names in the workspace folder of `uri` that look like leftovers of an unfinished write. */
async function partFiles(folder: vscode.Uri): Promise<string[]> {
  return (await vscode.workspace.fs.readDirectory(folder))
    .map(([name]) => name)
    .filter((name) => name.endsWith('.part') || name.includes('.tmp'));
}

async function writeScript(name: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

describe('editor commands', function () {
  this.timeout(60_000);
  let server: FakeServer;
  let api: NonNullable<ExtensionApi['testing']>;
  let ui: ScriptedUi;

  /** Stores a token through the real command, answered by the scripted UI. */
  async function setToken(token = DEMO_TOKEN): Promise<boolean> {
    ui.answerPick('China').answerPick('API token').answerInput(token);
    return (await vscode.commands.executeCommand<boolean>('aistudios.setApiKey')) === true;
  }

  async function clearKey(): Promise<void> {
    ui.answerMessage(/Remove the stored AI Studios API key/, 'Remove Key');
    await vscode.commands.executeCommand('aistudios.clearApiKey');
  }

  before(async () => {
    server = await startFakeServer();
    api = await testSeams<NonNullable<ExtensionApi['testing']>>();
    await settings().update('apiBaseUrl', server.url, vscode.ConfigurationTarget.Global);
    await settings().update('player.autoPlay', false, vscode.ConfigurationTarget.Global);
  });

  beforeEach(async () => {
    ui = new ScriptedUi();
    api.ui.current = ui;
    server.reset();
  });

  after(async () => {
    await clearKey();
    for (const key of ['apiBaseUrl', 'player.autoPlay', 'output.ifExists'])
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  describe('API key', () => {
    it('stores App ID + User Key only after the server accepted them, asking in password boxes', async () => {
      ui.answerPick('China')
        .answerPick('App ID and User Key')
        .answerInput(`  ${DEMO_APP_ID} `)
        .answerInput(DEMO_USER_KEY);
      const stored = await vscode.commands.executeCommand<boolean>('aistudios.setApiKey');
      assert.strictEqual(stored, true, ui.describe());
      assert.strictEqual(ui.inputs.length, 2);
      for (const input of ui.inputs) {
        assert.strictEqual(input.password, true, 'credentials are typed into password boxes');
        assert.strictEqual(input.ignoreFocusOut, true);
        assert.ok(input.validateInput && (await input.validateInput('   ')), 'empty input is refused');
      }
      // The trimmed pair minted a token, and the token was checked with GET /auth.
      const mint = server.requests.find((r) => r.route === 'token');
      assert.deepStrictEqual(mint?.body, { appId: DEMO_APP_ID, userKey: DEMO_USER_KEY });
      const check = server.requests.find((r) => r.route === 'auth');
      assert.ok(check && server.mintedTokens.includes(String(check.headers.authorization)));
    });

    it('stores nothing when the server rejects the key, and says why', async () => {
      await clearKey();
      ui = new ScriptedUi();
      api.ui.current = ui;
      ui.answerPick('China').answerPick('API token').answerInput('not-a-valid-token');
      const stored = await vscode.commands.executeCommand<boolean>('aistudios.setApiKey');
      assert.strictEqual(stored, false);
      const error = ui.messages.find((m) => m.level === 'error');
      assert.ok(error, ui.describe());
      assert.match(error.message, /The key was not saved/);
      // What to check, with the site of the region that was picked; Try Again offers that region first.
      assert.match(error.message, /Check that the whole token was pasted and that it was made on \S+/);
      assert.deepStrictEqual(error.actions, ['Try Again', 'Show Log']);
      assert.ok(!error.message.includes('not-a-valid-token'), 'the key is never part of a message');
      // Nothing stored: a generation now asks for a key.
      const doc = await vscode.workspace.openTextDocument(workspaceFile('intro.md'));
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('aistudios.generateFromDocument');
      assert.ok(
        ui.messages.some((m) => m.message === 'No AI Studios API key is set.' && m.actions.includes('Set API Key')),
        ui.describe(),
      );
      assert.strictEqual(server.counts.speech, 0);
    });

    it('offers Set API Key when none is set, then carries on with the original command', async () => {
      const script = await writeScript('carry-on.md', '# Carry on\n\nThe command goes on once the key is set.\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
      ui.answerMessage(/No AI Studios API key is set/, 'Set API Key');
      ui.answerPick('China').answerPick('API token').answerInput(DEMO_TOKEN);
      const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument');
      assert.ok(written?.length, ui.describe());
      assert.strictEqual(written[0].toString(), workspaceFile('carry-on.mp3').toString());
      assert.strictEqual(detectAudioFormat(await readBytes(written[0])), 'mp3');
    });

    it('clears the key after confirmation', async () => {
      await clearKey();
      assert.ok(ui.messages.some((m) => m.modal && /Remove the stored/.test(m.message)));
      const doc = await vscode.workspace.openTextDocument(workspaceFile('intro.md'));
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('aistudios.generateFromDocument');
      assert.ok(
        ui.messages.some((m) => m.message === 'No AI Studios API key is set.'),
        ui.describe(),
      );
    });
  });

  describe('generation', () => {
    beforeEach(async () => {
      assert.ok(await setToken(), ui.describe());
      server.reset();
    });

    it('speaks the selection without markdown and saves intro-L3-L4.mp3 beside the script', async () => {
      const doc = await vscode.workspace.openTextDocument(workspaceFile('intro.md'));
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(2, 0, 3, doc.lineAt(3).text.length);
      const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromSelection');
      assert.ok(written?.length, ui.describe());
      assert.strictEqual(written[0].toString(), workspaceFile('intro-L3-L4.mp3').toString());
      assert.strictEqual(detectAudioFormat(await readBytes(written[0])), 'mp3');
      const speech = server.requests.filter((r) => r.route === 'speech');
      assert.strictEqual(speech.length, 1);
      assert.deepStrictEqual(speech[0].body, {
        language: 'en',
        model: 'M000045058',
        text: 'Every script starts with a single sentence that a listener can follow without looking at the screen.',
      });
      assert.ok(
        ui.messages.some(
          (m) =>
            m.message === 'Saved intro-L3-L4.mp3: 1 part requested.' && m.actions.join() === 'Play,Reveal in Explorer',
        ),
        ui.describe(),
      );
      assert.deepStrictEqual(await partFiles(workspaceFile()), []);
    });

    it('speaks several selections in document order, joined by a paragraph break', async () => {
      const doc = await vscode.workspace.openTextDocument(workspaceFile('intro.md'));
      const editor = await vscode.window.showTextDocument(doc);
      editor.selections = [
        new vscode.Selection(6, 0, 6, doc.lineAt(6).text.length),
        new vscode.Selection(5, 0, 5, doc.lineAt(5).text.length),
      ];
      await vscode.commands.executeCommand('aistudios.generateFromSelection');
      const speech = server.requests.filter((r) => r.route === 'speech');
      assert.strictEqual(speech.length, 1, ui.describe());
      assert.strictEqual(
        (speech[0].body as { text: string }).text,
        'Keep sentences short.\n\nRead them aloud before you record.',
      );
    });

    it('says so for a whitespace-only selection and sends nothing', async () => {
      const doc = await vscode.workspace.openTextDocument(workspaceFile('intro.md'));
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(1, 0, 2, 0);
      await vscode.commands.executeCommand('aistudios.generateFromSelection');
      assert.ok(
        ui.messages.some((m) => m.level === 'info' && /selection is empty/.test(m.message)),
        ui.describe(),
      );
      assert.strictEqual(server.counts.total, 0);
    });

    it("speaks a whole script from the editor's unsaved text, and never overwrites: intro (2).mp3", async () => {
      const script = await writeScript('numbered.md', '# Numbered\n\nSaved text.\n');
      const doc = await vscode.workspace.openTextDocument(script);
      const editor = await vscode.window.showTextDocument(doc);
      const first = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument');
      assert.ok(first?.length, ui.describe());
      assert.strictEqual(first[0].toString(), workspaceFile('numbered.mp3').toString());
      const original = await readBytes(first[0]);

      await editor.edit((e) => e.insert(new vscode.Position(2, 0), 'An unsaved second line. '));
      assert.ok(doc.isDirty);
      const second = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument');
      assert.ok(second?.length, ui.describe());
      assert.strictEqual(second[0].toString(), workspaceFile('numbered (2).mp3').toString());
      assert.ok((await readBytes(first[0])).equals(original), 'the first file is byte-identical');
      const texts = server.requests.filter((r) => r.route === 'speech').map((r) => (r.body as { text: string }).text);
      assert.deepStrictEqual(texts, ['Numbered.\n\nSaved text.', 'Numbered.\n\nAn unsaved second line. Saved text.']);
    });

    it('runs from the Explorer on a file that is not open', async () => {
      const script = await writeScript('explorer.md', '# From the explorer\n\nNo editor needed.\n');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument', script);
      assert.ok(written?.length, ui.describe());
      assert.ok(await exists(workspaceFile('explorer.mp3')));
    });

    it('asks where to save the audio of an untitled document', async () => {
      const doc = await vscode.workspace.openTextDocument({
        language: 'markdown',
        content: '# Draft\n\nNot saved anywhere yet.\n',
      });
      await vscode.window.showTextDocument(doc);
      ui.answerSaveDialog(workspaceFile('draft-take.mp3'));
      const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument');
      assert.strictEqual(written?.[0].toString(), workspaceFile('draft-take.mp3').toString(), ui.describe());
      assert.strictEqual(detectAudioFormat(await readBytes(written[0])), 'mp3');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('asks where to save when the script lives on a read-only file system (e.g. a virtual workspace)', async () => {
      const text = Buffer.from('# Read only\n\nThis script cannot have audio beside it.\n');
      const provider = readOnlyFileSystem('readonly.md', text);
      const registration = vscode.workspace.registerFileSystemProvider('aistudios-test-ro', provider, {
        isReadonly: true,
      });
      try {
        const uri = vscode.Uri.from({ scheme: 'aistudios-test-ro', path: '/readonly.md' });
        ui.answerSaveDialog(workspaceFile('from-readonly.mp3'));
        const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument', uri);
        assert.strictEqual(written?.[0].toString(), workspaceFile('from-readonly.mp3').toString(), ui.describe());
        assert.strictEqual(detectAudioFormat(await readBytes(written[0])), 'mp3');
      } finally {
        registration.dispose();
      }
    });

    it('cancel stops the request and leaves no file behind', async () => {
      const script = await writeScript('cancelled.md', '# Cancelled\n\nThis never arrives.\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
      server.setFault({ kind: 'slow', delayMs: 20_000 });
      const cancelled = ui.onDidStartProgress((source) => setTimeout(() => source.cancel(), 300));
      try {
        const written = await vscode.commands.executeCommand<vscode.Uri[] | undefined>(
          'aistudios.generateFromDocument',
        );
        assert.strictEqual(written, undefined);
      } finally {
        cancelled.dispose();
        server.setFault(undefined);
      }
      assert.strictEqual(server.counts.speech, 1, 'the request was sent, then abandoned');
      assert.strictEqual(await exists(workspaceFile('cancelled.mp3')), false);
      assert.deepStrictEqual(await partFiles(workspaceFile()), []);
      assert.ok(!ui.messages.some((m) => m.level === 'error'), ui.describe());
      // No error, but the cancel is acknowledged where the progress was.
      assert.deepStrictEqual(ui.statusMessages, ['$(circle-slash) No audio was made for cancelled.md: cancelled.']);
    });

    it('a rejected key (401) says so with Set API Key, and writes nothing', async () => {
      const script = await writeScript('unauthorized.md', '# Unauthorized\n\nNo file for this one.\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
      server.setFault({ kind: 'status', status: 401, on: 'speech' });
      try {
        const written = await vscode.commands.executeCommand<vscode.Uri[] | undefined>(
          'aistudios.generateFromDocument',
        );
        assert.strictEqual(written, undefined);
      } finally {
        server.setFault(undefined);
      }
      const error = ui.messages.find((m) => m.level === 'error');
      assert.ok(error, ui.describe());
      assert.ok(error.actions.includes('Set API Key') && error.actions.includes('Show Log'), ui.describe());
      assert.ok(!error.actions.includes('Retry'), 'retrying a rejected key cannot help');
      assert.strictEqual(await exists(workspaceFile('unauthorized.mp3')), false);
    });

    it('a server error offers Retry, and Retry tries again', async () => {
      const script = await writeScript('retry.md', '# Retry\n\nSecond time lucky.\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
      // More 503s than the client retries by itself; the user presses Retry once the server is healthy again.
      server.setFault({ kind: 'status', status: 503, on: 'speech' });
      let healthy!: () => void;
      const serverIsHealthy = new Promise<void>((resolve) => (healthy = resolve));
      ui.answerMessage(/No audio was made for retry\.md/, async () => {
        await serverIsHealthy;
        return 'Retry';
      });
      const done = new Promise<void>((resolve) => {
        const listener = api.takes.onDidChange(() => {
          listener.dispose();
          resolve();
        });
      });
      const first = await vscode.commands.executeCommand('aistudios.generateFromDocument');
      assert.strictEqual(first, undefined, 'the first run failed');
      assert.strictEqual(await exists(workspaceFile('retry.mp3')), false);
      server.setFault(undefined);
      healthy();
      await withDeadline(done, 'the retried generation adds a take', 30_000);
      const error = ui.messages.find((m) => m.level === 'error');
      assert.ok(error?.actions.includes('Retry'), ui.describe());
      assert.ok(await exists(workspaceFile('retry.mp3')));
    });

    it('ifExists=ask: Cancel spends nothing, Overwrite replaces', async () => {
      await settings().update('output.ifExists', 'ask', vscode.ConfigurationTarget.Global);
      try {
        const script = await writeScript('ask.md', '# Ask\n\nFirst take.\n');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
        await vscode.commands.executeCommand('aistudios.generateFromDocument');
        assert.ok(await exists(workspaceFile('ask.mp3')), ui.describe());
        server.reset();
        ui.answerMessage(/ask\.mp3 already exists/, undefined);
        assert.strictEqual(await vscode.commands.executeCommand('aistudios.generateFromDocument'), undefined);
        assert.strictEqual(server.counts.speech, 0, 'cancelling the question costs no request');
        ui.answerMessage(/ask\.mp3 already exists/, 'Overwrite');
        const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument');
        assert.strictEqual(written?.[0].toString(), workspaceFile('ask.mp3').toString());
        assert.strictEqual(await exists(workspaceFile('ask (2).mp3')), false);
      } finally {
        await settings().update('output.ifExists', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('refuses a second run for the same script while one is running', async () => {
      const script = await writeScript('busy.md', '# Busy\n\nOne at a time.\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
      server.latencyMs = 1500;
      try {
        const first = vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument');
        await waitFor(
          () => server.counts.total > 0,
          () => 'the first run reaches the server',
          20_000,
        );
        const second = await vscode.commands.executeCommand('aistudios.generateFromDocument');
        assert.strictEqual(second, undefined);
        assert.ok(
          ui.messages.some((m) => /already being generated/.test(m.message)),
          ui.describe(),
        );
        assert.ok((await first)?.length);
      } finally {
        server.latencyMs = 0;
      }
      assert.strictEqual(server.counts.speech, 1);
    });

    it('opens the new take in the player when autoPlay is on, in a webview with a strict CSP', async () => {
      await settings().update('player.autoPlay', true, vscode.ConfigurationTarget.Global);
      try {
        const script = await writeScript('played.md', '# Played\n\nStraight into the player.\n');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
        const written = await vscode.commands.executeCommand<vscode.Uri[]>('aistudios.generateFromDocument');
        assert.ok(written?.length, ui.describe());
        const player = api.player();
        assert.ok(player, 'the player panel exists');
        assert.strictEqual(player.currentTake.audioUri.toString(), written[0].toString());
        assert.strictEqual(player.currentTake.sourceUri?.toString(), script.toString());
        assert.match(player.currentTake.model ?? '', /M000045058/, 'the take names its voice');
        assert.match(player.panel.title, /played\.mp3/);
        const csp = (
          /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(player.html)?.[1] ?? ''
        ).replace(/&#39;/g, "'");
        assert.match(csp, /default-src 'none'/);
        assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=_-]{16,}'/);
        assert.ok(!/unsafe-inline|unsafe-eval/.test(player.html), 'no unsafe-inline or unsafe-eval');
        player.dispose();
      } finally {
        await settings().update('player.autoPlay', false, vscode.ConfigurationTarget.Global);
      }
    });

    it('never writes the key to the log', async () => {
      // Make the log busy: a failure, a success, and a key check.
      const script = await writeScript('logged.md', '# Logged\n\nEvery request is logged.\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(script));
      server.queueFaults({ kind: 'status', status: 500, on: 'speech' });
      await vscode.commands.executeCommand('aistudios.generateFromDocument');
      await setToken();
      // The log channel writes its file asynchronously: wait until the requests are in it.
      const logs = await eventually(async () => {
        const text = await readLogs(api.logUri);
        assert.ok(
          text.includes('simple/audio') && /GET \/api\/odin\/v3\/auth\b/.test(text),
          `the log records the requests:\n${text.slice(-2000)}`,
        );
        return text;
      });
      for (const secret of [DEMO_TOKEN, DEMO_USER_KEY, ...server.mintedTokens]) {
        assert.ok(!logs.includes(secret), 'a secret appears in the log');
      }
    });
  });

  describe('contributions', () => {
    it('shows Generate Audio from Selection in the editor context menu only with a selection', () => {
      const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        contributes: {
          menus: Record<string, { command: string; when?: string }[]>;
          configuration: { properties: Record<string, { scope?: string }> };
        };
      };
      const entry = pkg.contributes.menus['editor/context'].find(
        (m) => m.command === 'aistudios.generateFromSelection',
      );
      assert.ok(entry?.when?.includes('editorHasSelection'));
      assert.strictEqual(pkg.contributes.configuration.properties['aistudios.apiBaseUrl'].scope, 'application');
    });
  });
});

/** A one-file, read-only file system, like a virtual workspace the extension cannot write to. */
function readOnlyFileSystem(name: string, content: Uint8Array): vscode.FileSystemProvider {
  const now = Date.now();
  const refuse = () => {
    throw vscode.FileSystemError.NoPermissions('read-only');
  };
  return {
    onDidChangeFile: new vscode.EventEmitter<vscode.FileChangeEvent[]>().event,
    watch: () => new vscode.Disposable(() => undefined),
    stat: (uri) => {
      if (uri.path === '/') return { type: vscode.FileType.Directory, ctime: now, mtime: now, size: 0 };
      if (uri.path === `/${name}`) return { type: vscode.FileType.File, ctime: now, mtime: now, size: content.length };
      throw vscode.FileSystemError.FileNotFound(uri);
    },
    readDirectory: () => [[name, vscode.FileType.File]],
    readFile: (uri) => {
      if (uri.path === `/${name}`) return content;
      throw vscode.FileSystemError.FileNotFound(uri);
    },
    createDirectory: refuse,
    writeFile: refuse,
    delete: refuse,
    rename: refuse,
  };
}

/** Every log file the extension's output channel writes (searched under its log folder and the window's). */
async function readLogs(logUri: vscode.Uri): Promise<string> {
  const texts: string[] = [];
  const visit = async (folder: vscode.Uri, depth: number): Promise<void> => {
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(folder);
    } catch {
      return;
    }
    for (const [name, type] of entries) {
      const child = vscode.Uri.joinPath(folder, name);
      if (type === vscode.FileType.Directory && depth > 0) await visit(child, depth - 1);
      else if (
        type === vscode.FileType.File &&
        name.endsWith('.log') &&
        /AI Studios Audio|aistudios/i.test(child.path)
      ) {
        texts.push(Buffer.from(await vscode.workspace.fs.readFile(child)).toString('utf8'));
      }
    }
  };
  // The channel's file lives in the extension host's log folder, one or two levels above logUri.
  await visit(vscode.Uri.joinPath(logUri, '..', '..'), 3);
  return texts.join('\n');
}
