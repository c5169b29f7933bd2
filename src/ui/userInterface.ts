import * as vscode from 'vscode';

export type MessageLevel = 'info' | 'warning' | 'error';

/**
 * The few window interactions the commands need. Production code uses VS Code's windows; integration tests
 * swap in a scripted implementation (through the test API returned by activate) to answer prompts and read messages.
 */
export interface UserInterface {
  showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[] | Promise<readonly T[]>,
    options: vscode.QuickPickOptions,
  ): Promise<T | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined>;
  showMessage(
    level: MessageLevel,
    message: string,
    options: { modal?: boolean; detail?: string },
    ...actions: string[]
  ): Promise<string | undefined>;
  showSaveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
  showOpenDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined>;
  /** A short note in the status bar that goes away by itself after `ms` milliseconds (e.g. "cancelled"). */
  showStatusMessage(text: string, ms: number): void;
  withProgress<R>(
    options: vscode.ProgressOptions,
    task: (
      progress: vscode.Progress<{ message?: string; increment?: number }>,
      token: vscode.CancellationToken,
    ) => Thenable<R>,
  ): Promise<R>;
}

export const windowUserInterface: UserInterface = {
  showQuickPick: (items, options) =>
    Promise.resolve(vscode.window.showQuickPick(items as readonly vscode.QuickPickItem[], options)) as never,
  showInputBox: (options) => Promise.resolve(vscode.window.showInputBox(options)),
  showMessage: (level, message, options, ...actions) => {
    const show =
      level === 'error'
        ? vscode.window.showErrorMessage
        : level === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    return Promise.resolve(show(message, { modal: options.modal, detail: options.detail }, ...actions));
  },
  showSaveDialog: (options) => Promise.resolve(vscode.window.showSaveDialog(options)),
  showOpenDialog: (options) => Promise.resolve(vscode.window.showOpenDialog(options)),
  showStatusMessage: (text, ms) => void vscode.window.setStatusBarMessage(text, ms),
  withProgress: (options, task) => Promise.resolve(vscode.window.withProgress(options, task)),
};

/** A mutable holder so tests can replace the interface without re-registering commands. */
export class UserInterfaceHolder {
  current: UserInterface = windowUserInterface;
}
