import * as vscode from 'vscode';
import { onDidChangeSettings } from './settings';
import type { VoiceLabels } from './voiceLabels';

/**
 * Shows the current voice when a script is being edited; a click opens the voice picker. The voice's name shows as
 * soon as it is known: remembered, or looked up once a key exists and the writer moves to a script, sets a key or
 * changes the voice (never while the extension activates: that first update only shows what is known).
 */
export function createVoiceStatusBar(
  voice: () => { model: string; language: string },
  labels: VoiceLabels,
  onDidChangeKey: vscode.Event<void>,
): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('aistudios.voice', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('AI Studios Voice');
  item.command = 'aistudios.selectVoice';
  const update = (lookUp: boolean) => {
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    if (languageId !== 'markdown' && languageId !== 'plaintext') {
      item.hide();
      return;
    }
    const { model, language } = voice();
    if (lookUp) void labels.lookUp(model);
    item.text = `$(unmute) ${labels.name(model)} · ${language}`;
    item.tooltip = vscode.l10n.t(
      'AI Studios voice: {0}, language {1}. Click to change.',
      labels.describe(model),
      language,
    );
    item.accessibilityInformation = {
      label: vscode.l10n.t('AI Studios voice {0}, language {1}', labels.name(model), language),
      role: 'button',
    };
    item.show();
  };
  update(false);
  return vscode.Disposable.from(
    item,
    labels.onDidChange(() => update(false)),
    onDidChangeKey(() => update(true)),
    vscode.window.onDidChangeActiveTextEditor(() => update(true)),
    onDidChangeSettings((e) => {
      if (e.affects('model', 'language')) update(true);
    }),
  );
}
