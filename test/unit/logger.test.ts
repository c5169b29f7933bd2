import * as assert from 'assert';
import { createRedactingLogger, MemoryLogger, redactSecrets, silentLogger } from '../../src/core/logger';

describe('logger', () => {
  describe('redactSecrets', () => {
    it('replaces every occurrence of each secret', () => {
      assert.strictEqual(
        redactSecrets('key abcd1234 and abcd1234 again', ['abcd1234']),
        'key [redacted] and [redacted] again',
      );
    });
    it('ignores empty and short secrets (they would shred ordinary words)', () => {
      assert.strictEqual(redactSecrets('a b abc', ['', 'a', 'abc']), 'a b abc');
    });
    it('replaces the longer of overlapping secrets whole', () => {
      assert.strictEqual(redactSecrets('x secret-long y', ['secret', 'secret-long']), 'x [redacted] y');
    });
    it('also catches URL- and JSON-escaped forms', () => {
      const secret = 'p@ss/wörd"1';
      assert.strictEqual(redactSecrets(`q=${encodeURIComponent(secret)}`, [secret]), 'q=[redacted]');
      assert.strictEqual(redactSecrets(JSON.stringify({ k: secret }), [secret]), '{"k":"[redacted]"}');
    });
    it('treats regex characters literally', () => {
      assert.strictEqual(redactSecrets('a.*b+ and aXXb', ['a.*b+']), '[redacted] and aXXb');
    });
  });

  describe('createRedactingLogger', () => {
    it('redacts at every level with the secrets known at the time of the call', () => {
      const inner = new MemoryLogger();
      const secrets = ['first-secret'];
      const logger = createRedactingLogger(inner, () => secrets);
      logger.trace('t first-secret');
      logger.debug('d first-secret');
      logger.info('i first-secret');
      secrets.push('minted-later');
      logger.warn('w minted-later');
      logger.error('e first-secret minted-later');
      assert.deepStrictEqual(inner.lines, [
        { level: 'trace', message: 't [redacted]' },
        { level: 'debug', message: 'd [redacted]' },
        { level: 'info', message: 'i [redacted]' },
        { level: 'warn', message: 'w [redacted]' },
        { level: 'error', message: 'e [redacted] [redacted]' },
      ]);
    });
  });

  it('silentLogger accepts every level', () => {
    for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const)
      assert.strictEqual(silentLogger[level]('x'), undefined);
  });
});
