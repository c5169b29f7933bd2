import * as vscode from 'vscode';
import type { CommandDeps } from './commandDeps';
import { GenerationRunner } from '../generation/generationRunner';
import { documentScript, selectionScript } from '../generation/scriptText';

/** aistudios.generateFromSelection and aistudios.generateFromDocument. */
export function registerGenerateCommands(deps: CommandDeps): vscode.Disposable[] {
  const runner = new GenerationRunner(deps);
  return [
    vscode.commands.registerCommand('aistudios.generateFromSelection', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void deps.ui.current.showMessage('info', vscode.l10n.t('Open a script and select the text to speak first.'), {});
        return undefined;
      }
      const selections = editor.selections.filter((s) => !s.isEmpty);
      if (selections.length === 0 || selections.every((s) => editor.document.getText(s).trim() === '')) {
        void deps.ui.current.showMessage('info', vscode.l10n.t('The selection is empty: select the text to speak first.'), {});
        return undefined;
      }
      const config = deps.config(editor.document.uri);
      return runner.run({ document: editor.document, script: selectionScript(editor.document, selections, config.narration), kind: 'selection' });
    }),
    // From the explorer the file's Uri arrives as the argument: the document is loaded, not shown.
    vscode.commands.registerCommand('aistudios.generateFromDocument', async (uri?: vscode.Uri) => {
      const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!document) {
        void deps.ui.current.showMessage('info', vscode.l10n.t('Open a markdown script first, or run this command on a file in the Explorer.'), {});
        return undefined;
      }
      const config = deps.config(document.uri);
      return runner.run({ document, script: documentScript(document, config.narration), kind: 'document' });
    }),
  ];
}
