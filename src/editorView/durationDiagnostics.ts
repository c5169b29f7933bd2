// `duration:` targets in the Problems panel: a warning on the section's heading (or on the script's target line)
// when the estimate runs over, and on a target that cannot be read.
import * as vscode from 'vscode';
import { formatClock, type ScriptView } from '../core';
import { Disposable } from '../disposable';

/** The diagnostics' source, as the Problems panel shows it. */
export const DURATION_DIAGNOSTIC_SOURCE = 'AI Studios';

export class DurationDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('aistudios-duration'));

  show(uri: vscode.Uri, view: ScriptView, document: vscode.TextDocument | undefined): void {
    if (!document) return;
    const range = (start: number, end: number) =>
      new vscode.Range(document.positionAt(start), document.positionAt(end));
    const diagnostics: vscode.Diagnostic[] = [];
    for (const check of view.checks) {
      if (!check.over || check.estimateMs === undefined) continue;
      const over = formatClock(check.estimateMs - check.target.ms);
      const estimate = formatClock(check.estimateMs);
      const target = formatClock(check.target.ms);
      const section = check.section;
      const message =
        check.target.scope.kind === 'script'
          ? vscode.l10n.t('The script runs ≈ {0}, {1} over its target of {2}.', estimate, over, target)
          : vscode.l10n.t(
              'The section “{0}” runs ≈ {1}, {2} over its target of {3}.',
              check.target.scope.title,
              estimate,
              over,
              target,
            );
      // A section's warning sits on its heading (its first part), so it is seen where the section is written.
      const where = section
        ? headingRange(document, view.parts[section.firstChunk].sourceStart)
        : range(check.target.sourceStart, check.target.sourceEnd);
      const diagnostic = new vscode.Diagnostic(where, message, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = DURATION_DIAGNOSTIC_SOURCE;
      diagnostic.code = 'duration';
      if (section)
        diagnostic.relatedInformation = [
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(uri, range(check.target.sourceStart, check.target.sourceEnd)),
            vscode.l10n.t('The target of {0}', target),
          ),
        ];
      diagnostics.push(diagnostic);
    }
    for (const check of view.checks) {
      if (check.target.scope.kind !== 'section' || check.section) continue;
      const diagnostic = new vscode.Diagnostic(
        range(check.target.sourceStart, check.target.sourceEnd),
        vscode.l10n.t('There is no top-level section “{0}” for this duration target.', check.target.scope.title),
        vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = DURATION_DIAGNOSTIC_SOURCE;
      diagnostics.push(diagnostic);
    }
    for (const problem of view.targetProblems) {
      const diagnostic = new vscode.Diagnostic(
        range(problem.sourceStart, problem.sourceEnd),
        vscode.l10n.t('“{0}” is not a duration: write it as 45s, 1:30 or 2 min.', problem.text),
        vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = DURATION_DIAGNOSTIC_SOURCE;
      diagnostics.push(diagnostic);
    }
    this.collection.set(uri, diagnostics);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  clearAll(): void {
    this.collection.clear();
  }
}

/** The line of a section's first part (its heading when headings are spoken). */
function headingRange(document: vscode.TextDocument, offset: number): vscode.Range {
  return document.lineAt(document.positionAt(offset).line).range;
}
