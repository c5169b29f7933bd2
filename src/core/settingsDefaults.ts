// The defaults of every `aistudios.*` setting, and the ranges the code holds numbers to, written once: the extension
// reads its settings through config.ts with these, the CLI takes its flags' defaults and limits from here, and a unit
// test holds package.json's `contributes.configuration` to them.

import { DEFAULT_MAX_TEXT_CHARACTERS } from './api/client';
import type { CaptionsSetting } from './captions/captionSettings';
import type { Region } from './api/host';
import { DEFAULT_FILE_NAME_TEMPLATE } from './files/outputName';
import { DEFAULT_NARRATION_OPTIONS } from './narration/types';
import { DEFAULT_PAUSE_LENGTHS } from './narration/pauseCues';
import { DEFAULT_PRODUCTION_LABELS } from './narration/productionLabels';
import type { SpeakMode } from './narration/speakMode';

/** A speaker's voice as the `voices` setting holds it: a model id, or `{ model, language }`. */
export type VoiceSetting = string | { model: string; language?: string };

/** What to do when the output file already exists (`output.ifExists`). */
export type IfExistsSetting = 'ask' | 'number' | 'overwrite';

/** Every setting by its name under `aistudios.`, with the type of its value. */
export interface SettingValues {
  region: Region;
  apiBaseUrl: string;
  model: string;
  language: string;
  voices: Readonly<Record<string, VoiceSetting>>;
  pronunciations: Readonly<Record<string, string>>;
  'output.folder': string;
  'output.fileName': string;
  'output.ifExists': IfExistsSetting;
  'output.perSection': boolean;
  'output.captions': CaptionsSetting;
  sectionPauseMilliseconds: number;
  'markdown.skipCodeBlocks': boolean;
  'markdown.speakHeadings': boolean;
  'markdown.speakImageAlt': boolean;
  'markdown.speakTables': boolean;
  'script.speak': SpeakMode;
  'script.productionLabels': readonly string[];
  'script.beatMilliseconds': number;
  'script.pauseMilliseconds': number;
  'script.longPauseMilliseconds': number;
  requestTimeoutSeconds: number;
  maxCharactersPerRequest: number;
  concurrency: number;
  'cache.maxSizeMB': number;
  'player.autoPlay': boolean;
  'player.followInEditor': boolean;
  'editor.showNarration': boolean;
}

/** A setting's name under `aistudios.`, such as `model` or `output.ifExists`. */
export type SettingName = keyof SettingValues;

/** The value of each setting that nobody set. */
export const SETTING_DEFAULTS: Readonly<SettingValues> = Object.freeze({
  region: 'china',
  apiBaseUrl: '',
  model: 'M000045058',
  language: 'en',
  voices: Object.freeze({}),
  pronunciations: Object.freeze({}),
  'output.folder': '',
  'output.fileName': DEFAULT_FILE_NAME_TEMPLATE,
  'output.ifExists': 'number',
  'output.perSection': false,
  'output.captions': 'none',
  sectionPauseMilliseconds: 700,
  'markdown.skipCodeBlocks': DEFAULT_NARRATION_OPTIONS.skipCodeBlocks,
  'markdown.speakHeadings': DEFAULT_NARRATION_OPTIONS.speakHeadings,
  'markdown.speakImageAlt': DEFAULT_NARRATION_OPTIONS.speakImageAlt,
  'markdown.speakTables': DEFAULT_NARRATION_OPTIONS.speakTables,
  'script.speak': 'auto',
  'script.productionLabels': DEFAULT_PRODUCTION_LABELS,
  'script.beatMilliseconds': DEFAULT_PAUSE_LENGTHS.beatMs,
  'script.pauseMilliseconds': DEFAULT_PAUSE_LENGTHS.pauseMs,
  'script.longPauseMilliseconds': DEFAULT_PAUSE_LENGTHS.longPauseMs,
  requestTimeoutSeconds: 120,
  maxCharactersPerRequest: 2000,
  concurrency: 3,
  'cache.maxSizeMB': 500,
  'player.autoPlay': true,
  'player.followInEditor': true,
  'editor.showNarration': true,
});

/** The numeric settings that have a range. */
export type RangedSettingName =
  | 'sectionPauseMilliseconds'
  | 'script.beatMilliseconds'
  | 'script.pauseMilliseconds'
  | 'script.longPauseMilliseconds'
  | 'requestTimeoutSeconds'
  | 'maxCharactersPerRequest'
  | 'concurrency'
  | 'cache.maxSizeMB';

/** Inclusive bounds, in the setting's own unit (milliseconds, seconds, characters, requests, MB). */
export const SETTING_RANGES: Readonly<Record<RangedSettingName, { minimum: number; maximum: number }>> = Object.freeze({
  sectionPauseMilliseconds: { minimum: 0, maximum: 10_000 },
  'script.beatMilliseconds': { minimum: 0, maximum: 10_000 },
  'script.pauseMilliseconds': { minimum: 0, maximum: 10_000 },
  'script.longPauseMilliseconds': { minimum: 0, maximum: 30_000 },
  requestTimeoutSeconds: { minimum: 5, maximum: 600 },
  maxCharactersPerRequest: { minimum: 100, maximum: DEFAULT_MAX_TEXT_CHARACTERS },
  concurrency: { minimum: 1, maximum: 8 },
  'cache.maxSizeMB': { minimum: 0, maximum: 100_000 },
});

/** A numeric setting held to its range; anything that is not a finite number becomes the minimum. */
export function clampSetting(name: RangedSettingName, value: number): number {
  const { minimum, maximum } = SETTING_RANGES[name];
  return Number.isFinite(value) ? Math.min(maximum, Math.max(minimum, value)) : minimum;
}
