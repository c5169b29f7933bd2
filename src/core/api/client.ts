// The AI Studios HTTP client: one place that knows the endpoints, token minting and renewal, timeouts and
// retries. What an answer means lives in answers.ts, what is acceptable in validation.ts, the download in
// downloadRetry.ts and download.ts. Every field of every answer is treated as untrusted.

import nodeFetch from 'node-fetch';
import { createAttemptScope, raceWithSignal } from '../abort';
import { type Credentials, secretsOf } from './credentials';
import type { DownloadedFile, DownloadTarget, FetchImpl } from './download';
import { DEFAULT_DOWNLOAD_ATTEMPTS, downloadWithRetry, type RetryAnnouncement } from './downloadRetry';
import { AiStudiosError, AuthError, CancelledError, isAiStudiosError, ProtocolError } from '../errors';
import { maybeDoneFailure, transportFailure } from './requestFailures';
import { createRedactingLogger, silentLogger, type Logger } from '../logger';
import { isLoopbackUrl, validateBaseUrl } from './host';
import { interpretAnswer, rejectedKeyMessage, type AnswerContext, type AnswerSpec } from './answers';
import type { JsonObject } from './jsonAnswer';
import { isRetriable, resolveRetryPolicy, withRetry, type RetryPolicy } from './retry';
import type { SpeechRequest, SpeechResult, SpeechService } from './speechService';
import {
  isUsableToken,
  normalizeCredentials,
  parseModelList,
  validateSpeechRequest,
  validateSpeechResult,
  type VoiceModel,
} from './validation';
import { formatVoiceParams } from './voiceParams';

export type { RetryPolicy } from './retry';
export type { VoiceModel } from './validation';
export type { RetryAnnouncement } from './downloadRetry';
export { describeRetry, DEFAULT_DOWNLOAD_ATTEMPTS } from './downloadRetry';
export { retryHistoryOf, type RetryHistory } from './retry';

export interface ClientOptions {
  baseUrl: string;
  credentials: Credentials;
  logger?: Logger;
  /** Per-request timeout (whole answer), and the idle timeout of a download (no byte for this long), in ms. Default 60 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * GETs per audio download in all, the first included. Default: retry.maxAttempts when a retry policy sets it,
   * else 2 (one retry), so a download that stalls costs at most two idle timeouts.
   */
  downloadAttempts?: number;
  /** Told before every retry (of a request or a download), with the reason as a sentence: for the user to see. */
  onRetry?: (notice: RetryAnnouncement) => void;
  fetchImpl?: FetchImpl;
  random?: () => number;
  /** Clock for token age and Retry-After dates (ms since epoch). */
  now?: () => number;
  /** How to wait between retries (tests pass a recording fake). Must reject with CancelledError on abort. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Texts longer than this (in characters) are refused before any request. Default 10,000. */
  maxTextCharacters?: number;
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

interface CallSpec extends AnswerSpec {
  method: 'GET' | 'POST';
  body?: JsonObject;
  /**
   * False when repeating the request may do the work twice (speech costs credits): then only failures that
   * certainly did nothing (429, 503, no connection) are retried on their own.
   */
  idempotent: boolean;
  /** Extra words for the log line (model, language, characters); never secrets. */
  logDetails?: string;
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
  private readonly downloadAttempts: number;
  private readonly onRetry?: (notice: RetryAnnouncement) => void;
  /** Loopback http download links are accepted only when the API itself is on loopback (the fake server). */
  private readonly loopbackBase: boolean;
  private readonly answerContext: AnswerContext;
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
    this.downloadAttempts = options.downloadAttempts ?? options.retry?.maxAttempts ?? DEFAULT_DOWNLOAD_ATTEMPTS;
    this.onRetry = options.onRetry;
    this.answerContext = { secrets: () => this.secrets(), credentialsKind: this.credentials.kind, now: this.now };
  }

  /** GET /api/odin/v3/auth; resolves when the key is valid, AuthError when it is not. */
  async verifyCredentials(signal?: AbortSignal): Promise<void> {
    await this.call(
      { operation: 'auth', method: 'GET', path: API_PATHS.auth, idempotent: true, expectedKey: 'isAuthenticated' },
      signal,
      (p) => {
        if (typeof p.isAuthenticated !== 'boolean')
          throw new ProtocolError('AI Studios sent an answer without a valid isAuthenticated field.');
        if (!p.isAuthenticated) throw new AuthError(rejectedKeyMessage(this.answerContext, 'not authenticated'));
      },
    );
  }

  /** GET /api/odin/v3/model: the account's voice models; label is the English name, then the Korean one, then the id. */
  async listModels(signal?: AbortSignal): Promise<VoiceModel[]> {
    return this.call(
      { operation: 'models', method: 'GET', path: API_PATHS.models, idempotent: true, expectedKey: 'models' },
      signal,
      (p) => parseModelList(p, this.logger),
    );
  }

  /** POST /api/odin/v3/simple/audio: asks for speech; the answer is validated (https download link, fileName, metaList). */
  async requestSpeech(request: SpeechRequest, signal?: AbortSignal): Promise<SpeechResult> {
    const { text, voice } = validateSpeechRequest(request, this.maxTextCharacters);
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
      (p) => validateSpeechResult(p, { origin: new URL(this.baseUrl).origin, allowLoopbackHttp: this.loopbackBase }),
    );
  }

  /**
   * Downloads a speech result into target. The GET is retried after network errors, timeouts, 5xx and cut-short
   * bodies (the audio is already paid for), `downloadAttempts` GETs at most; an expired link (403/404/410) fails at
   * once. Each retry is announced through onRetry; retryHistoryOf(error) tells what a final failure cost.
   */
  async download(result: SpeechResult, target: DownloadTarget, signal?: AbortSignal): Promise<DownloadedFile> {
    return downloadWithRetry(result.downloadUrl, result.fileName, target, {
      attempts: this.downloadAttempts,
      policy: this.policy,
      timeoutMs: this.timeoutMs,
      logger: this.logger,
      fetchImpl: this.fetchImpl,
      allowLoopbackHttp: this.loopbackBase,
      signal,
      random: this.random,
      ...(this.sleep ? { sleep: this.sleep } : {}),
      ...(this.onRetry ? { onRetry: this.onRetry } : {}),
    });
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
        onRetry: ({ attempt, maxAttempts, delayMs, error }) => {
          this.logger.warn(
            `${spec.method} ${spec.path} failed (${error.message}); retry ${attempt + 1} of ${maxAttempts} in ${delayMs} ms.`,
          );
          this.onRetry?.({ what: 'request', reason: error.message, nextAttempt: attempt + 1, maxAttempts, delayMs });
        },
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
    if (!isUsableToken(token)) {
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
    if (spec.idempotent || !isRetriable(error)) return error;
    const marked = maybeDoneFailure(error, this.timeoutMs);
    if (!marked) return error;
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
    // keep-alive: without an agent, node-fetch would ask for `Connection: close`, and every request (the 10 to 40 of a
    // script, in parallel) would pay a new TCP and TLS handshake; Node's own agent (or VS Code's proxy) reuses them.
    const headers: Record<string, string> = { Accept: 'application/json', Connection: 'keep-alive' };
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
      const mapped = transportFailure(error, {
        cancelled: scope.cancelled(),
        timedOut: scope.timedOut(),
        timeoutMs: this.timeoutMs,
        host: new URL(this.baseUrl).host,
      });
      this.logger.info(
        `${spec.method} ${spec.path}${details} → no answer (${mapped.kind}) in ${Date.now() - started} ms`,
      );
      throw mapped;
    } finally {
      scope.dispose();
    }
    this.logger.info(`${spec.method} ${spec.path}${details} → ${status} in ${Date.now() - started} ms`);
    return interpretAnswer(spec, this.answerContext, status, responseHeaders, text);
  }
}
