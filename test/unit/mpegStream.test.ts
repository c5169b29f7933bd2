// MpegStreamWalk: an MP3 walked chunk by chunk as it downloads says "plain MPEG frames" exactly when the join's
// first pass, reading the file, would find audio frames from the first byte to the last; and then the same frames.
import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { joinAudioFiles, joinOfItsOwn, type JoinPiece } from '../../src/core/audio/join';
import { planJoin } from '../../src/core/audio/joinPlan';
import { FILE_WINDOW_BYTES } from '../../src/core/audio/fileWindow';
import { frameHeaderBytes, parseFrameHeader, silentFrames } from '../../src/core/audio/mpeg';
import { MpegStreamWalk, type PlainMpegStream } from '../../src/core/audio/mpegStream';
import { audioFixturePath, makeWav, readAudioFixture } from '../fixtures/audio/audioFixtures';
import { speakText } from '../fixtures/fakeSpeech';

/** The walk of `bytes` pushed in pieces of the given sizes (the last piece takes the rest). */
function walk(bytes: Uint8Array, sizes: readonly number[] = [bytes.length]): PlainMpegStream | undefined {
  const walker = new MpegStreamWalk();
  let offset = 0;
  for (const size of sizes) {
    if (offset >= bytes.length) break;
    walker.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  if (offset < bytes.length) walker.push(bytes.subarray(offset));
  return walker.finish();
}

const everyBytes = (n: number, total: number): number[] => Array.from({ length: Math.ceil(total / n) }, () => n);

describe('MpegStreamWalk', () => {
  let dir: string;
  let tones: Uint8Array;

  before(async () => {
    tones = new Uint8Array(
      (await speakText('A plain stream of tones, as the fake server sends.', 'en', 'tones', 'mp3')).bytes,
    );
  });
  beforeEach(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mpeg-stream-'));
  });
  afterEach(async () => {
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  /** The join's own plan of a file holding `bytes`. */
  async function filePlan(bytes: Uint8Array) {
    const file = path.join(dir, `piece-${Math.random().toString(36).slice(2)}.mp3`);
    await fs.promises.writeFile(file, bytes);
    try {
      const { format, plans } = await planJoin([{ path: file }], new Uint8Array(FILE_WINDOW_BYTES));
      return { format, plan: plans[0]! };
    } catch {
      return undefined; // not something the join takes at all
    }
  }

  /** Asserts that the walk (whatever the chunking) agrees with the join's reading of the file. */
  async function agreesWithTheJoin(bytes: Uint8Array, expectPlain: boolean, what: string): Promise<void> {
    const planned = await filePlan(bytes);
    const plainToTheJoin = planned?.format.kind === 'mp3' && planned.plan.allAudio === true;
    assert.strictEqual(plainToTheJoin, expectPlain, `${what}: the join's own reading`);
    for (const sizes of [[bytes.length], everyBytes(1, bytes.length), everyBytes(3, bytes.length), [5, 700, 2]]) {
      const walked = walk(bytes, sizes);
      if (!expectPlain) {
        assert.strictEqual(walked, undefined, `${what} in pieces of ${sizes.slice(0, 3).join(', ')}…`);
        continue;
      }
      assert.ok(walked, `${what} in pieces of ${sizes.slice(0, 3).join(', ')}…`);
      const { plan, format } = planned!;
      assert.strictEqual(format.kind === 'mp3' && format.header, walked.header);
      assert.strictEqual(walked.frames, plan.units);
      assert.deepStrictEqual(walked.frameLengths, plan.frameLengths);
      assert.deepStrictEqual([...walked.bitrates], [...plan.bitrates!]);
      assert.strictEqual(walked.bytes, plan.size);
    }
  }

  it('finds the frames of plain MP3 (the fake server tones, a clean fixture) as the join would', async () => {
    await agreesWithTheJoin(tones, true, 'tones');
    await agreesWithTheJoin(readAudioFixture('second.mp3'), true, 'second.mp3');
  });

  it('gives up on anything else: tags, header frames, junk, a cut last frame, WAV', async () => {
    const append = (extra: Uint8Array) => new Uint8Array([...tones, ...extra]);
    const id3v1 = new Uint8Array(128);
    id3v1.set(Buffer.from('TAG'));
    const id3v2 = Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 10, ...new Uint8Array(10));
    const cases: [string, Uint8Array][] = [
      ['hello.mp3 (ID3v2 and ID3v1 tags)', readAudioFixture('hello.mp3')],
      ['third-vbr.mp3 (Xing header frame)', readAudioFixture('third-vbr.mp3')],
      ['an ID3v1 tag appended', append(id3v1)],
      ['an ID3v2 tag in front', new Uint8Array([...id3v2, ...tones])],
      ['one junk byte at the end', append(Uint8Array.of(0))],
      ['the last frame cut short', tones.subarray(0, tones.length - 1)],
      ['junk between frames', new Uint8Array([...tones.subarray(0, 500), 0, ...tones.subarray(500)])],
      ['an APE tag footer', append(Buffer.from('APETAGEX'.padEnd(32, '\0'), 'latin1'))],
      ['WAV', makeWav({ sampleRate: 8000, channels: 1, bitsPerSample: 16, data: new Uint8Array(800) })],
      ['nothing', new Uint8Array(0)],
    ];
    for (const [what, bytes] of cases) {
      const walked = walk(bytes);
      assert.strictEqual(walked, undefined, what);
      for (const sizes of [everyBytes(1, bytes.length), everyBytes(7, bytes.length)])
        assert.strictEqual(walk(bytes, sizes), undefined, `${what}, in pieces`);
    }
    // The join reads the tagged and cut files the same way: never all audio.
    for (const [what, bytes] of cases.slice(0, 7)) {
      const planned = await filePlan(bytes);
      assert.ok(!planned || planned.plan.allAudio !== true, what);
    }
  });

  it('gives up when the audio itself ends like a trailing tag, which the join would cut off', async () => {
    // 'TAG' 128 bytes before the end, inside a frame's data: the frames still follow each other to the end.
    const { frameLengths } = walk(tones)!;
    const headers = new Set<number>();
    for (let i = 0, offset = 0; i < frameLengths.length; offset += frameLengths[i]!, i++)
      for (let b = 0; b < 4; b++) headers.add(offset + b);
    const at = tones.length - 128;
    assert.ok(![0, 1, 2].some((b) => headers.has(at + b)), 'test setup: the tag must not overwrite a frame header');
    const tagged = tones.slice();
    tagged.set(Buffer.from('TAG'), at);
    const planned = await filePlan(tagged);
    assert.notStrictEqual(planned?.plan.allAudio, true, 'the join cuts it off');
    assert.strictEqual(walk(tagged), undefined);
    assert.strictEqual(walk(tagged, everyBytes(50, tagged.length)), undefined);
  });

  it('any chunking gives the same frames', () => {
    const whole = walk(tones);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 2000 }), { maxLength: 40 }), (sizes) => {
        assert.deepStrictEqual(walk(tones, sizes), whole);
      }),
      { numRuns: 60 },
    );
  });

  it('a join told the frames writes the very bytes, and the same timings, as one that reads them', async () => {
    const second = readAudioFixture('second.mp3');
    const files = await Promise.all(
      [tones, second].map(async (bytes, i) => {
        const file = path.join(dir, `known-${i}.mp3`);
        await fs.promises.writeFile(file, bytes);
        return { path: file, mpeg: walk(bytes)! };
      }),
    );
    for (const pieces of [[files[0]!], files, [{ ...files[1]!, pauseBeforeMs: 300 }, files[0]!]]) {
      const read: JoinPiece[] = pieces.map(({ mpeg: _, ...piece }) => piece);
      const plain = await joinAudioFiles(read, path.join(dir, 'read.mp3'));
      const told = await joinAudioFiles(pieces, path.join(dir, 'told.mp3'));
      assert.deepStrictEqual(told, plain);
      assert.ok(fs.readFileSync(path.join(dir, 'told.mp3')).equals(fs.readFileSync(path.join(dir, 'read.mp3'))));
      await Promise.all(['read.mp3', 'told.mp3'].map((f) => fs.promises.rm(path.join(dir, f))));
    }
    assert.ok(fs.existsSync(audioFixturePath('second.mp3')));
  });

  it("joinOfItsOwn: a lone plain piece's join without a read or a write, and only when it is the piece's bytes", async () => {
    const file = path.join(dir, 'alone.mp3');
    await fs.promises.writeFile(file, tones);
    const piece = { path: file, mpeg: walk(tones)! };
    const joined = await joinAudioFiles([{ path: file }], path.join(dir, 'joined.mp3'));
    assert.deepStrictEqual(await joinOfItsOwn(piece), joined);
    assert.ok(fs.readFileSync(path.join(dir, 'joined.mp3')).equals(tones), 'the join is the piece itself');
    await fs.promises.rm(file);
    assert.deepStrictEqual(await joinOfItsOwn(piece), joined, 'the file is not read');
    for (const other of [{ path: file }, { ...piece, pauseBeforeMs: 300 }, { ...piece, pauseAfterMs: 300 }])
      assert.strictEqual(await joinOfItsOwn(other), undefined);
    // Two bitrates: plain frames still, but the join writes a header frame, so it is not the piece's bytes.
    const h = walk(tones)!.header;
    const faster = parseFrameHeader(frameHeaderBytes(h, 64, false), 0)!;
    const mixed = new Uint8Array([...silentFrames(h, 3), ...silentFrames(faster, 3)]);
    const mixedWalk = walk(mixed);
    assert.deepStrictEqual([...mixedWalk!.bitrates], [h.bitrateKbps, 64]);
    assert.strictEqual(await joinOfItsOwn({ path: file, mpeg: mixedWalk! }), undefined);
  });
});
