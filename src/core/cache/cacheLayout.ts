// The audio cache's names on disk (format v1) and its sidecars, the small JSON files whose rename commits an entry:
//   v1/<key[0..2]>/<key>.json                    sidecar: size and sha256 of the content
//   v1/<key[0..2]>/<key>.<sha256[0..16]><ext>    the audio; named by its own hash, so it is immutable
//   v1/<key[0..2]>/.<anything>.tmp               a write in flight
//   staging/                                      downloads in flight, on the same file system (moved in by rename)

import { promises as fs } from 'node:fs';
import { AudioCacheError } from '../errors';
import { isMissing } from './cacheFiles';

export const LAYOUT_DIRECTORY = 'v1';
export const STAGING_DIRECTORY = 'staging';
export const SIDECAR_FORMAT = 1;

export const KEY_PATTERN = /^[0-9a-f]{64}$/;
export const SHARD_PATTERN = /^[0-9a-f]{2}$/;
export const SIDECAR_NAME = /^([0-9a-f]{64})\.json$/;
export const CONTENT_NAME = /^([0-9a-f]{64})\.([0-9a-f]{16})(\.[a-z0-9]{1,10})$/;
export const TEMP_NAME = /^\..*\.tmp$/;
export const EXTENSION_PATTERN = /^\.[a-z0-9]{1,10}$/;

/** What a sidecar records about its entry. */
export interface Sidecar {
  format: number;
  key: string;
  extension: string;
  bytes: number;
  sha256: string;
}

export type SidecarRead =
  { kind: 'missing' } | { kind: 'invalid'; text: string } | { kind: 'valid'; text: string; sidecar: Sidecar };

/** The audio file's name: the key, then the first 16 hex digits of its content's sha256, then the extension. */
export function contentFileName(key: string, digest: string, extension: string): string {
  return `${key}.${digest.slice(0, 16)}${extension}`;
}

/** A sidecar's text, or undefined when there is none. */
export async function readSidecarText(sidecarPath: string): Promise<string | undefined> {
  try {
    return await fs.readFile(sidecarPath, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Reads and checks a sidecar: missing, invalid (with the text judged), or valid. */
export async function readSidecar(sidecarPath: string, key: string): Promise<SidecarRead> {
  const text = await readSidecarText(sidecarPath);
  if (text === undefined) return { kind: 'missing' };
  const sidecar = parseSidecar(text, key);
  return sidecar ? { kind: 'valid', text, sidecar } : { kind: 'invalid', text };
}

function parseSidecar(text: string, key: string): Sidecar | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<Record<keyof Sidecar, unknown>>;
  const valid =
    candidate.format === SIDECAR_FORMAT &&
    candidate.key === key &&
    typeof candidate.extension === 'string' &&
    EXTENSION_PATTERN.test(candidate.extension) &&
    typeof candidate.bytes === 'number' &&
    Number.isSafeInteger(candidate.bytes) &&
    candidate.bytes >= 0 &&
    typeof candidate.sha256 === 'string' &&
    KEY_PATTERN.test(candidate.sha256);
  return valid ? (candidate as Sidecar) : undefined;
}

/** Refuses a key that is not a sha256 hex digest (AudioCacheError 'invalid-key'). */
export function assertKey(key: string): void {
  // Keys become file names: anything but a sha256 hex digest could escape the cache folder.
  if (!KEY_PATTERN.test(key))
    throw new AudioCacheError('invalid-key', 'An audio cache key must be 64 lower-case hex digits (see cacheKey).');
}

/** '.MP3' or 'mp3' → '.mp3'; refuses anything but a short plain extension (AudioCacheError 'invalid-extension'). */
export function normalizeExtension(extension: string): string {
  const withDot = (extension.startsWith('.') ? extension : `.${extension}`).toLowerCase();
  if (!EXTENSION_PATTERN.test(withDot)) {
    throw new AudioCacheError(
      'invalid-extension',
      `Not a usable audio file extension: ${JSON.stringify(extension.slice(0, 20))}.`,
    );
  }
  return withDot;
}
