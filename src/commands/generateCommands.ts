import * as vscode from 'vscode';
import type { CommandDeps } from './commandDeps';
import { checkScriptText, LineIndex } from '../core';
import { GenerationRunner, type GenerationJob } from '../generation/generationRunner';
import { documentScript, isMarkdown, openScriptDocument, selectionScript } from '../generation/scriptText';
import { reportError } from '../ui/errorPresenter';

/** aistudios.generateFromSelection and aistudios.generateFromDocument. */
export function registerGenerateCommands(deps: CommandDeps): vscode.Disposable[] {
  const runner = new GenerationRunner(deps);

  /** Bytes the editor could not decode (or NULs) are refused, as the CLI refuses them, before any request. */
  const checked = (document: vscode.TextDocument, text: string): void => {
    checkScriptText(text, document.uri.path.split('/').pop() ?? document.fileName);
  };
  /** Reads the text now (unsaved edits included); Retry reads it again. */
  const selectionJob = (document: vscode.TextDocument, selections: readonly vscode.Selection[]): GenerationJob => {
    for (const selection of selections) checked(document, document.getText(selection));
    return {
      document,
      script: selectionScript(document, selections, deps.config(document.uri).narration),
      kind: 'selection',
      lines: new LineIndex(document.getText()),
      rebuild: () => selectionJob(document, selections),
    };
  };
  const documentJob = (document: vscode.TextDocument): GenerationJob => {
    checked(document, document.getText());
    return {
      document,
      script: documentScript(document, deps.config(document.uri).narration),
      kind: 'document',
      lines: new LineIndex(document.getText()),
      rebuild: () => documentJob(document),
    };
  };
  /** Runs a job, turning a failure to even read the script into a message rather than a generic command error. */
  const start = async (name: string, makeJob: () => GenerationJob): Promise<vscode.Uri[] | undefined> => {
    let job: GenerationJob;
    try {
      job = makeJob();
    } catch (error) {
      reportError(deps, error, { context: vscode.l10n.t('{0} could not be read as a script', name) });
      return undefined;
    }
    return runner.run(job);
  };

  return [
    vscode.commands.registerCommand('aistudios.generateFromSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void deps.ui.current.showMessage(
          'info',
          vscode.l10n.t('Open a script and select the text to speak first.'),
          {},
        );
        return undefined;
      }
      const selections = editor.selections.filter((s) => !s.isEmpty);
      if (selections.length === 0 || selections.every((s) => editor.document.getText(s).trim() === '')) {
        void deps.ui.current.showMessage(
          'info',
          vscode.l10n.t('The selection is empty: select the text to speak first.'),
          {},
        );
        return undefined;
      }
      return start(editor.document.fileName, () => selectionJob(editor.document, selections));
    }),
    // From the explorer the file's Uri arrives as the argument: the document is loaded, not shown.
    vscode.commands.registerCommand('aistudios.generateFromDocument', async (uri?: vscode.Uri) => {
      let document: vscode.TextDocument | undefined;
      try {
        // From a walkthrough or a webview there is no active editor: use the script visible beside it.
        document =
          uri instanceof vscode.Uri
            ? await openScriptDocument(uri)
            : (vscode.window.activeTextEditor?.document ??
              vscode.window.visibleTextEditors.find((e) => isMarkdown(e.document))?.document);
      } catch (error) {
        reportError(deps, error, {
          context: vscode.l10n.t('{0} could not be opened as text', uri?.path.split('/').pop() ?? ''),
        });
        return undefined;
      }
      if (!document) {
        void deps.ui.current.showMessage(
          'info',
          vscode.l10n.t('Open a markdown script first, or run this command on a file in the Explorer.'),
          {},
        );
        return undefined;
      }
      const found = document;
      return start(found.fileName, () => documentJob(found));
    }),
  ];
}
