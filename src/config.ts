import * as vscode from 'vscode';
import type { Region, NarrationOptions, VoiceParams } from './core';

export type IfExistsSetting = 'ask' | 'number' | 'overwrite';

/** Every setting the extension reads, typed, with the defaults declared in package.json. */
export interface AiStudiosConfig {
  region: Region;
  apiBaseUrl: string;
  /** The voice every request is made in, made here once and carried unchanged to the request and the cache key. */
  voice: VoiceParams;
  outputFolder: string;
  outputFileName: string;
  ifExists: IfExistsSetting;
  perSection: boolean;
  requestTimeoutMs: number;
  maxCharactersPerRequest: number;
  concurrency: number;
  sectionPauseMs: number;
  cacheMaxBytes: number;
  narration: NarrationOptions;
}

export const SECTION = 'aistudios';

/** Reads the settings for a resource (workspace folder settings apply to output settings only when trusted: VS Code enforces the restricted list). */
export function readConfig(scope?: vscode.Uri): AiStudiosConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  // apiBaseUrl and region decide where the key is sent: read them only from the user (application) level.
  const region = c.inspect<Region>('region');
  const baseUrl = c.inspect<string>('apiBaseUrl');
  return {
    region: region?.globalValue ?? region?.defaultValue ?? 'china',
    apiBaseUrl: (baseUrl?.globalValue ?? '').trim(),
    voice: {
      model: c.get<string>('model', 'M000045058').trim(),
      language: c.get<string>('language', 'en').trim(),
    },
    outputFolder: c.get<string>('output.folder', '').trim(),
    outputFileName: c.get<string>('output.fileName', '{name}{lines}').trim() || '{name}{lines}',
    ifExists: c.get<IfExistsSetting>('output.ifExists', 'number'),
    perSection: c.get<boolean>('output.perSection', false),
    requestTimeoutMs: clamp(c.get<number>('requestTimeoutSeconds', 120), 5, 600) * 1000,
    maxCharactersPerRequest: clamp(c.get<number>('maxCharactersPerRequest', 2000), 100, 10000),
    concurrency: clamp(c.get<number>('concurrency', 3), 1, 8),
    sectionPauseMs: clamp(c.get<number>('sectionPauseMilliseconds', 700), 0, 10000),
    cacheMaxBytes: clamp(c.get<number>('cache.maxSizeMB', 500), 0, 100000) * 1024 * 1024,
    narration: {
      skipCodeBlocks: c.get<boolean>('markdown.skipCodeBlocks', true),
      speakHeadings: c.get<boolean>('markdown.speakHeadings', true),
      speakImageAlt: c.get<boolean>('markdown.speakImageAlt', false),
      speakTables: c.get<boolean>('markdown.speakTables', false),
    },
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
