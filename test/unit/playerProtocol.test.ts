// The player's messages from the webview: the extension acts only on what the guard lets through.
import * as assert from 'assert';
import { isWebviewToExtensionMessage } from '../../src/shared/playerProtocol';

describe('player protocol: webview → extension', () => {
  it('playbackStarted names the take that plays', () => {
    assert.strictEqual(isWebviewToExtensionMessage({ type: 'playbackStarted', takeId: 'take-1' }), true);
  });

  it('refuses a playbackStarted without a take, or with a take id that is not a short string', () => {
    for (const message of [
      { type: 'playbackStarted' },
      { type: 'playbackStarted', takeId: '' },
      { type: 'playbackStarted', takeId: 7 },
      { type: 'playbackStarted', takeId: null },
      { type: 'playbackStarted', takeId: 'x'.repeat(5000) },
      { type: 'playbackstarted', takeId: 'take-1' },
    ])
      assert.strictEqual(isWebviewToExtensionMessage(message), false, JSON.stringify(message).slice(0, 80));
  });
});
