// The view's decorations: silent text dimmed with a hover that says why, each pause's length and each speaker's voice
// written after the mark (as VS Code's inlay-like `after` text: it is not part of the document).
import * as vscode from 'vscode';
import { formatVoiceParams, type ScriptView } from '../core';
import { Disposable } from '../disposable';
import { silenceReasonWords } from '../commands/previewLabels';

/** The look of text written after a mark: the CodeLens colour, in italics. Made when used: nothing runs at load. */
function inlineStyle(): vscode.ThemableDecorationAttachmentRenderOptions {
  return { color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic', margin: '0 0 0 0.4em' };
}

/** Three decoration types, created once and shared by every editor. */
export class NarrationDecorations extends Disposable {
  private readonly silent = this.register(
    vscode.window.createTextEditorDecorationType({
      opacity: '0.5',
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
  );
  private readonly pause = this.register(vscode.window.createTextEditorDecorationType({ after: inlineStyle() }));
  private readonly speaker = this.register(vscode.window.createTextEditorDecorationType({ after: inlineStyle() }));
  private readonly counts = new Map<string, { silent: number; pauses: number; speakers: number }>();

  constructor(private readonly voices?: { name(model: string): string; describe(model: string): string }) {
    super();
  }

  /** How many of each decoration the editors of a document show (tests read it: VS Code gives no way to). */
  shownIn(uri: vscode.Uri): { silent: number; pauses: number; speakers: number } | undefined {
    return this.counts.get(uri.toString());
  }

  /** Shows a view in an editor (replacing what it showed before). */
  apply(editor: vscode.TextEditor, view: ScriptView): void {
    const document = editor.document;
    this.counts.set(document.uri.toString(), {
      silent: view.silent.length,
      pauses: view.pauses.length,
      speakers: view.speakers.length,
    });
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
    editor.setDecorations(
      this.pause,
      view.pauses.map((pause) => ({
        range: range(pause.sourceStart, pause.sourceEnd),
        hoverMessage: hover(vscode.l10n.t('A pause of {0} seconds of silence in the audio', seconds(pause.ms))),
        renderOptions: { after: { contentText: vscode.l10n.t('⏸ {0} s', seconds(pause.ms)) } },
      })),
    );
    editor.setDecorations(
      this.speaker,
      view.speakers.map((speaker) => ({
        range: range(speaker.sourceStart, speaker.sourceEnd),
        hoverMessage: hover(
          vscode.l10n.t(
            '{0} is spoken in the voice {1}',
            speaker.name,
            this.voices
              ? `${this.voices.describe(speaker.voice.model)}, ${speaker.voice.language}`
              : formatVoiceParams(speaker.voice),
          ),
        ),
        renderOptions: {
          after: {
            contentText: `→ ${this.voices?.name(speaker.voice.model) ?? speaker.voice.model} · ${speaker.voice.language}`,
          },
        },
      })),
    );
  }

  clear(editor: vscode.TextEditor): void {
    this.counts.delete(editor.document.uri.toString());
    for (const type of [this.silent, this.pause, this.speaker]) editor.setDecorations(type, []);
  }
}

function hover(text: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown('**AI Studios** · ');
  markdown.appendText(text);
  return markdown;
}

function seconds(ms: number): string {
  return (ms / 1000).toLocaleString(vscode.env.language, { maximumFractionDigits: 2 });
}
