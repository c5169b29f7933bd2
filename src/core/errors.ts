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
  | 'input'
  | 'audioFormat'
  | 'cache';

/** Extra facts an error may carry besides its message. */
export interface ErrorDetails {
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number;
  /** The server's own message (already redacted and shortened), shown to the user as is. */
  serverMessage?: string;
  /** The underlying error, for the log only. */
  cause?: unknown;
}

/**
 * Which kinds of failure may pass when the user tries again. Decided here, once, for every error: the client's own
 * retries and the shell's Retry button both read `retryable` rather than judging kinds themselves.
 */
const RETRYABLE: Readonly<Record<ErrorKind, boolean>> = {
  auth: false,
  badRequest: false,
  quota: false,
  rateLimit: true,
  server: true,
  network: true,
  timeout: true,
  protocol: false,
  download: true,
  cancelled: false,
  input: false,
  audioFormat: false,
  cache: false,
};

/**
 * Base of every error the core throws on purpose. (A misuse of the core by its own code, such as a concurrency limit
 * of 0, stays a plain RangeError: it is a bug to fix, not a situation to tell the user about.)
 */
export abstract class AiStudiosError extends Error {
  abstract readonly kind: ErrorKind;
  readonly status?: number;
  readonly serverMessage?: string;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    if (details.status !== undefined) this.status = details.status;
    if (details.serverMessage !== undefined) this.serverMessage = details.serverMessage;
  }

  /** Worth trying again (the shell offers Retry); see RETRYABLE. */
  get retryable(): boolean {
    return RETRYABLE[this.kind];
  }
}

/** The key (token or App ID / User Key) was rejected, or is not valid any more. */
export class AuthError extends AiStudiosError {
  readonly kind = 'auth' as const;
}

/** The server refused the request itself: wrong model, language mismatch, text too long… */
export class BadRequestError extends AiStudiosError {
  readonly kind = 'badRequest' as const;
}

/** The account has no credits (or quota) left. */
export class QuotaError extends AiStudiosError {
  readonly kind = 'quota' as const;
}

/** A failure whose answer may say when to come back (a Retry-After header): retryAfterMs, when it did. */
export abstract class ComeBackLaterError extends AiStudiosError {
  readonly retryAfterMs?: number;
  constructor(message: string, details?: ErrorDetails & { retryAfterMs?: number }) {
    super(message, details);
    if (details?.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** Too many requests (HTTP 429); retryAfterMs tells how long the server asked us to wait. */
export class RateLimitError extends ComeBackLaterError {
  readonly kind = 'rateLimit' as const;
}

/** The server failed (HTTP 5xx). retryAfterMs is set when a 503 said when to come back. */
export class ServerError extends ComeBackLaterError {
  readonly kind = 'server' as const;
}

/** The server could not be reached: DNS failure, refused or reset connection. */
export class NetworkError extends AiStudiosError {
  readonly kind = 'network' as const;
}

/** No answer within the request timeout. */
export class TimeoutError extends AiStudiosError {
  readonly kind = 'timeout' as const;
}

/** The server answered something we cannot use (not JSON, missing or unsafe fields). */
export class ProtocolError extends AiStudiosError {
  readonly kind = 'protocol' as const;
}

/** Fetching the generated audio failed (expired link, short body, bad status). */
export class DownloadError extends AiStudiosError {
  readonly kind = 'download' as const;
}

/** The user cancelled. Not an error to show, only to stop on. */
export class CancelledError extends AiStudiosError {
  readonly kind = 'cancelled' as const;
  constructor(message = 'The operation was cancelled.', details?: ErrorDetails) {
    super(message, details);
  }
}

/** Bad input found before any request: empty text, bad base URL, unusable target folder… */
export class InputError extends AiStudiosError {
  readonly kind = 'input' as const;
}

/** Why audio could not be read or joined; `reason` lets the shell choose words and actions. */
export type AudioFormatErrorReason = 'unrecognized' | 'undecodable' | 'unsupported' | 'mismatch';

/** Audio that cannot be recognized, decoded or joined. The message is meant for the user as is. */
export class AudioFormatError extends AiStudiosError {
  readonly kind = 'audioFormat' as const;
  // Spelled out (not the class's own name) so a minified build still names it.
  override readonly name = 'AudioFormatError';
  constructor(
    message: string,
    readonly reason: AudioFormatErrorReason,
    details?: ErrorDetails,
  ) {
    super(message, details);
  }
}

export type AudioCacheErrorReason = 'invalid-key' | 'invalid-extension' | 'write-failed';

/** A cache operation that could not be done; `cause` holds the file system error when there is one. */
export class AudioCacheError extends AiStudiosError {
  readonly kind = 'cache' as const;
  override readonly name = 'AudioCacheError';
  constructor(
    readonly reason: AudioCacheErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for every error thrown on purpose by the core. */
export function isAiStudiosError(e: unknown): e is AiStudiosError {
  return e instanceof AiStudiosError;
}
