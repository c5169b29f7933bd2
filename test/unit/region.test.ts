import * as assert from 'assert';
import { InputError } from '../../src/core/errors';
import {
  isAllowedDownloadUrl,
  isAllowedRemoteUrl,
  REGION_HOSTS,
  resolveBaseUrl,
  validateBaseUrl,
} from '../../src/core/api/host';

describe('region', () => {
  it('maps regions to their hosts', () => {
    assert.strictEqual(resolveBaseUrl('china'), 'https://app.aistudios.cn');
    assert.strictEqual(resolveBaseUrl('global'), 'https://app.aistudios.com');
    assert.strictEqual(resolveBaseUrl('global', '   '), REGION_HOSTS.global);
  });

  it('lets a valid override win and strips trailing slashes', () => {
    assert.strictEqual(
      resolveBaseUrl('china', 'https://proxy.example.com/aistudios/'),
      'https://proxy.example.com/aistudios',
    );
    assert.strictEqual(resolveBaseUrl('china', 'http://127.0.0.1:8765/'), 'http://127.0.0.1:8765');
    assert.strictEqual(resolveBaseUrl('china', 'http://localhost:8765'), 'http://localhost:8765');
    assert.strictEqual(resolveBaseUrl('china', 'http://[::1]:8765'), 'http://[::1]:8765');
  });

  it('refuses overrides that could send the key elsewhere in clear text', () => {
    for (const bad of [
      'http://app.aistudios.cn',
      'http://127.0.0.2',
      'ftp://127.0.0.1',
      'file:///tmp',
      'not a url',
      'https://user:pw@app.aistudios.cn',
      'https://app.aistudios.cn/?x=1',
    ]) {
      assert.throws(() => resolveBaseUrl('china', bad), InputError, bad);
    }
  });

  it('validateBaseUrl is the one rule for every base URL (also the query/fragment rule)', () => {
    assert.strictEqual(validateBaseUrl(' https://app.aistudios.com/ '), 'https://app.aistudios.com');
    for (const bad of [
      'https://app.aistudios.com/?x=1',
      'https://app.aistudios.com/#top',
      'http://example.com',
      'not a url',
    ]) {
      assert.throws(() => validateBaseUrl(bad), InputError, bad);
    }
  });

  it('download links may be loopback http only when the API itself is on loopback', () => {
    const loopbackLinks = ['http://127.0.0.1:8080/admin', 'http://localhost/secret.mp3', 'http://[::1]:9/a.mp3'];
    for (const base of [REGION_HOSTS.china, REGION_HOSTS.global, 'https://proxy.example.com/aistudios']) {
      for (const link of loopbackLinks) assert.ok(!isAllowedDownloadUrl(new URL(link), base), `${link} with ${base}`);
      assert.ok(isAllowedDownloadUrl(new URL('https://cdn.example.com/a.mp3?sig=1'), base));
    }
    for (const base of ['http://127.0.0.1:8765', 'http://localhost:8765', 'http://[::1]:8765']) {
      for (const link of loopbackLinks) assert.ok(isAllowedDownloadUrl(new URL(link), base), `${link} with ${base}`);
      assert.ok(!isAllowedDownloadUrl(new URL('http://example.invalid/a.mp3'), base));
    }
    assert.ok(!isAllowedRemoteUrl(new URL('http://127.0.0.1:9/a.mp3'), { allowLoopbackHttp: false }));
  });

  it('applies the same rule to download links', () => {
    assert.ok(isAllowedRemoteUrl(new URL('https://cdn.example.com/a.mp3?sig=1')));
    assert.ok(isAllowedRemoteUrl(new URL('http://127.0.0.1:9/a.mp3')));
    assert.ok(!isAllowedRemoteUrl(new URL('http://example.invalid/a.mp3')));
    assert.ok(!isAllowedRemoteUrl(new URL('file:///etc/passwd')));
    assert.ok(!isAllowedRemoteUrl(new URL('data:audio/mpeg;base64,AA==')));
  });
});
