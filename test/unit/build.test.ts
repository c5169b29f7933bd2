// `npm run build` as a writer runs it once: it says nothing but errors. The "[watch]" lines belong to `--watch`, where
// VS Code's problem matcher reads them.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

const REPO = path.join(__dirname, '..', '..', '..');

describe('esbuild.js', function () {
  this.timeout(60_000);

  it('a one-off build prints no "[watch]" lines and succeeds', () => {
    const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, encoding: 'utf8' });
    assert.strictEqual(result.status, 0, result.stderr);
    assert.ok(!/\[watch\]/.test(result.stdout + result.stderr), `printed:\n${result.stdout}${result.stderr}`);
  });
});
