// Which host receives the key. Accounts are separate per host, and only https (or loopback http, for
// tests) may ever carry the key or serve the audio.

import { InputError } from './errors';

export type Region = 'china' | 'global';

export const REGION_HOSTS: Record<Region, string> = {
  china: 'https://app.aistudios.cn',
  global: 'https://app.aistudios.com',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', '::1', 'localhost']);

/** True for https: URLs, and http: URLs to loopback (127.0.0.1, ::1, localhost); never with user:password@. */
export function isAllowedRemoteUrl(url: URL): boolean {
  if (url.username !== '' || url.password !== '') return false;
  if (url.hostname === '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}

/** The base URL for a region, or the override when non-empty (validated; trailing slash removed). */
export function resolveBaseUrl(region: Region, override?: string): string {
  const chosen = override !== undefined && override.trim() !== '' ? override.trim() : REGION_HOSTS[region];
  if (chosen === undefined) throw new InputError(`Unknown AI Studios region "${String(region)}".`);
  let url: URL;
  try {
    url = new URL(chosen);
  } catch {
    throw new InputError('The AI Studios base URL is not a valid URL.');
  }
  if (!isAllowedRemoteUrl(url)) {
    throw new InputError('The AI Studios base URL must use https: (http: is allowed only for 127.0.0.1, ::1 or localhost).');
  }
  if (url.search !== '' || url.hash !== '') throw new InputError('The AI Studios base URL must not contain a query or a fragment.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
