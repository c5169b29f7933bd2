import * as vscode from 'vscode';
import { promises as fs } from 'fs';
import { FileExistsError, localFileHasBytes, nodeFileSystem, type FileSystem } from '../core';

/**
 * The core's FileSystem over vscode.workspace.fs, so audio is saved through whatever provider holds the workspace
 * (local, remote, virtual). The file to place is always local: the extension made it on this machine.
 */
export const workspaceFileSystem: FileSystem<vscode.Uri> = {
  join: (folder, name) => vscode.Uri.joinPath(folder, name),

  async stat(uri) {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      return { isDirectory: (stat.type & vscode.FileType.Directory) !== 0, size: stat.size, modifiedMs: stat.mtime };
    } catch {
      return undefined;
    }
  },

  async readDirectory(folder) {
    try {
      return (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return [];
      throw error;
    }
  },

  async createDirectory(folder) {
    await vscode.workspace.fs.createDirectory(folder);
  },

  async copyFromLocal(localPath, target) {
    await existsAsTyped(target, vscode.workspace.fs.copy(vscode.Uri.file(localPath), target, { overwrite: false }));
  },

  async rename(from, to, options) {
    await existsAsTyped(to, vscode.workspace.fs.rename(from, to, { overwrite: options.replace }));
  },

  async delete(uri) {
    try {
      await vscode.workspace.fs.delete(uri, { useTrash: false });
    } catch (error) {
      if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) throw error;
    }
  },

  async hasSameBytes(uri, localPath) {
    // A file on this machine is compared block by block; other providers can only hand over the whole file.
    if (uri.scheme === 'file') return nodeFileSystem.hasSameBytes(uri.fsPath, localPath);
    try {
      const [existing, local] = await Promise.all([vscode.workspace.fs.stat(uri), fs.stat(localPath)]);
      if (existing.size !== local.size) return false;
      return await localFileHasBytes(localPath, await vscode.workspace.fs.readFile(uri));
    } catch {
      return false;
    }
  },
};

/** Turns VS Code's "file exists" into the core's typed error, which placement answers with the next free name. */
async function existsAsTyped(target: vscode.Uri, operation: Thenable<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileExists')
      throw new FileExistsError(target.toString(true), { cause: error });
    throw error;
  }
}
