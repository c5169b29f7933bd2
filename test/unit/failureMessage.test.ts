// Every failure the user can meet is a sentence about their situation; codes and raw messages are for the log.
import * as assert from 'assert';
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { withRetry } from '../../src/core/api/retry';
import { AudioFormatError } from '../../src/core/audio/format';
import { AudioCacheError } from '../../src/core/cache/audioCache';
import { DownloadError, InputError, TimeoutError } from '../../src/core/errors';
import { failureDetail, failureMessage } from '../../src/core/failureMessage';
import { connectionProblem, fileProblem } from '../../src/core/systemErrors';

async function rawError(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return assert.fail('the action did not fail');
}

describe('failureMessage', () => {
  let dir: string;
  before(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-failure-'));
  });
  after(async () => fsp.rm(dir, { recursive: true, force: true }));

  it("keeps the core's own sentences as they are", () => {
    assert.strictEqual(failureMessage(new InputError('There is no text to speak.')), 'There is no text to speak.');
    const format = new AudioFormatError('The audio pieces have different formats.', 'mismatch');
    assert.strictEqual(failureMessage(format), format.message);
  });

  it('says how many tries a failure took and how long they lasted in all', async () => {
    const error = await rawError(() =>
      withRetry(
        async () => {
          throw new TimeoutError('The audio download stalled for more than 60 s.');
        },
        {
          policy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxTotalWaitMs: 10 },
          sleep: async () => undefined,
        },
      ),
    );
    assert.match(
      failureMessage(error),
      /^The audio download stalled for more than 60 s\. Gave up after 2 tries in \d+ ms\.$/,
    );
  });

  it('turns raw file-system errors into a sentence naming the path (EISDIR, ENOENT, ENOTDIR)', async () => {
    const isDir = await rawError(() => fsp.readFile(dir));
    assert.strictEqual(failureMessage(isDir), 'A folder was found where a file was expected.');
    const missing = path.join(dir, 'missing.md');
    assert.strictEqual(
      failureMessage(await rawError(() => fsp.open(missing, 'r'))),
      `Could not open ${missing}: it does not exist.`,
    );
    const file = path.join(dir, 'file');
    await fsp.writeFile(file, '');
    const under = path.join(file, 'sub');
    assert.strictEqual(
      failureMessage(await rawError(() => fsp.mkdir(under, { recursive: true }))),
      `Could not create the folder ${under}: a part of its path is a file, not a folder.`,
    );
  });

  it('turns raw network and HTTP parser errors into a sentence, the code only in the detail', () => {
    const parser = Object.assign(new Error('Parse Error: Data after `Connection: close`'), {
      code: 'HPE_CLOSED_CONNECTION',
    });
    assert.strictEqual(
      failureMessage(parser),
      'The network connection failed: the server sent more data than it announced, so the answer cannot be trusted.',
    );
    assert.match(failureDetail(parser), /code HPE_CLOSED_CONNECTION: Parse Error/);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    assert.strictEqual(
      failureMessage(reset),
      'The network connection failed: the server closed the connection unexpectedly.',
    );
  });

  it('says a cache write failure in words', async () => {
    const cause = await rawError(() => fsp.readFile(dir));
    const error = new AudioCacheError('write-failed', `Could not store audio in the cache: ${String(cause)}`, {
      cause,
    });
    assert.strictEqual(failureMessage(error), 'The audio cache could not be written: it is a folder, not a file.');
  });

  it('names an unforeseen failure without its raw text, and says where the details are', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    assert.strictEqual(
      failureMessage(bug, 'Run again with --verbose for the details.'),
      'Something unexpected went wrong. Run again with --verbose for the details.',
    );
    assert.match(failureDetail(bug), /^TypeError: Cannot read properties/);
  });

  it('keeps the cause chain in the detail', () => {
    const error = new DownloadError('The audio download was interrupted: the connection broke.', {
      cause: { code: 'ECONNRESET' },
    });
    assert.match(failureDetail(error), /DownloadError: The audio download .* ← caused by code ECONNRESET/);
  });
});

describe('systemErrors', () => {
  it('has words for the codes people meet', () => {
    for (const code of ['ENOENT', 'EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EMFILE'])
      assert.ok(fileProblem(code), code);
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'HPE_INVALID_CONSTANT'])
      assert.ok(connectionProblem(code), code);
    assert.strictEqual(fileProblem('HPE_CLOSED_CONNECTION'), undefined);
    assert.strictEqual(connectionProblem('ENOENT'), undefined);
  });
});
