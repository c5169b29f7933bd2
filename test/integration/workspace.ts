// What every integration suite needs of the host: our extension's id, its settings, and the run's workspace copy.
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'aistudios-audio.aistudios-audio';

/** The extension's settings section (tests write user-level values and reset them after). */
export const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('aistudios');

/** A path in the run's copy of test/fixtures/workspace. */
export function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a workspace');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/** Whether a file exists, through the workspace's file system. */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Activates the extension and returns the seams its activate() exports under tests (each suite names what it uses). */
export async function testSeams<T>(): Promise<T> {
  const extension = vscode.extensions.getExtension<{ testing?: T }>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is in the test host`);
  const exports = await extension.activate();
  assert.ok(exports.testing, 'the extension exposes its test seams when run under tests');
  return exports.testing;
}
