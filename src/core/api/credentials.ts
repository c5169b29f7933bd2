// The two ways a user can give us access: a pasted token (valid 24 h), or App ID + User Key from which
// the client mints tokens itself. Stored as JSON in SecretStorage; never logged, never in a message.

import { InputError } from '../errors';

export type Credentials = { kind: 'token'; token: string } | { kind: 'appKey'; appId: string; userKey: string };

/** Every secret string inside the credentials, for redaction. */
export function secretsOf(c: Credentials): string[] {
  return c.kind === 'token' ? [c.token] : [c.appId, c.userKey];
}

/** JSON for SecretStorage (only the known fields). */
export function serializeCredentials(c: Credentials): string {
  return c.kind === 'token'
    ? JSON.stringify({ kind: 'token', token: c.token })
    : JSON.stringify({ kind: 'appKey', appId: c.appId, userKey: c.userKey });
}

const isFilled = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Reads what serializeCredentials wrote; undefined on anything else (never throws). */
export function parseCredentials(stored: string | undefined): Credentials | undefined {
  if (stored === undefined || stored === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind === 'token' && isFilled(v.token)) return { kind: 'token', token: v.token.trim() };
  if (v.kind === 'appKey' && isFilled(v.appId) && isFilled(v.userKey)) {
    return { kind: 'appKey', appId: v.appId.trim(), userKey: v.userKey.trim() };
  }
  return undefined;
}

/**
 * Credentials from AISTUDIOS_API_KEY, or AISTUDIOS_APP_ID + AISTUDIOS_USER_KEY (trimmed).
 * Undefined when none is set; InputError when one is set but empty or the pair is incomplete.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
  const token = env.AISTUDIOS_API_KEY;
  const appId = env.AISTUDIOS_APP_ID;
  const userKey = env.AISTUDIOS_USER_KEY;
  if (token !== undefined) {
    if (!isFilled(token)) throw new InputError('AISTUDIOS_API_KEY is set but empty.');
    return { kind: 'token', token: token.trim() };
  }
  if (appId === undefined && userKey === undefined) return undefined;
  if (!isFilled(appId))
    throw new InputError('AISTUDIOS_APP_ID is missing or empty (it is needed together with AISTUDIOS_USER_KEY).');
  if (!isFilled(userKey))
    throw new InputError('AISTUDIOS_USER_KEY is missing or empty (it is needed together with AISTUDIOS_APP_ID).');
  return { kind: 'appKey', appId: appId.trim(), userKey: userKey.trim() };
}
