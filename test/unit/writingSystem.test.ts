// The text must be in the voice's language: a clear contradiction of writing system and language is caught before
// anything is sent; what cannot be told (too few letters, an unknown code, two Latin languages) is let through.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import {
  chunkNarration,
  chunksLanguageMismatch,
  languageMismatch,
  markdownToNarration,
  writingSystemCounts,
  writingSystemsOf,
} from '../../src/core';

const SCRIPTS = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scripts');

describe('writing system vs language', () => {
  it('finds the dominant writing system, counting Japanese kanji with its kana', () => {
    const of = (text: string) => [...writingSystemCounts(text).entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    assert.strictEqual(of('Welcome to the studio.'), 'Latin');
    assert.strictEqual(of('스튜디오에 오신 것을 환영합니다.'), 'Hangul');
    assert.strictEqual(of('スタジオへようこそ。今日は台本を読みます。'), 'Kana');
    assert.strictEqual(of('欢迎来到录音室。'), 'Han');
    assert.strictEqual(of('Добро пожаловать в студию.'), 'Cyrillic');
    assert.strictEqual(of('مرحبا بكم في الاستوديو'), 'Arabic');
    assert.strictEqual(of('ยินดีต้อนรับสู่สตูดิโอ'), 'Thai');
  });

  it('stops Korean text for an English voice and English text for a Korean one, suggesting the language', () => {
    assert.deepStrictEqual(languageMismatch('스튜디오에 오신 것을 환영합니다.', 'en'), {
      language: 'en',
      writingSystem: 'Hangul',
      suggestedLanguage: 'ko',
      share: 1,
    });
    assert.strictEqual(languageMismatch('Welcome to the studio.', 'ko')?.suggestedLanguage, 'en');
    assert.strictEqual(languageMismatch('スタジオへようこそ。今日は台本を読みます。', 'zh')?.suggestedLanguage, 'ja');
    assert.strictEqual(languageMismatch('欢迎来到录音室。', 'en-US')?.suggestedLanguage, 'zh');
    assert.strictEqual(languageMismatch('Добро пожаловать в студию.', 'en')?.suggestedLanguage, 'ru');
  });

  it('lets through what matches, mixed text whose language holds a fair share, and what cannot be told', () => {
    assert.strictEqual(languageMismatch('Welcome to the studio.', 'en'), undefined);
    assert.strictEqual(
      languageMismatch('Bienvenue au studio.', 'en'),
      undefined,
      'two Latin languages: not told apart',
    );
    assert.strictEqual(languageMismatch('VS Code에서 npm run build를 실행하세요.', 'ko'), undefined);
    assert.strictEqual(languageMismatch('東京は日本の首都です。', 'ja'), undefined, 'kanji alone is Japanese enough');
    assert.strictEqual(languageMismatch('OK.', 'ko'), undefined, 'too few letters to tell');
    assert.strictEqual(languageMismatch('3.2 — 2024', 'ja'), undefined);
    assert.strictEqual(languageMismatch('스튜디오에 오신 것을 환영합니다.', 'xx'), undefined, 'an unknown code');
    assert.deepStrictEqual(writingSystemsOf('zh-CN'), ['Han']);
    assert.strictEqual(writingSystemsOf('tlh'), undefined);
  });

  it("the repository's Korean and Chinese scripts pass in their language and are stopped in English", () => {
    for (const [file, language] of [
      ['17-ko-cli-demo-scenario.md', 'ko'],
      ['13-zh-modloader-promo-video.md', 'zh'],
    ] as const) {
      const narration = markdownToNarration(readFileSync(path.join(SCRIPTS, file), 'utf8'), { language });
      const inLanguage = chunkNarration(narration, 2000, { model: 'M000045058', language });
      assert.strictEqual(chunksLanguageMismatch(inLanguage), undefined, `${file} in ${language}`);
      const inEnglish = chunkNarration(narration, 2000, { model: 'M000045058', language: 'en' });
      assert.strictEqual(chunksLanguageMismatch(inEnglish)?.suggestedLanguage, language, `${file} in en`);
    }
  });

  it('checks each voice of a script against its own text', () => {
    const [chunk] = chunkNarration(markdownToNarration('Welcome.\n', { language: 'en' }), 2000, {
      model: 'M000045058',
      language: 'en',
    });
    const english = { ...chunk!, text: 'Welcome to the studio.' };
    const korean = {
      ...chunk!,
      text: '스튜디오에 오신 것을 환영합니다.',
      voice: { model: 'M000004017', language: 'ko' },
    };
    assert.strictEqual(chunksLanguageMismatch([english, korean]), undefined);
    const mismatch = chunksLanguageMismatch([english, { ...korean, voice: { model: 'M000004017', language: 'en' } }]);
    assert.strictEqual(mismatch?.writingSystem, 'Hangul', 'the Korean text goes to a voice that speaks English');
  });
});
