// Typed failures of the AI Studios core. The shell and the CLI turn these into words and actions;
// every message here is already one plain sentence and never contains a key.

export type ErrorKind =
  | 'auth'
  | 'badRequest'
  | 'quota'
  | 'rateLimit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'protocol'
  | 'download'
  | 'cancelled'
  | 'input';

/** Extra facts an error may carry besides its message. */
export interface ErrorDetails {
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number;
  /** The server's own message (already redacted and shortened), shown to the user as is. */
  serverMessage?: string;
  /** The underlying error, for the log only. */
  cause?: unknown;
}

/** Base of every error the core throws on purpose. */
export abstract class AiStudiosError extends Error {
  abstract readonly kind: ErrorKind;
  readonly status?: number;
  readonly serverMessage?: string;
  /** worth retrying (the shell offers Retry) */
  readonly retryable: boolean;

  protected constructor(message: string, retryable: boolean, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.retryable = retryable;
    if (details.status !== undefined) this.status = details.status;
    if (details.serverMessage !== undefined) this.serverMessage = details.serverMessage;
  }
}

/** The key (token or App ID / User Key) was rejected, or is not valid any more. */
export class AuthError extends AiStudiosError {
  readonly kind = 'auth' as const;
  constructor(message: string, details?: ErrorDetails) {
    super(message, false, details);
  }
}

/** The server refused the request itself: wrong model, language mismatch, text too long… */
export class BadRequestError extends AiStudiosError {
  readonly kind = 'badRequest' as const;
  constructor(message: string, details?: ErrorDetails) {
    super(message, false, details);
  }
}

/** The account has no credits (or quota) left. */
export class QuotaError extends AiStudiosError {
  readonly kind = 'quota' as const;
  constructor(message: string, details?: ErrorDetails) {
    super(message, false, details);
  }
}

/** Too many requests (HTTP 429); retryAfterMs tells how long the server asked us to wait. */
export class RateLimitError extends AiStudiosError {
  readonly kind = 'rateLimit' as const;
  readonly retryAfterMs?: number;
  constructor(message: string, details?: ErrorDetails & { retryAfterMs?: number }) {
    super(message, true, details);
    if (details?.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** The server failed (HTTP 5xx). retryAfterMs is set when a 503 said when to come back. */
export class ServerError extends AiStudiosError {
  readonly kind = 'server' as const;
  readonly retryAfterMs?: number;
  constructor(message: string, details?: ErrorDetails & { retryAfterMs?: number }) {
    super(message, true, details);
    if (details?.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** The server could not be reached: DNS failure, refused or reset connection. */
export class NetworkError extends AiStudiosError {
  readonly kind = 'network' as const;
  constructor(message: string, details?: ErrorDetails) {
    super(message, true, details);
  }
}

/** No answer within the request timeout. */
export class TimeoutError extends AiStudiosError {
  readonly kind = 'timeout' as const;
  constructor(message: string, details?: ErrorDetails) {
    super(message, true, details);
  }
}

/** The server answered something we cannot use (not JSON, missing or unsafe fields). */
export class ProtocolError extends AiStudiosError {
  readonly kind = 'protocol' as const;
  constructor(message: string, details?: ErrorDetails) {
    super(message, false, details);
  }
}

/** Fetching the generated audio failed (expired link, short body, bad status). */
export class DownloadError extends AiStudiosError {
  readonly kind = 'download' as const;
  constructor(message: string, details?: ErrorDetails) {
    super(message, true, details);
  }
}

/** The user cancelled. Not an error to show, only to stop on. */
export class CancelledError extends AiStudiosError {
  readonly kind = 'cancelled' as const;
  constructor(message = 'The operation was cancelled.', details?: ErrorDetails) {
    super(message, false, details);
  }
}

/** Bad input found before any request: empty text, bad base URL, unusable target folder… */
export class InputError extends AiStudiosError {
  readonly kind = 'input' as const;
  constructor(message: string, details?: ErrorDetails) {
    super(message, false, details);
  }
}

/** True for every error thrown on purpose by the core. */
export function isAiStudiosError(e: unknown): e is AiStudiosError {
  return e instanceof AiStudiosError;
}
