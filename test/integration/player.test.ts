// The player panel in a real extension host: opened through the command on a fixture audio file copied
// into the workspace, with its real webview (whose script posts `ready` and the audio's metadata back).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { PlayerPanel } from '../../src/player/playerPanel';
import { PlayerPanel as LocalPlayerPanel } from '../../src/player/playerPanel';
import { Player } from '../../src/player/player';
import { UserInterfaceHolder } from '../../src/ui/userInterface';
import type { PlayerState, TakeRecord, WebviewToExtensionMessage } from '../../src/shared/playerProtocol';
import { TakeHistory, type Take } from '../../src/player/take';
import { eventually, waitFor, withDeadline } from '../support/eventually';
import { EXTENSION_ID } from './workspace';

interface ExtensionApi {
  testing?: { takes: TakeHistory };
}

function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a workspace');
  return folder.uri;
}

/** Resolves with the first message from the panel's webview that matches, or fails after a deadline. */
function nextMessage<T extends WebviewToExtensionMessage['type']>(
  player: PlayerPanel,
  type: T,
  matches: (m: Extract<WebviewToExtensionMessage, { type: T }>) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<Extract<WebviewToExtensionMessage, { type: T }>> {
  const seen: string[] = [];
  const message = new Promise<Extract<WebviewToExtensionMessage, { type: T }>>((resolve) => {
    const listener = player.onDidReceiveMessage((m) => {
      if (m.type === type && matches(m as Extract<WebviewToExtensionMessage, { type: T }>)) {
        listener.dispose();
        resolve(m as Extract<WebviewToExtensionMessage, { type: T }>);
      } else {
        seen.push(JSON.stringify(m));
      }
    });
  });
  return withDeadline(message, `a matching "${type}" message from the player`, timeoutMs).catch((error: Error) => {
    error.message = `${error.message}; last other messages: ${seen.slice(-5).join(', ') || 'none'}`;
    throw error;
  });
}

/**
 * Resolves once file events of `folder` reach the extension host: a watcher created now sees a probe file appear.
 * Watchers are started in the order they are created, so the player's earlier watcher is live by then too.
 */
async function fileEventsFlowing(folder: vscode.Uri, timeoutMs = 20_000): Promise<void> {
  const probe = vscode.Uri.joinPath(folder, `.watch-probe-${Date.now()}`);
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '*'));
  let seen = false;
  const onEvent = (uri: vscode.Uri) => {
    if (uri.toString() === probe.toString()) seen = true;
  };
  watcher.onDidCreate(onEvent);
  watcher.onDidChange(onEvent);
  try {
    const started = Date.now();
    let attempt = 0;
    // Rewrite the probe until this watcher sees it: its first writes may come before it is live.
    while (!seen) {
      assert.ok(Date.now() - started < timeoutMs, `no file event from ${folder.path} within ${timeoutMs} ms`);
      await vscode.workspace.fs.writeFile(probe, Buffer.from(String(attempt++)));
      await waitFor(
        () => seen,
        () => 'probe event',
        1_000,
      ).catch(() => undefined);
    }
  } finally {
    watcher.dispose();
    await vscode.workspace.fs.delete(probe, { useTrash: false }).then(undefined, () => undefined);
  }
}

describe('player panel', () => {
  let extension: vscode.Extension<ExtensionApi>;
  let audioFolder: vscode.Uri;
  let hello: vscode.Uri;

  before(async () => {
    const found = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(found);
    extension = found;
    await extension.activate();
    audioFolder = vscode.Uri.joinPath(workspaceFolder(), 'player-test-audio');
    await vscode.workspace.fs.createDirectory(audioFolder);
    hello = vscode.Uri.joinPath(audioFolder, 'hello.mp3');
    await vscode.workspace.fs.copy(
      vscode.Uri.joinPath(extension.extensionUri, 'test/fixtures/audio/hello.mp3'),
      hello,
      { overwrite: true },
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(audioFolder, { recursive: true, useTrash: false });
  });

  it('registers the player commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('aistudios.openPlayer'));
    assert.ok(commands.includes('aistudios.playFromCursor'));
  });

  it('opens an audio file in a panel with a strict CSP, and its webview loads the audio', async () => {
    const player = await vscode.commands.executeCommand<PlayerPanel | undefined>('aistudios.openPlayer', hello);
    assert.ok(player, 'the command returns the panel');
    const metadata = nextMessage(player, 'metadata');
    assert.strictEqual(player.panel.viewType, 'aistudios.player');
    assert.match(player.panel.title, /hello\.mp3/);
    assert.strictEqual(player.currentTake.audioUri.toString(), hello.toString());

    const html = player.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    assert.ok(csp, 'the page declares a CSP');
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]{16,})'/.exec(csp)?.[1];
    assert.ok(nonce, `a nonce in ${csp}`);
    const cspSource = player.panel.webview.cspSource;
    assert.strictEqual(
      csp,
      `default-src 'none'; media-src ${cspSource}; img-src ${cspSource}; style-src ${cspSource}; script-src 'nonce-${nonce}'`,
    );
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepStrictEqual(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${nonce}"`), 'the only script carries the nonce');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /\sstyle=/i, 'no inline styles');

    const roots = (player.panel.webview.options.localResourceRoots ?? []).map((u) => u.toString()).sort();
    const extensionUri = extension.extensionUri;
    assert.deepStrictEqual(
      roots,
      [audioFolder, vscode.Uri.joinPath(extensionUri, 'dist/media'), vscode.Uri.joinPath(extensionUri, 'media')]
        .map((u) => u.toString())
        .sort(),
    );

    // The webview really runs: it says ready and reports the audio's duration.
    const { durationMs } = await metadata;
    assert.ok(durationMs > 0, `duration ${durationMs}`);
    assert.strictEqual(player.isReady, true);
  });

  it('reuses the one panel for the next file, and adds its folder to the resource roots', async () => {
    const first = await vscode.commands.executeCommand<PlayerPanel | undefined>('aistudios.openPlayer', hello);
    const otherFolder = vscode.Uri.joinPath(audioFolder, 'takes');
    const second = vscode.Uri.joinPath(otherFolder, 'second.wav');
    await vscode.workspace.fs.copy(
      vscode.Uri.joinPath(extension.extensionUri, 'test/fixtures/audio/second.wav'),
      second,
      { overwrite: true },
    );
    const again = await vscode.commands.executeCommand<PlayerPanel | undefined>('aistudios.openPlayer', second);
    assert.ok(first && again);
    assert.strictEqual(again, first, 'one panel, reused');
    const metadata = await nextMessage(again, 'metadata', (m) => m.takeId === again.currentTake.id);
    assert.ok(metadata.durationMs > 0);
    assert.match(again.panel.title, /second\.wav/);
    assert.ok(
      (again.panel.webview.options.localResourceRoots ?? []).some((u) => u.toString() === otherFolder.toString()),
    );
    const takes = extension.exports.testing?.takes.list().map((t) => t.audioUri.toString()) ?? [];
    assert.deepStrictEqual(
      takes.slice(0, 2),
      [second.toString(), hello.toString()],
      'the takes of this window, newest first',
    );
  });

  it('notices when the playing file is deleted', async () => {
    const doomed = vscode.Uri.joinPath(audioFolder, 'doomed.mp3');
    await vscode.workspace.fs.copy(hello, doomed, { overwrite: true });
    const player = await vscode.commands.executeCommand<PlayerPanel | undefined>('aistudios.openPlayer', doomed);
    assert.ok(player);
    await nextMessage(player, 'metadata', (m) => m.takeId === player.currentTake.id);
    assert.strictEqual(player.fileMissing, false);
    // A file watcher starts receiving events some time after it is created; on a busy machine that can be after
    // the delete below. Wait until file events of this folder reach the extension host before deleting.
    await fileEventsFlowing(audioFolder);
    await vscode.workspace.fs.delete(doomed);
    await waitFor(
      () => player.fileMissing,
      () => 'the player notices the deleted file (fileMissing stays false)',
    );
  });

  it('plays the last take of the script from the chunk under the cursor, and follows it in the editor', async () => {
    const takes = extension.exports.testing?.takes;
    assert.ok(takes, 'the extension exposes its take history under test');
    const script = vscode.Uri.joinPath(workspaceFolder(), 'intro.md');
    const take: Take = {
      id: `intro-take-${Date.now()}`,
      audioUri: hello,
      sourceUri: script,
      model: 'M000045058',
      language: 'en',
      createdAt: Date.now(),
      chunks: [
        { label: 'Welcome to the studio', startMs: 0, durationMs: 1500, startLine: 0, endLine: 0 },
        { label: 'Every script starts…', startMs: 1500, durationMs: 1500, startLine: 2, endLine: 3 },
        { label: 'Keep sentences short.', startMs: 3000, durationMs: 1500, startLine: 5, endLine: 6 },
      ],
    };
    takes.add(take);
    const editor = await vscode.window.showTextDocument(script);
    editor.selection = new vscode.Selection(3, 4, 3, 4);
    const player = await vscode.commands.executeCommand<PlayerPanel | undefined>('aistudios.playFromCursor');
    assert.ok(player);
    assert.strictEqual(player.currentTake.id, take.id);
    const position = await nextMessage(player, 'position', (m) => m.takeId === take.id && m.chunkIndex === 1);
    assert.ok(position.timeMs >= 1500);
    await eventually(() =>
      assert.deepStrictEqual(player.followedLines, { uri: script.toString(), startLine: 2, endLine: 3 }),
    );
  });

  it('plays from the cursor when the one panel is hidden behind the script, in a take from a new folder, then seeks within it', async () => {
    const takes = extension.exports.testing?.takes;
    assert.ok(takes);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const script = vscode.Uri.joinPath(workspaceFolder(), 'intro.md');
    await vscode.window.showTextDocument(script);
    // The panel opens with another file and starts playing it, as after a generation.
    const player = await vscode.commands.executeCommand<PlayerPanel | undefined>('aistudios.openPlayer', hello);
    assert.ok(player);
    await nextMessage(player, 'metadata', (m) => m.takeId === player.currentTake.id);
    // The writer goes back to the script in the panel's own column: the panel is hidden, not closed.
    const editor = await vscode.window.showTextDocument(script, {
      viewColumn: player.panel.viewColumn,
      preview: false,
    });
    await waitFor(
      () => !player.panel.visible,
      () => 'the panel is hidden behind the script',
    );
    const laterFolder = vscode.Uri.joinPath(audioFolder, 'later');
    const later = vscode.Uri.joinPath(laterFolder, 'intro.mp3');
    await vscode.workspace.fs.copy(hello, later, { overwrite: true });
    const take: Take = {
      id: `hidden-take-${Date.now()}`,
      audioUri: later,
      sourceUri: script,
      createdAt: Date.now(),
      chunks: [
        { label: 'Welcome to the studio', startMs: 0, durationMs: 1500, startLine: 0, endLine: 0 },
        { label: 'Every script starts…', startMs: 1500, durationMs: 1500, startLine: 2, endLine: 3 },
        { label: 'Keep sentences short.', startMs: 3000, durationMs: 1500, startLine: 5, endLine: 6 },
      ],
    };
    takes.add(take);
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    const atChunk1 = nextMessage(player, 'position', (m) => m.takeId === take.id && m.chunkIndex === 1);
    assert.strictEqual(
      await vscode.commands.executeCommand<PlayerPanel | undefined>('aistudios.playFromCursor'),
      player,
      'the same panel',
    );
    const first = await atChunk1;
    assert.ok(first.timeMs >= 1500, `position ${first.timeMs} ms`);
    await eventually(() => assert.strictEqual(player.panel.visible, true, 'the panel is shown again'));
    assert.strictEqual(player.currentTake.id, take.id);
    await eventually(() => assert.strictEqual(player.followedLines?.startLine, 2));

    // The same take again, from another chunk: a seek, reported at the position it reached.
    const scriptEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === script.toString());
    assert.ok(scriptEditor, 'the script stays visible beside the player');
    await vscode.window.showTextDocument(scriptEditor.document, { viewColumn: scriptEditor.viewColumn });
    scriptEditor.selection = new vscode.Selection(5, 0, 5, 0);
    const atChunk2 = nextMessage(player, 'position', (m) => m.takeId === take.id && m.chunkIndex === 2);
    await vscode.commands.executeCommand('aistudios.playFromCursor');
    const second = await atChunk2;
    assert.ok(second.timeMs >= 3000, `position ${second.timeMs} ms`);
    await eventually(() => assert.strictEqual(player.followedLines?.startLine, 5));
  });

  it('restores only what still checks out from a saved state', async () => {
    const log = vscode.window.createOutputChannel('AI Studios Player test', { log: true });
    const takes = new TakeHistory();
    const player = new Player({ extensionUri: extension.extensionUri, log, takes, ui: new UserInterfaceHolder() });
    const good: TakeRecord = {
      id: 'good',
      audioUri: hello.toString(),
      fileName: 'hello.mp3',
      createdAt: 1,
      chunks: [],
    };
    const state: PlayerState = {
      version: 1,
      currentTakeId: 'gone',
      positionMs: 0,
      playbackRate: 1.25,
      takes: [
        { ...good, id: 'gone', audioUri: vscode.Uri.joinPath(audioFolder, 'nothing-here.mp3').toString() },
        { ...good, id: 'remote', audioUri: 'https://example.com/hello.mp3' },
        { ...good, id: 'not-audio', audioUri: script().toString() },
        good,
      ],
    };
    const create = () =>
      vscode.window.createWebviewPanel(
        LocalPlayerPanel.viewType,
        'restored',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true },
      );
    try {
      const restored = await player.revive(create(), state);
      assert.ok(restored);
      assert.deepStrictEqual(
        takes.list().map((t) => t.id),
        ['good'],
      );
      assert.strictEqual(restored.currentTake.id, 'good');
      restored.dispose();

      const invalid = create();
      let disposed = false;
      invalid.onDidDispose(() => (disposed = true));
      assert.strictEqual(await player.revive(invalid, { version: 1, takes: 'nope' }), undefined);
      assert.strictEqual(disposed, true, 'a panel with an invalid state is closed');
    } finally {
      player.dispose();
      takes.dispose();
      log.dispose();
    }

    function script(): vscode.Uri {
      return vscode.Uri.joinPath(workspaceFolder(), 'intro.md');
    }
  });
});
