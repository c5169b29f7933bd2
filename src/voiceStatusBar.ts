import * as vscode from 'vscode';
import { onDidChangeSettings, type AiStudiosConfig } from './config';
import type { VoiceLabels } from './voiceLabels';

/** Shows the current voice when a script is being edited; a click opens the voice picker. */
export function createVoiceStatusBar(config: () => AiStudiosConfig, labels: VoiceLabels): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('aistudios.voice', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('AI Studios Voice');
  item.command = 'aistudios.selectVoice';
  const update = () => {
    const languageId = vscode.window.activeTextEditor?.document.languageId;
    if (languageId !== 'markdown' && languageId !== 'plaintext') {
      item.hide();
      return;
    }
    const { model, language } = config().voice;
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
  update();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    onDidChangeSettings((e) => {
      if (e.affects('model', 'language')) update();
    }),
  );
}
