// What a failed API request means: a cancel, a timeout, a connection that broke (and whether the request may
// still have done its work on the server, which decides whether a speech request may be sent again).

import { formatDuration } from '../abort';
import {
  CancelledError,
  isAiStudiosError,
  NetworkError,
  ProtocolError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type AiStudiosError,
} from '../errors';
import { connectionProblem, isHttpParserCode } from '../systemErrors';

/** Connection errors that happen before a single byte of the request left this machine. */
const NOTHING_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const MAY_HAVE_BEEN_MADE =
  'It may still have made (and charged for) the audio, so it was not requested again automatically.';

/** The system error code a NetworkError carries (its cause is only ever { code }). */
function networkCode(error: NetworkError): string | undefined {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when the failed request certainly did no work on the server, so sending it again cannot pay twice. */
export function certainlyNothingDone(error: AiStudiosError): boolean {
  if (error instanceof RateLimitError) return true;
  if (error instanceof ServerError) return error.status === 503;
  if (error instanceof NetworkError) return NOTHING_SENT_CODES.has(networkCode(error) ?? '');
  return false;
}

/**
 * The typed error for a request that got no usable answer: CancelledError when the caller aborted, TimeoutError
 * when our timer fired (timeoutMs), ProtocolError for an answer over the size cap, NetworkError otherwise (only its
 * code kept as cause: node-fetch puts header values, the key among them, into its messages).
 */
export function transportFailure(
  error: unknown,
  scope: { cancelled: boolean; timedOut: boolean; timeoutMs: number; host: string },
): AiStudiosError {
  if (scope.cancelled) return new CancelledError();
  if (scope.timedOut) return new TimeoutError(`AI Studios did not answer within ${formatDuration(scope.timeoutMs)}.`);
  if (isAiStudiosError(error)) return error;
  const e = error as { type?: string; code?: string } | undefined;
  if (e?.type === 'max-size') return new ProtocolError('AI Studios sent an answer that is far too large.');
  const code = typeof e?.code === 'string' && /^[A-Z_0-9]+$/.test(e.code) ? e.code : undefined;
  const cause = code ? { cause: { code } } : {};
  if (isHttpParserCode(code))
    return new NetworkError(`AI Studios at ${scope.host} sent a broken answer: ${connectionProblem(code)}.`, cause);
  return new NetworkError(`Could not reach AI Studios at ${scope.host}${code ? ` (${code})` : ''}.`, cause);
}

/**
 * For a request that must not be repeated blindly (speech costs credits): when the failure happened after the
 * request may have reached the server, a new error that says so; undefined when the failure certainly did nothing
 * or is not one we retry (the caller then keeps the original).
 */
export function maybeDoneFailure(error: unknown, timeoutMs: number): AiStudiosError | undefined {
  if (!isAiStudiosError(error) || certainlyNothingDone(error)) return undefined;
  if (error instanceof TimeoutError)
    return new TimeoutError(`AI Studios did not answer within ${formatDuration(timeoutMs)}. ${MAY_HAVE_BEEN_MADE}`);
  if (error instanceof NetworkError) {
    const code = networkCode(error);
    return new NetworkError(
      `The connection to AI Studios broke after the request was sent${code ? ` (${code})` : ''}. ${MAY_HAVE_BEEN_MADE}`,
      code ? { cause: { code } } : {},
    );
  }
  if (error instanceof ServerError) {
    const sentence = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
    return new ServerError(`${sentence} ${MAY_HAVE_BEEN_MADE}`, {
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.serverMessage !== undefined ? { serverMessage: error.serverMessage } : {}),
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    });
  }
  return undefined;
}
