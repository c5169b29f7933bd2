import * as vscode from 'vscode';
import type { VoiceModel } from '../core';
import type { CommandDeps } from './commandDeps';
import { updateUserSettings, workspaceOverrides } from '../config';
import { describeError } from '../ui/errorMessages';
import { RECENT_MODELS_KEY } from '../walkthroughContext';

/** The models picked last, newest first (global state). */
export { RECENT_MODELS_KEY } from '../walkthroughContext';
const MAX_RECENT = 5;
const ENTER_ID = Symbol('enter-id');

interface ModelItem extends vscode.QuickPickItem {
  modelId?: string | typeof ENTER_ID;
}

/** The languages the vendor's examples use first, then other common ones; "Other…" allows any code. */
const LANGUAGES: readonly { code: string; native: string; name: () => string }[] = [
  { code: 'en', native: 'English', name: () => vscode.l10n.t('English') },
  { code: 'ko', native: '한국어', name: () => vscode.l10n.t('Korean') },
  { code: 'ja', native: '日本語', name: () => vscode.l10n.t('Japanese') },
  { code: 'zh', native: '中文', name: () => vscode.l10n.t('Chinese') },
  { code: 'es', native: 'Español', name: () => vscode.l10n.t('Spanish') },
  { code: 'fr', native: 'Français', name: () => vscode.l10n.t('French') },
  { code: 'de', native: 'Deutsch', name: () => vscode.l10n.t('German') },
  { code: 'pt', native: 'Português', name: () => vscode.l10n.t('Portuguese') },
  { code: 'it', native: 'Italiano', name: () => vscode.l10n.t('Italian') },
  { code: 'vi', native: 'Tiếng Việt', name: () => vscode.l10n.t('Vietnamese') },
  { code: 'th', native: 'ไทย', name: () => vscode.l10n.t('Thai') },
  { code: 'id', native: 'Bahasa Indonesia', name: () => vscode.l10n.t('Indonesian') },
  { code: 'ru', native: 'Русский', name: () => vscode.l10n.t('Russian') },
  { code: 'ar', native: 'العربية', name: () => vscode.l10n.t('Arabic') },
];

/** "Español Spanish": the language's own name, then its name in the display language when that differs. */
function languageDescription(language: (typeof LANGUAGES)[number]): string {
  const name = language.name();
  return name === language.native ? name : `${language.native} ${name}`;
}

/** aistudios.selectVoice: the account's models (cached for the window), recent ones first, and free entry of an id. */
export function registerVoiceCommands(deps: CommandDeps): vscode.Disposable[] {
  let models: Promise<VoiceModel[]> | undefined;
  const subscription = deps.store.onDidChange(() => (models = undefined));
  const loadModels = async (): Promise<VoiceModel[]> => {
    const api = await deps.clients.get();
    if (!api) throw new Error(vscode.l10n.t('No API key is set, so your voices cannot be listed.'));
    models ??= api.client
      .listModels()
      .then(async (list) => {
        await deps.voiceLabels.remember(list);
        return list;
      })
      .catch((error: unknown) => {
        models = undefined; // do not cache a failure
        throw error;
      });
    return models as Promise<VoiceModel[]>;
  };
  return [subscription, vscode.commands.registerCommand('aistudios.selectVoice', () => selectVoice(deps, loadModels))];
}

async function selectVoice(deps: CommandDeps, loadModels: () => Promise<VoiceModel[]>): Promise<boolean> {
  const ui = deps.ui.current;
  const config = deps.config();
  const recent = deps.context.globalState.get<string[]>(RECENT_MODELS_KEY, []);
  const items = buildModelItems(loadModels, config.voice.model, recent);
  const picked = await ui.showQuickPick(items, {
    title: vscode.l10n.t('AI Studios Voice (1/2): Model'),
    placeHolder: vscode.l10n.t('Pick the voice model (current: {0})', config.voice.model),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked?.modelId) return false;
  let modelId = picked.modelId;
  if (modelId === ENTER_ID) {
    const typed = await ui.showInputBox({
      title: vscode.l10n.t('AI Studios Voice: Model id'),
      prompt: vscode.l10n.t('The model id, as listed on the AI Studios site (for example M000045058).'),
      value: config.voice.model,
      ignoreFocusOut: true,
      validateInput: (v) =>
        /^[A-Za-z0-9_-]{1,64}$/.test(v.trim()) ? undefined : vscode.l10n.t('A model id is letters, digits, - or _.'),
    });
    if (!typed?.trim()) return false;
    modelId = typed.trim();
  }
  const language = await pickLanguage(deps, config.voice.language);
  if (!language) return false;
  await updateUserSettings({ model: modelId, language });
  await deps.context.globalState.update(
    RECENT_MODELS_KEY,
    [modelId, ...recent.filter((id) => id !== modelId)].slice(0, MAX_RECENT),
  );
  deps.clients.logger.info(`Voice set to model ${modelId}, language ${language}.`);
  // A workspace may set its own voice, which wins over the user setting we just wrote: say so.
  const overridden = workspaceOverrides(['model', 'language']);
  if (overridden.length) {
    const open = vscode.l10n.t('Open Workspace Settings');
    const choice = await ui.showMessage(
      'warning',
      vscode.l10n.t(
        'Voice saved in your user settings, but this workspace sets its own aistudios.{0}, which applies here.',
        overridden.join(' / aistudios.'),
      ),
      {},
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', 'aistudios');
  }
  return true;
}

async function buildModelItems(
  loadModels: () => Promise<VoiceModel[]>,
  current: string,
  recent: readonly string[],
): Promise<ModelItem[]> {
  const items: ModelItem[] = [];
  let listed: VoiceModel[] = [];
  let failure: string | undefined;
  try {
    listed = await loadModels();
  } catch (error) {
    failure = describeError(error);
  }
  const labelOf = new Map(listed.map((m) => [m.id, m.label]));
  const known = [...new Set([...recent, current])];
  if (failure) {
    items.push({
      label: vscode.l10n.t('The voice list could not be loaded: {0}', failure),
      kind: vscode.QuickPickItemKind.Separator,
    });
  }
  // Before any pick, the only "known" voice is the setting's: it is the current one, not a recent one.
  const heading = recent.length ? vscode.l10n.t('Recently used') : vscode.l10n.t('Current voice');
  if (known.length) items.push({ label: heading, kind: vscode.QuickPickItemKind.Separator });
  for (const id of known) {
    const label = labelOf.get(id) ?? id;
    const isCurrent = id === current ? vscode.l10n.t('current') : undefined;
    // The id is said once: as the description beside a name, or only as the label of a voice without one.
    const description = [label === id ? undefined : id, isCurrent].filter(Boolean).join(' · ');
    items.push({ label, description, modelId: id });
  }
  const others = listed.filter((m) => !known.includes(m.id));
  if (others.length) items.push({ label: vscode.l10n.t('All voices'), kind: vscode.QuickPickItemKind.Separator });
  for (const model of others)
    items.push({ label: model.label, description: model.label === model.id ? '' : model.id, modelId: model.id });
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: `$(edit) ${vscode.l10n.t('Enter a model id…')}`, modelId: ENTER_ID, alwaysShow: true });
  return items;
}

async function pickLanguage(deps: CommandDeps, current: string): Promise<string | undefined> {
  const other = Symbol('other');
  const items: (vscode.QuickPickItem & { code: string | typeof other })[] = LANGUAGES.map((language) => ({
    label: language.code,
    description: languageDescription(language) + (language.code === current ? ` · ${vscode.l10n.t('current')}` : ''),
    code: language.code,
  }));
  if (!LANGUAGES.some(({ code }) => code === current))
    items.unshift({ label: current, description: vscode.l10n.t('current'), code: current });
  items.sort((a, b) => (a.code === current ? -1 : b.code === current ? 1 : 0));
  items.push({ label: `$(edit) ${vscode.l10n.t('Other language code…')}`, code: other, alwaysShow: true });
  const picked = await deps.ui.current.showQuickPick(items, {
    title: vscode.l10n.t('AI Studios Voice (2/2): Language of the text'),
    placeHolder: vscode.l10n.t('The text must be in the voice model’s language'),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.code !== other) return picked.code;
  const typed = await deps.ui.current.showInputBox({
    title: vscode.l10n.t('AI Studios Voice: Language code'),
    prompt: vscode.l10n.t('A two-letter ISO 639-1 code, such as en, ko, ja or zh.'),
    value: current,
    ignoreFocusOut: true,
    validateInput: (v) =>
      /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/.test(v.trim())
        ? undefined
        : vscode.l10n.t('Enter a language code such as en or zh-CN.'),
  });
  return typed?.trim() || undefined;
}
