import * as assert from 'assert';
import { InputError } from '../../src/core/errors';
import { isAllowedRemoteUrl, REGION_HOSTS, resolveBaseUrl } from '../../src/core/region';

describe('region', () => {
  it('maps regions to their hosts', () => {
    assert.strictEqual(resolveBaseUrl('china'), 'https://app.aistudios.cn');
    assert.strictEqual(resolveBaseUrl('global'), 'https://app.aistudios.com');
    assert.strictEqual(resolveBaseUrl('global', '   '), REGION_HOSTS.global);
  });

  it('lets a valid override win and strips trailing slashes', () => {
    assert.strictEqual(resolveBaseUrl('china', 'https://proxy.example.com/aistudios/'), 'https://proxy.example.com/aistudios');
    assert.strictEqual(resolveBaseUrl('china', 'http://127.0.0.1:8765/'), 'http://127.0.0.1:8765');
    assert.strictEqual(resolveBaseUrl('china', 'http://localhost:8765'), 'http://localhost:8765');
    assert.strictEqual(resolveBaseUrl('china', 'http://[::1]:8765'), 'http://[::1]:8765');
  });

  it('refuses overrides that could send the key elsewhere in clear text', () => {
    for (const bad of ['http://app.aistudios.cn', 'http://127.0.0.2', 'ftp://127.0.0.1', 'file:///tmp', 'not a url', 'https://user:pw@app.aistudios.cn', 'https://app.aistudios.cn/?x=1']) {
      assert.throws(() => resolveBaseUrl('china', bad), InputError, bad);
    }
  });

  it('applies the same rule to download links', () => {
    assert.ok(isAllowedRemoteUrl(new URL('https://cdn.example.com/a.mp3?sig=1')));
    assert.ok(isAllowedRemoteUrl(new URL('http://127.0.0.1:9/a.mp3')));
    assert.ok(!isAllowedRemoteUrl(new URL('http://example.invalid/a.mp3')));
    assert.ok(!isAllowedRemoteUrl(new URL('file:///etc/passwd')));
    assert.ok(!isAllowedRemoteUrl(new URL('data:audio/mpeg;base64,AA==')));
  });
});
