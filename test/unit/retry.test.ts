import * as assert from 'assert';
import { sleep } from '../../src/core/abort';
import {
  BadRequestError,
  CancelledError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../../src/core/errors';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  resolveRetryPolicy,
  withRetry,
  type RetryPolicy,
} from '../../src/core/api/retry';

const POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 10_000 };

describe('retry', () => {
  describe('backoffDelayMs', () => {
    it('doubles per attempt, with half of it jittered, and is capped', () => {
      assert.deepStrictEqual(
        [1, 2, 3].map((a) => backoffDelayMs(a, POLICY, () => 0)),
        [50, 100, 200],
      );
      assert.deepStrictEqual(
        [1, 2, 3].map((a) => backoffDelayMs(a, POLICY, () => 1)),
        [100, 200, 400],
      );
      assert.strictEqual(
        backoffDelayMs(10, POLICY, () => 1),
        1000,
      );
    });
  });

  describe('parseRetryAfter', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    it('reads seconds and HTTP dates', () => {
      assert.strictEqual(parseRetryAfter('5', now), 5000);
      assert.strictEqual(parseRetryAfter(' 0 ', now), 0);
      assert.strictEqual(parseRetryAfter(new Date(now + 30_000).toUTCString(), now), 30_000);
      assert.strictEqual(parseRetryAfter(new Date(now - 30_000).toUTCString(), now), 0);
    });
    it('ignores what it cannot read', () => {
      for (const v of [null, undefined, '', 'soon', '-3', '1e9x'])
        assert.strictEqual(parseRetryAfter(v, now), undefined);
    });
  });

  it('resolveRetryPolicy fills defaults and clamps nonsense', () => {
    assert.deepStrictEqual(resolveRetryPolicy(undefined), DEFAULT_RETRY_POLICY);
    assert.strictEqual(resolveRetryPolicy({ maxAttempts: 0 }).maxAttempts, 1);
    assert.strictEqual(resolveRetryPolicy({ baseDelayMs: -5 }).baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs);
  });

  describe('withRetry', () => {
    let waits: number[];
    const fakeSleep = async (ms: number): Promise<void> => {
      waits.push(ms);
    };
    beforeEach(() => {
      waits = [];
    });

    it('retries 5xx, 429, network errors and timeouts until success', async () => {
      const failures = [new ServerError('x'), new RateLimitError('x'), new NetworkError('x'), new TimeoutError('x')];
      let attempts = 0;
      const result = await withRetry(
        async () => {
          attempts++;
          const failure = failures.shift();
          if (failure) throw failure;
          return 'ok';
        },
        { policy: { ...POLICY, maxAttempts: 5 }, sleep: fakeSleep, random: () => 0 },
      );
      assert.strictEqual(result, 'ok');
      assert.strictEqual(attempts, 5);
      assert.deepStrictEqual(waits, [50, 100, 200, 400]);
    });

    it('does not retry a 4xx', async () => {
      let attempts = 0;
      await assert.rejects(
        withRetry(
          async () => {
            attempts++;
            throw new BadRequestError('no');
          },
          { policy: POLICY, sleep: fakeSleep },
        ),
        BadRequestError,
      );
      assert.strictEqual(attempts, 1);
    });

    it('shouldRetry narrows or widens what is retried', async () => {
      let attempts = 0;
      await assert.rejects(
        withRetry(
          async () => {
            attempts++;
            throw new TimeoutError('maybe done');
          },
          { policy: POLICY, sleep: fakeSleep, shouldRetry: (e) => !(e instanceof TimeoutError) },
        ),
        TimeoutError,
      );
      assert.strictEqual(attempts, 1, 'narrowed: a timeout is not retried');
      attempts = 0;
      const result = await withRetry(
        async () => {
          if (attempts++ === 0) throw new BadRequestError('transient this time');
          return 'ok';
        },
        { policy: POLICY, sleep: fakeSleep, shouldRetry: (e) => e instanceof BadRequestError },
      );
      assert.strictEqual(result, 'ok');
      assert.strictEqual(attempts, 2, 'widened: a chosen kind is retried');
    });

    it('waits at least Retry-After', async () => {
      let attempts = 0;
      await withRetry(
        async () => {
          if (attempts++ === 0) throw new RateLimitError('slow down', { retryAfterMs: 4000 });
        },
        { policy: POLICY, sleep: fakeSleep, random: () => 0 },
      );
      assert.deepStrictEqual(waits, [4000]);
    });

    it('reports each retry', async () => {
      const notices: number[] = [];
      await assert.rejects(
        withRetry(
          async () => {
            throw new ServerError('down');
          },
          { policy: { ...POLICY, maxAttempts: 3 }, sleep: fakeSleep, onRetry: (n) => notices.push(n.attempt) },
        ),
        ServerError,
      );
      assert.deepStrictEqual(notices, [1, 2]);
    });

    it('stops waiting at once when cancelled', async () => {
      const controller = new AbortController();
      const pending = withRetry(
        async () => {
          setTimeout(() => controller.abort(), 10);
          throw new ServerError('down');
        },
        {
          policy: { ...POLICY, baseDelayMs: 60_000, maxDelayMs: 60_000, maxTotalWaitMs: 600_000 },
          signal: controller.signal,
          sleep,
        },
      );
      await assert.rejects(pending, CancelledError);
    });

    it('does not start when already cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      let attempts = 0;
      await assert.rejects(
        withRetry(async () => attempts++, { policy: POLICY, signal: controller.signal }),
        CancelledError,
      );
      assert.strictEqual(attempts, 0);
    });
  });
});
