import * as assert from 'assert';
import { AudioFormatError, detectAudioFormat, extensionOf, probeAudio } from '../../src/core/audio/format';
import {
  audioEndBeforeTrailingTags,
  mpegFrameLength,
  parseFrameHeader,
  readTagFrame,
  scanMpegFrames,
  silentFrames,
  xingFrame,
} from '../../src/core/audio/mpeg';
import { parseWav, wavHeader } from '../../src/core/audio/wav';
import { makeWav, readAudioFixture } from '../fixtures/audio/audioFixtures';

// Expected durations, measured once with external tools when the fixtures were made:
//  - WAV: `soxi -D <file>`.
//  - MP3: this sox has no MP3 reader, so `lame --decode <file> out.wav` then `soxi -s out.wav`.
//    lame trims the decoder delay (529 samples) and, when a LAME tag says so, the encoder delay and
//    padding; probeAudio counts whole frames (frames × samples per frame / rate), i.e. every sample a
//    decoder produces. So the frame count is checked exactly (decoded samples + trimmed samples =
//    frames × 576) and the duration within 1 % of lame's for the CBR files. For the VBR file the
//    trimmed encoder delay + padding (1650 samples, 75 ms) is 7 % of its one second, so it is
//    compared with its Xing frame count instead.
const SOXI_HELLO_WAV_S = 4.544125;
const SOXI_SECOND_WAV_S = 1.87075;
const SOXI_MONO_16K_WAV_S = 0.1;
const SOXI_SHORT_OGG_S = 0.3; // `soxi -D short.ogg` (Vorbis, 2400 samples at 8 kHz)
const SOXI_SHORT_FLAC_S = 0.3; // `soxi -D short.flac`
const LAME_HELLO_MP3 = { decodedSamples: 100847, trimmedSamples: 529, seconds: 4.57356 }; // 176 frames
const LAME_SECOND_MP3 = { decodedSamples: 42095, trimmedSamples: 529, seconds: 1.90907 }; // 74 frames
const LAME_STEREO_44K_MP3 = { decodedSamples: 23663, trimmedSamples: 529, seconds: 0.536576 }; // 21 frames of 1152
const LAME_THIRD_VBR_MP3 = { decodedSamples: 21390, trimmedSamples: 1105 + 545, xingFrames: 40 };

function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** A minimal FLAC head: "fLaC" and a STREAMINFO block for `totalSamples` at `rate` Hz, 1 channel, 16 bits. */
function flacHead(rate: number, totalSamples: number): Uint8Array {
  const info = new Uint8Array(34);
  info[10] = (rate >> 12) & 0xff;
  info[11] = (rate >> 4) & 0xff;
  info[12] = ((rate & 0x0f) << 4) | (0 << 1) | 0; // channels-1 = 0, bits-1 high bit = 0
  info[13] = (15 << 4) | Math.floor(totalSamples / 2 ** 32); // bits-1 low nibble = 15
  new DataView(info.buffer).setUint32(14, totalSamples >>> 0);
  return concat(ascii('fLaC'), Uint8Array.of(0x80, 0, 0, 34), info);
}

/** One Ogg page holding `body` as a single packet (CRC left 0: probing does not check it). */
function oggPage(granule: bigint, body: Uint8Array, serial = 0x1234): Uint8Array {
  const header = new Uint8Array(28);
  header.set(ascii('OggS'));
  const view = new DataView(header.buffer);
  view.setBigInt64(6, granule, true);
  view.setUint32(14, serial, true);
  header[26] = 1;
  header[27] = body.length;
  return concat(header, body);
}

/** An MP4 box. */
function box(type: string, body: Uint8Array): Uint8Array {
  const header = new Uint8Array(8);
  new DataView(header.buffer).setUint32(0, 8 + body.length);
  header.set(ascii(type), 4);
  return concat(header, body);
}

describe('detectAudioFormat', () => {
  it('recognizes the MP3 fixtures, with and without an ID3v2 tag', () => {
    for (const name of ['hello.mp3', 'second.mp3', 'third-vbr.mp3', 'stereo-44k.mp3']) {
      assert.strictEqual(detectAudioFormat(readAudioFixture(name)), 'mp3', name);
      assert.strictEqual(detectAudioFormat(readAudioFixture(name).subarray(0, 4096)), 'mp3', `${name}, first 4 KiB`);
    }
  });

  it('recognizes the WAV fixtures', () => {
    for (const name of ['hello.wav', 'second.wav', 'mono-16k.wav'])
      assert.strictEqual(detectAudioFormat(readAudioFixture(name)), 'wav', name);
  });

  it('recognizes minimal Ogg, FLAC and MP4/M4A heads', () => {
    assert.strictEqual(detectAudioFormat(concat(ascii('OggS'), new Uint8Array(23))), 'ogg');
    assert.strictEqual(detectAudioFormat(flacHead(44100, 44100)), 'flac');
    assert.strictEqual(
      detectAudioFormat(concat(Uint8Array.of(0, 0, 0, 0x20), ascii('ftypM4A '), new Uint8Array(20))),
      'm4a',
    );
    assert.strictEqual(
      detectAudioFormat(concat(Uint8Array.of(0, 0, 0, 0x18), ascii('ftypmp42'), new Uint8Array(12))),
      'm4a',
    );
  });

  it('recognizes FLAC behind an ID3v2 tag', () => {
    const tag = concat(ascii('ID3'), Uint8Array.of(3, 0, 0, 0, 0, 0, 10), new Uint8Array(10));
    assert.strictEqual(detectAudioFormat(concat(tag, flacHead(48000, 1000))), 'flac');
  });

  it('decides on a single valid MPEG header when the head is too short to see the next frame', () => {
    assert.strictEqual(detectAudioFormat(readAudioFixture('second.mp3').subarray(0, 4)), 'mp3');
  });

  it('rejects bytes that only look like an MPEG frame sync', () => {
    // 0xFF 0xFB is MPEG-1 Layer III, but bitrate index 15 is invalid.
    assert.strictEqual(detectAudioFormat(Uint8Array.of(0xff, 0xfb, 0xff, 0x00, 1, 2, 3, 4)), 'unknown');
    // Sample rate index 3 is reserved.
    assert.strictEqual(detectAudioFormat(Uint8Array.of(0xff, 0xfb, 0x9c, 0x00, 1, 2, 3, 4)), 'unknown');
    // Free format (bitrate index 0) cannot be measured.
    assert.strictEqual(detectAudioFormat(Uint8Array.of(0xff, 0xfb, 0x00, 0x00)), 'unknown');
    // A valid first header (128 kbps, 44.1 kHz: 417 bytes) followed by noise where the next frame should start.
    const noise = new Uint8Array(1000);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 73 + 11) & 0x7f;
    assert.strictEqual(detectAudioFormat(concat(Uint8Array.of(0xff, 0xfb, 0x90, 0x00), noise)), 'unknown');
    // ADTS AAC uses the "layer 0" pattern, which MPEG audio reserves.
    assert.strictEqual(detectAudioFormat(Uint8Array.of(0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc)), 'unknown');
  });

  it('answers unknown for text, empty input and ID3 followed by something else', () => {
    assert.strictEqual(
      detectAudioFormat(ascii('{"success": false, "error": {"code": 401, "msg": "bad token"}}')),
      'unknown',
    );
    assert.strictEqual(detectAudioFormat(ascii('<!DOCTYPE html><html><body>Not found</body></html>')), 'unknown');
    assert.strictEqual(detectAudioFormat(new Uint8Array(0)), 'unknown');
    const tag = concat(ascii('ID3'), Uint8Array.of(3, 0, 0, 0, 0, 0, 4), ascii('abcd'));
    assert.strictEqual(detectAudioFormat(concat(tag, ascii('plain text after the tag, not audio'))), 'unknown');
  });
});

describe('extensionOf', () => {
  it('gives the usual extension of each format', () => {
    assert.deepStrictEqual((['mp3', 'wav', 'ogg', 'flac', 'm4a', 'unknown'] as const).map(extensionOf), [
      '.mp3',
      '.wav',
      '.ogg',
      '.flac',
      '.m4a',
      undefined,
    ]);
  });
});

describe('probeAudio', () => {
  it('measures the WAV fixtures as soxi does', () => {
    for (const [name, seconds] of [
      ['hello.wav', SOXI_HELLO_WAV_S],
      ['second.wav', SOXI_SECOND_WAV_S],
      ['mono-16k.wav', SOXI_MONO_16K_WAV_S],
    ] as const) {
      const info = probeAudio(readAudioFixture(name));
      assert.strictEqual(info.format, 'wav');
      assert.ok(Math.abs(info.durationMs - seconds * 1000) < 0.01, `${name}: ${info.durationMs}`);
    }
    assert.deepStrictEqual(
      { ...probeAudio(readAudioFixture('hello.wav')), durationMs: 0 },
      { format: 'wav', durationMs: 0, sampleRate: 8000, channels: 1 },
    );
  });

  it('measures the CBR MP3 fixtures by their frames, as lame decodes them', () => {
    for (const [name, lame, samplesPerFrame, rate, channels] of [
      ['hello.mp3', LAME_HELLO_MP3, 576, 22050, 1],
      ['second.mp3', LAME_SECOND_MP3, 576, 22050, 1],
      ['stereo-44k.mp3', LAME_STEREO_44K_MP3, 1152, 44100, 2],
    ] as const) {
      const info = probeAudio(readAudioFixture(name));
      const frames = (lame.decodedSamples + lame.trimmedSamples) / samplesPerFrame;
      assert.ok(Number.isInteger(frames), `${name}: lame's sample count should be whole frames`);
      assert.strictEqual(info.durationMs, ((frames * samplesPerFrame) / rate) * 1000, name);
      // Within 1 %, or within the decoder delay lame trimmed, which is more than 1 % of a short file.
      const lameMs = (lame.decodedSamples / rate) * 1000;
      assert.ok(Math.abs(lameMs - lame.seconds * 1000) < 0.001, `${name}: the recorded lame numbers agree`);
      const toleranceMs = Math.max(lameMs * 0.01, (lame.trimmedSamples / rate) * 1000) + 0.001;
      assert.ok(
        Math.abs(info.durationMs - lameMs) <= toleranceMs,
        `${name}: ${info.durationMs} ms vs lame's ${lameMs} ms`,
      );
      assert.strictEqual(info.sampleRate, rate);
      assert.strictEqual(info.channels, channels);
    }
  });

  it('does not count the Xing frame of a VBR file as audio', () => {
    const bytes = readAudioFixture('third-vbr.mp3');
    const scan = scanMpegFrames(bytes)!;
    assert.strictEqual(scan.tagFrame?.kind, 'Xing');
    assert.strictEqual(scan.tagFrame?.frames, LAME_THIRD_VBR_MP3.xingFrames);
    assert.strictEqual(scan.tagFrame?.bytes, bytes.length);
    assert.strictEqual(scan.frames.length, LAME_THIRD_VBR_MP3.xingFrames);
    assert.strictEqual(
      LAME_THIRD_VBR_MP3.decodedSamples + LAME_THIRD_VBR_MP3.trimmedSamples,
      LAME_THIRD_VBR_MP3.xingFrames * 576,
    );
    assert.strictEqual(probeAudio(bytes).durationMs, ((LAME_THIRD_VBR_MP3.xingFrames * 576) / 22050) * 1000);
    assert.ok(new Set(scan.frames.map((f) => f.header.bitrateKbps)).size > 1, 'the fixture should really be VBR');
  });

  it('measures the Ogg Vorbis and FLAC fixtures as soxi does', () => {
    assert.deepStrictEqual(probeAudio(readAudioFixture('short.ogg')), {
      format: 'ogg',
      durationMs: SOXI_SHORT_OGG_S * 1000,
      sampleRate: 8000,
      channels: 1,
    });
    assert.deepStrictEqual(probeAudio(readAudioFixture('short.flac')), {
      format: 'flac',
      durationMs: SOXI_SHORT_FLAC_S * 1000,
      sampleRate: 8000,
      channels: 1,
    });
    assert.strictEqual(detectAudioFormat(readAudioFixture('short.ogg')), 'ogg');
    assert.strictEqual(detectAudioFormat(readAudioFixture('short.flac')), 'flac');
  });

  it('measures Ogg Opus from the last granule position, minus the pre-skip, at 48 kHz', () => {
    const head = concat(ascii('OpusHead'), Uint8Array.of(1, 2, 0x38, 0x01, 0x80, 0x3e, 0, 0, 0, 0, 0)); // 2 channels, pre-skip 312, 16 kHz input
    const bytes = concat(oggPage(0n, head), oggPage(24_000n, new Uint8Array(10)), oggPage(72_312n, new Uint8Array(10)));
    assert.deepStrictEqual(probeAudio(bytes), { format: 'ogg', durationMs: 1500, sampleRate: 16000, channels: 2 });
    // A truncated last page does not count.
    assert.strictEqual(probeAudio(bytes.subarray(0, bytes.length - 3)).durationMs, 500 - (312 / 48000) * 1000);
  });

  it('measures M4A from the movie header, version 0 and 1', () => {
    const ftyp = box('ftyp', concat(ascii('M4A '), new Uint8Array(4), ascii('M4A isom')));
    const mvhd0 = new Uint8Array(100);
    new DataView(mvhd0.buffer).setUint32(12, 44100);
    new DataView(mvhd0.buffer).setUint32(16, 44100 * 3 + 22050);
    assert.deepStrictEqual(probeAudio(concat(ftyp, box('free', new Uint8Array(8)), box('moov', box('mvhd', mvhd0)))), {
      format: 'm4a',
      durationMs: 3500,
    });
    const mvhd1 = new Uint8Array(112);
    mvhd1[0] = 1;
    new DataView(mvhd1.buffer).setUint32(20, 1000);
    new DataView(mvhd1.buffer).setBigUint64(24, 1234n);
    // moov after the media data, as encoders write it when not "fast start".
    assert.strictEqual(
      probeAudio(concat(ftyp, box('mdat', new Uint8Array(50)), box('moov', box('mvhd', mvhd1)))).durationMs,
      1234,
    );
    assert.throws(
      () => probeAudio(concat(ftyp, box('mdat', new Uint8Array(50)))),
      (e: unknown) => e instanceof AudioFormatError && e.reason === 'undecodable',
    );
  });

  it('measures FLAC from its STREAMINFO', () => {
    const info = probeAudio(flacHead(48000, 120000));
    assert.deepStrictEqual(info, { format: 'flac', durationMs: 2500, sampleRate: 48000, channels: 1 });
  });

  it('throws AudioFormatError for undecodable input', () => {
    const cases: [string, Uint8Array, string][] = [
      ['text', ascii('Hello, this is not audio at all.'), 'unrecognized'],
      ['a WAV without data chunk', readAudioFixture('hello.wav').subarray(0, 36), 'undecodable'],
      ['an ID3 tag with nothing after it', concat(ascii('ID3'), Uint8Array.of(3, 0, 0, 0, 0, 0, 0)), 'undecodable'],
      ['Ogg', concat(ascii('OggS'), new Uint8Array(23)), 'unsupported'],
    ];
    for (const [what, bytes, reason] of cases) {
      assert.throws(
        () => probeAudio(bytes),
        (e: unknown) =>
          e instanceof AudioFormatError &&
          e.reason === reason &&
          e.name === 'AudioFormatError' &&
          e.message.length > 20,
        what,
      );
    }
  });
});

describe('MPEG frame parsing', () => {
  it('reads the header fields of the fixtures', () => {
    const hello = readAudioFixture('hello.mp3');
    const scan = scanMpegFrames(hello)!;
    assert.strictEqual(scan.frames[0].offset, 162, 'first frame right after the 162-byte ID3v2 tag');
    const h = scan.frames[0].header;
    assert.deepStrictEqual(
      {
        version: h.version,
        layer: h.layer,
        rate: h.sampleRate,
        kbps: h.bitrateKbps,
        mode: h.channelMode,
        crc: h.hasCrc,
        spf: h.samplesPerFrame,
      },
      { version: '2', layer: 3, rate: 22050, kbps: 32, mode: 'mono', crc: false, spf: 576 },
    );
    const stereo = parseFrameHeader(readAudioFixture('stereo-44k.mp3'), 0)!;
    assert.deepStrictEqual(
      [stereo.version, stereo.sampleRate, stereo.channelMode, stereo.channels, stereo.samplesPerFrame],
      ['1', 44100, 'joint stereo', 2, 1152],
    );
  });

  it('computes frame lengths for every layer', () => {
    assert.strictEqual(mpegFrameLength('1', 3, 128, 44100, false), 417);
    assert.strictEqual(mpegFrameLength('1', 3, 128, 44100, true), 418);
    assert.strictEqual(mpegFrameLength('2', 3, 32, 22050, false), 104);
    assert.strictEqual(mpegFrameLength('1', 2, 192, 48000, false), 576);
    assert.strictEqual(mpegFrameLength('1', 1, 384, 48000, true), 388);
  });

  it('finds the frames contiguous from the first to the last byte of audio, the ID3v1 tag left out', () => {
    const hello = readAudioFixture('hello.mp3');
    const scan = scanMpegFrames(hello)!;
    assert.strictEqual(scan.junkBytes, 0);
    assert.strictEqual(audioEndBeforeTrailingTags(hello), hello.length - 128);
    let expected = scan.frames[0].offset;
    for (const f of scan.frames) {
      assert.strictEqual(f.offset, expected);
      expected += f.header.frameLength;
    }
    assert.strictEqual(expected, hello.length - 128);
  });

  it('skips APEv2, Lyrics3 and ID3v1 tags at the end, and resynchronizes after garbage between frames', () => {
    const second = readAudioFixture('second.mp3');
    const clean = scanMpegFrames(second)!;
    const apeBody = ascii('item-data-16byte');
    const apeFooter = new Uint8Array(32);
    apeFooter.set(ascii('APETAGEX'));
    new DataView(apeFooter.buffer).setUint32(8, 2000, true);
    new DataView(apeFooter.buffer).setUint32(12, apeBody.length + 32, true);
    const lyrics = concat(ascii('LYRICSBEGIN'), ascii('IND0000210'));
    const lyricsTail = concat(ascii(String(lyrics.length).padStart(6, '0')), ascii('LYRICS200'));
    const id3v1 = concat(ascii('TAG'), new Uint8Array(125));
    const tagged = concat(second, apeBody, apeFooter, lyrics, lyricsTail, id3v1);
    const scan = scanMpegFrames(tagged)!;
    assert.strictEqual(scan.frames.length, clean.frames.length);
    assert.strictEqual(scan.junkBytes, 0);

    const cut = clean.frames[10].offset;
    const garbage = ascii('garbage in the middle');
    const dirty = concat(second.subarray(0, cut), garbage, second.subarray(cut));
    const dirtyScan = scanMpegFrames(dirty)!;
    assert.strictEqual(dirtyScan.frames.length, clean.frames.length);
    assert.strictEqual(dirtyScan.junkBytes, garbage.length);
  });

  it('drops a truncated last frame', () => {
    const second = readAudioFixture('second.mp3');
    const scan = scanMpegFrames(second.subarray(0, second.length - 50))!;
    assert.strictEqual(scan.frames.length, scanMpegFrames(second)!.frames.length - 1);
    assert.ok(scan.junkBytes > 0);
  });

  it('synthesizes silent frames: valid headers of the template format, all-zero side information and data, exact average bitrate', () => {
    const template = scanMpegFrames(readAudioFixture('hello.mp3'))!.frames[0].header;
    const count = 1000;
    const silence = silentFrames(template, count);
    let offset = 0;
    let frames = 0;
    while (offset < silence.length) {
      const h = parseFrameHeader(silence, offset)!;
      assert.ok(h, `frame ${frames} header`);
      assert.deepStrictEqual(
        [h.version, h.layer, h.sampleRate, h.channelMode, h.bitrateKbps, h.hasCrc],
        [template.version, template.layer, template.sampleRate, template.channelMode, template.bitrateKbps, false],
      );
      assert.ok(
        silence.subarray(offset + 4, offset + h.frameLength).every((b) => b === 0),
        `frame ${frames} payload is zero`,
      );
      assert.strictEqual(readTagFrame(silence, offset, h), undefined);
      offset += h.frameLength;
      frames++;
    }
    assert.strictEqual(frames, count);
    const exactBytes = (count * 72 * 32000) / 22050;
    assert.ok(Math.abs(silence.length - exactBytes) <= 1, `${silence.length} bytes vs ${exactBytes}`);
  });

  it('writes a Xing frame that the parser reads back', () => {
    const template = scanMpegFrames(readAudioFixture('stereo-44k.mp3'))!.frames[0].header;
    const lengths = [104, 417, 208, 313];
    const frame = xingFrame(template, lengths);
    const h = parseFrameHeader(frame, 0)!;
    assert.strictEqual(h.frameLength, frame.length);
    assert.deepStrictEqual(readTagFrame(frame, 0, h), {
      kind: 'Xing',
      frames: 4,
      bytes: frame.length + 104 + 417 + 208 + 313,
    });
  });
});

describe('WAV parsing', () => {
  it('skips LIST and odd-sized chunks before the data and reads the fmt fields', () => {
    const data = new Uint8Array(400).fill(7);
    const wav = makeWav({
      sampleRate: 16000,
      channels: 2,
      bitsPerSample: 16,
      data,
      chunksBeforeData: [
        { id: 'LIST', body: ascii('INFOISFT\x05\x00\x00\x00odd!\x00') },
        { id: 'junk', body: ascii('abc') },
      ],
    });
    const info = parseWav(wav);
    assert.strictEqual(info.format.sampleRate, 16000);
    assert.strictEqual(info.format.channels, 2);
    assert.strictEqual(info.format.blockAlign, 4);
    assert.strictEqual(info.dataSize, 400);
    assert.ok(wav.subarray(info.dataOffset, info.dataOffset + 400).every((b) => b === 7));
    assert.strictEqual(probeAudio(wav).durationMs, 6.25);
  });

  it('takes the bytes present when a streaming writer left the data size at 0xFFFFFFFF', () => {
    const wav = makeWav({
      sampleRate: 8000,
      channels: 2,
      bitsPerSample: 16,
      data: new Uint8Array(1602),
      declaredDataSize: 0xffffffff,
    });
    assert.strictEqual(parseWav(wav).dataSize, 1600, 'whole sample frames only');
  });

  it('writes a header whose sizes are consistent, with a fact chunk for float', () => {
    const format = parseWav(
      makeWav({ sampleRate: 8000, channels: 1, bitsPerSample: 32, formatTag: 3, data: new Uint8Array(8) }),
    ).format;
    const header = wavHeader(format, 1000);
    const parsed = parseWav(concat(header, new Uint8Array(1000)));
    assert.strictEqual(parsed.dataSize, 1000);
    assert.strictEqual(parsed.factSamples, 250);
    assert.strictEqual(new DataView(header.buffer).getUint32(4, true), header.length - 8 + 1000);
  });
});
