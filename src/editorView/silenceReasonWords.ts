// Why a part of a script is not spoken, in the display language: the words the view's hover uses.
import * as vscode from 'vscode';
import type { SilenceReason } from '../core';

/** The reason in words ("code block", "front matter"); an unknown reason is shown as the core names it. */
export function silenceReasonWords(reason: SilenceReason): string {
  const words: Record<SilenceReason, string> = {
    'front matter': vscode.l10n.t('front matter'),
    'code block': vscode.l10n.t('code block'),
    'indented code': vscode.l10n.t('indented code'),
    math: vscode.l10n.t('math'),
    table: vscode.l10n.t('table'),
    comment: vscode.l10n.t('comment'),
    'note line': vscode.l10n.t('note line'),
    footnote: vscode.l10n.t('footnote'),
    'link definition': vscode.l10n.t('link definition'),
    image: vscode.l10n.t('image'),
    embed: vscode.l10n.t('embed'),
    'HTML markup': vscode.l10n.t('HTML markup'),
    'production label': vscode.l10n.t('production label'),
    metadata: vscode.l10n.t('metadata'),
    'stage direction': vscode.l10n.t('stage direction'),
    'delivery cue': vscode.l10n.t('delivery cue'),
    timecode: vscode.l10n.t('timecode'),
    'outside the narration': vscode.l10n.t('outside the narration'),
  };
  return words[reason] ?? reason;
}
