import * as assert from 'assert';
import {
  AudioCacheError,
  AudioFormatError,
  AuthError,
  BadRequestError,
  CancelledError,
  DownloadError,
  InputError,
  NetworkError,
  ProtocolError,
  QuotaError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type AiStudiosError,
} from '../../src/core';
import { errorResponse } from '../../src/ui/errorResponse';

/** One error of every class the core throws. */
const everyCoreError: AiStudiosError[] = [
  new AuthError('The key was rejected.'),
  new BadRequestError('The model does not speak this language.'),
  new QuotaError('No credits left.'),
  new RateLimitError('Too many requests.', { retryAfterMs: 1000 }),
  new ServerError('The server failed.', { status: 503 }),
  new NetworkError('The connection was reset.'),
  new TimeoutError('No answer within 120 s.'),
  new ProtocolError('The answer was not JSON.'),
  new DownloadError('The download link expired.'),
  new CancelledError(),
  new InputError('There is nothing to speak.'),
  new AudioFormatError('The MP3 audio contains no MPEG audio frames.', 'undecodable'),
  new AudioCacheError('write-failed', 'Could not store audio in the cache: EROFS.'),
];

describe('errors and what the notification offers', () => {
  it('marks as retryable exactly the failures that may pass on their own', () => {
    const retryable = everyCoreError.filter((e) => e.retryable).map((e) => e.kind);
    assert.deepStrictEqual(retryable, ['rateLimit', 'server', 'network', 'timeout', 'download']);
  });

  it('keeps the audio and cache errors in the one hierarchy, with their reasons and names', () => {
    const format = new AudioFormatError('The audio of piece 1 cannot be read.', 'unrecognized');
    assert.strictEqual(format.kind, 'audioFormat');
    assert.strictEqual(format.reason, 'unrecognized');
    assert.strictEqual(format.name, 'AudioFormatError');
    const cause = new Error('EROFS');
    const cache = new AudioCacheError('write-failed', 'Could not store audio in the cache: EROFS.', { cause });
    assert.strictEqual(cache.kind, 'cache');
    assert.strictEqual(cache.reason, 'write-failed');
    assert.strictEqual(cache.cause, cause);
    assert.strictEqual(cache.name, 'AudioCacheError');
  });

  it('offers Retry for every retryable error and for no other', () => {
    for (const error of everyCoreError) {
      const { actions } = errorResponse(error, true);
      assert.strictEqual(actions.includes('retry'), error.retryable, `${error.kind}: ${actions.join(', ')}`);
      assert.strictEqual(actions.at(-1), 'showLog', `${error.kind}: Show Log comes last`);
    }
  });

  it('offers no Retry when the operation cannot be run again', () => {
    for (const error of everyCoreError) assert.ok(!errorResponse(error, false).actions.includes('retry'), error.kind);
  });

  it('offers no Retry for an error the core did not throw on purpose', () => {
    assert.deepStrictEqual(errorResponse(new Error('EACCES: permission denied'), true), {
      advice: 'seeLog',
      actions: ['showLog'],
    });
    assert.deepStrictEqual(errorResponse('a string', true).actions, ['showLog']);
  });

  it('gives each kind the action that helps, and advice that matches whether it may pass', () => {
    assert.deepStrictEqual(errorResponse(new AuthError('Rejected.'), true), {
      advice: 'setValidKey',
      actions: ['setApiKey', 'showLog'],
    });
    assert.deepStrictEqual(errorResponse(new BadRequestError('Wrong language.'), true), {
      advice: 'checkLanguage',
      actions: ['selectVoice', 'showLog'],
    });
    assert.deepStrictEqual(errorResponse(new QuotaError('No credits.'), true), {
      advice: 'addCredits',
      actions: ['showLog'],
    });
    assert.deepStrictEqual(errorResponse(new InputError('Bad folder.'), true), {
      advice: 'none',
      actions: ['openSettings', 'showLog'],
    });
    assert.deepStrictEqual(errorResponse(new ServerError('Failed.'), true), {
      advice: 'mayPass',
      actions: ['retry', 'showLog'],
    });
    assert.deepStrictEqual(errorResponse(new ProtocolError('Not JSON.'), true), {
      advice: 'seeLog',
      actions: ['showLog'],
    });
  });
});
