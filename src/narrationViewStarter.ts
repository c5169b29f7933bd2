// When to start the narration view (src/editorView/), which lives in the engine bundle: on first need, once a
// markdown or plain-text script is visible and `aistudios.editor.showNarration` is on, just after activate() returned
// (activation itself loads nothing). Part of the activation bundle, so it imports only VS Code and the light modules.
import * as vscode from 'vscode';
import { PREVIEW_SCHEME } from './contributions';
import { onDidChangeSettings, SECTION } from './settings';

/** Documents the view never shows: reports, not scripts. */
const NOT_SCRIPTS = new Set([PREVIEW_SCHEME, 'output']);

/** Whether an editor shows a script the narration view is for. */
export function showsScript(editor: vscode.TextEditor): boolean {
  const { languageId, uri } = editor.document;
  return (languageId === 'markdown' || languageId === 'plaintext') && !NOT_SCRIPTS.has(uri.scheme);
}

/**
 * Calls `start` once, the first time a script is visible with the setting on (checked now, and again when the
 * visible editors or the setting change); returns the listeners, which stop listening once it was called.
 */
export function startNarrationViewWhenNeeded(start: () => void): vscode.Disposable {
  let started = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    if (started || timer) return;
    // Unset, the setting is on (package.json's default); only an explicit false turns the view off.
    const enabled = vscode.workspace.getConfiguration(SECTION).get<boolean>('editor.showNarration') !== false;
    if (!enabled || !vscode.window.visibleTextEditors.some(showsScript)) return;
    // After activate() has returned, and after the window's first paint: the view is never in the way of start-up.
    timer = setTimeout(() => {
      timer = undefined;
      if (started) return;
      started = true;
      listeners.dispose();
      start();
    }, 0);
  };
  const listeners = vscode.Disposable.from(
    vscode.window.onDidChangeVisibleTextEditors(check),
    onDidChangeSettings((e) => {
      if (e.affects('editor.showNarration')) check();
    }),
  );
  check();
  return {
    dispose: () => {
      clearTimeout(timer);
      listeners.dispose();
    },
  };
}
