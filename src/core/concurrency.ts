import { CancelledError } from './errors';

/** The limit passed to mapWithConcurrency is not a positive whole number (or Infinity). */
export class InvalidConcurrencyLimitError extends RangeError {
  override readonly name = 'InvalidConcurrencyLimitError';
  constructor(readonly limit: number) {
    super(`Concurrency limit must be a whole number of at least 1, got ${String(limit)}.`);
  }
}

/**
 * Runs fn over items with at most `limit` in flight; results in input order. On the first failure no new task
 * starts, the running ones finish, then the call rejects with that failure. When the caller's signal aborts, every
 * running task is aborted (through the signal passed to fn) and the call rejects with CancelledError.
 *
 * Either way the call settles only once every started task has settled, so the caller may clean up what the tasks
 * write to (a run folder) without racing them. The price: a task must honour its signal, or it delays the Cancel.
 * A failure does not abort the others because a task may be a paid request already sent: letting it finish keeps
 * its result (e.g. in a cache) for the retry.
 */
export function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  if (!(Number.isInteger(limit) && limit >= 1) && limit !== Infinity) {
    return Promise.reject(new InvalidConcurrencyLimitError(limit));
  }
  if (signal?.aborted) return Promise.reject(cancelledBy(signal));
  if (items.length === 0) return Promise.resolve([]);

  return new Promise<R[]>((resolve, reject) => {
    const controller = new AbortController();
    const results = new Array<R>(items.length);
    let nextIndex = 0;
    let running = 0;
    let completed = 0;
    // Why the run stops: the first task failure, or the caller's cancel. Set once; later failures are absorbed.
    let stopReason: { error: unknown } | undefined;

    const onExternalAbort = (): void => {
      // Abort even after a task failure: the user's Cancel must not wait for the running requests to finish.
      controller.abort(signal?.reason);
      stopReason ??= { error: cancelledBy(signal) };
      finishIfIdle();
    };
    signal?.addEventListener('abort', onExternalAbort, { once: true });

    function finishIfIdle(): void {
      if (running > 0) return;
      // Detach from the caller's signal so a long-lived signal does not keep this call's closures alive.
      signal?.removeEventListener('abort', onExternalAbort);
      if (stopReason) reject(stopReason.error);
      else resolve(results);
    }

    function launchWhileRoom(): void {
      while (!stopReason && running < limit && nextIndex < items.length) {
        const index = nextIndex++;
        running++;
        start(index);
      }
    }

    function start(index: number): void {
      let task: Promise<R>;
      try {
        task = Promise.resolve(fn(items[index], index, controller.signal));
      } catch (error) {
        // A synchronous throw is a failure like any other.
        task = Promise.reject(error);
      }
      task.then(
        (value) => {
          running--;
          results[index] = value;
          completed++;
          if (completed < items.length) launchWhileRoom();
          finishIfIdle();
        },
        (error: unknown) => {
          running--;
          stopReason ??= { error };
          finishIfIdle();
        },
      );
    }

    launchWhileRoom();
  });
}

function cancelledBy(signal: AbortSignal | undefined): CancelledError {
  return new CancelledError(undefined, { cause: signal?.reason });
}
