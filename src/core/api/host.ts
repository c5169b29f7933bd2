// Which host receives the key. Accounts are separate per host, and only https (or loopback http, for
// tests) may ever carry the key or serve the audio.

import { InputError } from '../errors';

export type Region = 'china' | 'global';

export const REGION_HOSTS: Record<Region, string> = {
  china: 'https://app.aistudios.cn',
  global: 'https://app.aistudios.com',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', '::1', 'localhost']);

/** True when the URL names this machine (127.0.0.1, ::1 or localhost). */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}

/**
 * True for https: URLs, and (unless allowLoopbackHttp is false) http: URLs to loopback (127.0.0.1, ::1,
 * localhost); never with user:password@.
 */
export function isAllowedRemoteUrl(url: URL, options: { allowLoopbackHttp?: boolean } = {}): boolean {
  if (url.username !== '' || url.password !== '') return false;
  if (url.hostname === '') return false;
  if (url.protocol === 'https:') return true;
  return options.allowLoopbackHttp !== false && url.protocol === 'http:' && isLoopbackUrl(url);
}

/**
 * The rule for download links and their redirects: https:, and loopback http: only when the API itself is
 * on loopback (the fake server). A real host's answer must never make us fetch a local service.
 */
export function isAllowedDownloadUrl(url: URL, baseUrl: string): boolean {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return false;
  }
  return isAllowedRemoteUrl(url, { allowLoopbackHttp: isLoopbackUrl(base) });
}

/** Validates a base URL (https:, or http: to loopback; no user, query or fragment) and removes its trailing slashes. */
export function validateBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InputError('The AI Studios base URL is not a valid URL.');
  }
  if (!isAllowedRemoteUrl(url)) {
    throw new InputError(
      'The AI Studios base URL must use https: (http: is allowed only for 127.0.0.1, ::1 or localhost).',
    );
  }
  if (url.search !== '' || url.hash !== '')
    throw new InputError('The AI Studios base URL must not contain a query or a fragment.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The base URL for a region, or the override when non-empty (validated; trailing slash removed). */
export function resolveBaseUrl(region: Region, override?: string): string {
  const chosen = override !== undefined && override.trim() !== '' ? override.trim() : REGION_HOSTS[region];
  if (chosen === undefined) throw new InputError(`Unknown AI Studios region "${String(region)}".`);
  return validateBaseUrl(chosen);
}
