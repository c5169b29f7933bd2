// Each pause's length after its mark and each speaker's voice after its label, as inlay hints. Hints, not decoration
// text: VS Code lays hints out with the line, so word wrap makes room for them, where an `after` decoration was drawn
// over the words that followed it on a wrapped line. They also follow the writer's `editor.inlayHints.enabled`.
import * as vscode from 'vscode';
import { formatVoiceParams } from '../core';
import { Disposable } from '../disposable';
import { hover } from './narrationDecorations';
import type { DocumentView } from './narrationView';

/** A voice's name for display ("Paige"), and with its id ("Paige (M000045058)"). */
export interface VoiceNames {
  name(model: string): string;
  describe(model: string): string;
}

export class NarrationInlayHints extends Disposable implements vscode.InlayHintsProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeInlayHints: vscode.Event<void> = this.changed.event;

  constructor(
    private readonly viewOf: (uri: vscode.Uri) => DocumentView | undefined,
    private readonly voices?: VoiceNames,
  ) {
    super();
  }

  refresh(): void {
    this.changed.fire();
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const shown = this.viewOf(document.uri);
    // A view of another version of the text would put hints at the wrong places: none until it is rebuilt.
    if (!shown || shown.version !== document.version) return [];
    const hints: vscode.InlayHint[] = [];
    const at = (offset: number): vscode.Position | undefined => {
      const position = document.positionAt(offset);
      return range.contains(position) ? position : undefined;
    };
    for (const pause of shown.view.pauses) {
      const position = at(pause.sourceEnd);
      if (!position) continue;
      const hint = new vscode.InlayHint(position, vscode.l10n.t('{0} s', seconds(pause.ms)));
      hint.tooltip = hover(vscode.l10n.t('A pause of {0} seconds of silence in the audio', seconds(pause.ms)));
      hint.paddingLeft = true;
      hints.push(hint);
    }
    for (const speaker of shown.view.speakers) {
      const position = at(speaker.sourceEnd);
      if (!position) continue;
      const voice = speaker.voice;
      const hint = new vscode.InlayHint(
        position,
        `→ ${this.voices?.name(voice.model) ?? voice.model} · ${voice.language}`,
      );
      hint.tooltip = hover(
        vscode.l10n.t(
          '{0} is spoken in the voice {1}',
          speaker.name,
          this.voices ? `${this.voices.describe(voice.model)}, ${voice.language}` : formatVoiceParams(voice),
        ),
      );
      hint.paddingLeft = true;
      hints.push(hint);
    }
    return hints;
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toLocaleString(vscode.env.language, { maximumFractionDigits: 2 });
}
