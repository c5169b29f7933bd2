// Turning an HTTP answer of the AI Studios API into its payload, or into the typed error it stands for:
// the envelope ({success, data} or bare fields), the status mapping, and success:false answers with HTTP 200.
// The server's own message is always kept (redacted, cleaned, shortened) so the user sees what it said.

import {
  AuthError,
  BadRequestError,
  ProtocolError,
  QuotaError,
  RateLimitError,
  ServerError,
  type AiStudiosError,
} from '../errors';
import { redactSecrets } from '../logger';
import { cleanServerText, isFilledString, isObject, parseJsonAnswer, type JsonObject } from './jsonAnswer';
import { parseRetryAfter } from './retry';

export type Operation = 'mint' | 'auth' | 'models' | 'speech';

/** What the interpretation needs to know about the call that got the answer. */
export interface AnswerSpec {
  operation: Operation;
  /** The endpoint's path, for messages (e.g. a 404). */
  path: string;
  /** The key that proves the answer is not wrapped in an envelope's data. */
  expectedKey: string;
}

/** What the interpretation needs to know about the client. */
export interface AnswerContext {
  /** Every secret to remove from what the server says before it is shown or logged. */
  secrets(): string[];
  /** A pasted token or a token minted from App ID + User Key: the words for a rejected key differ. */
  credentialsKind: 'token' | 'appKey';
  /** Clock for Retry-After dates (ms since the epoch). */
  now(): number;
}

type Headers = { get(name: string): string | null };

const MAX_SERVER_MESSAGE_LENGTH = 300;

// No bare "insufficient": "insufficient permissions" is about access, not money.
const QUOTA_WORDS =
  /quota|credit|insufficient[ _-]?(funds|balance)|balance|payment|billing|크레딧|잔액|余额|额度|积分/i;
const AUTH_WORDS =
  /unauthori[sz]ed|unauthenticated|authenticat|forbidden|permission|invalid[ _-]?token|token[ _-]?(expired|invalid)|expired[ _-]?token|api[ _-]?key|인증|권한|认证|令牌|权限/i;
const RATE_WORDS = /rate[ _-]?limit|too many requests|throttl/i;

/** "AI Studios rejected the API key (HTTP 401)." in the words that fit the kind of credentials. */
export function rejectedKeyMessage(context: AnswerContext, why: string, status?: number): string {
  const suffix = status !== undefined ? ` (HTTP ${status})` : ` (${why})`;
  if (context.credentialsKind === 'token') return `AI Studios rejected the API key${suffix}.`;
  return `AI Studios rejected the token minted from your App ID and User Key${suffix}.`;
}

/**
 * Turns an HTTP answer into the payload object (the envelope's data, or the bare fields), or throws the typed
 * error it stands for: the status first, then a success:false envelope, then anything that is not a JSON object.
 * A leading UTF-8 byte order mark is accepted (see parseJsonAnswer).
 */
export function interpretAnswer(
  spec: AnswerSpec,
  context: AnswerContext,
  status: number,
  headers: Headers,
  text: string,
): JsonObject {
  const body = parseJsonAnswer(text);
  if (status < 200 || status >= 300) throw statusError(spec, context, status, headers, body, text);
  if (body === undefined)
    throw new ProtocolError(`AI Studios sent an answer that is not JSON (HTTP ${status}).`, { status });
  if (!isObject(body))
    throw new ProtocolError(`AI Studios sent an answer of an unexpected shape (HTTP ${status}).`, { status });
  if ('success' in body) {
    if (body.success === false) throw envelopeError(spec, context, body);
    if (body.success !== true)
      throw new ProtocolError('AI Studios sent an answer with an invalid success flag.', { status });
    if (isObject(body.data)) return body.data;
    if (spec.expectedKey in body) return body;
    throw new ProtocolError('AI Studios sent a successful answer without data.', { status });
  }
  if (!(spec.expectedKey in body) && isObject(body.data)) return body.data;
  return body;
}

function serverMessage(context: AnswerContext, body: unknown, rawText: string): string | undefined {
  let message: unknown;
  if (isObject(body)) {
    const error = body.error;
    if (isObject(error)) message = [error.msg, error.message, error.detail].find(isFilledString);
    else if (isFilledString(error)) message = error;
    message ??= [body.msg, body.message, body.detail].find(isFilledString);
  } else if (body === undefined && rawText.length > 0 && rawText.length <= 500 && !/[<>]/.test(rawText)) {
    message = rawText; // a short plain-text error, not an HTML error page
  }
  if (!isFilledString(message)) return undefined;
  const cleaned = cleanServerText(redactSecrets(message, context.secrets()), MAX_SERVER_MESSAGE_LENGTH);
  return cleaned === '' ? undefined : cleaned;
}

function errorCode(context: AnswerContext, body: unknown): string | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const code = body.error.code;
  return typeof code === 'number' || typeof code === 'string'
    ? cleanServerText(redactSecrets(String(code), context.secrets()), 60)
    : undefined;
}

function statusError(
  spec: AnswerSpec,
  context: AnswerContext,
  status: number,
  headers: Headers,
  body: unknown,
  rawText: string,
): AiStudiosError {
  const message = serverMessage(context, body, rawText);
  const code = errorCode(context, body);
  const details = { status, ...(message !== undefined ? { serverMessage: message } : {}) };
  const says = message !== undefined ? `AI Studios says: ${message} (HTTP ${status})` : undefined;
  const quotaLike = QUOTA_WORDS.test(`${message ?? ''} ${code ?? ''}`);
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), context.now());
  const withRetryAfter = retryAfterMs !== undefined ? { retryAfterMs } : {};

  if (status >= 300 && status < 400)
    return new ProtocolError(`AI Studios answered with an unexpected redirect (HTTP ${status}).`, details);
  // 401/403 first: a key without access is an AuthError whatever words the server chose.
  if (status === 401 || status === 403) {
    if (spec.operation === 'mint')
      return new AuthError(`AI Studios rejected the App ID or User Key (HTTP ${status}).`, details);
    return new AuthError(rejectedKeyMessage(context, '', status), details);
  }
  if (status === 402 || (quotaLike && status >= 400 && status < 500 && status !== 429)) {
    return new QuotaError(says ?? `Your AI Studios account has no credits left (HTTP ${status}).`, details);
  }
  if (status === 429) {
    return new RateLimitError(says ?? 'AI Studios is receiving too many requests (HTTP 429); try again in a moment.', {
      ...details,
      ...withRetryAfter,
    });
  }
  if (status >= 500)
    return new ServerError(says ?? `AI Studios had a server error (HTTP ${status}).`, {
      ...details,
      ...withRetryAfter,
    });
  if (status >= 400) {
    const fallback: Record<number, string> = {
      404: `AI Studios did not find ${spec.path} (HTTP 404); check the base URL and the model.`,
      413: 'The text is too long for one AI Studios request (HTTP 413).',
      422: "AI Studios could not process the request (HTTP 422); check that the text is in the model's language.",
    };
    return new BadRequestError(
      says ?? fallback[status] ?? `AI Studios rejected the request (HTTP ${status}).`,
      details,
    );
  }
  return new ProtocolError(`AI Studios sent an unexpected answer (HTTP ${status}).`, details);
}

/** A 200 answer with success:false: classify by a numeric HTTP-like code, else by words in the code and message. */
function envelopeError(spec: AnswerSpec, context: AnswerContext, body: JsonObject): AiStudiosError {
  const message = serverMessage(context, body, '');
  const code = errorCode(context, body);
  if (code !== undefined && /^[45]\d\d$/.test(code)) {
    const error = statusError(spec, context, Number(code), { get: () => null }, body, '');
    if (!(error instanceof ProtocolError)) return error;
  }
  const details = message !== undefined ? { serverMessage: message } : {};
  const words = `${message ?? ''} ${code ?? ''}`;
  const says =
    message !== undefined
      ? `AI Studios says: ${message}`
      : `AI Studios reported a failure${code ? ` (code ${code})` : ''}.`;
  if (QUOTA_WORDS.test(words)) return new QuotaError(says, details);
  if (spec.operation === 'mint' && AUTH_WORDS.test(words))
    return new AuthError(
      `AI Studios rejected the App ID or User Key: ${message ?? code ?? 'no reason given'}.`,
      details,
    );
  if (AUTH_WORDS.test(words)) return new AuthError(says, details);
  if (RATE_WORDS.test(words)) return new RateLimitError(says, details);
  return new BadRequestError(says, details);
}
