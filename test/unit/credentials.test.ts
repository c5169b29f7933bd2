import * as assert from 'assert';
import {
  credentialsFromEnv,
  parseCredentials,
  secretsOf,
  serializeCredentials,
  type Credentials,
} from '../../src/core/api/credentials';
import { InputError } from '../../src/core/errors';

describe('credentials', () => {
  const token: Credentials = { kind: 'token', token: 'tok-123456' };
  const appKey: Credentials = { kind: 'appKey', appId: 'app-1', userKey: 'user-key-1' };

  it('round-trips through SecretStorage JSON', () => {
    assert.deepStrictEqual(parseCredentials(serializeCredentials(token)), token);
    assert.deepStrictEqual(parseCredentials(serializeCredentials(appKey)), appKey);
  });

  it('keeps only the known fields when serializing', () => {
    const withExtra = { ...token, note: 'x' } as Credentials;
    assert.deepStrictEqual(JSON.parse(serializeCredentials(withExtra)), { kind: 'token', token: 'tok-123456' });
  });

  it('parses garbage to undefined', () => {
    for (const stored of [
      undefined,
      '',
      'not json',
      'null',
      '42',
      '[]',
      '{"kind":"token"}',
      '{"kind":"token","token":"  "}',
      '{"kind":"appKey","appId":"a"}',
      '{"kind":"other","token":"x"}',
    ]) {
      assert.strictEqual(parseCredentials(stored), undefined, String(stored));
    }
  });

  it('lists the secrets to redact', () => {
    assert.deepStrictEqual(secretsOf(token), ['tok-123456']);
    assert.deepStrictEqual(secretsOf(appKey), ['app-1', 'user-key-1']);
  });

  describe('credentialsFromEnv', () => {
    it('reads the token, trimmed', () => {
      assert.deepStrictEqual(credentialsFromEnv({ AISTUDIOS_API_KEY: '  tok-1 \n' }), {
        kind: 'token',
        token: 'tok-1',
      });
    });
    it('reads the App ID + User Key pair, trimmed', () => {
      assert.deepStrictEqual(credentialsFromEnv({ AISTUDIOS_APP_ID: ' a ', AISTUDIOS_USER_KEY: ' k ' }), {
        kind: 'appKey',
        appId: 'a',
        userKey: 'k',
      });
    });
    it('is undefined when nothing is set', () => {
      assert.strictEqual(credentialsFromEnv({}), undefined);
    });
    it('refuses empty values and half pairs with InputError, without echoing values', () => {
      for (const env of [
        { AISTUDIOS_API_KEY: '  ' },
        { AISTUDIOS_APP_ID: 'secret-app' },
        { AISTUDIOS_USER_KEY: 'secret-user' },
        { AISTUDIOS_APP_ID: ' ', AISTUDIOS_USER_KEY: 'secret-user' },
      ]) {
        assert.throws(
          () => credentialsFromEnv(env),
          (e: unknown) => e instanceof InputError && !/secret-/.test(e.message),
          JSON.stringify(env),
        );
      }
    });
  });
});
