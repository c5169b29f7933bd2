// Retries with exponential backoff and jitter for failures that may pass (429, 5xx, network, timeout),
// honoring Retry-After, with a cap on attempts and on the total time spent waiting.

import { sleep as abortableSleep, throwIfCancelled } from '../abort';
import { AiStudiosError, isAiStudiosError, type ErrorKind } from '../errors';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 20_000,
  maxTotalWaitMs: 60_000,
};

/** What withRetry reports before each wait. */
export interface RetryNotice {
  /** The attempt that failed (1-based). */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  error: AiStudiosError;
}

export interface RetryOptions {
  policy: RetryPolicy;
  signal?: AbortSignal;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (notice: RetryNotice) => void;
  /** Which failures are worth another attempt; default isRetriable (429, 5xx, network, timeout). */
  shouldRetry?: (error: AiStudiosError) => boolean;
}

/** How a failure that withRetry gave up on came about: every attempt made, and the real time they took. */
export interface RetryHistory {
  attempts: number;
  /** From the start of the first attempt to the final failure, waits included (ms). */
  elapsedMs: number;
}

const histories = new WeakMap<object, RetryHistory>();

/** The attempts behind an error thrown by withRetry (undefined for any other error), for the final message. */
export function retryHistoryOf(error: unknown): RetryHistory | undefined {
  return typeof error === 'object' && error !== null ? histories.get(error) : undefined;
}

const RETRIED_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['rateLimit', 'server', 'network', 'timeout']);
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** Fills the missing fields of a partial policy with the defaults, clamped to sane values. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY, ...partial };
  const nonNegative = (n: number, fallback: number): number => (Number.isFinite(n) && n >= 0 ? n : fallback);
  return {
    maxAttempts: Math.max(1, Math.floor(nonNegative(p.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts))),
    baseDelayMs: nonNegative(p.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs),
    maxDelayMs: nonNegative(p.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs),
    maxTotalWaitMs: nonNegative(p.maxTotalWaitMs, DEFAULT_RETRY_POLICY.maxTotalWaitMs),
  };
}

/** True when the error is one the client retries on its own (429, 5xx, network, timeout). */
export function isRetriable(error: unknown): error is AiStudiosError {
  return isAiStudiosError(error) && error.retryable && RETRIED_KINDS.has(error.kind);
}

/** Backoff before the retry that follows `attempt` (1-based): exponential, capped, "equal jitter" (half fixed, half random). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exponential / 2 + (exponential / 2) * r);
}

/** Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from now; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(MAX_RETRY_AFTER_MS, Math.round(Number(text) * 1000));
  // HTTP dates all start with a day name ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone accepts "-3".
  const date = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - nowMs));
}

function retryAfterOf(error: AiStudiosError): number | undefined {
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Runs operation(attempt) until it succeeds, fails with an error that is not retried, or the policy is
 * exhausted (then the last error is thrown, its attempts and real duration kept for retryHistoryOf).
 * Aborting the signal rejects with CancelledError at once, also mid-wait.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal } = options;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? abortableSleep;
  const shouldRetry = options.shouldRetry ?? isRetriable;
  const started = Date.now();
  const giveUp = (error: unknown, attempts: number): unknown => {
    if (typeof error === 'object' && error !== null && !histories.has(error))
      histories.set(error, { attempts, elapsedMs: Date.now() - started });
    return error;
  };
  let waitedMs = 0;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(signal);
    try {
      return await operation(attempt);
    } catch (error) {
      throwIfCancelled(signal);
      if (!isAiStudiosError(error) || !shouldRetry(error) || attempt >= policy.maxAttempts)
        throw giveUp(error, attempt);
      const remaining = policy.maxTotalWaitMs - waitedMs;
      const retryAfter = retryAfterOf(error);
      // The server's Retry-After is a floor we must respect; if it does not fit our budget, give up now.
      if (retryAfter !== undefined && retryAfter > remaining) throw giveUp(error, attempt);
      const delayMs = Math.min(Math.max(backoffDelayMs(attempt, policy, random), retryAfter ?? 0), remaining);
      if (delayMs <= 0 && remaining <= 0) throw giveUp(error, attempt);
      options.onRetry?.({ attempt, maxAttempts: policy.maxAttempts, delayMs, error });
      await wait(delayMs, signal);
      throwIfCancelled(signal);
      waitedMs += delayMs;
    }
  }
}
