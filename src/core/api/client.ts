// The AI Studios HTTP client: one place that knows the endpoints, the envelope, the status mapping,
// token minting and renewal, timeouts and retries. Every field of every answer is treated as untrusted.

import nodeFetch from 'node-fetch';
import { createAttemptScope, formatDuration } from '../abort';
import { type Credentials, secretsOf } from './credentials';
import {
  downloadToFile,
  isRetriableDownloadFailure,
  type DownloadedFile,
  type DownloadTarget,
  type FetchImpl,
} from './download';
import {
  AiStudiosError,
  AuthError,
  BadRequestError,
  CancelledError,
  InputError,
  isAiStudiosError,
  NetworkError,
  ProtocolError,
  QuotaError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../errors';
import { createRedactingLogger, redactSecrets, silentLogger, type Logger } from '../logger';
import { isAllowedRemoteUrl, isLoopbackUrl, validateBaseUrl } from './host';
import { isRetriable, parseRetryAfter, resolveRetryPolicy, withRetry, type RetryPolicy } from './retry';
import type { SpeechRequest, SpeechResult, SpeechService } from './speechService';
import { checkVoiceParams, formatVoiceParams } from './voiceParams';

export type { RetryPolicy } from './retry';

export interface ClientOptions {
  baseUrl: string;
  credentials: Credentials;
  logger?: Logger;
  /** Per-request timeout (whole answer), default 60 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetchImpl?: FetchImpl;
  random?: () => number;
  /** Clock for token age and Retry-After dates (ms since epoch). */
  now?: () => number;
  /** How to wait between retries (tests pass a recording fake). Must reject with CancelledError on abort. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Texts longer than this (in characters) are refused before any request. Default 10,000. */
  maxTextCharacters?: number;
}

export interface VoiceModel {
  id: string;
  label: string;
}

export const API_PATHS = {
  token: '/api/odin/v3/auth/token',
  auth: '/api/odin/v3/auth',
  models: '/api/odin/v3/model',
  speech: '/api/odin/v3/simple/audio',
} as const;

/** Minted tokens live 24 h; we renew an hour early so a long batch never runs into the expiry. */
export const TOKEN_RENEW_AFTER_MS = 23 * 60 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 60_000;
/** The longest text sent in one request unless the caller says otherwise (the vendor documents no limit). */
export const DEFAULT_MAX_TEXT_CHARACTERS = 10_000;
const MAX_JSON_BYTES = 4 * 1024 * 1024;
const MAX_SERVER_MESSAGE_LENGTH = 300;
const MAX_LABEL_LENGTH = 200;

type JsonObject = Record<string, unknown>;
type Operation = 'mint' | 'auth' | 'models' | 'speech';

interface CallSpec {
  operation: Operation;
  method: 'GET' | 'POST';
  path: string;
  body?: JsonObject;
  /**
   * False when repeating the request may do the work twice (speech costs credits): then only failures that
   * certainly did nothing (429, 503, no connection) are retried on their own.
   */
  idempotent: boolean;
  /** The key that proves the answer is not wrapped in an envelope's data. */
  expectedKey: string;
  /** Extra words for the log line (model, language, characters); never secrets. */
  logDetails?: string;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFilledString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Removes control and format (bidi, zero-width) characters and squeezes whitespace from text the server sent before we show it. */
function cleanServerText(text: string, maxLength: number): string {
  const flat = text
    .replace(/\p{Cf}+/gu, '')
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(flat);
  return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : flat;
}

// No bare "insufficient": "insufficient permissions" is about access, not money.
const QUOTA_WORDS =
  /quota|credit|insufficient[ _-]?(funds|balance)|balance|payment|billing|크레딧|잔액|余额|额度|积分/i;
const AUTH_WORDS =
  /unauthori[sz]ed|unauthenticated|authenticat|forbidden|permission|invalid[ _-]?token|token[ _-]?(expired|invalid)|expired[ _-]?token|api[ _-]?key|인증|권한|认证|令牌|权限/i;
const RATE_WORDS = /rate[ _-]?limit|too many requests|throttl/i;

/** A token goes into a header: printable ASCII without spaces (node-fetch would otherwise throw with the token in its message). */
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;
const MAX_TOKEN_LENGTH = 8192;
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

/** Trims the credentials once (these values alone go into headers, bodies and redaction) and refuses unusable ones. */
function normalizeCredentials(c: Credentials): Credentials {
  if (c.kind === 'token') {
    if (!isFilledString(c.token)) throw new InputError('The AI Studios API key is empty.');
    const token = c.token.trim();
    if (!TOKEN_PATTERN.test(token) || token.length > MAX_TOKEN_LENGTH)
      throw new InputError('The API token contains characters a token cannot have; paste it again.');
    return { kind: 'token', token };
  }
  if (!isFilledString(c.appId) || !isFilledString(c.userKey)) throw new InputError('The AI Studios API key is empty.');
  return { kind: 'appKey', appId: c.appId.trim(), userKey: c.userKey.trim() };
}

/** The system error code a NetworkError carries (its cause is only ever { code }). */
function networkCode(error: NetworkError): string | undefined {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when the failed request certainly did no work on the server, so sending it again cannot pay twice. */
function certainlyNothingDone(error: AiStudiosError): boolean {
  if (error instanceof RateLimitError) return true;
  if (error instanceof ServerError) return error.status === 503;
  if (error instanceof NetworkError) return NOTHING_SENT_CODES.has(networkCode(error) ?? '');
  return false;
}

/** Client for the AI Studios API v3 (speech export, models, token minting). */
export class AiStudiosClient implements SpeechService {
  private readonly baseUrl: string;
  private readonly credentials: Credentials;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: FetchImpl;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly maxTextCharacters: number;
  /** Loopback http download links are accepted only when the API itself is on loopback (the fake server). */
  private readonly loopbackBase: boolean;
  /** Failures of a non-idempotent request after which the server may have done the work: never repeated on our own. */
  private readonly maybeDone = new WeakSet<AiStudiosError>();
  /** Every token we minted, so none of them can leak through a log line or a server message. */
  private readonly mintedTokens = new Set<string>();
  private cachedToken?: { token: string; mintedAt: number };
  private minting?: Promise<string>;

  constructor(options: ClientOptions) {
    this.baseUrl = validateBaseUrl(String(options.baseUrl));
    this.loopbackBase = isLoopbackUrl(new URL(this.baseUrl));
    this.credentials = normalizeCredentials(options.credentials);
    this.logger = createRedactingLogger(options.logger ?? silentLogger, () => this.secrets());
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.policy = resolveRetryPolicy(options.retry);
    this.fetchImpl = options.fetchImpl ?? nodeFetch;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep;
    this.maxTextCharacters = options.maxTextCharacters ?? DEFAULT_MAX_TEXT_CHARACTERS;
  }

  /** GET /api/odin/v3/auth; resolves when the key is valid, AuthError when it is not. */
  async verifyCredentials(signal?: AbortSignal): Promise<void> {
    await this.call(
      { operation: 'auth', method: 'GET', path: API_PATHS.auth, idempotent: true, expectedKey: 'isAuthenticated' },
      signal,
      (p) => {
        if (typeof p.isAuthenticated !== 'boolean')
          throw new ProtocolError('AI Studios sent an answer without a valid isAuthenticated field.');
        if (!p.isAuthenticated) throw new AuthError(this.rejectedKeyMessage('not authenticated'));
      },
    );
  }

  /** GET /api/odin/v3/model: the account's voice models; label is the English name, then the Korean one, then the id. */
  async listModels(signal?: AbortSignal): Promise<VoiceModel[]> {
    return this.call(
      { operation: 'models', method: 'GET', path: API_PATHS.models, idempotent: true, expectedKey: 'models' },
      signal,
      (p) => {
        if (!Array.isArray(p.models)) throw new ProtocolError('AI Studios sent a model list that is not a list.');
        const seen = new Set<string>();
        const models: VoiceModel[] = [];
        for (const item of p.models) {
          if (!isObject(item) || !isFilledString(item.id)) continue;
          const id = cleanServerText(item.id, MAX_LABEL_LENGTH);
          if (id === '' || seen.has(id)) continue;
          seen.add(id);
          models.push({ id, label: this.modelLabel(item.label, id) });
        }
        if (models.length < p.models.length)
          this.logger.debug(`Ignored ${p.models.length - models.length} model entries without a usable id.`);
        return models;
      },
    );
  }

  /** POST /api/odin/v3/simple/audio: asks for speech; the answer is validated (https download link, fileName, metaList). */
  async requestSpeech(request: SpeechRequest, signal?: AbortSignal): Promise<SpeechResult> {
    const { text, voice } = this.validateSpeechRequest(request);
    const characters = Array.from(text).length;
    return this.call(
      {
        operation: 'speech',
        method: 'POST',
        path: API_PATHS.speech,
        body: { ...voice, text },
        idempotent: false,
        expectedKey: 'downloadUrl',
        logDetails: `${formatVoiceParams(voice)} characters=${characters}`,
      },
      signal,
      (p) => this.validateSpeechResult(p),
    );
  }

  /**
   * Downloads a speech result into target. The GET is retried after network errors, timeouts, 5xx and
   * cut-short bodies (the audio is already paid for); an expired link (403/404/410) fails at once.
   */
  async download(result: SpeechResult, target: DownloadTarget, signal?: AbortSignal): Promise<DownloadedFile> {
    return withRetry(
      () =>
        downloadToFile(result.downloadUrl, target, {
          serverFileName: result.fileName,
          signal,
          timeoutMs: this.timeoutMs,
          logger: this.logger,
          fetchImpl: this.fetchImpl,
          allowLoopbackHttp: this.loopbackBase,
        }),
      {
        policy: this.policy,
        signal,
        random: this.random,
        ...(this.sleep ? { sleep: this.sleep } : {}),
        shouldRetry: isRetriableDownloadFailure,
        onRetry: ({ attempt, maxAttempts, delayMs, error }) =>
          this.logger.warn(
            `The audio download failed (${error.message}); retry ${attempt + 1} of ${maxAttempts} in ${delayMs} ms.`,
          ),
      },
    );
  }

  // ---- request machinery -------------------------------------------------------------------

  private secrets(): string[] {
    return [...secretsOf(this.credentials), ...this.mintedTokens];
  }

  /** Retries (429/5xx/network/timeout, fewer for speech) around one authenticated call whose payload `accept` validates. */
  private async call<T>(
    spec: CallSpec,
    signal: AbortSignal | undefined,
    accept: (payload: JsonObject) => T,
  ): Promise<T> {
    try {
      return await withRetry(() => this.authenticatedCall(spec, signal, accept), {
        policy: this.policy,
        signal,
        random: this.random,
        ...(this.sleep ? { sleep: this.sleep } : {}),
        shouldRetry: (error) => isRetriable(error) && !this.maybeDone.has(error),
        onRetry: ({ attempt, maxAttempts, delayMs, error }) =>
          this.logger.warn(
            `${spec.method} ${spec.path} failed (${error.message}); retry ${attempt + 1} of ${maxAttempts} in ${delayMs} ms.`,
          ),
      });
    } catch (error) {
      if (isAiStudiosError(error) && !(error instanceof CancelledError))
        this.logger.error(`${spec.method} ${spec.path}: ${error.message}`);
      throw error;
    }
  }

  /** With minted tokens, a rejected token is renewed once and the call repeated; a pasted token's rejection is final. */
  private async authenticatedCall<T>(
    spec: CallSpec,
    signal: AbortSignal | undefined,
    accept: (payload: JsonObject) => T,
  ): Promise<T> {
    const token = await this.currentToken(signal);
    try {
      return accept(await this.send(spec, token, signal));
    } catch (error) {
      if (!(error instanceof AuthError) || this.credentials.kind !== 'appKey') throw error;
      this.logger.info('AI Studios rejected the minted token; minting a new one and trying once more.');
      const renewed = await this.renewToken(token, signal);
      return accept(await this.send(spec, renewed, signal));
    }
  }

  private async currentToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.credentials.kind === 'token') return this.credentials.token;
    const cached = this.cachedToken;
    if (cached) {
      const age = this.now() - cached.mintedAt;
      if (age >= 0 && age < TOKEN_RENEW_AFTER_MS) return cached.token;
      this.logger.info('The minted AI Studios token is about to expire; minting a new one.');
    }
    return this.renewToken(cached?.token, signal);
  }

  /** Mints a new token unless another call already replaced `stale`; concurrent callers share one mint. */
  private async renewToken(stale: string | undefined, signal: AbortSignal | undefined): Promise<string> {
    const cached = this.cachedToken;
    if (cached && cached.token !== stale && this.now() - cached.mintedAt < TOKEN_RENEW_AFTER_MS) return cached.token;
    if (!this.minting) {
      this.cachedToken = undefined;
      // The shared mint does not follow one caller's signal; each caller stops waiting on its own cancel.
      this.minting = this.mint().finally(() => {
        this.minting = undefined;
      });
      this.minting.catch(() => undefined);
    }
    return raceWithSignal(this.minting, signal);
  }

  private async mint(): Promise<string> {
    if (this.credentials.kind !== 'appKey')
      throw new AuthError('A pasted API token cannot be renewed; set a new API key.');
    const { appId, userKey } = this.credentials;
    const payload = await this.send(
      // Minting twice only makes a second token: safe to repeat.
      {
        operation: 'mint',
        method: 'POST',
        path: API_PATHS.token,
        body: { appId, userKey },
        idempotent: true,
        expectedKey: 'token',
      },
      undefined,
      undefined,
    );
    const token = payload.token;
    if (!isFilledString(token) || !TOKEN_PATTERN.test(token) || token.length > MAX_TOKEN_LENGTH) {
      throw new ProtocolError('AI Studios sent an answer without a valid token.');
    }
    this.mintedTokens.add(token);
    this.cachedToken = { token, mintedAt: this.now() };
    this.logger.info('Minted a new AI Studios token from the App ID and User Key.');
    return token;
  }

  /** One HTTP exchange; for a non-idempotent call, a failure after which the work may have been done is marked and says so. */
  private async send(spec: CallSpec, token: string | undefined, signal: AbortSignal | undefined): Promise<JsonObject> {
    try {
      return await this.exchange(spec, token, signal);
    } catch (error) {
      throw this.markMaybeDone(spec, error);
    }
  }

  private markMaybeDone(spec: CallSpec, error: unknown): unknown {
    if (spec.idempotent || !isRetriable(error) || certainlyNothingDone(error)) return error;
    let marked: AiStudiosError;
    if (error instanceof TimeoutError) {
      marked = new TimeoutError(
        `AI Studios did not answer within ${formatDuration(this.timeoutMs)}. ${MAY_HAVE_BEEN_MADE}`,
      );
    } else if (error instanceof NetworkError) {
      const code = networkCode(error);
      marked = new NetworkError(
        `The connection to AI Studios broke after the request was sent${code ? ` (${code})` : ''}. ${MAY_HAVE_BEEN_MADE}`,
        code ? { cause: { code } } : {},
      );
    } else if (error instanceof ServerError) {
      const sentence = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
      marked = new ServerError(`${sentence} ${MAY_HAVE_BEEN_MADE}`, {
        ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.serverMessage !== undefined ? { serverMessage: error.serverMessage } : {}),
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      });
    } else {
      return error;
    }
    this.maybeDone.add(marked);
    return marked;
  }

  /** One HTTP exchange: timeout, error mapping, envelope unwrapping. Returns the payload object. */
  private async exchange(
    spec: CallSpec,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<JsonObject> {
    const scope = createAttemptScope(signal, this.timeoutMs);
    const started = Date.now();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (spec.body) headers['Content-Type'] = 'application/json';
    if (token !== undefined) headers.Authorization = token;
    const details = spec.logDetails ? ` ${spec.logDetails}` : '';
    let status: number;
    let responseHeaders: { get(name: string): string | null };
    let text: string;
    try {
      const response = await this.fetchImpl(`${this.baseUrl}${spec.path}`, {
        method: spec.method,
        headers,
        ...(spec.body ? { body: JSON.stringify(spec.body) } : {}),
        redirect: 'manual',
        size: MAX_JSON_BYTES,
        signal: scope.signal,
      });
      status = response.status;
      responseHeaders = response.headers;
      text = await response.text();
    } catch (error) {
      const mapped = this.transportError(error, scope.cancelled(), scope.timedOut());
      this.logger.info(
        `${spec.method} ${spec.path}${details} → no answer (${mapped.kind}) in ${Date.now() - started} ms`,
      );
      throw mapped;
    } finally {
      scope.dispose();
    }
    this.logger.info(`${spec.method} ${spec.path}${details} → ${status} in ${Date.now() - started} ms`);
    return this.interpret(spec, status, responseHeaders, text);
  }

  private transportError(error: unknown, cancelled: boolean, timedOut: boolean): AiStudiosError {
    if (cancelled) return new CancelledError();
    if (timedOut) return new TimeoutError(`AI Studios did not answer within ${formatDuration(this.timeoutMs)}.`);
    if (isAiStudiosError(error)) return error;
    const e = error as { type?: string; code?: string } | undefined;
    if (e?.type === 'max-size') return new ProtocolError('AI Studios sent an answer that is far too large.');
    const host = new URL(this.baseUrl).host;
    const code = typeof e?.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : undefined;
    // Never the raw error as cause: node-fetch puts header values (the key) into its messages.
    return new NetworkError(
      `Could not reach AI Studios at ${host}${code ? ` (${code})` : ''}.`,
      code ? { cause: { code } } : {},
    );
  }

  /** Turns an HTTP answer into the payload object, or into the typed error it stands for. */
  private interpret(
    spec: CallSpec,
    status: number,
    headers: { get(name: string): string | null },
    text: string,
  ): JsonObject {
    const body = parseJson(text);
    if (status < 200 || status >= 300) throw this.statusError(spec, status, headers, body, text);
    if (body === undefined)
      throw new ProtocolError(`AI Studios sent an answer that is not JSON (HTTP ${status}).`, { status });
    if (!isObject(body))
      throw new ProtocolError(`AI Studios sent an answer of an unexpected shape (HTTP ${status}).`, { status });
    if ('success' in body) {
      if (body.success === false) throw this.envelopeError(spec, body);
      if (body.success !== true)
        throw new ProtocolError('AI Studios sent an answer with an invalid success flag.', { status });
      if (isObject(body.data)) return body.data;
      if (spec.expectedKey in body) return body;
      throw new ProtocolError('AI Studios sent a successful answer without data.', { status });
    }
    if (!(spec.expectedKey in body) && isObject(body.data)) return body.data;
    return body;
  }

  private serverMessage(body: unknown, rawText: string): string | undefined {
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
    const cleaned = cleanServerText(redactSecrets(message, this.secrets()), MAX_SERVER_MESSAGE_LENGTH);
    return cleaned === '' ? undefined : cleaned;
  }

  private errorCode(body: unknown): string | undefined {
    if (!isObject(body) || !isObject(body.error)) return undefined;
    const code = body.error.code;
    return typeof code === 'number' || typeof code === 'string'
      ? cleanServerText(redactSecrets(String(code), this.secrets()), 60)
      : undefined;
  }

  private rejectedKeyMessage(why: string, status?: number): string {
    const suffix = status !== undefined ? ` (HTTP ${status})` : ` (${why})`;
    if (this.credentials.kind === 'token') return `AI Studios rejected the API key${suffix}.`;
    return `AI Studios rejected the token minted from your App ID and User Key${suffix}.`;
  }

  private statusError(
    spec: CallSpec,
    status: number,
    headers: { get(name: string): string | null },
    body: unknown,
    rawText: string,
  ): AiStudiosError {
    const serverMessage = this.serverMessage(body, rawText);
    const code = this.errorCode(body);
    const details = { status, ...(serverMessage !== undefined ? { serverMessage } : {}) };
    const says = serverMessage !== undefined ? `AI Studios says: ${serverMessage} (HTTP ${status})` : undefined;
    const quotaLike = QUOTA_WORDS.test(`${serverMessage ?? ''} ${code ?? ''}`);
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), this.now());
    const withRetryAfter = retryAfterMs !== undefined ? { retryAfterMs } : {};

    if (status >= 300 && status < 400)
      return new ProtocolError(`AI Studios answered with an unexpected redirect (HTTP ${status}).`, details);
    // 401/403 first: a key without access is an AuthError whatever words the server chose.
    if (status === 401 || status === 403) {
      if (spec.operation === 'mint')
        return new AuthError(`AI Studios rejected the App ID or User Key (HTTP ${status}).`, details);
      return new AuthError(this.rejectedKeyMessage('', status), details);
    }
    if (status === 402 || (quotaLike && status >= 400 && status < 500 && status !== 429)) {
      return new QuotaError(says ?? `Your AI Studios account has no credits left (HTTP ${status}).`, details);
    }
    if (status === 429) {
      return new RateLimitError(
        says ?? 'AI Studios is receiving too many requests (HTTP 429); try again in a moment.',
        { ...details, ...withRetryAfter },
      );
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
  private envelopeError(spec: CallSpec, body: JsonObject): AiStudiosError {
    const serverMessage = this.serverMessage(body, '');
    const code = this.errorCode(body);
    if (code !== undefined && /^[45]\d\d$/.test(code)) {
      const error = this.statusError(spec, Number(code), { get: () => null }, body, '');
      if (!(error instanceof ProtocolError)) return error;
    }
    const details = serverMessage !== undefined ? { serverMessage } : {};
    const words = `${serverMessage ?? ''} ${code ?? ''}`;
    const says =
      serverMessage !== undefined
        ? `AI Studios says: ${serverMessage}`
        : `AI Studios reported a failure${code ? ` (code ${code})` : ''}.`;
    if (QUOTA_WORDS.test(words)) return new QuotaError(says, details);
    if (spec.operation === 'mint' && AUTH_WORDS.test(words))
      return new AuthError(
        `AI Studios rejected the App ID or User Key: ${serverMessage ?? code ?? 'no reason given'}.`,
        details,
      );
    if (AUTH_WORDS.test(words)) return new AuthError(says, details);
    if (RATE_WORDS.test(words)) return new RateLimitError(says, details);
    return new BadRequestError(says, details);
  }

  // ---- validation ----------------------------------------------------------------------------

  private validateSpeechRequest(request: SpeechRequest): SpeechRequest {
    const { text, voice } = request ?? ({} as SpeechRequest);
    if (typeof text !== 'string' || text.trim() === '') throw new InputError('There is no text to speak.');
    const characters = Array.from(text).length;
    if (characters > this.maxTextCharacters) {
      throw new InputError(
        `The text has ${characters} characters, more than the ${this.maxTextCharacters} allowed in one request.`,
      );
    }
    return { text, voice: checkVoiceParams(voice) };
  }

  private validateSpeechResult(p: JsonObject): SpeechResult {
    if (!isFilledString(p.fileName) || p.fileName.length > 1024)
      throw new ProtocolError('AI Studios sent an answer without a valid fileName.');
    if (!isFilledString(p.downloadUrl) || p.downloadUrl.length > 8192)
      throw new ProtocolError('AI Studios sent an answer without a valid downloadUrl.');
    let downloadUrl: URL;
    try {
      downloadUrl = new URL(p.downloadUrl.trim());
    } catch {
      throw new ProtocolError('AI Studios sent a downloadUrl that is not an absolute address.');
    }
    if (!isAllowedRemoteUrl(downloadUrl, { allowLoopbackHttp: this.loopbackBase })) {
      throw new ProtocolError('AI Studios sent a download link that is not a safe https: address.');
    }
    // metaList is undocumented and unused by us: tolerate its absence, but not a wrong type.
    if (p.metaList !== undefined && !Array.isArray(p.metaList))
      throw new ProtocolError('AI Studios sent a metaList that is not a list.');
    return { fileName: p.fileName, downloadUrl, metaList: Array.isArray(p.metaList) ? [...p.metaList] : [] };
  }

  private modelLabel(label: unknown, id: string): string {
    const candidates = isObject(label) ? [label.en, label.ko] : [label];
    for (const candidate of candidates) {
      if (isFilledString(candidate)) {
        const cleaned = cleanServerText(candidate, MAX_LABEL_LENGTH);
        if (cleaned !== '') return cleaned;
      }
    }
    return id;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Waits for promise, but rejects with CancelledError as soon as signal aborts. */
function raceWithSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
