// Waiting for state instead of racing it. A browser or an extension host changes state through events,
// messages, timers and the file system, which may run after the action's promise resolved; a test that
// reads such state once, right after the action, passes or fails with the engine's scheduling. These
// helpers retry the *same* assertion until it holds or a deadline passes, and then fail with the last
// assertion error, so the message still shows the last value seen.
import { AssertionError } from 'assert';

/** Default deadline of a wait, in ms: long enough for a busy 2-core CI machine, short next to mocha's timeouts. */
export const DEFAULT_WAIT_MS = 10_000;
const POLL_MS = 20;

/**
 * Runs `assertion` until it stops throwing, then returns its result.
 * @param assertion a check that throws (usually an `assert.*` call) while the state is not there yet
 * @param timeoutMs deadline in ms; after it, the last error is rethrown with the time waited
 * @throws the assertion's last error, its message prefixed with "after N ms:"
 */
export async function eventually<T>(assertion: () => T | Promise<T>, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      const waited = Date.now() - started;
      if (waited >= timeoutMs) throw withWaitedTime(error, waited);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Polls `condition` until it is true.
 * @param describe called on failure, to say what was expected and what was last seen
 * @throws AssertionError after `timeoutMs` ms
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  describe: () => string,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<void> {
  await eventually(async () => {
    if (!(await condition())) throw new AssertionError({ message: describe() });
  }, timeoutMs);
}

/**
 * Resolves as `promise` does, or fails once `timeoutMs` ms passed, saying what was awaited.
 * @throws AssertionError `<what> did not happen within N ms`
 */
export async function withDeadline<T>(promise: Promise<T>, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AssertionError({ message: `${what} did not happen within ${timeoutMs} ms` })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function withWaitedTime(error: unknown, waitedMs: number): unknown {
  if (error instanceof Error) {
    error.message = `after ${waitedMs} ms: ${error.message}`;
    return error;
  }
  return new AssertionError({ message: `after ${waitedMs} ms: ${String(error)}` });
}
