// The light half of config.ts: the section, the one change event, and the voice as the status bar shows it. It imports
// no part of the core, so the activation bundle can use it; config.ts re-exports it, and everything else reads
// settings through config.ts.
import * as vscode from 'vscode';
import type { SettingName } from './core';

export const SECTION = 'aistudios';

/** What changed in a settings change. */
export interface SettingsChange {
  /** Whether any of these settings changed (for any resource). */
  affects(...names: SettingName[]): boolean;
}

/** Fires when any `aistudios.*` setting changes: the one listener to VS Code's configuration events. */
export const onDidChangeSettings: vscode.Event<SettingsChange> = (listener, thisArgs, disposables) =>
  vscode.workspace.onDidChangeConfiguration(
    (e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      listener.call(thisArgs, {
        affects: (...names: SettingName[]) => names.some((name) => e.affectsConfiguration(`${SECTION}.${name}`)),
      });
    },
    undefined,
    disposables,
  );

/**
 * The voice as the status bar shows it, read as readConfig reads it but with package.json's defaults, which VS Code
 * applies itself (a unit test keeps them equal to the core's), so that showing it needs nothing of the core.
 */
export function voiceForDisplay(scope?: vscode.Uri): { model: string; language: string } {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return { model: (c.get<string>('model') ?? '').trim(), language: (c.get<string>('language') ?? '').trim() };
}

/** Whether any of these settings is set anywhere (user, workspace or folder settings), rather than left at its default. */
export function isSetByUser(names: readonly SettingName[]): boolean {
  const c = vscode.workspace.getConfiguration(SECTION);
  return names.some((name) => {
    const values = c.inspect(name);
    return (
      values?.globalValue !== undefined ||
      values?.workspaceValue !== undefined ||
      values?.workspaceFolderValue !== undefined
    );
  });
}
