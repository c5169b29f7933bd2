// Cancellation and timeouts share one mechanism: an AbortController per attempt, aborted either by the
// caller's signal (-> CancelledError) or by our timer (-> TimeoutError). Knowing which one fired is the point.

import { CancelledError } from './errors';

/** Throws CancelledError when the signal is already aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Waits ms milliseconds; rejects with CancelledError at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for promise, but rejects with CancelledError as soon as signal aborts (the promise itself goes on). */
export function raceWithSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
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

/** One attempt's abort scope: follows the caller's signal and fires on its own after a timeout. */
export interface AttemptScope {
  readonly signal: AbortSignal;
  /** True when our timer fired (and not the caller). */
  timedOut(): boolean;
  /** True when the caller aborted. */
  cancelled(): boolean;
  /** Restarts the timer (an idle timeout: call it whenever data arrives). */
  touch(): void;
  /** Stops the timer for good; the caller's signal still aborts. */
  stopTimer(): void;
  /** Stops the timer and detaches from the caller's signal. */
  dispose(): void;
}

/** Creates an AttemptScope; timeoutMs <= 0 or undefined means no timeout. */
export function createAttemptScope(parent: AbortSignal | undefined, timeoutMs: number | undefined): AttemptScope {
  const controller = new AbortController();
  let didTimeOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    if (timeoutMs === undefined || timeoutMs <= 0 || controller.signal.aborted) return;
    timer = setTimeout(() => {
      didTimeOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const onParentAbort = (): void => controller.abort();
  if (parent?.aborted) controller.abort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  arm();
  return {
    signal: controller.signal,
    timedOut: () => didTimeOut && !parent?.aborted,
    cancelled: () => parent?.aborted === true,
    touch: arm,
    stopTimer: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      timeoutMs = undefined;
    },
    dispose: () => {
      if (timer) clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/** "250 ms", "3 s", "2 min": for messages about timeouts. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
