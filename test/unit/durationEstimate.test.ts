// Duration before paying: rates learned from the writer's own takes (a default per language before), the estimate of a
// script with its pauses, real lengths replacing estimates, and `duration:` targets from the front matter.
import * as assert from 'assert';
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AiStudiosClient } from '../../src/core/api/client';
import { AudioCache } from '../../src/core/cache/audioCache';
import { silentLogger } from '../../src/core/logger';
import { chunkNarration, type Chunk } from '../../src/core/narration/chunker';
import { markdownToNarration } from '../../src/core/narration/narration';
import { captionParts, generateAudio } from '../../src/core/pipeline/generation';
import { estimateDuration, formatClock } from '../../src/core/timing/durationEstimate';
import { checkDurations, durationTargets, parseDuration } from '../../src/core/timing/durationTargets';
import { SpeechRates, defaultRate, spokenCharacters } from '../../src/core/timing/speechRate';
import { DEMO_TOKEN, startFakeServer, type FakeServer } from '../fixtures/fakeServer';

const SCRIPTS = path.join(__dirname, '../../../test/fixtures/scripts');
const EN = { model: 'M000045058', language: 'en' };
const KO = { model: 'M000045058', language: 'ko' };

describe('duration estimates', () => {
  it('counts characters as a voice reads them and formats durations as a clock', () => {
    assert.strictEqual(spokenCharacters('  Hello,\n\n  world. '), 13);
    assert.strictEqual(spokenCharacters('안녕하세요'), 5);
    assert.deepStrictEqual([0, 14_400, 160_000, 3_723_000].map(formatClock), ['0:00', '0:14', '2:40', '1:02:03']);
  });

  it('reads written durations', () => {
    const cases: [string, number | undefined][] = [
      ['45s', 45_000],
      ['45 sec', 45_000],
      ['1:30', 90_000],
      ['1:02:30', 3_750_000],
      ['1m30s', 90_000],
      ['2 min', 120_000],
      ['90', 90_000],
      ['0.5 s', 500],
      ['45초', 45_000],
      ['2분 30초', 150_000],
      ['soon', undefined],
      ['45 parsecs', undefined],
      ['1:75', undefined],
    ];
    for (const [text, ms] of cases) assert.strictEqual(parseDuration(text), ms, text);
  });

  it('uses a default per language before any take, then the rate of the writer’s takes, recent takes first', () => {
    const rates = new SpeechRates();
    assert.deepStrictEqual(rates.rateFor(EN), { charactersPerSecond: 14, learned: false });
    assert.strictEqual(rates.rateFor(KO).charactersPerSecond, defaultRate('ko-KR'));
    // A heading alone (shorter than 400 ms) says nothing about a rate.
    assert.strictEqual(rates.recordTake(EN, [{ text: 'Intro.', durationMs: 300 }]), false);
    assert.ok(rates.recordTake(EN, [{ text: 'x'.repeat(100), durationMs: 10_000 }]));
    assert.deepStrictEqual(rates.rateFor(EN), { charactersPerSecond: 10, learned: true });
    assert.strictEqual(rates.rateFor(KO).learned, false, 'another language of the same model is another rate');
    rates.recordTake(EN, [{ text: 'x'.repeat(200), durationMs: 10_000 }]);
    const rate = rates.rateFor(EN).charactersPerSecond;
    assert.ok(rate > 15 && rate < 20, `the newer take weighs more: ${rate}`);
    const restored = SpeechRates.fromJSON(JSON.parse(JSON.stringify(rates)));
    assert.deepStrictEqual(restored.rateFor(EN), rates.rateFor(EN));
    assert.deepStrictEqual(SpeechRates.fromJSON({ bad: { characters: -1, ms: 'x', takes: 1 } }).toJSON(), {});
  });

  it('adds the section pauses, and real lengths replace estimates', () => {
    const chunks = chunkNarration(
      markdownToNarration('# One\n\nFirst section text.\n\n# Two\n\nSecond section text.'),
      2000,
      EN,
    );
    const rates = new SpeechRates();
    const estimate = estimateDuration(chunks, { rates, sectionPauseMs: 700 });
    const speaking = chunks.reduce((sum, c) => sum + (spokenCharacters(c.text) / 14) * 1000, 0);
    assert.strictEqual(Math.round(estimate.totalMs), Math.round(speaking + 700));
    assert.deepStrictEqual(
      estimate.sections.map((s) => s.title),
      ['One', 'Two'],
    );
    assert.strictEqual(estimate.exact, false);
    const real = estimateDuration(chunks, { rates, sectionPauseMs: 700, realMs: () => 2000 });
    assert.strictEqual(real.totalMs, 2000 * chunks.length + 700);
    assert.ok(real.exact && real.chunks.every((c) => c.source === 'real'));
  });

  it('reads duration targets from the front matter and warns only when the estimate runs over', () => {
    const source = [
      '---',
      'title: Demo',
      'duration:',
      '  total: 0:05',
      '  "Second part": 30s',
      '  Missing: 10s',
      '  First: soon',
      '---',
      '# First',
      'A short sentence.',
      '# Second part',
      'Another short sentence.',
    ].join('\n');
    const { targets, problems } = durationTargets(source);
    assert.deepStrictEqual(
      targets.map((t) => [t.scope, t.ms]),
      [
        [{ kind: 'script' }, 5000],
        [{ kind: 'section', title: 'Second part' }, 30_000],
        [{ kind: 'section', title: 'Missing' }, 10_000],
      ],
    );
    assert.strictEqual(source.slice(targets[1].sourceStart, targets[1].sourceEnd), '  "Second part": 30s');
    assert.deepStrictEqual(
      problems.map((p) => source.slice(p.sourceStart, p.sourceEnd)),
      ['  First: soon'],
    );
    const chunks = chunkNarration(markdownToNarration(source), 2000, EN);
    const checks = checkDurations(targets, estimateDuration(chunks, { rates: new SpeechRates(), sectionPauseMs: 700 }));
    assert.deepStrictEqual(
      checks.map((c) => c.over),
      [false, false, false],
    );
    const tight = durationTargets('---\nduration: 2s\n---\n# First\n\nA sentence that is longer than two seconds.\n');
    const [check] = checkDurations(
      tight.targets,
      estimateDuration(
        chunkNarration(markdownToNarration('# First\n\nA sentence that is longer than two seconds.'), 2000, EN),
        {
          rates: new SpeechRates(),
          sectionPauseMs: 700,
        },
      ),
    );
    assert.strictEqual(check.over, true);
    assert.ok(check.estimateMs! > 2000);
    assert.deepStrictEqual(durationTargets('duration: 2s\n# Not front matter').targets, []);
  });

  describe('learned from the fake server’s audio', () => {
    let server: FakeServer;
    let root: string;
    before(async () => {
      server = await startFakeServer();
    });
    after(() => server.close());
    beforeEach(async () => {
      root = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-estimate-'));
    });
    afterEach(() => fsp.rm(root, { recursive: true, force: true }));

    async function generate(chunks: Chunk[]) {
      const generation = await generateAudio(
        { chunks, host: server.url, sectionPauseMs: 700, perSection: false },
        {
          client: new AiStudiosClient({ baseUrl: server.url, credentials: { kind: 'token', token: DEMO_TOKEN } }),
          cache: new AudioCache({ directory: path.join(root, 'cache') }),
          concurrency: 3,
          logger: silentLogger,
        },
      );
      try {
        const [file] = generation.files;
        return { durationMs: file.rendered.durationMs, parts: captionParts(file.rendered, generation.pieces) };
      } finally {
        await generation.dispose();
      }
    }

    for (const [language, voice, taught, estimated] of [
      ['English', EN, '04-podcast-frontmatter-speaker-lines.md', '14-demo-narration-pause-cues.md'],
      ['Korean', KO, '17-ko-cli-demo-scenario.md', '17-ko-cli-demo-scenario.md'],
    ] as const) {
      it(`is within 10 % of the real length after one take (${language})`, async () => {
        const read = async (name: string) => fsp.readFile(path.join(SCRIPTS, name), 'utf8');
        const chunksOf = async (name: string) =>
          chunkNarration(markdownToNarration(await read(name), { language: voice.language }), 300, voice);
        let teach = await chunksOf(taught);
        let target = await chunksOf(estimated);
        if (taught === estimated) {
          // One script: the first half teaches, the second half is estimated.
          const half = Math.floor(teach.length / 2);
          assert.ok(half >= 1, `${teach.length} parts`);
          target = teach
            .slice(half)
            .map((chunk, index) => ({ ...chunk, index, startsSection: index > 0 && chunk.startsSection }));
          teach = teach.slice(0, half);
        }
        const rates = new SpeechRates();
        const before = estimateDuration(target, { rates, sectionPauseMs: 700 }).totalMs;
        const take = await generate(teach);
        assert.ok(rates.recordTake(voice, take.parts));
        const after = estimateDuration(target, { rates, sectionPauseMs: 700 }).totalMs;
        const real = (await generate(target)).durationMs;
        const error = Math.abs(after - real) / real;
        assert.ok(
          error <= 0.1,
          `estimate ${Math.round(after)} ms vs real ${Math.round(real)} ms: ${(error * 100).toFixed(1)} %`,
        );
        if (language === 'Korean') {
          const defaultError = Math.abs(before - real) / real;
          assert.ok(
            defaultError > 0.3,
            `the Korean default (${(defaultError * 100).toFixed(0)} % off) is what was learned away`,
          );
        }
      });
    }
  });
});
