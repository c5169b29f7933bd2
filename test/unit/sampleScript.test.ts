// The walkthrough's sample script: the copy in the voice's language, a fresh folder name for each copy, and the two
// bundled samples themselves (short, read in their own language, silent where a script is silent).
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { chunkNarration, chunksLanguageMismatch, markdownToNarration, pauseMsOf } from '../../src/core';
import { bundledSamplePath, SAMPLE_FILE_NAME, sampleFolderName, sampleLanguage } from '../../src/sampleScript';

const REPO = path.join(__dirname, '..', '..', '..');

describe('the sample script', () => {
  it('is Korean for a Korean voice and English for any other', () => {
    for (const language of ['ko', 'KO', 'ko-KR', 'ko_KR', ' ko '])
      assert.strictEqual(sampleLanguage({ chosen: true, language }, 'en'), 'ko', language);
    for (const language of ['en', 'en-US', 'ja', 'zh-CN', 'kok', ''])
      assert.strictEqual(sampleLanguage({ chosen: true, language }, 'ko'), 'en', language);
  });

  it('follows the display language until a voice is chosen', () => {
    assert.strictEqual(sampleLanguage({ chosen: false, language: 'en' }, 'ko'), 'ko');
    assert.strictEqual(sampleLanguage({ chosen: false, language: 'ko' }, 'en'), 'en');
    assert.strictEqual(sampleLanguage({ chosen: false, language: 'en' }, 'zh-cn'), 'en');
  });

  it('gets a folder named by the time, and another name for each attempt in the same second', () => {
    const now = new Date(Date.UTC(2026, 0, 5, 9, 30, 12, 345));
    assert.strictEqual(sampleFolderName(now), '20260105-093012');
    assert.strictEqual(sampleFolderName(now, 1), '20260105-093012-2');
    const names = new Set(Array.from({ length: 100 }, (_, i) => sampleFolderName(now, i)));
    assert.strictEqual(names.size, 100);
    for (const name of names) assert.match(name, /^[0-9-]+$/, 'a plain name on every file system');
  });

  for (const language of ['en', 'ko'] as const) {
    it(`the ${language} sample is a short script read in its language, with a silent cue, a note and pauses`, () => {
      const segments = bundledSamplePath(language);
      assert.strictEqual(segments[0], 'media');
      const text = readFileSync(path.join(REPO, ...segments), 'utf8');
      assert.match(text, /^# /, 'it opens with a heading');
      const narration = markdownToNarration(text, { language });
      const chunks = chunkNarration(narration, 2000, { model: 'M000045058', language });
      const spoken = chunks.reduce((sum, c) => sum + c.text.length, 0);
      assert.ok(spoken > 150 && spoken < 600, `a first generation costs few characters: ${spoken}`);
      assert.strictEqual(chunksLanguageMismatch(chunks), undefined, 'sent in its language');
      const other = language === 'ko' ? 'en' : 'ko';
      assert.ok(chunksLanguageMismatch(chunkNarration(narration, 2000, { model: 'M000045058', language: other })));
      const said = chunks.map((c) => c.text).join(' ');
      assert.ok(!/\*\*|\/\/|\[|#/.test(said), `no markup, cue, note or pause mark is read: ${said}`);
      assert.ok(
        chunks.some((c) => pauseMsOf(c.pausesBefore) > 0),
        'its pause marks are silences',
      );
    });
  }

  it('every copy is named first-take.md, so its audio is first-take.mp3', () => {
    assert.strictEqual(SAMPLE_FILE_NAME, 'first-take.md');
    assert.strictEqual(bundledSamplePath('en').at(-1), SAMPLE_FILE_NAME);
  });

  it('is shipped in the package (.vscodeignore keeps media/sample/*.md)', () => {
    const ignore = readFileSync(path.join(REPO, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!media/sample/*.md'), ignore.join('\n'));
    for (const language of ['en', 'ko'] as const)
      assert.match(path.posix.join(...bundledSamplePath(language)), /^media\/sample\/[^/]+\.md$/);
  });
});
