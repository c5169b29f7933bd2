import * as vscode from 'vscode';
import { randomUUID } from 'crypto';
import { findFreeName, numberedName } from '../core';

/**
 * Moves a finished local temp file into the workspace through vscode.workspace.fs (so remote and virtual
 * workspaces work): copied to a hidden part file beside the target, then renamed, so no partial file ever
 * carries the final name. Without `overwrite`, a taken name is never replaced: the next free one is used.
 */
export async function placeInWorkspace(
  tempPath: string,
  folder: vscode.Uri,
  baseName: string,
  extension: string,
  overwrite: boolean,
): Promise<vscode.Uri> {
  await vscode.workspace.fs.createDirectory(folder);
  const part = vscode.Uri.joinPath(folder, `.${baseName}.${randomUUID().slice(0, 8)}.part`);
  try {
    await vscode.workspace.fs.copy(vscode.Uri.file(tempPath), part, { overwrite: false });
    if (overwrite) {
      const target = vscode.Uri.joinPath(folder, numberedName(baseName, extension, 1));
      await vscode.workspace.fs.rename(part, target, { overwrite: true });
      return target;
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const target = vscode.Uri.joinPath(
        folder,
        await findFreeName(baseName, extension, (name) => uriExists(vscode.Uri.joinPath(folder, name))),
      );
      try {
        await vscode.workspace.fs.rename(part, target, { overwrite: false });
        return target;
      } catch (error) {
        // Another writer took the name after we looked: try the next free one.
        if (!(error instanceof vscode.FileSystemError && error.code === 'FileExists')) throw error;
      }
    }
    throw new Error(vscode.l10n.t('No free file name was found for {0}.', baseName + extension));
  } finally {
    await vscode.workspace.fs.delete(part, { useTrash: false }).then(undefined, () => undefined);
  }
}

/** Whether a file exists, through the workspace's file system. */
export async function uriExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
