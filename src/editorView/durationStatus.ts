// The expected length in the status bar, for the script in the active editor, the section under the cursor and the
// selection: "≈ 0:45 / 2:40". Estimated at the voice's rate (learned from the writer's takes, a default before);
// parts a take already holds count at their real length, and a script made entirely of those shows no "≈".
import * as vscode from 'vscode';
import { estimateRangeMs, formatClock, sectionAt } from '../core';
import { Disposable } from '../disposable';
import type { DocumentView, NarrationViewDeps } from './narrationView';

/** Selection changes come in bursts while the writer drags: show the last one after this pause (ms). */
const SELECTION_DELAY_MS = 80;

export class DurationStatus extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('aistudios.duration', vscode.StatusBarAlignment.Right, 99),
  );
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly viewOf: (uri: vscode.Uri) => DocumentView | undefined,
    private readonly deps: Pick<NarrationViewDeps, 'config' | 'durations'>,
  ) {
    super();
    this.item.name = vscode.l10n.t('AI Studios Duration');
    this.item.command = 'aistudios.previewNarration';
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.register(
      vscode.window.onDidChangeTextEditorSelection(() => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.update(), SELECTION_DELAY_MS);
      }),
    );
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  /** The text shown now (tests read it). */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    const shown = editor && this.viewOf(editor.document.uri);
    if (!editor || !shown) {
      this.item.hide();
      return;
    }
    const { view } = shown;
    const document = editor.document;
    const voice = this.deps.config(document.uri).voice;
    const rates = this.deps.durations.speechRates;
    const approx = view.estimate.exact ? '' : '≈ ';
    const total = formatClock(view.estimate.totalMs);
    const selection = editor.selection;
    const lines: string[] = [vscode.l10n.t('Script: {0}{1}', approx, total)];
    let text: string;
    if (!selection.isEmpty) {
      const ms = estimateRangeMs(
        view,
        document.offsetAt(selection.start),
        document.offsetAt(selection.end),
        voice,
        rates,
      );
      text = vscode.l10n.t('$(watch) ≈ {0} selected / {1}', formatClock(ms), total);
      lines.unshift(vscode.l10n.t('Selection: ≈ {0}', formatClock(ms)));
    } else {
      const section = view.sections.length > 1 ? sectionAt(view, document.offsetAt(selection.active)) : undefined;
      if (section) {
        text = `$(watch) ${approx}${formatClock(section.ms)} / ${total}`;
        lines.unshift(
          section.title
            ? vscode.l10n.t('Section “{0}”: {1}{2}', section.title, approx, formatClock(section.ms))
            : vscode.l10n.t('Before the first section: {0}{1}', approx, formatClock(section.ms)),
        );
      } else {
        text = `$(watch) ${approx}${total}`;
      }
    }
    const rate = rates.rateFor(voice);
    const record = rates.recordOf(voice);
    const perSecond = rate.charactersPerSecond.toLocaleString(vscode.env.language, { maximumFractionDigits: 1 });
    lines.push(
      rate.learned
        ? vscode.l10n.t(
            'Estimated at {0} characters a second, learned from {1} take(s) of {2} in “{3}”.',
            perSecond,
            record?.takes ?? 1,
            voice.model,
            voice.language,
          )
        : vscode.l10n.t(
            'Estimated at {0} characters a second, the usual pace in “{1}”, until a take of {2} is made.',
            perSecond,
            voice.language,
            voice.model,
          ),
    );
    const real = view.estimate.chunks.filter((c) => c.source === 'real').length;
    if (real > 0)
      lines.push(
        vscode.l10n.t('{0} of {1} parts at their real length, from takes.', real, view.estimate.chunks.length),
      );
    this.item.text = text;
    this.item.tooltip = new vscode.MarkdownString(lines.map(escape).join('\n\n'));
    this.item.accessibilityInformation = { label: lines.join(' '), role: 'button' };
    this.item.show();
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
