// A CodeLens over each part a generation would send: "Part 2 · 203 chars · ≈ 0:14 · cached", and over a section of
// several parts its own length. A click opens Preview Narration, which shows the part's exact text.
import * as vscode from 'vscode';
import { formatClock } from '../core';
import { Disposable } from '../disposable';
import type { DocumentView } from './narrationView';

export class PartCodeLens extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses: vscode.Event<void> = this.changed.event;

  constructor(private readonly viewOf: (uri: vscode.Uri) => DocumentView | undefined) {
    super();
  }

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const shown = this.viewOf(document.uri);
    if (!shown) return [];
    const { view, cached } = shown;
    const preview: Omit<vscode.Command, 'title'> = {
      command: 'aistudios.previewNarration',
      arguments: [document.uri],
      tooltip: vscode.l10n.t('Show exactly what each part sends (Preview Narration)'),
    };
    const lenses: vscode.CodeLens[] = [];
    for (const section of view.estimate.sections) {
      if (section.lastChunk === section.firstChunk) continue;
      const line = document.positionAt(view.parts[section.firstChunk].sourceStart).line;
      const title = section.title
        ? vscode.l10n.t(
            '“{0}” · {1} parts · ≈ {2}',
            section.title,
            section.lastChunk - section.firstChunk + 1,
            formatClock(section.ms),
          )
        : vscode.l10n.t('{0} parts · ≈ {1}', section.lastChunk - section.firstChunk + 1, formatClock(section.ms));
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { ...preview, title }));
    }
    for (const [i, part] of view.parts.entries()) {
      const line = document.positionAt(part.sourceStart).line;
      const duration =
        part.estimate.source === 'real' ? formatClock(part.estimate.ms) : `≈ ${formatClock(part.estimate.ms)}`;
      const flags = [
        vscode.l10n.t('Part {0}', part.index + 1),
        vscode.l10n.t('{0} chars', part.chunk.text.length),
        duration,
      ];
      if (cached?.[i]) flags.push(vscode.l10n.t('cached'));
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { ...preview, title: flags.join(' · ') }));
    }
    return lenses;
  }
}
