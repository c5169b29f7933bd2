// One audio download as the user lives it: a few GETs at most, each bounded by the idle timeout, with a word
// before every retry (what went wrong, when the next try comes), so a stalled server costs a known, short time.

import { formatDuration } from '../abort';
import {
  downloadToFile,
  isRetriableDownloadFailure,
  type DownloadedFile,
  type DownloadTarget,
  type FetchImpl,
} from './download';
import { discardTempFile } from '../files/nodeFileSystem';
import type { Logger } from '../logger';
import { withRetry, type RetryPolicy } from './retry';

/** Attempts per download (the first GET included) unless the caller says otherwise: one retry. */
export const DEFAULT_DOWNLOAD_ATTEMPTS = 2;

/** Said before a retry, for the user (the CLI's stderr, the extension's log): `reason` is a full sentence. */
export interface RetryAnnouncement {
  /** 'download' for the audio file, 'request' for a call to the API. */
  what: 'download' | 'request';
  /** Why the last attempt failed: the error's message. */
  reason: string;
  /** The attempt about to start (2 for the first retry) and the most there will be. */
  nextAttempt: number;
  maxAttempts: number;
  /** The wait before it (ms). */
  delayMs: number;
}

/** "Trying again in 2 s (attempt 2 of 2)." */
export function describeRetry(notice: RetryAnnouncement): string {
  return `${notice.reason} Trying again in ${formatDuration(notice.delayMs)} (attempt ${notice.nextAttempt} of ${notice.maxAttempts}).`;
}

export interface DownloadRetryOptions {
  /** GETs in all, the first included (≥ 1). */
  attempts: number;
  /** Backoff between the GETs; its maxAttempts is replaced by `attempts`. */
  policy: RetryPolicy;
  /** Idle timeout of each GET (ms): it fails when no byte arrives for this long. */
  timeoutMs: number;
  logger: Logger;
  fetchImpl: FetchImpl;
  allowLoopbackHttp: boolean;
  signal?: AbortSignal;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (notice: RetryAnnouncement) => void;
}

/**
 * Downloads `url` into `target` (see downloadToFile), trying again after network errors, timeouts, 5xx and bodies
 * cut short, at most `attempts` GETs in all; an expired link (403/404/410) or anything that is not audio fails at
 * once. The whole operation thus lasts at most attempts × timeoutMs of silence plus the backoff. The error thrown
 * after the last attempt is the last attempt's; retryHistoryOf(error) tells how many were made and how long they took.
 */
export async function downloadWithRetry(
  url: URL,
  serverFileName: string,
  target: DownloadTarget,
  options: DownloadRetryOptions,
): Promise<DownloadedFile> {
  const attempts = Math.max(1, Math.floor(options.attempts));
  // The caller's part file goes to the first attempt; each retry makes its own.
  let part = target.part;
  const attempt = (): Promise<DownloadedFile> => {
    const attemptTarget = { ...target, part };
    part = undefined;
    return downloadToFile(url, attemptTarget, {
      serverFileName,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      logger: options.logger,
      fetchImpl: options.fetchImpl,
      allowLoopbackHttp: options.allowLoopbackHttp,
    });
  };
  try {
    return await withRetry(attempt, {
      policy: { ...options.policy, maxAttempts: attempts },
      signal: options.signal,
      ...(options.random ? { random: options.random } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      shouldRetry: isRetriableDownloadFailure,
      onRetry: ({ attempt, maxAttempts, delayMs, error }) => {
        options.logger.warn(
          `The audio download failed (${error.message}); retry ${attempt + 1} of ${maxAttempts} in ${delayMs} ms.`,
        );
        options.onRetry?.({
          what: 'download',
          reason: error.message,
          nextAttempt: attempt + 1,
          maxAttempts,
          delayMs,
        });
      },
    });
  } finally {
    // Cancelled before the first attempt: the part file was never handed on.
    if (part) await discardTempFile(part);
  }
}
