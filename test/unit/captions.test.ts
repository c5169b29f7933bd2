// Captions from the text that was sent and the joined audio: part boundaries exact to the audio's real part
// boundaries, cues in order without overlap covering every part, lines within the conventions, and boundaries inside
// a part moved to the real pauses of the voice (the fake server's tones: every character lasts 1/14 s, spaces and
// punctuation are silent).
import * as assert from 'assert';
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseSync, type NodeCue } from 'subtitle';
import { probeAudio } from '../../src/core/audio/format';
import { scanMpegFrames } from '../../src/core/audio/mpeg';
import { parseWav } from '../../src/core/audio/wav';
import { measureLoudness, silentSpans } from '../../src/core/audio/loudness';
import { layOutCaption, captionWidth } from '../../src/core/captions/captionLines';
import { formatCaptions } from '../../src/core/captions/captionFormats';
import { placeCaptions } from '../../src/core/captions/captionFiles';
import { makeCaptionFiles } from '../../src/core/captions/captionWriter';
import { timeCaptions, type CaptionCue, type CaptionPart } from '../../src/core/captions/captionTiming';
import { nodeFileSystem } from '../../src/core/files/nodeFileSystem';
import { chunkNarration, type Chunk } from '../../src/core/narration/chunker';
import { markdownToNarration } from '../../src/core/narration/narration';
import { captionParts } from '../../src/core/pipeline/generation';
import { renderPieces } from '../../src/core/pipeline/render';
import type { SynthesizedPiece } from '../../src/core/pipeline/synthesis';
import { CHARACTERS_PER_SECOND, speakText } from '../fixtures/fakeSpeech';

const SECTION_PAUSE_MS = 700;
const TOLERANCE_MS = 50;

/**
 * For each cue that ends a sentence or clause inside a part, how far its end is from the middle of the fake voice's
 * pause there (the punctuation and the space after it are silent, each 1/14 s, counted from the part's text), in ms.
 */
function pauseErrors(cues: readonly CaptionCue[], parts: readonly CaptionPart[]): number[] {
  const errors: number[] = [];
  let from = 0;
  for (let i = 0; i < cues.length - 1; i++) {
    const cue = cues[i];
    if (i === 0 || cues[i - 1].part !== cue.part) from = 0;
    const text = parts[cue.part].text;
    const last = cue.lines[cue.lines.length - 1];
    const at = text.indexOf(last, from);
    assert.ok(at >= 0, `"${last}" is in part ${cue.part + 1}`);
    from = at + last.length;
    if (cues[i + 1].part !== cue.part || !/[.,;:!?]$/.test(last)) continue;
    errors.push(Math.abs(cue.endMs - (parts[cue.part].startMs + (from / CHARACTERS_PER_SECOND) * 1000)));
  }
  return errors;
}

function median(values: readonly number[]): number {
  return Math.round([...values].sort((a, b) => a - b)[values.length >> 1]);
}

describe('captions', () => {
  let root: string;
  beforeEach(async () => {
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'aistudios-captions-'));
  });
  afterEach(() => fsp.rm(root, { recursive: true, force: true }));

  /** The script's chunks spoken by the fake voice into files, as the synthesis would leave them. */
  async function speak(format: 'mp3' | 'wav', corpus: string): Promise<SynthesizedPiece[]> {
    const script = await fsp.readFile(path.join(__dirname, '../../../test/fixtures/scripts', corpus), 'utf8');
    const chunks: Chunk[] = chunkNarration(markdownToNarration(script), 400, {
      model: 'M1',
      language: 'en',
    });
    assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
    return Promise.all(
      chunks.map(async (chunk) => {
        const { bytes } = await speakText(chunk.text, 'en', 'tones', format);
        const piecePath = path.join(root, `piece-${chunk.index}.${format}`);
        await fsp.writeFile(piecePath, bytes);
        return { chunk, path: piecePath, extension: `.${format}`, fromCache: false };
      }),
    );
  }

  /**
   * Where each piece's own audio really lies in the joined file, found by searching the joined bytes for the piece's
   * audio (the join copies MP3 frames and WAV samples verbatim), not by the join's own arithmetic.
   */
  async function realBoundaries(
    pieces: SynthesizedPiece[],
    joinedPath: string,
  ): Promise<{ startMs: number; endMs: number }[]> {
    const joined = await fsp.readFile(joinedPath);
    const spans = [];
    let from = 0;
    if (pieces[0].extension === '.wav') {
      const { dataOffset, format } = parseWav(joined);
      const msPerByte = 1000 / format.sampleRate / format.blockAlign;
      for (const piece of pieces) {
        const own = await fsp.readFile(piece.path);
        const info = parseWav(own);
        const data = own.subarray(info.dataOffset, info.dataOffset + info.dataSize);
        const at = joined.indexOf(data, from);
        assert.ok(at >= 0, `piece ${piece.chunk.index + 1} is in the joined file`);
        spans.push({ startMs: (at - dataOffset) * msPerByte, endMs: (at - dataOffset + data.length) * msPerByte });
        from = at + data.length;
      }
      return spans;
    }
    const frames = scanMpegFrames(joined)!.frames;
    const frameMs = (frames[0].header.samplesPerFrame / frames[0].header.sampleRate) * 1000;
    const frameAt = new Map(frames.map((frame, i) => [frame.offset, i]));
    for (const piece of pieces) {
      const own = scanMpegFrames(await fsp.readFile(piece.path))!;
      const bytes = await fsp.readFile(piece.path);
      const first = own.frames[0].offset;
      const last = own.frames[own.frames.length - 1];
      const audio = bytes.subarray(first, last.offset + last.header.frameLength);
      const at = joined.indexOf(audio, from);
      const index = frameAt.get(at);
      assert.ok(index !== undefined, `piece ${piece.chunk.index + 1} is in the joined file, frame-aligned`);
      spans.push({ startMs: index * frameMs, endMs: (index + own.frames.length) * frameMs });
      from = at + audio.length;
    }
    return spans;
  }

  // 14: 135 parts cut at its [0.5s] cues, with the script's pauses and the sections' between them; 11: long quotes
  // read on air, so parts hold many sentences whose boundaries move to the voice's pauses.
  for (const [format, corpus] of [
    ['mp3', '14-demo-narration-pause-cues.md'],
    ['wav', '14-demo-narration-pause-cues.md'],
    ['mp3', '11-changelog-news-podcast.md'],
    ['wav', '11-changelog-news-podcast.md'],
  ] as const) {
    it(`times a joined ${format.toUpperCase()} of ${corpus} to its real part boundaries, in order, without overlap`, async () => {
      const pieces = await speak(format, corpus);
      const rendered = await renderPieces(pieces, { sectionPauseMs: SECTION_PAUSE_MS, workDirectory: root });
      const captions = await makeCaptionFiles(rendered.tempPath, captionParts(rendered, pieces), ['srt', 'vtt'], {
        workDirectory: root,
      });
      assert.strictEqual(captions.refined, true, 'the audio was decoded');
      const srt = await fsp.readFile(captions.files[0].localPath, 'utf8');
      const vtt = await fsp.readFile(captions.files[1].localPath, 'utf8');
      assert.match(vtt, /^WEBVTT\n\n1\n00:00:00\.000 --> /);
      for (const text of [srt, vtt]) {
        const cues = parseSync(text)
          .filter((node): node is NodeCue => node.type === 'cue')
          .map((node) => node.data);
        assert.strictEqual(cues.length, captions.cues.length);
        for (let i = 0; i < cues.length; i++) {
          assert.ok(cues[i].end > cues[i].start, `cue ${i + 1} has a length`);
          if (i > 0) assert.ok(cues[i].start >= cues[i - 1].end, `cue ${i + 1} starts after cue ${i} ends`);
          // As a player shows it: WebVTT's escapes are one character each.
          const lines = cues[i].text
            .replace(/^<v [^>]*>/, '')
            .replace(/&(amp|lt|gt);/g, '&')
            .split('\n');
          assert.ok(lines.length <= 2, `cue ${i + 1}: ${lines.length} lines`);
          for (const line of lines) assert.ok(captionWidth(line) <= 42, `cue ${i + 1}: "${line}" is too long`);
        }
      }
      const real = await realBoundaries(pieces, rendered.tempPath);
      const total = probeAudio(await fsp.readFile(rendered.tempPath)).durationMs;
      assert.ok(Math.abs(real[real.length - 1].endMs - total) < 1, 'the last piece ends the file');
      let worst = 0;
      for (const [part, span] of real.entries()) {
        const cues = captions.cues.filter((cue) => cue.part === part);
        assert.ok(cues.length > 0, `part ${part + 1} has cues`);
        assert.ok(
          Math.abs(cues[0].startMs - span.startMs) <= TOLERANCE_MS,
          `part ${part + 1} starts at ${span.startMs} ms`,
        );
        const end = cues[cues.length - 1].endMs;
        assert.ok(Math.abs(end - span.endMs) <= TOLERANCE_MS, `part ${part + 1} ends at ${span.endMs} ms, not ${end}`);
        worst = Math.max(worst, Math.abs(cues[0].startMs - span.startMs), Math.abs(end - span.endMs));
        // Within a part the cues follow each other without a gap: the part is covered.
        for (let i = 1; i < cues.length; i++) assert.strictEqual(cues[i].startMs, cues[i - 1].endMs);
      }
      assert.ok(worst <= 1, `part boundaries within a millisecond (rounding), not ${worst} ms`);
      // Inside parts: each boundary after a sentence or clause, against the fake voice's real pause there.
      const parts = captionParts(rendered, pieces);
      const plain = pauseErrors(timeCaptions(parts), parts);
      const refined = pauseErrors(captions.cues, parts);
      if (corpus.startsWith('14-')) return;
      assert.ok(refined.length > 50, `${refined.length} boundaries measured`);
      assert.ok(
        median(refined) <= 40,
        `refined boundaries are within 40 ms of the pause (median ${median(refined)} ms)`,
      );
      assert.ok(
        median(refined) < median(plain) / 2,
        `refined ${median(refined)} ms vs by characters ${median(plain)} ms`,
      );
    });
  }

  it('moves a sentence boundary inside a part to the pause the voice made', async () => {
    // Two sentences of very different word lengths: by characters the boundary lands inside the first one's audio.
    const text = 'Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbb. Cc dd ee ff gg hh ii jj kk ll mm.';
    const { bytes } = await speakText(text, 'en', 'tones', 'wav');
    const audio = path.join(root, 'one.wav');
    await fsp.writeFile(audio, bytes);
    const durationMs = probeAudio(bytes).durationMs;
    const loudness = await measureLoudness(audio);
    assert.ok(loudness);
    const silences = silentSpans(loudness);
    const part = { text, startMs: 0, durationMs };
    const plain = timeCaptions([part]);
    const refined = timeCaptions([part], { silences });
    // In the fake voice the pause is ". " (the characters after "bbbbbbbbbbbbb"), 1/14 s each.
    const pauseStart = (text.indexOf('.') / CHARACTERS_PER_SECOND) * 1000;
    const pauseEnd = ((text.indexOf('.') + 2) / CHARACTERS_PER_SECOND) * 1000;
    const inPause = (ms: number) => ms >= pauseStart - 20 && ms <= pauseEnd + 20;
    assert.strictEqual(refined.length, 2);
    assert.ok(inPause(refined[0].endMs), `refined boundary ${refined[0].endMs} ms in [${pauseStart}, ${pauseEnd}]`);
    assert.strictEqual(refined[1].startMs, refined[0].endMs);
    assert.ok(Math.abs(plain[0].endMs - refined[0].endMs) > 0, 'the silence moved it');
  });

  it('refines an MP3 as well as a WAV (decoded with mpg123)', async () => {
    const text = 'One sentence here. Another sentence there. And a third one at the end of it.';
    const { bytes } = await speakText(text, 'en', 'tones', 'mp3');
    const audio = path.join(root, 'one.mp3');
    await fsp.writeFile(audio, bytes);
    const loudness = await measureLoudness(audio);
    assert.ok(loudness, 'an MP3 is measured');
    const spans = silentSpans(loudness);
    for (const sentenceEnd of [text.indexOf('here.') + 4, text.indexOf('there.') + 5]) {
      const ms = (sentenceEnd / CHARACTERS_PER_SECOND) * 1000;
      assert.ok(
        spans.some((s) => s.startMs <= ms + 100 && s.endMs >= ms + 40),
        `a silence after the sentence ending at ${Math.round(ms)} ms: ${JSON.stringify(spans)}`,
      );
    }
  });

  it('wraps lines at phrases: at most 2 lines of 42 characters, never after an article when avoidable', () => {
    const cues = layOutCaption(
      'The quick brown fox jumps over the lazy dog, and then it runs into the forest where nobody can see it any more.',
    );
    for (const lines of cues) {
      assert.ok(lines.length <= 2);
      for (const line of lines) {
        assert.ok(captionWidth(line) <= 42, line);
        assert.doesNotMatch(line, /\b(the|a|an)$/i, `"${line}" ends on an article`);
      }
    }
    assert.deepStrictEqual(layOutCaption('Short and sweet.'), [['Short and sweet.']]);
    const clause = layOutCaption('We recorded the narration yesterday, and the captions came with the audio.');
    assert.deepStrictEqual(clause, [['We recorded the narration yesterday,', 'and the captions came with the audio.']]);
    // Wide characters count twice: 30 Hangul syllables do not fit on one 42-character line.
    const korean = layOutCaption('가나다라마바사아자차 카타파하가나다라마바 사아자차카타파하가나');
    assert.ok(korean.flat().every((line) => captionWidth(line) <= 42));
    assert.ok(korean.flat().length >= 2);
    // A Korean word keeps its particle, even after Latin letters or a unit: never a line that starts with "로".
    const mixed = layOutCaption(
      '먼저 detect-hw로 현재 하드웨어를 확인합니다. 다음 후보 Q6_K가 249.5 tok/s로 목표를 만족하는 순간 탐색이 멈춥니다.',
    );
    for (const line of mixed.flat()) assert.doesNotMatch(line, /^(로|가|s로)/, `"${line}" starts inside a word`);
    assert.ok(mixed.flat().some((line) => line.includes('tok/s로')));
  });

  it('writes WebVTT cue text safely and keeps a file valid with no cue', () => {
    const cue: CaptionCue = { startMs: 0, endMs: 1500, lines: ['Fish & chips <b>now</b> --> later'], part: 0 };
    assert.strictEqual(
      formatCaptions([cue], 'vtt'),
      'WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nFish &amp; chips &lt;b&gt;now&lt;/b&gt; → later\n',
    );
    assert.strictEqual(
      formatCaptions([cue], 'srt'),
      '1\n00:00:00,000 --> 00:00:01,500\nFish & chips <b>now</b> → later\n',
    );
    assert.strictEqual(formatCaptions([], 'vtt'), 'WEBVTT\n');
    // A speaker is WebVTT's voice span; SubRip has none.
    const spoken: CaptionCue = {
      startMs: 0,
      endMs: 900,
      lines: ['Welcome back.', 'Today: captions.'],
      part: 0,
      speaker: 'Jerod <S>',
    };
    assert.match(formatCaptions([spoken], 'vtt'), /\n<v Jerod &lt;S>Welcome back\.\nToday: captions\.\n$/);
    assert.match(formatCaptions([spoken], 'srt'), /\nWelcome back\.\nToday: captions\.\n$/);
  });

  it('places captions named like the audio; never over a different file unless the audio replaced its namesake', async () => {
    const folder = path.join(root, 'out');
    await fsp.mkdir(folder);
    const local = path.join(root, 'made.srt');
    await fsp.writeFile(local, '1\n00:00:00,000 --> 00:00:01,000\nHello.\n');
    const files = [{ format: 'srt' as const, extension: '.srt', localPath: local, cues: 1 }];
    const [first] = await placeCaptions(nodeFileSystem, folder, 'intro (2).mp3', files, { replace: false });
    assert.strictEqual(first.fileName, 'intro (2).srt');
    assert.strictEqual(first.outcome, 'written');
    const [same] = await placeCaptions(nodeFileSystem, folder, 'intro (2).mp3', files, { replace: false });
    assert.strictEqual(same.outcome, 'unchanged');
    await fsp.writeFile(path.join(folder, 'intro (2).srt'), 'edited by hand');
    const [kept] = await placeCaptions(nodeFileSystem, folder, 'intro (2).mp3', files, { replace: false });
    assert.strictEqual(kept.outcome, 'kept');
    assert.strictEqual(await fsp.readFile(path.join(folder, 'intro (2).srt'), 'utf8'), 'edited by hand');
    const [replaced] = await placeCaptions(nodeFileSystem, folder, 'intro (2).mp3', files, { replace: true });
    assert.strictEqual(replaced.outcome, 'replaced');
    assert.strictEqual(
      await fsp.readFile(path.join(folder, 'intro (2).srt'), 'utf8'),
      await fsp.readFile(local, 'utf8'),
    );
    assert.deepStrictEqual((await fsp.readdir(folder)).sort(), ['intro (2).srt'], 'no part file is left behind');
  });
});
