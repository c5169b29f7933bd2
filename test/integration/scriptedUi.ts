import * as assert from 'assert';
import * as vscode from 'vscode';
import type { MessageLevel, UserInterface } from '../../src/ui/userInterface';

/** A message the extension showed, with the buttons it offered. */
export interface ShownMessage {
  level: MessageLevel;
  message: string;
  actions: string[];
  modal: boolean;
}

type PickAnswer = (
  items: readonly vscode.QuickPickItem[],
  options: vscode.QuickPickOptions,
) => vscode.QuickPickItem | undefined;

/**
 * Stands in for VS Code's windows in integration tests: answers quick picks, input boxes and message buttons
 * from queues the test fills, records every message and prompt, and lets the test press Cancel on progress.
 */
export class ScriptedUi implements UserInterface {
  readonly messages: ShownMessage[] = [];
  /** The status bar notes shown, in order. */
  readonly statusMessages: string[] = [];
  readonly inputs: vscode.InputBoxOptions[] = [];
  readonly picks: vscode.QuickPickOptions[] = [];
  readonly pickedItems: vscode.QuickPickItem[][] = [];
  /** Every progress shown: its title and the messages it reported, in order. */
  readonly progress: { title: string | undefined; messages: string[] }[] = [];
  private readonly pickAnswers: PickAnswer[] = [];
  private readonly inputAnswers: (string | undefined)[] = [];
  private readonly messageAnswers: {
    match: RegExp;
    action: string | undefined | (() => Promise<string | undefined>);
  }[] = [];
  private saveAnswer: vscode.Uri | undefined;
  private openAnswer: vscode.Uri[] | undefined;
  private readonly progressStarted = new vscode.EventEmitter<vscode.CancellationTokenSource>();
  /** Fires when a progress starts, with the source whose cancel() presses the notification's Cancel. */
  readonly onDidStartProgress = this.progressStarted.event;

  /** Runs Set API Key answering its three prompts (China, API token, `token`); fails the test unless it is stored. */
  async setKey(token: string): Promise<void> {
    this.answerPick('China').answerPick('API token').answerInput(token);
    assert.strictEqual(await vscode.commands.executeCommand('aistudios.setApiKey'), true, this.describe());
  }

  answerPick(answer: PickAnswer | string): this {
    this.pickAnswers.push(typeof answer === 'string' ? (items) => items.find((i) => i.label.includes(answer)) : answer);
    return this;
  }
  answerInput(value: string | undefined): this {
    this.inputAnswers.push(value);
    return this;
  }
  /** The next message matching `match` is answered by pressing `action` (or what the function resolves to, when it does). */
  answerMessage(match: RegExp, action: string | undefined | (() => Promise<string | undefined>)): this {
    this.messageAnswers.push({ match, action });
    return this;
  }
  answerSaveDialog(uri: vscode.Uri | undefined): this {
    this.saveAnswer = uri;
    return this;
  }
  answerOpenDialog(uris: vscode.Uri[] | undefined): this {
    this.openAnswer = uris;
    return this;
  }

  async showQuickPick<T extends vscode.QuickPickItem>(
    items: readonly T[] | Promise<readonly T[]>,
    options: vscode.QuickPickOptions,
  ): Promise<T | undefined> {
    const resolved = await items;
    this.picks.push(options);
    this.pickedItems.push([...resolved]);
    const answer = this.pickAnswers.shift();
    return answer ? (answer(resolved, options) as T | undefined) : undefined;
  }
  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    this.inputs.push(options);
    const value = this.inputAnswers.shift();
    // Like the real input box: a value its validator refuses cannot be accepted.
    if (value !== undefined && options.validateInput && (await options.validateInput(value))) return undefined;
    return value;
  }
  async showMessage(
    level: MessageLevel,
    message: string,
    options: { modal?: boolean },
    ...actions: string[]
  ): Promise<string | undefined> {
    this.messages.push({ level, message, actions, modal: !!options.modal });
    const i = this.messageAnswers.findIndex((a) => a.match.test(message));
    if (i < 0) return undefined;
    const { action } = this.messageAnswers.splice(i, 1)[0];
    return typeof action === 'function' ? action() : action;
  }
  showStatusMessage(text: string): void {
    this.statusMessages.push(text);
  }
  async showSaveDialog(): Promise<vscode.Uri | undefined> {
    return this.saveAnswer;
  }
  async showOpenDialog(): Promise<vscode.Uri[] | undefined> {
    return this.openAnswer;
  }
  async withProgress<R>(
    options: vscode.ProgressOptions,
    task: (
      progress: vscode.Progress<{ message?: string; increment?: number }>,
      token: vscode.CancellationToken,
    ) => Thenable<R>,
  ): Promise<R> {
    const source = new vscode.CancellationTokenSource();
    const shown = { title: options.title, messages: [] as string[] };
    this.progress.push(shown);
    this.progressStarted.fire(source);
    try {
      return await task(
        {
          report: ({ message }) => {
            if (message !== undefined) shown.messages.push(message);
          },
        },
        source.token,
      );
    } finally {
      source.dispose();
    }
  }

  /** Messages so far, as "level: text [actions]" lines, for assertion failures that explain themselves. */
  describe(): string {
    return this.messages.map((m) => `${m.level}: ${m.message} [${m.actions.join(', ')}]`).join('\n');
  }
}
