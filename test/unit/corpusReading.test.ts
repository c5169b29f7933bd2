// Issue 13 on the six real scripts of the shared corpus (test/fixtures/scripts): for each, the decisions the issue
// lists, checked against what the source itself says (its marks, labels and quotes, found here independently of the
// narration code), not against a recorded output.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { VoiceParams } from '../../src/core/api/voiceParams';
import { chunkNarration, type Chunk } from '../../src/core/narration/chunker';
import { markdownToNarration, type Narration, type NarrationOptions } from '../../src/core/narration/narration';
import { pauseEntries } from '../../src/core/narration/preview';

const SCRIPTS = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scripts');
const VOICE: VoiceParams = { model: 'M000045058', language: 'en' };

function read(name: string): string {
  return fs.readFileSync(path.join(SCRIPTS, name), 'utf8');
}

function narrate(
  name: string,
  options?: Partial<NarrationOptions>,
): { source: string; narration: Narration; chunks: Chunk[] } {
  const source = read(name);
  const narration = markdownToNarration(source, options);
  return { source, narration, chunks: chunkNarration(narration, 2000, VOICE) };
}

/** The 1-based line of each block's first character. */
function blockLines(narration: Narration, source: string): string[] {
  const lines = source.split('\n');
  return narration.blocks.map((block) => lines[source.slice(0, block.sourceOffsets[0]).split('\n').length - 1]);
}

/** Values after `**Label**:` / `**Label:**` lines of the source, for the given labels. */
function labelledValues(source: string, labels: string[]): string[] {
  const pattern = new RegExp(
    `^\\s*(?:[-*]\\s+)?\\*\\*(?:${labels.join('|')})(?:\\*\\*[:：]|[:：]\\*\\*)\\s*(.*)$`,
    'gmu',
  );
  return [...source.matchAll(pattern)].map((m) => m[1].trim()).filter((value) => value.length > 0);
}

/** Consecutive duplicates dropped: the order of turns. */
function turns<T>(items: readonly T[]): T[] {
  return items.filter((item, i) => i === 0 || item !== items[i - 1]);
}

describe('the corpus read as its writers wrote it (issue 13)', () => {
  it('14: only the quoted narration, no direction in any request, every [Ns] mark timed to its length', () => {
    const { source, narration, chunks } = narrate('14-demo-narration-pause-cues.md');
    assert.strictEqual(narration.reading?.mode, 'blockquotes');
    assert.match(
      narration.reading?.why ?? '',
      /^speaking only block quotes: \d+ of \d+ narrated paragraphs are quoted$/,
    );
    for (const chunk of chunks) {
      for (const never of ['Energy', 'Pace', 'Key emphasis', '0.5s', '[', 'Slide', 'Version', 'Charlotte', 'Ready to'])
        assert.ok(!chunk.text.includes(never), `part ${chunk.index + 1} holds “${never}”: ${chunk.text}`);
    }
    assert.ok(narration.text.startsWith('Welcome to Course Creator Platform... the AI-powered solution'));
    assert.ok(narration.text.endsWith('Your move.'));
    // Every quoted line's [Ns] marks, found in the source, are the pauses, in order, each as long as it says.
    const marks = source
      .split('\n')
      .filter((line) => line.startsWith('>'))
      .flatMap((line) => [...line.matchAll(/\[(\d+(?:\.\d+)?)s\]/g)].map((m) => Math.round(Number(m[1]) * 1000)));
    const pauses = pauseEntries(chunks, source);
    assert.ok(pauses.length >= 110 && pauses.length <= 130, `about 120 pauses: ${pauses.length}`);
    assert.deepStrictEqual(
      pauses.map((p) => p.ms),
      marks,
    );
    const silent = narration.silences ?? [];
    const labelled = (label: string) => silent.filter((s) => s.reason === 'production label' && s.detail === label);
    assert.strictEqual(labelled('Energy').length, 13, 'one Energy line per slide');
    assert.strictEqual(labelled('Key emphasis').length, 13, 'one Key emphasis line per slide');
    assert.deepStrictEqual(
      silent.filter((s) => s.reason === 'metadata').map((s) => s.detail),
      ['Version', 'Date', 'Voice', 'Settings'],
    );
  });

  it('17: only the quoted 내레이션 lines, in the narrator’s voice; no 화면 line', () => {
    const { source, narration } = narrate('17-ko-cli-demo-scenario.md');
    assert.strictEqual(narration.reading?.mode, 'blockquotes');
    const narratorLabels = (source.match(/\*\*내레이션[^*]*\*\*:/g) ?? []).length;
    assert.strictEqual(
      narration.reading?.why,
      `speaking only block quotes: ${narratorLabels} of ${narratorLabels} narrated parts (“내레이션”) are quoted`,
    );
    for (const line of blockLines(narration, source)) assert.match(line, /^\s*>/, 'every block is a quoted line');
    assert.ok(narration.blocks.every((b) => b.speaker === '내레이션'));
    for (const value of labelledValues(source, ['화면', '화면 전환', '화면 강조']))
      assert.ok(!narration.text.includes(value.replace(/`/g, '').slice(0, 12)), value);
    assert.ok(narration.text.includes('"GGUF 양자화 레벨(Q8_0부터 Q2_K까지)과 -ngl, -c 조합은 수십 가지인데,'));
    assert.ok(narration.text.includes('"FiTuna는 연산을 직접 하지 않습니다.'));
    assert.ok(!narration.text.includes('fituna detect-hw'), 'commands are not narration');
  });

  it('13: the 旁白 lines and none of 画面, BGM or 字幕', () => {
    const { source, narration, chunks } = narrate('13-zh-modloader-promo-video.md');
    assert.strictEqual(narration.reading?.mode, 'speakers');
    const narratorLines = source.split('\n').filter((line) => line.startsWith('**旁白**'));
    assert.strictEqual(
      narration.reading?.why,
      `speaking only the speakers' lines: the narration is labelled “旁白” (${narratorLines.length} parts)`,
    );
    assert.strictEqual(narration.blocks.length, narratorLines.length);
    assert.deepStrictEqual(
      narration.blocks.map((b) => b.text),
      narratorLines.map((line) => line.replace(/^\*\*旁白\*\*:\s*/, '').replace(/`/g, '')),
    );
    assert.ok(chunks.every((c) => c.speakers?.join() === '旁白'));
    const directions = labelledValues(source, ['画面', 'BGM', '字幕', '字幕弹出']);
    assert.ok(directions.length >= 10);
    for (const value of directions) assert.ok(!narration.text.includes(value), value);
    const silentLabels = new Set((narration.silences ?? []).map((s) => s.detail));
    for (const label of ['画面', 'BGM', '字幕', '字幕弹出', '重点镜头', '画面切换'])
      assert.ok(silentLabels.has(label), label);
  });

  it('04: host1 and host2, declared in the front matter as Alex and Jordan, cast by those names in script order', () => {
    const voices = { Alex: 'M000000001', Jordan: { model: 'M000000002' } };
    const { source, narration, chunks } = narrate('04-podcast-frontmatter-speaker-lines.md', { voices });
    assert.strictEqual(narration.reading?.mode, 'speakers');
    assert.deepStrictEqual(
      narration.reading?.speakers.map((s) => [s.name, s.displayName, s.voice?.model, s.castBy]),
      [
        ['host1', 'Alex', 'M000000001', 'settings'],
        ['host2', 'Jordan', 'M000000002', 'settings'],
      ],
    );
    const labels = [...source.matchAll(/^(host[12]):/gm)].map((m) => m[1]);
    assert.deepStrictEqual(
      chunks.map((c) => c.speakers?.join()),
      labels,
    );
    assert.deepStrictEqual(
      chunks.map((c) => c.voice.model),
      labels.map((label) => (label === 'host1' ? 'M000000001' : 'M000000002')),
    );
    assert.ok(chunks.every((c) => !/host\d|Intro|Wrap Up|background_music/.test(c.text)));
    // Uncast, both speak in the default voice, and the reading says they are uncast.
    const uncast = narrate('04-podcast-frontmatter-speaker-lines.md').narration;
    assert.deepStrictEqual(uncast.reading?.speakers, [
      { name: 'host1', displayName: 'Alex' },
      { name: 'host2', displayName: 'Jordan' },
    ]);
  });

  it('11: Jerod Santo’s monologue, the music breaks silent', () => {
    const { source, narration } = narrate('11-changelog-news-podcast.md');
    assert.strictEqual(narration.reading?.mode, 'speakers');
    assert.ok(narration.blocks.every((b) => b.speaker === 'Jerod Santo'));
    const breaks = (source.match(/^\*\*Break:\*\*$/gm) ?? []).length;
    assert.strictEqual(
      (narration.silences ?? []).filter((s) => s.reason === 'production label' && s.detail === 'Break').length,
      breaks,
    );
    assert.ok(!narration.text.includes('Jerod Santo:'));
    assert.ok(!narration.text.includes('Break'));
    assert.ok(narration.text.includes('MORE IMPORTANTLY: This September'), 'a one-off phrase is not a speaker');
  });

  it('20: four speakers in turn, each in their voice; escaped cues and timestamps silent', () => {
    const voices = {
      'Jerod Santo': 'M000000001',
      'Adam Stacoviak': 'M000000002',
      Greg: 'M000000003',
      Jason: 'M000000004',
    };
    const { source, narration, chunks } = narrate('20-podcast-transcript-multispeaker.md', { voices });
    assert.deepStrictEqual(
      narration.reading?.speakers.map((s) => s.name),
      ['Jerod Santo', 'Adam Stacoviak', 'Greg', 'Jason'],
    );
    const labelOrder = [...source.matchAll(/^\*\*([^*:]+):\*\*/gm)].map((m) => m[1]);
    assert.deepStrictEqual(turns(chunks.map((c) => c.speakers?.join())), turns(labelOrder));
    for (const chunk of chunks)
      assert.strictEqual(chunk.voice.model, voices[chunk.speakers?.[0] as keyof typeof voices]);
    assert.ok(!/\[laughs\]|\[\d\d:\d\d\]|\[phone ringing\]/.test(narration.text));
    const timestamps = (source.match(/\\\[\d\d:\d\d\\\]/g) ?? []).length;
    assert.strictEqual((narration.silences ?? []).filter((s) => s.reason === 'timecode').length, timestamps);
  });
});
