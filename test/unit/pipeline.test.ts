// The pipeline through its seams, in memory: an in-memory SpeechService instead of the server, Node's file system
// for placement. What travels with each chunk (its voice) reaches the request and the cache key unchanged.
import * as assert from 'assert';
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { VoiceParams } from '../../src/core/api/voiceParams';
import { AudioCache } from '../../src/core/cache/audioCache';
import { probeAudio } from '../../src/core/audio/format';
import { nodeFileSystem } from '../../src/core/files/nodeFileSystem';
import { silentLogger } from '../../src/core/logger';
import { chunkNarration, type Chunk } from '../../src/core/narration/chunker';
import { markdownToNarration } from '../../src/core/narration/narration';
import { generateAudio, placeGeneration } from '../../src/core/pipeline/generation';
import { makeCaptionFiles } from '../../src/core/captions/captionWriter';
import { cachedChunks, synthesizeChunks } from '../../src/core/pipeline/synthesis';
import { MemorySpeechService } from './fixtures/memorySpeechService';

const HOST = 'https://app.aistudios.cn';
const PAIGE: VoiceParams = { model: 'M000045058', language: 'en' };
const ANOTHER: VoiceParams = { model: 'M000004017', language: 'en' };
const SCRIPT = ['# Intro', 'First paragraph, spoken calmly.', 'Second paragraph, a little brighter.', 'Third one.'];

describe('the pipeline with an in-memory speech service', () => {
  let root: string;
  let cache: AudioCache;
  let speech: MemorySpeechService;

  const chunksOf = (paragraphs: string[], voice = PAIGE): Chunk[] =>
    chunkNarration(markdownToNarration(paragraphs.join('\n\n')), 40, voice);
  const synthesize = async (chunks: readonly Chunk[]) =>
    synthesizeChunks(
      { chunks, host: HOST },
      {
        client: speech,
        cache,
        concurrency: 2,
        logger: silentLogger,
        workDirectory: await fsp.mkdtemp(path.join(root, 'run-')),
      },
    );

  beforeEach(async () => {
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-pipeline-'));
    cache = new AudioCache({ directory: path.join(root, 'cache') });
    speech = new MemorySpeechService();
  });
  afterEach(async () => fsp.rm(root, { recursive: true, force: true }));

  it('requests each chunk in its own voice, and a chunk whose voice changes is requested again', async () => {
    const chunks = chunksOf(SCRIPT);
    assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
    // As a later speaker mapping would: one part in another voice.
    const cast = chunks.map((chunk, i) => (i === 1 ? { ...chunk, voice: ANOTHER } : chunk));
    await synthesize(cast);
    // Requests run two at a time, so they may arrive in any order: match them to their chunks by text.
    assert.deepStrictEqual(
      new Map(speech.requests.map((r) => [r.text, r.voice])),
      new Map(cast.map((c) => [c.text, c.voice])),
      'every request carries the voice of its own chunk',
    );
    assert.strictEqual(speech.requests.length, cast.length);

    speech.requests.length = 0;
    await synthesize(chunks);
    assert.deepStrictEqual(
      speech.requests.map((r) => r.text),
      [chunks[1].text],
      'only the part whose voice changed back is requested; the others come from the cache',
    );
  });

  it('carries a voice field the core does not know unchanged to the request, and keys the cache by it', async () => {
    const faster = { ...PAIGE, rate: 1.25 } as VoiceParams;
    const chunks = chunksOf(SCRIPT, faster);
    await synthesize(chunks);
    assert.ok(speech.requests.every((r) => r.voice === faster));
    assert.deepStrictEqual(
      await cachedChunks({ chunks: chunksOf(SCRIPT), host: HOST }, cache),
      chunksOf(SCRIPT).map(() => false),
      'the audio at another rate is another recording',
    );
    assert.deepStrictEqual(
      await cachedChunks({ chunks, host: HOST }, cache),
      chunks.map(() => true),
    );
  });

  it('generates, places next to the script, and keeps the file when nothing changed', async () => {
    const folder = path.join(root, 'scripts');
    await fsp.mkdir(folder);
    const generateAndPlace = async (paragraphs: string[]) => {
      const generation = await generateAudio(
        { chunks: chunksOf(paragraphs), host: HOST, sectionPauseMs: 0, perSection: false },
        { client: speech, cache, concurrency: 2, logger: silentLogger },
      );
      try {
        return await placeGeneration(nodeFileSystem, folder, generation, {
          mainBaseName: 'intro',
          ifExists: () => 'number',
        });
      } finally {
        await generation.dispose();
      }
    };

    const [first] = await generateAndPlace(SCRIPT);
    assert.strictEqual(first.location, path.join(folder, 'intro.wav'));
    assert.strictEqual(first.unchanged, false);
    const requested = speech.requests.length;
    assert.strictEqual(requested, chunksOf(SCRIPT).length);
    assert.ok(probeAudio(await fsp.readFile(first.location)).durationMs > 0);

    const [again] = await generateAndPlace(SCRIPT);
    assert.deepStrictEqual(again, { location: first.location, fileName: 'intro.wav', unchanged: true });
    assert.strictEqual(speech.requests.length, requested, 'nothing requested the second time');

    const [edited] = await generateAndPlace([...SCRIPT.slice(0, 3), 'A new third one.']);
    assert.strictEqual(edited.location, path.join(folder, 'intro (2).wav'));
    assert.strictEqual(speech.requests.length, requested + 1, 'only the edited part');
    assert.deepStrictEqual((await fsp.readdir(folder)).sort(), ['intro (2).wav', 'intro.wav']);
  });

  it('speaks a dialogue as one file in script order, each line in its speaker’s voice, with the script’s pauses as silence', async () => {
    const script = [
      '---',
      'voices: { HOST: M000000001, GUEST: M000000002 }',
      '---',
      'HOST: Welcome to the show. [pause 2s] Today, sleep.',
      'GUEST: Thanks for having me. [beat]',
      'HOST: Let us begin.',
    ].join('\n\n');
    const chunks = chunkNarration(markdownToNarration(script), 2000, PAIGE);
    assert.deepStrictEqual(
      chunks.map((c) => [c.voice.model, c.text]),
      [
        ['M000000001', 'Welcome to the show.'],
        ['M000000001', 'Today, sleep.'],
        ['M000000002', 'Thanks for having me.'],
        ['M000000001', 'Let us begin.'],
      ],
    );
    const generation = await generateAudio(
      { chunks, host: HOST, sectionPauseMs: 700, perSection: false },
      { client: speech, cache, concurrency: 2, logger: silentLogger },
    );
    try {
      const [joined] = generation.files;
      // Requests may run in any order; the file is in script order (its timings follow the chunks).
      assert.deepStrictEqual(
        joined.rendered.timings.map((t) => t.chunkIndex),
        [0, 1, 2, 3],
      );
      const pieces = await Promise.all(
        generation.pieces.map(async (piece) => probeAudio(await fsp.readFile(piece.path)).durationMs),
      );
      const pauses = 2000 + 500;
      const probed = probeAudio(await fsp.readFile(joined.rendered.tempPath)).durationMs;
      assert.strictEqual(probed, pieces.reduce((a, b) => a + b, 0) + pauses);
      assert.strictEqual(joined.rendered.timings[1].startMs, pieces[0] + 2000, 'the 2 s pause comes before “Today”');
      assert.strictEqual(joined.rendered.timings[3].startMs, pieces[0] + 2000 + pieces[1] + pieces[2] + 500);
      assert.deepStrictEqual(
        new Map(speech.requests.map((r) => [r.text, r.voice.model])),
        new Map(chunks.map((c) => [c.text, c.voice.model])),
      );
    } finally {
      await generation.dispose();
    }
  });

  it('ends a file with the silence of a pause mark at the very end of the script', async () => {
    const chunks = chunkNarration(markdownToNarration('Goodbye. [3 seconds of silence]'), 2000, PAIGE);
    const generation = await generateAudio(
      { chunks, host: HOST, sectionPauseMs: 0, perSection: false },
      { client: speech, cache, concurrency: 1, logger: silentLogger },
    );
    try {
      const piece = probeAudio(await fsp.readFile(generation.pieces[0].path)).durationMs;
      assert.strictEqual(
        probeAudio(await fsp.readFile(generation.files[0].rendered.tempPath)).durationMs,
        piece + 3000,
      );
    } finally {
      await generation.dispose();
    }
  });

  it('places captions beside the audio, and a caption writer that fails costs the captions, never the audio', async () => {
    const folder = path.join(root, 'captioned');
    await fsp.mkdir(folder);
    const run = async (writeCaptions: typeof makeCaptionFiles) => {
      const generation = await generateAudio(
        { chunks: chunksOf(SCRIPT), host: HOST, sectionPauseMs: 0, perSection: false, captions: ['srt', 'vtt'] },
        { client: speech, cache, concurrency: 2, logger: silentLogger, writeCaptions },
      );
      try {
        return await placeGeneration(nodeFileSystem, folder, generation, {
          mainBaseName: 'talk',
          ifExists: () => 'number',
        });
      } finally {
        await generation.dispose();
      }
    };
    const [broken] = await run(async () => {
      throw new Error('the caption writer could not be loaded');
    });
    assert.strictEqual(broken.fileName, 'talk.wav', 'the audio is placed');
    assert.match(String(broken.captionFailure), /could not be loaded/);
    assert.deepStrictEqual(await fsp.readdir(folder), ['talk.wav']);

    const [made] = await run(makeCaptionFiles);
    assert.strictEqual(made.unchanged, true, 'the same audio, kept');
    assert.strictEqual(made.captionFailure, undefined);
    assert.deepStrictEqual(
      made.captions?.map((c) => [c.fileName, c.outcome]),
      [
        ['talk.srt', 'written'],
        ['talk.vtt', 'written'],
      ],
    );
    assert.match(await fsp.readFile(path.join(folder, 'talk.srt'), 'utf8'), /^1\n00:00:00,000 --> /);
  });
});
