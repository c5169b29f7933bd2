/** The limit passed to mapWithConcurrency is not a positive whole number (or Infinity). */
export class InvalidConcurrencyLimitError extends RangeError {
  override readonly name = 'InvalidConcurrencyLimitError';
  constructor(readonly limit: number) {
    super(`Concurrency limit must be a whole number of at least 1, got ${String(limit)}.`);
  }
}

/**
 * Runs fn over items with at most `limit` in flight; results in input order; the first failure aborts the rest
 * (through the AbortSignal passed to fn) and rejects with that failure; an external signal cancels everything at once.
 *
 * Rejection is immediate: it does not wait for tasks already in flight, because a task that ignores its signal
 * must not hold the user's Cancel hostage. Each task therefore cleans up after itself when its signal fires.
 * The signal handed to fn carries the first failure (or the external abort reason) as its `reason`.
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
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (items.length === 0) return Promise.resolve([]);

  return new Promise<R[]>((resolve, reject) => {
    const controller = new AbortController();
    const results = new Array<R>(items.length);
    let nextIndex = 0;
    let running = 0;
    let completed = 0;
    let settled = false;

    const onExternalAbort = (): void => fail(signal?.reason);
    signal?.addEventListener('abort', onExternalAbort, { once: true });

    // Detach from the caller's signal so a long-lived signal does not keep this call's closures alive.
    const settle = (): void => {
      settled = true;
      signal?.removeEventListener('abort', onExternalAbort);
    };

    function fail(error: unknown): void {
      if (settled) return;
      settle();
      controller.abort(error);
      reject(error);
    }

    function launchWhileRoom(): void {
      while (!settled && running < limit && nextIndex < items.length) {
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
          if (settled) return;
          results[index] = value;
          completed++;
          if (completed === items.length) {
            settle();
            resolve(results);
          } else {
            launchWhileRoom();
          }
        },
        (error: unknown) => {
          running--;
          fail(error);
        },
      );
    }

    launchWhileRoom();
  });
}
