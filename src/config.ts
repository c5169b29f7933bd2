// The one place that reads and writes `aistudios.*` settings: a typed accessor, the whole configuration for a
// resource, user-level writes, and the one change event. Defaults and ranges come from the core.
import * as vscode from 'vscode';
import {
  SETTING_DEFAULTS,
  captionFormatsOf,
  clampSetting,
  isSpeakMode,
  readLexicon,
  readVoiceCasting,
  type CaptionFormat,
  type IfExistsSetting,
  type NarrationOptions,
  type Region,
  type VoiceParams,
  type SettingName,
  type SettingValues,
} from './core';
import { SECTION } from './settings';

export { SECTION, isSetByUser, onDidChangeSettings, type SettingsChange } from './settings';

/** Every setting the extension reads, typed, in the units the code uses. */
export interface AiStudiosConfig {
  region: Region;
  apiBaseUrl: string;
  /** The voice every request is made in, made here once and carried unchanged to the request and the cache key. */
  voice: VoiceParams;
  outputFolder: string;
  outputFileName: string;
  ifExists: IfExistsSetting;
  perSection: boolean;
  /** The caption files to write beside the audio (empty: none). */
  captions: CaptionFormat[];
  requestTimeoutMs: number;
  maxCharactersPerRequest: number;
  concurrency: number;
  sectionPauseMs: number;
  cacheMaxBytes: number;
  narration: NarrationOptions;
}

/** The settings that decide where the key is sent: read only from the user (application) level, never a workspace's. */
type UserLevelSetting = 'region' | 'apiBaseUrl';

/** One setting as it applies to `scope`, its default when unset. Use readConfig for the ones that are clamped or trimmed. */
export function readSetting<K extends Exclude<SettingName, UserLevelSetting>>(
  name: K,
  scope?: vscode.Uri,
): SettingValues[K] {
  return valueOf(vscode.workspace.getConfiguration(SECTION, scope), name);
}

/** Reads the settings for a resource (workspace folder settings apply to output settings only when trusted: VS Code enforces the restricted list). */
export function readConfig(scope?: vscode.Uri): AiStudiosConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const get = <K extends SettingName>(name: K) => valueOf(c, name);
  return {
    region: userValue(c, 'region') ?? SETTING_DEFAULTS.region,
    apiBaseUrl: (userValue(c, 'apiBaseUrl') ?? '').trim(),
    voice: {
      model: get('model').trim(),
      language: get('language').trim(),
    },
    outputFolder: get('output.folder').trim(),
    outputFileName: get('output.fileName').trim() || SETTING_DEFAULTS['output.fileName'],
    ifExists: get('output.ifExists'),
    perSection: get('output.perSection'),
    captions: captionFormatsOf(get('output.captions')),
    requestTimeoutMs: clampSetting('requestTimeoutSeconds', get('requestTimeoutSeconds')) * 1000,
    maxCharactersPerRequest: clampSetting('maxCharactersPerRequest', get('maxCharactersPerRequest')),
    concurrency: clampSetting('concurrency', get('concurrency')),
    sectionPauseMs: clampSetting('sectionPauseMilliseconds', get('sectionPauseMilliseconds')),
    cacheMaxBytes: clampSetting('cache.maxSizeMB', get('cache.maxSizeMB')) * 1024 * 1024,
    narration: {
      language: get('language').trim(),
      skipCodeBlocks: get('markdown.skipCodeBlocks'),
      speakHeadings: get('markdown.speakHeadings'),
      speakImageAlt: get('markdown.speakImageAlt'),
      speakTables: get('markdown.speakTables'),
      ...scriptSettings(get),
    },
  };
}

/** How scripts are read: the speak mode, casting, pronunciations, production labels and pause lengths. */
function scriptSettings(
  get: <K extends SettingName>(name: K) => SettingValues[K],
): Pick<NarrationOptions, 'speak' | 'voices' | 'pronunciations' | 'productionLabels' | 'pauseLengths'> {
  const speak = get('script.speak');
  const labels = get('script.productionLabels');
  return {
    speak: isSpeakMode(speak) ? speak : SETTING_DEFAULTS['script.speak'],
    // Entries that are not a voice or a word are left out (the settings editor marks them against the schema).
    voices: readVoiceCasting(get('voices'), 'settings').casting,
    pronunciations: readLexicon(get('pronunciations'), 'settings').lexicon,
    productionLabels: Array.isArray(labels) ? labels.filter((label) => typeof label === 'string') : undefined,
    pauseLengths: {
      beatMs: clampSetting('script.beatMilliseconds', get('script.beatMilliseconds')),
      pauseMs: clampSetting('script.pauseMilliseconds', get('script.pauseMilliseconds')),
      longPauseMs: clampSetting('script.longPauseMilliseconds', get('script.longPauseMilliseconds')),
    },
  };
}

/** Saves settings in the user's settings (every workspace), leaving alone those that already hold the value. */
export async function updateUserSettings(values: Partial<SettingValues>): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  for (const [name, value] of Object.entries(values) as [SettingName, unknown][]) {
    if (userValue(c, name) !== value) await c.update(name, value, vscode.ConfigurationTarget.Global);
  }
}

/**
 * Saves a setting where it applies to `scope`: in the workspace folder's or the workspace's settings when they set
 * it (a user setting would not win there), else in the user's settings.
 */
export async function updateSettingWhereItApplies<K extends SettingName>(
  name: K,
  value: SettingValues[K],
  scope?: vscode.Uri,
): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const values = c.inspect(name);
  const target =
    values?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : values?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await c.update(name, value, target);
}

/** Which of these settings the open workspace (or one of its folders) sets for itself, winning over the user's. */
export function workspaceOverrides<K extends SettingName>(names: readonly K[]): K[] {
  const c = vscode.workspace.getConfiguration(SECTION);
  return names.filter((name) => {
    const values = c.inspect(name);
    return values?.workspaceValue !== undefined || values?.workspaceFolderValue !== undefined;
  });
}

function valueOf<K extends SettingName>(c: vscode.WorkspaceConfiguration, name: K): SettingValues[K] {
  return c.get<SettingValues[K]>(name, SETTING_DEFAULTS[name]);
}

function userValue<K extends SettingName>(c: vscode.WorkspaceConfiguration, name: K): SettingValues[K] | undefined {
  return c.inspect<SettingValues[K]>(name)?.globalValue;
}
