// Playing a take while it is generated, in the player page in headless Chromium: the first part plays as soon as it
// is sent while the others have not arrived, the next part follows on the other deck, the section list fills in, the
// joined file takes over at the same place, and a cancel stops everything. The parts are real MP3 fixtures; the joined
// file is made from them by the core's join, so its part timings are the real ones.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { joinAudioFiles } from '../../src/core/audio/join';
import type {
  LoadMessage,
  PartTiming,
  StreamMessage,
  StreamPartMessage,
  TakeRecord,
} from '../../src/shared/playerProtocol';
import { eventually, waitFor } from '../support/eventually';
import {
  closePlayerPage,
  fixtures,
  HarnessServer,
  launchChromium,
  openPlayerPage,
  strings,
  type PageAudio,
  type PageElement,
  type PageWindow,
  type Posted,
} from './harness';

declare const window: PageWindow;
declare const document: {
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
};

/** The parts of the fake generation: short clips, played at 2× so the test is quick. */
const PART_FILES = ['second.mp3', 'hello.mp3', 'second.mp3'];
const RATE = 2;

describe('player webview: playing a take while it is generated', function () {
  this.timeout(90_000);
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  const server = new HarnessServer();
  let tempDir: string;
  /** Where each part lies in the joined file, from the join itself. */
  let timings: PartTiming[];
  let partDurationsMs: number[];

  before(async () => {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aistudios-stream-'));
    const parts = PART_FILES.map((name, i) => {
      const file = path.join(tempDir, `part-${i + 1}.mp3`);
      fs.copyFileSync(path.join(fixtures, name), file);
      server.audio.set(`part-${i + 1}.mp3`, file);
      return file;
    });
    const joined = path.join(tempDir, 'script.mp3');
    const result = await joinAudioFiles(
      parts.map((p) => ({ path: p })),
      joined,
    );
    timings = result.pieceStartsMs.map((startMs, i) => ({ startMs, durationMs: result.pieceDurationsMs[i] }));
    partDurationsMs = result.pieceDurationsMs;
    server.audio.set('script.mp3', joined);
    await server.start();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server.stop();
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    ({ page, pageErrors } = await openPlayerPage(browser, server));
  });

  afterEach(async () => {
    await closePlayerPage(page, pageErrors);
  });

  const send = (message: unknown): Promise<void> => page.evaluate((m) => window.postMessage(m, '*'), message);
  const posted = (): Promise<Posted[]> => page.evaluate(() => window.posted);
  const progress = async (state: string, part?: number): Promise<Posted | undefined> =>
    (await posted()).find(
      (m) => m.type === 'streamProgress' && m.state === state && (part === undefined || m.part === part),
    );
  const element = (id: string) =>
    page.evaluate((i) => {
      const audio = document.getElementById(i) as PageAudio;
      return {
        paused: audio.paused,
        currentTime: audio.currentTime,
        src: audio.getAttribute('src'),
        readyState: audio.readyState,
      };
    }, id);
  const rows = () =>
    page.$$eval('#chunks button.chunk', (buttons) => buttons.map((b) => (b as unknown as PageElement).textContent));

  const provisional: TakeRecord = {
    id: 'stream-1',
    audioUri: 'file:///work/scripts/script.md',
    fileName: 'script.md',
    sourceUri: 'file:///work/scripts/script.md',
    sourceName: 'script.md',
    model: 'Paige (M000045058)',
    language: 'en',
    createdAt: Date.UTC(2026, 0, 5, 9, 30),
    chunks: [],
  };

  function streamMessage(overrides: Partial<StreamMessage> = {}): StreamMessage {
    return {
      type: 'stream',
      streamId: 'stream-1',
      take: provisional,
      parts: PART_FILES.length,
      takes: [],
      strings,
      autoPlay: true,
      playbackRate: RATE,
      ...overrides,
    };
  }

  let nextStartMs = 0;
  function partMessage(index: number): StreamPartMessage {
    if (index === 0) nextStartMs = 0;
    const chunk = {
      label: `Part ${index + 1}`,
      startMs: nextStartMs,
      durationMs: Math.round(partDurationsMs[index]),
      startLine: index * 2,
      endLine: index * 2,
    };
    nextStartMs += chunk.durationMs;
    return {
      type: 'streamPart',
      streamId: 'stream-1',
      index,
      src: `${server.origin}/audio/part-${index + 1}.mp3`,
      mimeType: 'audio/mpeg',
      chunk,
      pauseBeforeMs: 0,
    };
  }

  function joinedMessage(overrides: Partial<LoadMessage> = {}): LoadMessage {
    const take: TakeRecord = {
      ...provisional,
      id: 'take-joined',
      audioUri: 'file:///work/scripts/script.mp3',
      fileName: 'script.mp3',
      sizeBytes: fs.statSync(path.join(tempDir, 'script.mp3')).size,
      durationMs: Math.round(timings.at(-1)!.startMs + timings.at(-1)!.durationMs),
      chunks: timings.map((t, i) => ({ label: `Part ${i + 1}`, startMs: t.startMs, durationMs: t.durationMs })),
    };
    return {
      type: 'load',
      take,
      src: `${server.origin}/audio/script.mp3?version=1`,
      mimeType: 'audio/mpeg',
      missing: false,
      takes: [take],
      strings,
      autoPlay: true,
      startMs: 0,
      playbackRate: RATE,
      continueStream: { streamId: 'stream-1', parts: timings },
      ...overrides,
    };
  }

  it('plays part 1 while the later parts have not arrived, then each part as it comes, the list filling in', async () => {
    await send(streamMessage());
    await eventually(async () => assert.match((await page.textContent('#status')) ?? '', /0 of 3 parts ready/));
    await send(partMessage(0));
    // Part 1 plays on its deck; nothing else has been sent.
    await waitFor(
      async () => (await element('stream-a')).currentTime > 0.1 && !(await element('stream-a')).paused,
      () => 'part 1 plays on the first deck',
    );
    assert.ok(await progress('canPlay', 0), 'the page reports that part 1 can play');
    assert.ok(await progress('playing', 0), 'and that it plays');
    assert.deepStrictEqual(
      (await posted()).filter((m) => m.type === 'playbackStarted'),
      [{ type: 'playbackStarted', takeId: 'stream-1' }],
      'and that the take is heard',
    );
    assert.deepStrictEqual(await rows(), ['0:00Part 1']);
    assert.match((await page.textContent('#status')) ?? '', /1 of 3 parts ready/);
    assert.strictEqual(await page.textContent('#file-name'), 'script.md');
    assert.strictEqual(await page.getAttribute('#play-pause', 'aria-label'), 'Pause');

    // Part 2 arrives while part 1 plays: it is listed and loaded on the other deck, then plays after part 1.
    await send(partMessage(1));
    await eventually(async () => assert.deepStrictEqual((await rows()).length, 2));
    await waitFor(
      async () => !(await element('stream-b')).paused && (await element('stream-b')).currentTime > 0.1,
      () => 'part 2 plays on the second deck once part 1 ended',
      20_000,
    );
    assert.ok(await progress('playing', 1));
    await eventually(async () =>
      assert.strictEqual(await page.getAttribute('#chunks li:nth-child(2) button', 'aria-current'), 'true'),
    );
    // The page told the extension which part plays, on the take's timeline.
    await eventually(async () => {
      const position = (await posted()).filter((m) => m.type === 'position').at(-1);
      assert.strictEqual(position?.takeId, 'stream-1');
      assert.strictEqual(position?.chunkIndex, 1);
    });
  });

  it('waits for a part that has not arrived, and plays it when it does', async () => {
    await send(streamMessage());
    await send(partMessage(0));
    await waitFor(
      async () => (await progress('waiting', 1)) !== undefined,
      () => 'the page reports that it waits for part 2',
      20_000,
    );
    await eventually(async () => assert.match((await page.textContent('#status')) ?? '', /Waiting for part 2/));
    assert.strictEqual(await page.getAttribute('#play-pause', 'aria-label'), 'Pause', 'still "playing" for the writer');
    await send(partMessage(1));
    await waitFor(
      async () => !(await element('stream-b')).paused && (await element('stream-b')).currentTime > 0.05,
      () => 'part 2 plays as soon as it arrives',
    );
  });

  it('switches to the joined file at the end of the playing part, at the same place in it', async () => {
    await send(streamMessage());
    for (const index of [0, 1, 2]) await send(partMessage(index));
    // Wait until part 2 (the long one) plays, then the file is placed.
    await waitFor(
      async () => !(await element('stream-b')).paused && (await element('stream-b')).currentTime > 0.1,
      () => 'part 2 plays',
      20_000,
    );
    await send(joinedMessage());
    // The take, its sections and size change at once…
    await eventually(async () => assert.strictEqual(await page.textContent('#file-name'), 'script.mp3'));
    assert.strictEqual((await rows()).length, 3);
    // …while part 2 plays on; the joined file waits, loaded, where part 2 ends.
    const boundary = (timings[1].startMs + timings[1].durationMs) / 1000;
    assert.strictEqual((await element('stream-b')).paused, false, 'part 2 is not cut');
    await waitFor(
      async () => (await progress('switched')) !== undefined,
      () => 'the page switches to the joined file',
      20_000,
    );
    const afterSwitch = await element('audio');
    assert.match(afterSwitch.src ?? '', /script\.mp3/);
    assert.ok(
      afterSwitch.currentTime >= boundary - 0.05,
      `the file starts where part 2 ended (${boundary.toFixed(2)} s), not before: ${afterSwitch.currentTime}`,
    );
    await waitFor(
      async () => !(await element('audio')).paused && (await element('audio')).currentTime > boundary + 0.1,
      () => 'the joined file plays on from there',
    );
    const decks = [await element('stream-a'), await element('stream-b')];
    assert.deepStrictEqual(
      decks.map((d) => d.src),
      [null, null],
      'the decks let go of the parts (their files may be removed)',
    );
    await eventually(async () =>
      assert.strictEqual(await page.getAttribute('#chunks li:nth-child(3) button', 'aria-current'), 'true'),
    );
  });

  it('switches at once, where it is, when the writer paused it', async () => {
    await send(streamMessage());
    await send(partMessage(0));
    await send(partMessage(1));
    await waitFor(
      async () => (await element('stream-a')).currentTime > 0.2,
      () => 'part 1 plays',
    );
    await page.click('#play-pause');
    await eventually(async () => assert.strictEqual((await element('stream-a')).paused, true));
    const pausedAt = (await element('stream-a')).currentTime;
    await send(partMessage(2));
    await send(joinedMessage());
    await waitFor(
      async () => (await progress('switched')) !== undefined,
      () => 'switched',
    );
    await eventually(async () => {
      const file = await element('audio');
      assert.ok(file.readyState >= 1, 'the file is loaded');
      assert.ok(Math.abs(file.currentTime - (timings[0].startMs / 1000 + pausedAt)) < 0.05, `${file.currentTime}`);
      assert.strictEqual(file.paused, true, 'and stays paused');
    });
    assert.strictEqual(await page.getAttribute('#play-pause', 'aria-label'), 'Play');
  });

  it('stops on cancel: the parts stop playing and the page says no audio was made', async () => {
    await send(streamMessage());
    await send(partMessage(0));
    await waitFor(
      async () => !(await element('stream-a')).paused,
      () => 'part 1 plays',
    );
    await send({ type: 'streamEnd', streamId: 'stream-1', reason: 'cancelled' });
    await eventually(async () => {
      const deck = await element('stream-a');
      assert.strictEqual(deck.paused, true);
      assert.strictEqual(deck.src, null);
    });
    assert.strictEqual(await page.textContent('#status'), strings.streamCancelled);
    assert.strictEqual(await page.getAttribute('#play-pause', 'aria-label'), 'Play');
    // A late part of the cancelled stream is ignored.
    await send(partMessage(1));
    await send({ type: 'takes', takes: [] });
    await page.waitForFunction(() => document.querySelectorAll('#takes li').length === 0);
    assert.strictEqual((await element('stream-b')).src, null);
  });

  it('plays a section the writer clicks among the parts already there', async () => {
    await send(streamMessage({ autoPlay: false }));
    await send(partMessage(0));
    await send(partMessage(1));
    await eventually(async () => assert.strictEqual((await rows()).length, 2));
    assert.strictEqual((await element('stream-a')).paused, true, 'no autoplay asked');
    await page.click('#play-pause');
    await waitFor(
      async () => !(await element('stream-a')).paused,
      () => 'Play starts part 1',
    );
    await page.click('#chunks li:nth-child(2) button');
    await waitFor(
      async () => !(await element('stream-b')).paused && (await element('stream-b')).currentTime > 0.05,
      () => 'a click on section 2 plays part 2',
    );
    assert.strictEqual((await element('stream-a')).paused, true, 'part 1 stopped');
  });
});
