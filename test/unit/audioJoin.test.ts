import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AudioFormatError, probeAudio } from '../../src/core/audio/format';
import { joinAudioFiles, JoinPiece, JoinResult } from '../../src/core/audio/join';
import {
  MpegFrameHeader,
  parseFrameHeader,
  readTagFrame,
  scanMpegFrames,
  silentFrames,
} from '../../src/core/audio/mpeg';
import { parseWav } from '../../src/core/audio/wav';
import { audioFixturePath, makeWav, readAudioFixture } from '../fixtures/audio/audioFixtures';

let dir: string;

beforeEach(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'audio-join-'));
});

afterEach(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

function within1Percent(actualMs: number, expectedMs: number, what: string): void {
  assert.ok(
    Math.abs(actualMs - expectedMs) <= expectedMs * 0.01,
    `${what}: ${actualMs} ms is not within 1 % of ${expectedMs} ms`,
  );
}

function fixture(name: string, pauseBeforeMs?: number): JoinPiece {
  return { path: audioFixturePath(name), pauseBeforeMs };
}

function durationOf(name: string): number {
  return probeAudio(readAudioFixture(name)).durationMs;
}

async function writeTemp(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, bytes);
  return file;
}

function indexOfAscii(bytes: Uint8Array, text: string, from = 0): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(text, from, 'latin1');
}

/**
 * Walks the joined MP3 frame by frame with a fresh parse at every step (not through scanMpegFrames,
 * which skips tags and garbage): every frame must start exactly where the previous one ended, from
 * byte 0 to the last byte, all in one stream format, with a Xing/Info/VBRI frame at most first.
 */
function walkJoinedMp3(bytes: Uint8Array): { headers: MpegFrameHeader[]; offsets: number[]; leadingTag?: string } {
  const headers: MpegFrameHeader[] = [];
  const offsets: number[] = [];
  let leadingTag: string | undefined;
  let offset = 0;
  while (offset < bytes.length) {
    const h = parseFrameHeader(bytes, offset);
    assert.ok(h, `a valid frame header at byte ${offset} of ${bytes.length}`);
    assert.ok(offset + h.frameLength <= bytes.length, `the frame at ${offset} is complete`);
    if (headers.length > 0) {
      assert.strictEqual(h.sampleRate, headers[0].sampleRate, `same rate at ${offset}`);
      assert.strictEqual(h.channels, headers[0].channels, `same channels at ${offset}`);
    }
    const tag = readTagFrame(bytes, offset, h);
    if (offset === 0 && tag) leadingTag = tag.kind;
    else {
      assert.strictEqual(tag, undefined, `no Xing/Info/VBRI frame after the first (at ${offset})`);
      headers.push(h);
      offsets.push(offset);
    }
    offset += h.frameLength;
  }
  assert.strictEqual(offset, bytes.length);
  return { headers, offsets, leadingTag };
}

function assertTimings(result: JoinResult, pieces: { durationMs: number; pauseMs: number }[]): void {
  let t = 0;
  pieces.forEach((piece, i) => {
    t += piece.pauseMs;
    // MPEG pauses are rounded to whole frames (26 ms at 22.05 kHz), so allow half a frame per pause.
    assert.ok(
      Math.abs(result.pieceStartsMs[i] - t) <= 13.1 * (i + 1),
      `piece ${i} starts at ${result.pieceStartsMs[i]}, expected about ${t}`,
    );
    assert.ok(Math.abs(result.pieceDurationsMs[i] - piece.durationMs) < 0.001, `piece ${i} duration`);
    t += piece.durationMs;
  });
  within1Percent(result.durationMs, t, 'joined duration');
}

describe('joinAudioFiles: MP3', () => {
  it('joins two CBR pieces into one clean stream of contiguous frames, without tags', async () => {
    const output = path.join(dir, 'joined.mp3');
    const result = await joinAudioFiles([fixture('hello.mp3'), fixture('second.mp3')], output);
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    assert.strictEqual(result.format, 'mp3');
    assert.strictEqual(result.bytes, bytes.length);

    const expected = durationOf('hello.mp3') + durationOf('second.mp3');
    within1Percent(probeAudio(bytes).durationMs, expected, 'probed');
    within1Percent(result.durationMs, expected, 'reported');
    assertTimings(result, [
      { durationMs: durationOf('hello.mp3'), pauseMs: 0 },
      { durationMs: durationOf('second.mp3'), pauseMs: 0 },
    ]);

    const walk = walkJoinedMp3(bytes);
    assert.strictEqual(walk.leadingTag, undefined, 'CBR output needs no Info frame');
    assert.strictEqual(
      walk.headers.length,
      scanMpegFrames(readAudioFixture('hello.mp3'))!.frames.length +
        scanMpegFrames(readAudioFixture('second.mp3'))!.frames.length,
    );
    // hello.mp3 has an ID3v2 tag in front and an ID3v1 tag at the end: neither may survive.
    assert.strictEqual(indexOfAscii(bytes, 'ID3'), -1);
    assert.strictEqual(indexOfAscii(bytes, 'TAG', bytes.length - 128), -1);
    for (const offset of walk.offsets)
      assert.notStrictEqual(Buffer.from(bytes.subarray(offset, offset + 3)).toString('latin1'), 'TAG');
    // The second piece starts right after the last frame of the first, byte for byte.
    const secondBytes = readAudioFixture('second.mp3');
    const secondStart = walk.offsets[scanMpegFrames(readAudioFixture('hello.mp3'))!.frames.length];
    assert.deepStrictEqual(Buffer.from(bytes.subarray(secondStart)), Buffer.from(secondBytes));
  });

  it('copies a lone piece that is audio frames from end to end as it is, and cleans one that is not', async () => {
    const output = path.join(dir, 'alone.mp3');
    const written: number[] = [];
    const result = await joinAudioFiles([fixture('second.mp3')], output, { onPieceWritten: (i) => written.push(i) });
    assert.deepStrictEqual(new Uint8Array(await fs.promises.readFile(output)), readAudioFixture('second.mp3'));
    assert.strictEqual(result.bytes, readAudioFixture('second.mp3').length);
    assertTimings(result, [{ durationMs: durationOf('second.mp3'), pauseMs: 0 }]);
    within1Percent(result.durationMs, durationOf('second.mp3'), 'reported');
    assert.deepStrictEqual(written, [0]);

    // hello.mp3 carries ID3 tags: alone, it is still joined frame by frame, without them.
    const cleaned = path.join(dir, 'hello-alone.mp3');
    await joinAudioFiles([fixture('hello.mp3')], cleaned);
    const bytes = new Uint8Array(await fs.promises.readFile(cleaned));
    assert.strictEqual(indexOfAscii(bytes, 'ID3'), -1);
    assert.strictEqual(
      walkJoinedMp3(bytes).headers.length,
      scanMpegFrames(readAudioFixture('hello.mp3'))!.frames.length,
    );
    // A pause before it, too, makes it a join of its own.
    const paused = await joinAudioFiles([fixture('second.mp3', 500)], path.join(dir, 'paused.mp3'));
    assert.ok(paused.bytes > readAudioFixture('second.mp3').length);
  });

  it('writes the pause after a lone piece (a script ending on a pause mark) instead of copying the piece', async () => {
    const output = path.join(dir, 'pause-after.mp3');
    const result = await joinAudioFiles([{ ...fixture('second.mp3'), pauseAfterMs: 1000 }], output);
    const written = readAudioFixture('second.mp3');
    assert.ok(result.bytes > written.length, 'silence follows the piece');
    within1Percent(
      probeAudio(await fs.promises.readFile(output)).durationMs,
      result.durationMs,
      'the file lasts as reported',
    );
    within1Percent(result.durationMs, durationOf('second.mp3') + 1000, 'reported');
  });

  it('inserts pauses as silent frames of the same format', async () => {
    const output = path.join(dir, 'paused.mp3');
    const pieces = [fixture('second.mp3', 250), fixture('hello.mp3', 1000), fixture('second.mp3', 400)];
    const result = await joinAudioFiles(pieces, output);
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    const durations = [durationOf('second.mp3'), durationOf('hello.mp3'), durationOf('second.mp3')];
    assertTimings(result, [
      { durationMs: durations[0], pauseMs: 250 },
      { durationMs: durations[1], pauseMs: 1000 },
      { durationMs: durations[2], pauseMs: 400 },
    ]);
    within1Percent(probeAudio(bytes).durationMs, durations[0] + durations[1] + durations[2] + 1650, 'probed');
    assert.ok(
      Math.abs(probeAudio(bytes).durationMs - result.durationMs) < 0.001,
      'probe agrees with the reported duration',
    );

    const walk = walkJoinedMp3(bytes);
    const frameMs = (576 / 22050) * 1000;
    const silentBefore = (i: number) => {
      const firstFrame = Math.round(result.pieceStartsMs[i] / frameMs);
      const pauseFrames = Math.round(
        (result.pieceStartsMs[i] - (i === 0 ? 0 : result.pieceStartsMs[i - 1] + result.pieceDurationsMs[i - 1])) /
          frameMs,
      );
      return { firstFrame, pauseFrames };
    };
    for (let i = 0; i < 3; i++) {
      const { firstFrame, pauseFrames } = silentBefore(i);
      assert.ok(pauseFrames > 0);
      for (let f = firstFrame - pauseFrames; f < firstFrame; f++) {
        const h = walk.headers[f];
        const payload = bytes.subarray(walk.offsets[f] + 4, walk.offsets[f] + h.frameLength);
        assert.ok(
          payload.every((b) => b === 0),
          `frame ${f} is silent`,
        );
        assert.deepStrictEqual([h.version, h.layer, h.bitrateKbps, h.channelMode], ['2', 3, 32, 'mono']);
      }
      // The piece's own first frame is not silent: the pause is exactly before it.
      assert.ok(
        bytes.subarray(walk.offsets[firstFrame] + 4, walk.offsets[firstFrame] + 40).some((b) => b !== 0),
        `piece ${i} starts after its pause`,
      );
    }
  });

  it('ends with the silence a piece asks for after it (a pause mark at the end of a script)', async () => {
    const output = path.join(dir, 'tail.mp3');
    const result = await joinAudioFiles(
      [fixture('hello.mp3'), { ...fixture('second.mp3', 300), pauseAfterMs: 800 }],
      output,
    );
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    const expected = durationOf('hello.mp3') + 300 + durationOf('second.mp3') + 800;
    within1Percent(result.durationMs, expected, 'reported');
    within1Percent(probeAudio(bytes).durationMs, expected, 'probed');
    const walk = walkJoinedMp3(bytes);
    const frameMs = (576 / 22050) * 1000;
    const tail = Math.round(800 / frameMs);
    for (let f = walk.headers.length - tail; f < walk.headers.length; f++) {
      const payload = bytes.subarray(walk.offsets[f] + 4, walk.offsets[f] + walk.headers[f].frameLength);
      assert.ok(
        payload.every((b) => b === 0),
        `frame ${f} of the tail is silent`,
      );
    }
    assert.ok(
      Math.abs(result.pieceStartsMs[1] + result.pieceDurationsMs[1] + 800 - result.durationMs) <= 13.1,
      'the tail comes after the last piece',
    );
  });

  it('drops the Xing frame of a VBR piece and writes one correct Xing frame for the joined stream', async () => {
    const output = path.join(dir, 'vbr.mp3');
    const result = await joinAudioFiles(
      [fixture('hello.mp3'), fixture('third-vbr.mp3', 300), fixture('second.mp3')],
      output,
    );
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    const walk = walkJoinedMp3(bytes);
    assert.strictEqual(walk.leadingTag, 'Xing');
    const xing = scanMpegFrames(bytes)!.tagFrame!;
    assert.strictEqual(xing.frames, walk.headers.length, 'Xing frame count = audio frames in the file');
    assert.strictEqual(xing.bytes, bytes.length, 'Xing byte count = the whole stream');
    assert.strictEqual(indexOfAscii(bytes, 'Xing', walk.offsets[0]), -1, 'the VBR piece brought no second Xing frame');
    assert.strictEqual(indexOfAscii(bytes, 'Info'), -1);
    const expected = durationOf('hello.mp3') + durationOf('third-vbr.mp3') + durationOf('second.mp3') + 300;
    within1Percent(probeAudio(bytes).durationMs, expected, 'probed');
    within1Percent(result.durationMs, expected, 'reported');
  });

  it('joins an hour-long VBR stream (150,000 frames) with a correct Xing frame', async () => {
    // Silence at 8 kbps next to the 32 kbps fixture makes the joined stream VBR, so the Xing path runs over every frame.
    const template = scanMpegFrames(readAudioFixture('hello.mp3'))!.frames[0].header;
    const long = await writeTemp('long.mp3', silentFrames({ ...template, bitrateKbps: 8 }, 150_000));
    const output = path.join(dir, 'long-joined.mp3');
    const result = await joinAudioFiles([fixture('hello.mp3'), { path: long, pauseBeforeMs: 500 }], output);
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    const scan = scanMpegFrames(bytes)!;
    assert.strictEqual(scan.tagFrame?.kind, 'Xing');
    assert.strictEqual(scan.tagFrame?.frames, scan.frames.length);
    assert.strictEqual(scan.tagFrame?.bytes, bytes.length);
    assert.strictEqual(scan.junkBytes, 0);
    const expected = durationOf('hello.mp3') + 500 + ((150_000 * 576) / 22050) * 1000;
    within1Percent(result.durationMs, expected, 'reported');
    assert.ok(result.durationMs > 3600_000);
  });

  it('leaves out garbage and a stray ID3 tag between the frames of a piece', async () => {
    const second = readAudioFixture('second.mp3');
    const frames = scanMpegFrames(second)!.frames;
    const cut1 = frames[5].offset;
    const cut2 = frames[30].offset;
    const strayTag = new Uint8Array(
      Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 6]), Buffer.from('abcdef')]),
    );
    const dirty = await writeTemp(
      'dirty.mp3',
      new Uint8Array(
        Buffer.concat([
          second.subarray(0, cut1),
          Buffer.from('<html>oops</html>'),
          second.subarray(cut1, cut2),
          strayTag,
          second.subarray(cut2),
        ]),
      ),
    );
    const output = path.join(dir, 'joined.mp3');
    await joinAudioFiles([fixture('hello.mp3'), { path: dirty }], output);
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    const walk = walkJoinedMp3(bytes);
    assert.strictEqual(
      walk.headers.length,
      scanMpegFrames(readAudioFixture('hello.mp3'))!.frames.length + frames.length,
    );
    assert.strictEqual(indexOfAscii(bytes, 'oops'), -1);
    assert.strictEqual(indexOfAscii(bytes, 'ID3'), -1);
  });

  it('drops an Info frame of a later CBR piece', async () => {
    // An Info frame as LAME writes it for CBR (lame 3.100 here does not): header, zero side info, "Info", flags, frames, bytes.
    const second = readAudioFixture('second.mp3');
    const frames = scanMpegFrames(second)!.frames.length;
    const info = new Uint8Array(104);
    info.set(second.subarray(0, 4));
    info[2] &= ~0x02; // no padding: 104 bytes
    info.set(Buffer.from('Info', 'latin1'), 4 + 9);
    new DataView(info.buffer).setUint32(4 + 9 + 4, 3);
    new DataView(info.buffer).setUint32(4 + 9 + 8, frames);
    new DataView(info.buffer).setUint32(4 + 9 + 12, second.length + 104);
    const withInfo = await writeTemp('with-info.mp3', new Uint8Array(Buffer.concat([info, second])));
    assert.strictEqual(
      scanMpegFrames(await fs.promises.readFile(withInfo))!.tagFrame?.kind,
      'Info',
      'the test piece has an Info frame',
    );
    assert.strictEqual(
      probeAudio(await fs.promises.readFile(withInfo)).durationMs,
      durationOf('second.mp3'),
      'the Info frame is not audio',
    );

    const output = path.join(dir, 'joined.mp3');
    await joinAudioFiles([fixture('hello.mp3'), { path: withInfo }], output);
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    assert.strictEqual(indexOfAscii(bytes, 'Info'), -1);
    assert.strictEqual(
      walkJoinedMp3(bytes).headers.length,
      scanMpegFrames(readAudioFixture('hello.mp3'))!.frames.length + frames,
    );
  });

  it('refuses pieces of different MPEG formats and leaves no output', async () => {
    const output = path.join(dir, 'joined.mp3');
    await assert.rejects(joinAudioFiles([fixture('hello.mp3'), fixture('stereo-44k.mp3')], output), (e: unknown) => {
      assert.ok(e instanceof AudioFormatError);
      assert.strictEqual(e.reason, 'mismatch');
      assert.match(e.message, /22050 Hz mono .*44100 Hz stereo/);
      assert.match(e.message, /cannot be joined/);
      return true;
    });
    assert.strictEqual(fs.existsSync(output), false);
  });
});

describe('joinAudioFiles: WAV', () => {
  it('joins two pieces with a pause; RIFF and data sizes match the file', async () => {
    const output = path.join(dir, 'joined.wav');
    const result = await joinAudioFiles([fixture('hello.wav'), fixture('second.wav', 500)], output);
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    assert.strictEqual(result.format, 'wav');
    assert.strictEqual(result.bytes, bytes.length);
    assert.strictEqual(view.getUint32(4, true), bytes.length - 8, 'RIFF size = file size − 8');
    const hello = parseWav(readAudioFixture('hello.wav'));
    const second = parseWav(readAudioFixture('second.wav'));
    const pauseBytes = 0.5 * 8000 * 2;
    const joined = parseWav(bytes);
    assert.strictEqual(
      new DataView(bytes.buffer, bytes.byteOffset).getUint32(joined.dataOffset - 4, true),
      hello.dataSize + pauseBytes + second.dataSize,
      'data size = sum',
    );
    assert.strictEqual(joined.dataSize, hello.dataSize + pauseBytes + second.dataSize);
    const data = bytes.subarray(joined.dataOffset);
    assert.deepStrictEqual(
      Buffer.from(data.subarray(0, hello.dataSize)),
      Buffer.from(readAudioFixture('hello.wav').subarray(hello.dataOffset, hello.dataOffset + hello.dataSize)),
    );
    assert.ok(
      data.subarray(hello.dataSize, hello.dataSize + pauseBytes).every((b) => b === 0),
      'the pause is zero samples',
    );
    assert.deepStrictEqual(
      Buffer.from(data.subarray(hello.dataSize + pauseBytes)),
      Buffer.from(readAudioFixture('second.wav').subarray(second.dataOffset)),
    );

    const expected = durationOf('hello.wav') + 500 + durationOf('second.wav');
    within1Percent(probeAudio(bytes).durationMs, expected, 'probed');
    assert.deepStrictEqual(result.pieceStartsMs, [0, durationOf('hello.wav') + 500]);
    assert.deepStrictEqual(result.pieceDurationsMs, [durationOf('hello.wav'), durationOf('second.wav')]);
  });

  it('ends with the silence the last piece asks for after it, counted in the RIFF and data sizes', async () => {
    const output = path.join(dir, 'tail.wav');
    const result = await joinAudioFiles(
      [fixture('hello.wav'), { ...fixture('second.wav'), pauseAfterMs: 250 }],
      output,
    );
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    const tailBytes = 0.25 * 8000 * 2;
    const joined = parseWav(bytes);
    const dataSizes =
      parseWav(readAudioFixture('hello.wav')).dataSize + parseWav(readAudioFixture('second.wav')).dataSize;
    assert.strictEqual(joined.dataSize, dataSizes + tailBytes);
    assert.strictEqual(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true), bytes.length - 8);
    assert.ok(
      bytes.subarray(bytes.length - tailBytes).every((b) => b === 0),
      'the tail is zero samples',
    );
    assert.strictEqual(result.durationMs, durationOf('hello.wav') + durationOf('second.wav') + 250);
  });

  it('joins without pauses to exactly the sum of the data', async () => {
    const output = path.join(dir, 'joined.wav');
    const result = await joinAudioFiles([fixture('second.wav'), fixture('hello.wav'), fixture('second.wav')], output);
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    const expectedData =
      2 * parseWav(readAudioFixture('second.wav')).dataSize + parseWav(readAudioFixture('hello.wav')).dataSize;
    assert.strictEqual(parseWav(bytes).dataSize, expectedData);
    assert.strictEqual(bytes.length, 44 + expectedData, 'a canonical 44-byte header, nothing else');
    within1Percent(result.durationMs, 2 * durationOf('second.wav') + durationOf('hello.wav'), 'reported');
  });

  it('skips LIST and odd-sized chunks, pads an odd data size, and fills 8-bit pauses with 128', async () => {
    const a = await writeTemp(
      'a.wav',
      makeWav({
        sampleRate: 8000,
        channels: 1,
        bitsPerSample: 8,
        data: new Uint8Array(801).fill(200),
        chunksBeforeData: [
          { id: 'LIST', body: new Uint8Array(Buffer.from('INFOICMT\x03\x00\x00\x00hi\x00', 'latin1')) },
        ],
      }),
    );
    const b = await writeTemp(
      'b.wav',
      makeWav({
        sampleRate: 8000,
        channels: 1,
        bitsPerSample: 8,
        data: new Uint8Array(400).fill(50),
        chunksAfterData: [{ id: 'junk', body: new Uint8Array(3) }],
      }),
    );
    const output = path.join(dir, 'joined.wav');
    const result = await joinAudioFiles([{ path: a }, { path: b, pauseBeforeMs: 100 }], output);
    const bytes = new Uint8Array(await fs.promises.readFile(output));
    const joined = parseWav(bytes);
    assert.strictEqual(joined.dataSize, 801 + 800 + 400);
    const data = bytes.subarray(joined.dataOffset, joined.dataOffset + joined.dataSize);
    assert.ok(data.subarray(0, 801).every((x) => x === 200));
    assert.ok(
      data.subarray(801, 1601).every((x) => x === 128),
      '8-bit silence is 128',
    );
    assert.ok(data.subarray(1601).every((x) => x === 50));
    assert.strictEqual(indexOfAscii(bytes, 'LIST'), -1);
    assert.strictEqual(indexOfAscii(bytes, 'junk'), -1);
    assert.strictEqual(bytes.length, joined.dataOffset + 2001 + 1, 'one pad byte after odd data');
    assert.strictEqual(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true), bytes.length - 8);
    assert.strictEqual(result.durationMs, (2001 / 8000) * 1000);
  });

  it('refuses WAV pieces of different formats and leaves no output', async () => {
    const output = path.join(dir, 'joined.wav');
    await assert.rejects(joinAudioFiles([fixture('hello.wav'), fixture('mono-16k.wav')], output), (e: unknown) => {
      assert.ok(e instanceof AudioFormatError);
      assert.strictEqual(e.reason, 'mismatch');
      assert.match(e.message, /8000 Hz mono 16-bit PCM WAV.*16000 Hz mono 16-bit PCM WAV/);
      return true;
    });
    assert.strictEqual(fs.existsSync(output), false);
  });
});

describe('joinAudioFiles: failures', () => {
  it('refuses MP3 mixed with WAV, naming both', async () => {
    const output = path.join(dir, 'joined.mp3');
    await assert.rejects(joinAudioFiles([fixture('hello.mp3'), fixture('second.wav')], output), (e: unknown) => {
      assert.ok(e instanceof AudioFormatError);
      assert.strictEqual(e.reason, 'mismatch');
      assert.match(e.message, /MP3.*piece 2 \(second\.wav\) is WAV/);
      return true;
    });
    assert.strictEqual(fs.existsSync(output), false);
  });

  it('refuses formats it cannot join and input that is not audio', async () => {
    const ogg = await writeTemp('piece.ogg', new Uint8Array(Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60)])));
    const text = await writeTemp(
      'piece.mp3',
      new Uint8Array(Buffer.from('{"success":false,"error":{"msg":"expired"}}')),
    );
    const output = path.join(dir, 'joined.mp3');
    await assert.rejects(
      joinAudioFiles([fixture('hello.mp3'), { path: ogg }], output),
      (e: unknown) => e instanceof AudioFormatError && e.reason === 'unsupported' && /Ogg/.test(e.message),
    );
    await assert.rejects(
      joinAudioFiles([{ path: text }], output),
      (e: unknown) => e instanceof AudioFormatError && e.reason === 'unrecognized' && /piece 1/.test(e.message),
    );
    assert.strictEqual(fs.existsSync(output), false);
  });

  it('leaves no output when aborted in the middle of writing', async () => {
    const output = path.join(dir, 'joined.mp3');
    const controller = new AbortController();
    const written: number[] = [];
    const join = joinAudioFiles([fixture('hello.mp3'), fixture('second.mp3', 200), fixture('hello.mp3')], output, {
      signal: controller.signal,
      onPieceWritten: (index) => {
        written.push(index);
        assert.ok(fs.existsSync(output), 'the output is being written');
        if (index === 0) controller.abort();
      },
    });
    await assert.rejects(join, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.deepStrictEqual(written, [0]);
    assert.strictEqual(fs.existsSync(output), false);
  });

  it('leaves no output when a piece disappears while the output is written', async () => {
    const copy = await writeTemp('second.wav', readAudioFixture('second.wav'));
    const output = path.join(dir, 'joined.wav');
    const join = joinAudioFiles([fixture('hello.wav'), { path: copy }], output, {
      onPieceWritten: (index) => {
        if (index === 0) fs.rmSync(copy);
      },
    });
    await assert.rejects(join, (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
    assert.strictEqual(fs.existsSync(output), false);
  });

  it('refuses to write over one of its pieces', async () => {
    const piece = await writeTemp('piece.wav', readAudioFixture('second.wav'));
    await assert.rejects(joinAudioFiles([fixture('hello.wav'), { path: piece }], piece), RangeError);
    assert.deepStrictEqual(new Uint8Array(await fs.promises.readFile(piece)), readAudioFixture('second.wav'));
  });

  it('does not touch the output path when aborted before starting', async () => {
    const output = path.join(dir, 'joined.wav');
    await assert.rejects(
      joinAudioFiles([fixture('hello.wav')], output, { signal: AbortSignal.abort() }),
      (e: unknown) => e instanceof Error && e.name === 'AbortError',
    );
    assert.strictEqual(fs.existsSync(output), false);
  });
});
