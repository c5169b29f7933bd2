// The in-editor view's model for the shared corpus scripts: what is dimmed is never spoken, parts map to their source
// in order, sections and estimates add up, and a 50 KB script is cheap enough to rebuild as the writer types.
import * as assert from 'assert';
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';
import { DEFAULT_NARRATION_OPTIONS } from '../../src/core/narration/types';
import { buildScriptView, estimateRangeMs, sectionAt, type ScriptView } from '../../src/core/timing/scriptView';
import { SpeechRates } from '../../src/core/timing/speechRate';

const SCRIPTS = path.join(__dirname, '../../../test/fixtures/scripts');
const CORPUS = readdirSync(SCRIPTS).filter((name) => /^\d\d-.*\.md$/.test(name));
const VOICE = { model: 'M000045058', language: 'en' };

function view(source: string, language = 'en'): ScriptView {
  return buildScriptView(source, {
    markdown: true,
    narration: { ...DEFAULT_NARRATION_OPTIONS, language },
    voice: { ...VOICE, language },
    maxCharactersPerRequest: 2000,
    sectionPauseMs: 700,
    rates: new SpeechRates(),
  });
}

describe('the script view model', () => {
  it('covers the shared corpus', () => {
    assert.deepStrictEqual(CORPUS.sort(), [
      '04-podcast-frontmatter-speaker-lines.md',
      '11-changelog-news-podcast.md',
      '13-zh-modloader-promo-video.md',
      '14-demo-narration-pause-cues.md',
      '17-ko-cli-demo-scenario.md',
      '20-podcast-transcript-multispeaker.md',
    ]);
  });

  for (const name of CORPUS) {
    it(`${name}: dimmed text is never spoken, parts follow the source, sections and the estimate add up`, () => {
      const source = readFileSync(path.join(SCRIPTS, name), 'utf8');
      const language = name.includes('-ko-') ? 'ko' : name.includes('-zh-') ? 'zh' : 'en';
      const model = view(source, language);
      assert.ok(model.parts.length > 0, 'something is spoken');
      for (const [i, part] of model.parts.entries()) {
        assert.strictEqual(part.index, i);
        assert.ok(part.sourceStart >= 0 && part.sourceEnd <= source.length && part.sourceStart < part.sourceEnd);
        if (i > 0) assert.ok(part.sourceStart >= model.parts[i - 1].sourceStart, `part ${i + 1} follows part ${i}`);
        assert.ok(part.estimate.ms > 0 && part.estimate.characters > 0);
      }
      for (let i = 1; i < model.silent.length; i++)
        assert.ok(model.silent[i].sourceStart >= model.silent[i - 1].sourceEnd, 'silent ranges are sorted and apart');
      // No spoken character comes from a dimmed range.
      const silentAt = (offset: number) => model.silent.find((s) => s.sourceStart <= offset && offset < s.sourceEnd);
      for (const block of model.narration.blocks)
        for (let i = 0; i < block.text.length; i++) {
          if (/\s/.test(block.text[i])) continue;
          const silent = silentAt(block.sourceOffsets[i]);
          assert.ok(!silent, `"${block.text.slice(i, i + 20)}" is spoken but dimmed as ${silent?.reason}`);
        }
      const sum = model.estimate.chunks.reduce((total, c) => total + c.pauseBeforeMs + c.ms + c.pauseAfterMs, 0);
      assert.ok(Math.abs(model.estimate.totalMs - sum) < 1e-6);
      assert.strictEqual(model.sections[0].sourceStart, 0);
      assert.strictEqual(model.sections[model.sections.length - 1].sourceEnd, source.length);
      for (const section of model.sections) assert.strictEqual(sectionAt(model, section.sourceStart), section);
    });
  }

  it('14-demo-narration-pause-cues.md: the voice-settings code fence and the table are dimmed with their reasons', () => {
    const source = readFileSync(path.join(SCRIPTS, '14-demo-narration-pause-cues.md'), 'utf8');
    const model = view(source);
    const reasonOf = (text: string) =>
      model.silent.find((s) => s.sourceStart <= source.indexOf(text) && source.indexOf(text) < s.sourceEnd)?.reason;
    assert.strictEqual(reasonOf('```'), 'code block');
    assert.strictEqual(reasonOf('| Slide'), 'table');
  });

  it('14-demo-narration-pause-cues.md: every [Ns] cue is a pause of its length, counted in the estimate', () => {
    const source = readFileSync(path.join(SCRIPTS, '14-demo-narration-pause-cues.md'), 'utf8');
    const model = view(source);
    const cues = [...source.matchAll(/\[(\d+(?:\.\d+)?)s\]/g)];
    assert.ok(model.pauses.length > 100, `${model.pauses.length} pauses`);
    for (const pause of model.pauses) {
      const written = source.slice(pause.sourceStart, pause.sourceEnd);
      const seconds = /\[(\d+(?:\.\d+)?)s\]/.exec(written);
      assert.ok(seconds, `the pause covers its mark, not “${written}”`);
      assert.strictEqual(pause.ms, Number(seconds[1]) * 1000);
    }
    assert.ok(model.pauses.length <= cues.length);
    // The direction lines around the quotes are silent with their reason, never spoken.
    const energy = source.indexOf('**Energy: 8/10');
    assert.strictEqual(
      model.silent.find((s) => s.sourceStart <= energy && energy < s.sourceEnd)?.reason,
      'production label',
    );
    const pausesInEstimate = model.estimate.chunks.reduce((sum, c) => sum + c.pauseBeforeMs + c.pauseAfterMs, 0);
    const written = model.pauses.reduce((sum, p) => sum + p.ms, 0);
    assert.ok(
      pausesInEstimate >= written * 0.9,
      `${pausesInEstimate} ms of pauses in the estimate for ${written} ms written`,
    );
  });

  it('04-podcast-frontmatter-speaker-lines.md: each speaker label shows the voice it is cast to', () => {
    const source = readFileSync(path.join(SCRIPTS, '04-podcast-frontmatter-speaker-lines.md'), 'utf8');
    const cast = source.replace('speakers:\n', 'voices:\n  host2: M000004017\nspeakers:\n');
    const model = view(cast);
    const labels = model.speakers.map((s) => [cast.slice(s.sourceStart, s.sourceEnd), s.name, s.voice.model]);
    assert.ok(labels.length >= 6, JSON.stringify(labels));
    for (const [written, name, voice] of labels) {
      assert.strictEqual(written, `${name}:`);
      assert.strictEqual(voice, name === 'host2' ? 'M000004017' : VOICE.model);
    }
    assert.deepStrictEqual([...new Set(labels.map(([, name]) => name))], ['host1', 'host2']);
    // No spoken character is a label's.
    for (const block of model.narration.blocks)
      for (const offset of Array.from(block.sourceOffsets))
        assert.ok(!model.speakers.some((s) => s.sourceStart <= offset && offset < s.sourceEnd));
  });

  it('estimates a selection from its spoken characters, not its markup', () => {
    const source = '# Title\n\nSome **bold** words here.\n\n```\ncode that is never spoken\n```\n';
    const model = view(source);
    const rates = new SpeechRates();
    const all = estimateRangeMs(model, 0, source.length, VOICE, rates);
    const code = estimateRangeMs(model, source.indexOf('```'), source.length, VOICE, rates);
    assert.strictEqual(code, 0, 'a code block takes no time');
    const words = estimateRangeMs(model, source.indexOf('Some'), source.indexOf('```'), VOICE, rates);
    assert.strictEqual(Math.round(words), Math.round(('Some bold words here.'.length / 14) * 1000));
    assert.ok(all > words);
  });

  it('builds the view of a 50 KB script, the same each time (its cost is the bench figure editor_view_ms)', () => {
    const source = readFileSync(path.join(SCRIPTS, '20-podcast-transcript-multispeaker.md'), 'utf8');
    assert.ok(source.length > 45_000);
    const first = view(source);
    const again = view(source);
    assert.ok(first.estimate.chunks.length > 10, `${first.estimate.chunks.length} parts`);
    assert.deepStrictEqual(
      again.estimate.chunks.map((c) => [c.characters, c.ms]),
      first.estimate.chunks.map((c) => [c.characters, c.ms]),
    );
  });
});
