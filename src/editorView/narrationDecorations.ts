// The view's decoration: silent text dimmed, with a hover that says why. (Pause lengths and speakers' voices are
// inlay hints: narrationInlayHints.ts.)
import * as vscode from 'vscode';
import type { ScriptView } from '../core';
import { Disposable } from '../disposable';
import { silenceReasonWords } from '../commands/previewLabels';

/** One decoration type, created once and shared by every editor. */
export class NarrationDecorations extends Disposable {
  private readonly silent = this.register(
    vscode.window.createTextEditorDecorationType({
      opacity: '0.5',
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
  );
  private readonly counts = new Map<string, { silent: number }>();

  /** How many silent ranges the editors of a document show (tests read it: VS Code gives no way to). */
  shownIn(uri: vscode.Uri): { silent: number } | undefined {
    return this.counts.get(uri.toString());
  }

  /** Shows a view in an editor (replacing what it showed before). */
  apply(editor: vscode.TextEditor, view: ScriptView): void {
    const document = editor.document;
    this.counts.set(document.uri.toString(), { silent: view.silent.length });
    const range = (start: number, end: number) =>
      new vscode.Range(document.positionAt(start), document.positionAt(end));
    editor.setDecorations(
      this.silent,
      view.silent.map((silence) => ({
        range: range(silence.sourceStart, silence.sourceEnd),
        hoverMessage: hover(
          silence.detail
            ? vscode.l10n.t('Not spoken: {0} ({1})', silenceReasonWords(silence.reason), silence.detail)
            : vscode.l10n.t('Not spoken: {0}', silenceReasonWords(silence.reason)),
        ),
      })),
    );
  }

  clear(editor: vscode.TextEditor): void {
    this.counts.delete(editor.document.uri.toString());
    editor.setDecorations(this.silent, []);
  }
}

/** A hover or tooltip of the narration view: "**AI Studios** · " and the text, as text (never read as markdown). */
export function hover(text: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown('**AI Studios** · ');
  markdown.appendText(text);
  return markdown;
}
