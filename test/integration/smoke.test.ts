import * as assert from 'assert';
import * as vscode from 'vscode';
import { withDeadline } from '../support/eventually';
import { EXTENSION_ID } from './workspace';

const OUTPUT_CHANNEL_NAME = 'AI Studios Audio';

/** True when an editor shows our output channel (output channels open as `output:` documents). */
function showsOurLog(editor: vscode.TextEditor): boolean {
  const { uri } = editor.document;
  return uri.scheme === 'output' && decodeURIComponent(uri.path).includes(OUTPUT_CHANNEL_NAME);
}

/** Resolves once our output channel is visible. */
function whenLogIsVisible(): Promise<void> {
  return new Promise((resolve) => {
    if (vscode.window.visibleTextEditors.some(showsOurLog)) return resolve();
    const listener = vscode.window.onDidChangeVisibleTextEditors((editors) => {
      if (editors.some(showsOurLog)) {
        listener.dispose();
        resolve();
      }
    });
  });
}

describe('extension smoke test', () => {
  it('opens a copy of the fixture workspace', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a copy of test/fixtures/workspace');
    const intro = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'intro.md'));
    assert.match(Buffer.from(intro).toString('utf8'), /^# Welcome to the studio/);
  });

  it('activates and shows its log with aistudios.showLog', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded as the development extension`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);

    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('aistudios.showLog'), 'aistudios.showLog is registered');

    assert.ok(!vscode.window.visibleTextEditors.some(showsOurLog), 'the log is not visible before the command');
    await vscode.commands.executeCommand('aistudios.showLog');
    await withDeadline(whenLogIsVisible(), 'the log becomes visible');
  });
});
