import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { InvalidConcurrencyLimitError, mapWithConcurrency } from '../../src/core/concurrency';
import { CancelledError } from '../../src/core/errors';

/** A promise settled from outside, so tests decide the order of events instead of timers. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves when the signal aborts (never otherwise): a task that cooperates with cancellation. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );
}

async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await nextTurn();
}

describe('mapWithConcurrency', () => {
  it('returns results in input order even when tasks finish out of order', async () => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    // Later items finish first: item i waits (12 - i) turns of the event loop.
    const results = await mapWithConcurrency(items, 4, async (item, index) => {
      await turns(12 - item);
      return `${item}@${index}`;
    });
    assert.deepEqual(
      results,
      items.map((i) => `${i}@${i}`),
    );
  });

  it('never has more than `limit` tasks in flight, and does use the whole limit', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const items = Array.from({ length: 25 }, (_, i) => i);
    await mapWithConcurrency(items, 3, async (item) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await turns(1 + ((item * 7) % 5));
      inFlight--;
      return item;
    });
    assert.equal(maxInFlight, 3);
    assert.equal(inFlight, 0);
  });

  it('calls fn once per item with its index', async () => {
    const seen: Array<[string, number]> = [];
    await mapWithConcurrency(['a', 'b', 'c', 'd'], 2, async (item, index) => {
      seen.push([item, index]);
      await nextTurn();
    });
    assert.deepEqual(
      seen.sort((x, y) => x[1] - y[1]),
      [
        ['a', 0],
        ['b', 1],
        ['c', 2],
        ['d', 3],
      ],
    );
  });

  it('on a failure starts no new task, lets the running ones finish (not aborted), then rejects with the first failure', async () => {
    const failure = new Error('chunk 1 failed');
    const started: number[] = [];
    const finished: number[] = [];
    const signals = new Map<number, AbortSignal>();
    const gates = Array.from({ length: 10 }, () => deferred<void>());
    let settled = false;
    const run = mapWithConcurrency(
      Array.from({ length: 10 }, (_, i) => i),
      3,
      async (item, _index, signal) => {
        started.push(item);
        signals.set(item, signal);
        await gates[item].promise;
        if (item === 1) throw failure;
        finished.push(item);
        return item;
      },
    );
    void run.then(
      () => (settled = true),
      () => (settled = true),
    );
    await turns(2);
    assert.deepEqual(started, [0, 1, 2]);
    gates[1].resolve();
    await turns(3);
    assert.equal(settled, false, 'the call waits for the tasks still running');
    assert.ok(
      !signals.get(0)?.aborted && !signals.get(2)?.aborted,
      'the running tasks are not aborted: they may be paid requests already sent',
    );
    gates[0].resolve();
    await turns(3);
    assert.deepEqual(started, [0, 1, 2], 'no task may start after the first failure, even when a slot frees up');
    assert.equal(settled, false);
    gates[2].resolve();
    await assert.rejects(run, (error) => error === failure);
    assert.deepEqual(finished.sort(), [0, 2], 'the running tasks completed');
  });

  it('reports only the first of several failures (later ones are absorbed, not unhandled)', async () => {
    const first = new Error('first');
    const second = new Error('second');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const gates = [deferred<void>(), deferred<void>()];
      const run = mapWithConcurrency([0, 1], 2, async (item) => {
        await gates[item].promise;
        throw item === 0 ? first : second;
      });
      gates[0].resolve();
      await turns(2);
      gates[1].resolve();
      await assert.rejects(run, (error) => error === first);
      await turns(5);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('treats a synchronous throw in fn as a failure', async () => {
    const failure = new Error('sync');
    const run = mapWithConcurrency([1, 2, 3], 2, (item) => {
      if (item === 2) throw failure;
      return Promise.resolve(item);
    });
    await assert.rejects(run, (error) => error === failure);
  });

  it('on an external abort aborts every running task, starts nothing more, and rejects with CancelledError once they settled', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const taskSignals: AbortSignal[] = [];
    let started = 0;
    let running = 0;
    const run = mapWithConcurrency(
      [1, 2, 3, 4],
      2,
      async (_item, _index, signal) => {
        started++;
        running++;
        taskSignals.push(signal);
        try {
          return await untilAborted(signal);
        } finally {
          await turns(3); // cleaning up after the abort takes a moment: the call must wait for it
          running--;
        }
      },
      controller.signal,
    );
    await turns(2);
    controller.abort(reason);
    await assert.rejects(run, (error) => error instanceof CancelledError && error.cause === reason);
    assert.equal(running, 0, 'rejected only after every started task settled');
    assert.equal(started, 2);
    assert.ok(taskSignals.every((signal) => signal.aborted && signal.reason === reason));
  });

  it('an external abort after a failure aborts the tasks still running, and still reports the failure', async () => {
    const controller = new AbortController();
    const failure = new Error('quota');
    const signals: AbortSignal[] = [];
    const failNow = deferred<void>();
    const run = mapWithConcurrency(
      [0, 1, 2],
      3,
      async (item, _index, signal) => {
        signals.push(signal);
        if (item === 0) {
          await failNow.promise;
          throw failure;
        }
        return untilAborted(signal);
      },
      controller.signal,
    );
    await turns(2);
    failNow.resolve();
    await turns(2);
    assert.ok(signals.every((signal) => !signal.aborted));
    controller.abort();
    await assert.rejects(run, (error) => error === failure);
    assert.ok(signals.every((signal) => signal.aborted));
  });

  it('rejects with CancelledError without calling fn when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('already cancelled');
    controller.abort(reason);
    let calls = 0;
    await assert.rejects(
      mapWithConcurrency(
        [1, 2],
        2,
        async () => {
          calls++;
        },
        controller.signal,
      ),
      (error) => error instanceof CancelledError && error.cause === reason,
    );
    assert.equal(calls, 0);
  });

  it('stops listening to the external signal once done', async () => {
    const controller = new AbortController();
    await mapWithConcurrency([1, 2, 3], 2, async (item) => item, controller.signal);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    await assert.rejects(
      mapWithConcurrency(
        [1],
        1,
        async () => {
          throw new Error('x');
        },
        controller.signal,
      ),
    );
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('runs everything at once when the limit is at least the number of items', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const results = await mapWithConcurrency([10, 20, 30], 8, async (item) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await turns(2);
      inFlight--;
      return item / 10;
    });
    assert.deepEqual(results, [1, 2, 3]);
    assert.equal(maxInFlight, 3);
    assert.deepEqual(await mapWithConcurrency([1, 2], Infinity, async (item) => item * 2), [2, 4]);
  });

  it('resolves to an empty array for empty input without calling fn', async () => {
    let calls = 0;
    const results = await mapWithConcurrency([], 3, async () => {
      calls++;
    });
    assert.deepEqual(results, []);
    assert.equal(calls, 0);
  });

  it('rejects a limit that is not a whole number of at least 1', async () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(
        mapWithConcurrency([1], limit, async (item) => item),
        (error) => error instanceof InvalidConcurrencyLimitError && error instanceof RangeError,
        `limit ${limit}`,
      );
    }
  });
});
