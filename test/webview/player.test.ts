// The player page in headless Chromium: the exact HTML of src/player/playerHtml.ts with its real CSP,
// the bundled dist/media/player.js and media/player.css, served from 127.0.0.1, with a stub of the
// webview API recording what the page posts (harness.ts). Needs `npm run build` first.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import type { LoadMessage, PlayerState, TakeChunk, TakeRecord } from '../../src/shared/playerProtocol';
import { eventually, waitFor } from '../support/eventually';
import {
  closePlayerPage,
  fixtures,
  HarnessServer,
  launchChromium,
  openPlayerPage,
  root,
  strings,
  type PageAudio,
  type PageElement,
  type PageWindow,
  type Posted,
} from './harness';

// The callbacks given to page.evaluate/waitForFunction run in the page. The project compiles without the
// DOM library (it is Node code), so these module-local declarations type the little of the page they touch.
declare const window: PageWindow;
declare const document: {
  body: PageElement;
  getElementById(id: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
};
declare function getComputedStyle(element: PageElement): { backgroundColor: string };

function record(fileName: string, chunks: TakeChunk[], extra: Partial<TakeRecord> = {}): TakeRecord {
  return {
    id: `take-${fileName}`,
    audioUri: `file:///work/scripts/${fileName}`,
    fileName,
    sourceUri: 'file:///work/scripts/intro.md',
    sourceName: 'intro.md',
    model: 'M000045058',
    language: 'en',
    createdAt: Date.UTC(2026, 0, 5, 9, 30),
    sizeBytes: 72_750,
    chunks,
    ...extra,
  };
}

const helloChunks: TakeChunk[] = [
  { label: 'Welcome to the studio', startMs: 0, durationMs: 1500, startLine: 0, endLine: 0 },
  { label: 'Why narration matters', startMs: 1500, durationMs: 1500, startLine: 2, endLine: 3 },
  { label: 'What comes next', startMs: 3000, durationMs: 1500, startLine: 5, endLine: 6 },
];

describe('player webview (headless Chromium)', function () {
  let browser: Browser;
  let page: Page;
  const server = new HarnessServer();
  let tempDir: string;
  let warnings: string[];
  let pageErrors: string[];

  before(async function () {
    assert.ok(
      fs.existsSync(path.join(root, 'dist/media/player.js')),
      'run `npm run build` first: dist/media/player.js is missing',
    );
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aistudios-player-'));
    // Not AAC at all, but named and typed like one: the player must say it cannot play it.
    const garbage = path.join(tempDir, 'broken.m4a');
    fs.writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    server.audio.set('hello.mp3', path.join(fixtures, 'hello.mp3'));
    server.audio.set('hello.wav', path.join(fixtures, 'hello.wav'));
    server.audio.set('second.mp3', path.join(fixtures, 'second.mp3'));
    server.audio.set('broken.m4a', garbage);
    await server.start();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server.stop();
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    ({ page, warnings, pageErrors } = await openPlayerPage(browser, server));
  });

  afterEach(async () => {
    await closePlayerPage(page, pageErrors);
  });

  function posted(): Promise<Posted[]> {
    return page.evaluate(() => window.posted);
  }

  function send(message: unknown): Promise<void> {
    return page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  function loadMessage(take: TakeRecord, overrides: Partial<LoadMessage> = {}): LoadMessage {
    return {
      type: 'load',
      take,
      src: `${server.origin}/audio/${take.fileName}?version=1`,
      mimeType: take.fileName.endsWith('.wav')
        ? 'audio/wav'
        : take.fileName.endsWith('.m4a')
          ? 'audio/mp4'
          : 'audio/mpeg',
      missing: false,
      takes: [take],
      strings,
      autoPlay: false,
      startMs: 0,
      playbackRate: 1,
      ...overrides,
    };
  }

  async function loadAndWaitForMetadata(message: LoadMessage): Promise<void> {
    await send(message);
    await page.waitForFunction(() => (document.getElementById('audio') as PageAudio).readyState >= 1);
  }

  const audioProperty = <K extends 'currentTime' | 'duration' | 'paused' | 'playbackRate'>(key: K) =>
    page.evaluate((k) => (document.getElementById('audio') as PageAudio)[k], key) as Promise<PageAudio[K]>;

  it('posts `ready` before anything else, then loads an MP3 with a finite, positive duration', async () => {
    const first = await posted();
    assert.deepStrictEqual(
      first,
      [{ type: 'ready' }],
      'the page posts ready first, and only that, before it is sent anything',
    );
    const take = record('hello.mp3', helloChunks);
    await loadAndWaitForMetadata(loadMessage(take));
    const duration = await audioProperty('duration');
    assert.ok(Number.isFinite(duration) && duration > 0, `duration ${duration}`);
    await eventually(async () => assert.strictEqual(await page.textContent('#file-name'), 'hello.mp3'));
    assert.strictEqual(await page.textContent('#meta-model'), 'M000045058');
    assert.strictEqual(await page.textContent('#meta-language'), 'en');
    assert.strictEqual(await page.textContent('#meta-size'), '71.0 KB');
    assert.strictEqual(await page.textContent('#open-source'), 'intro.md');
    const metadata = await eventually(async () => {
      const found = (await posted()).find((m) => m.type === 'metadata');
      assert.ok(found, 'the page posts the metadata');
      return found;
    });
    assert.strictEqual(metadata?.takeId, take.id);
    assert.ok(Math.abs((metadata?.durationMs as number) - duration * 1000) < 1);
  });

  it('plays: the play button starts the audio and currentTime advances', async () => {
    await loadAndWaitForMetadata(loadMessage(record('hello.wav', helloChunks)));
    assert.strictEqual(await audioProperty('currentTime'), 0);
    await page.click('#play-pause');
    await page.waitForFunction(() => (document.getElementById('audio') as PageAudio).currentTime > 0.2);
    assert.strictEqual(await audioProperty('paused'), false);
    // The label follows the media element's play/pause events, which may fire after the click resolved.
    await eventually(async () => assert.strictEqual(await page.getAttribute('#play-pause', 'aria-label'), 'Pause'));
    await page.click('#play-pause');
    await eventually(async () => assert.strictEqual(await audioProperty('paused'), true));
    await eventually(async () => assert.strictEqual(await page.getAttribute('#play-pause', 'aria-label'), 'Play'));
  });

  it('says once that a take plays (the walkthrough ticks on it), and not while it only loads', async () => {
    const take = record('hello.wav', helloChunks);
    await loadAndWaitForMetadata(loadMessage(take));
    const started = async () => (await posted()).filter((m) => m.type === 'playbackStarted');
    assert.deepStrictEqual(await started(), [], 'loaded, not playing');
    await page.click('#play-pause');
    await eventually(async () =>
      assert.deepStrictEqual(await started(), [{ type: 'playbackStarted', takeId: take.id }]),
    );
    await page.click('#play-pause');
    await eventually(async () => assert.strictEqual(await audioProperty('paused'), true));
    const pausedAt = await audioProperty('currentTime');
    await page.click('#play-pause');
    // Time moves on only once the audio plays again, after its `playing` event.
    await page.waitForFunction((t) => (document.getElementById('audio') as PageAudio).currentTime > t + 0.2, pausedAt);
    assert.strictEqual((await started()).length, 1, 'once per take');
  });

  it('applies the chosen playback speed and keeps it in the saved state', async () => {
    await loadAndWaitForMetadata(loadMessage(record('hello.mp3', helloChunks)));
    const offered = await page.$$eval('#speed option', (options) =>
      options.map((o) => Number((o as unknown as PageElement).value)),
    );
    assert.deepStrictEqual(offered, [0.75, 1, 1.25, 1.5, 1.75, 2]);
    await page.selectOption('#speed', '1.5');
    await eventually(async () => assert.strictEqual(await audioProperty('playbackRate'), 1.5));
    await page.selectOption('#speed', '0.75');
    await eventually(async () => assert.strictEqual(await audioProperty('playbackRate'), 0.75));
    await eventually(async () =>
      assert.strictEqual((await page.evaluate(() => window.savedState as PlayerState | undefined))?.playbackRate, 0.75),
    );
  });

  it('lists the chunks with their start times, seeks on click and highlights the playing one', async () => {
    const take = record('hello.wav', helloChunks);
    await loadAndWaitForMetadata(loadMessage(take));
    const rows = await page.$$eval('#chunks button.chunk', (buttons) => buttons.map((b) => b.textContent));
    assert.deepStrictEqual(rows, ['0:00Welcome to the studio', '0:01Why narration matters', '0:03What comes next']);
    await page.click('#chunks li:nth-child(3) button');
    await page.waitForFunction(() => Math.abs((document.getElementById('audio') as PageAudio).currentTime - 3) < 0.05);
    // Highlight and position report follow the media element's seek events.
    await eventually(async () =>
      assert.strictEqual(await page.getAttribute('#chunks li:nth-child(3) button', 'aria-current'), 'true'),
    );
    assert.strictEqual(await page.getAttribute('#chunks li:nth-child(1) button', 'aria-current'), null);
    await eventually(async () => {
      const positions = (await posted()).filter((m) => m.type === 'position');
      assert.deepStrictEqual(positions.at(-1), {
        type: 'position',
        takeId: take.id,
        chunkIndex: 2,
        timeMs: 3000,
        playing: false,
      });
    });

    // Played from the start, the highlight follows the audio into the second chunk.
    await page.click('#chunks li:nth-child(1) button');
    await page.click('#play-pause');
    await page.waitForFunction(
      () => document.querySelector('#chunks li:nth-child(2) button')?.getAttribute('aria-current') === 'true',
      undefined,
      { timeout: 20_000 },
    );
    await eventually(async () =>
      assert.strictEqual(await page.getAttribute('#chunks li:nth-child(1) button', 'aria-current'), null),
    );
  });

  it('shows who speaks each part of a dialogue, and follows along across voices', async () => {
    const dialogue: TakeChunk[] = [
      { label: 'Welcome back', speaker: 'HOST', startMs: 0, durationMs: 1500, startLine: 0, endLine: 0 },
      { label: 'Thanks for having me', speaker: 'GUEST', startMs: 1500, durationMs: 1500, startLine: 2, endLine: 2 },
      { label: 'Let us begin', startMs: 3000, durationMs: 1500, startLine: 4, endLine: 4 },
    ];
    const take = record('hello.wav', dialogue);
    await loadAndWaitForMetadata(loadMessage(take));
    const speakers = await page.$$eval('#chunks button.chunk', (buttons) =>
      buttons.map((b) => b.querySelector('.chunk-speaker')?.textContent ?? null),
    );
    assert.deepStrictEqual(speakers, ['HOST', 'GUEST', null]);
    await page.click('#chunks li:nth-child(2) button');
    await eventually(async () =>
      assert.strictEqual(await page.getAttribute('#chunks li:nth-child(2) button', 'aria-current'), 'true'),
    );
  });

  it('shows the caption being said under the controls, follows the audio, and seeks on a caption’s click', async () => {
    const captions = [
      { startMs: 0, endMs: 1400, text: 'Welcome to the studio.' },
      { startMs: 1500, endMs: 2900, text: 'Why narration matters,\nin two lines.' },
      { startMs: 3000, endMs: 4500, text: 'What comes next.' },
    ];
    await loadAndWaitForMetadata(loadMessage(record('hello.wav', helloChunks, { captions })));
    assert.strictEqual(await page.isVisible('#captions-section'), true);
    const rows = await page.$$eval('#captions button.caption', (buttons) => buttons.map((b) => b.textContent));
    assert.deepStrictEqual(rows, [
      '0:00Welcome to the studio.',
      '0:01Why narration matters,\nin two lines.',
      '0:03What comes next.',
    ]);
    await eventually(async () => assert.strictEqual(await page.textContent('#caption-now'), 'Welcome to the studio.'));
    await page.click('#captions li:nth-child(3) button');
    await page.waitForFunction(() => Math.abs((document.getElementById('audio') as PageAudio).currentTime - 3) < 0.05);
    await eventually(async () => assert.strictEqual(await page.textContent('#caption-now'), 'What comes next.'));
    assert.strictEqual(await page.getAttribute('#captions li:nth-child(3) button', 'aria-current'), 'true');
    // In the pause between two captions, nothing is shown.
    await page.click('#captions li:nth-child(2) button');
    await eventually(async () =>
      assert.match((await page.textContent('#caption-now')) ?? '', /^Why narration matters/),
    );
    await send({ type: 'seek', takeId: 'take-hello.wav', chunkIndex: 0, play: false });
    await page.evaluate(() => {
      (document.getElementById('audio') as PageAudio).currentTime = 2.95;
    });
    await eventually(async () => assert.strictEqual(await page.textContent('#caption-now'), ''));
    // Played, the caption follows the audio from the first into the second.
    await page.click('#captions li:nth-child(1) button');
    await page.click('#play-pause');
    await page.waitForFunction(
      () => document.getElementById('caption-now')?.textContent?.startsWith('Why'),
      undefined,
      {
        timeout: 20_000,
      },
    );
    // A take without captions has no caption panel.
    await loadAndWaitForMetadata(loadMessage(record('hello.mp3', helloChunks)));
    await eventually(async () => assert.strictEqual(await page.isVisible('#captions-section'), false));
  });

  it('seeks to a chunk and plays when the extension asks (play from cursor)', async () => {
    const take = record('hello.wav', helloChunks);
    await loadAndWaitForMetadata(loadMessage(take));
    await send({ type: 'seek', takeId: take.id, chunkIndex: 1, play: true });
    await page.waitForFunction(() => {
      const audio = document.getElementById('audio') as PageAudio;
      return !audio.paused && audio.currentTime >= 1.5;
    });
    await eventually(async () =>
      assert.strictEqual(await page.getAttribute('#chunks li:nth-child(2) button', 'aria-current'), 'true'),
    );
  });

  it('starts at the requested position and plays when loaded with autoPlay', async () => {
    await send(loadMessage(record('hello.wav', helloChunks), { autoPlay: true, startMs: 3000 }));
    await page.waitForFunction(() => {
      const audio = document.getElementById('audio') as PageAudio;
      return !audio.paused && audio.currentTime >= 3;
    });
  });

  it('keeps a requested start and autoplay when the same take is reloaded before its metadata arrived', async () => {
    const take = record('hello.wav', helloChunks, { id: 'reloaded-before-metadata' });
    const first = loadMessage(take, { autoPlay: true, startMs: 1500 });
    // The file changed on disk right after the load was sent: the extension reloads it at 0 without autoplay.
    const reload = loadMessage(take, { src: `${server.origin}/audio/hello.wav?version=2` });
    await page.evaluate(
      ([a, b]) => {
        window.postMessage(a, '*');
        window.postMessage(b, '*');
      },
      [first, reload],
    );
    await page.waitForFunction(() => {
      const audio = document.getElementById('audio') as PageAudio;
      return !audio.paused && audio.currentTime >= 1.5;
    });
    await eventually(async () => {
      const positions = (await posted()).filter((m) => m.type === 'position' && m.takeId === take.id);
      assert.ok(positions.length > 0, 'a position was reported for the take');
      assert.ok(
        positions.every((m) => m.chunkIndex !== 1 || (m.timeMs as number) >= 1500),
        JSON.stringify(positions),
      );
    });
  });

  it('ignores (and logs) unknown or malformed messages', async () => {
    const take = record('hello.mp3', helloChunks);
    await loadAndWaitForMetadata(loadMessage(take));
    const before = (await posted()).length;
    await send({ type: 'explode' });
    await send({ type: 'load', take: { id: 'x' } });
    await send({ ...loadMessage(take), playbackRate: 7 });
    await send('load');
    await send(null);
    // Messages arrive in order: once this valid one is handled, the five before it were too.
    const other = record('second.mp3', [], { id: 'other' });
    await send({ type: 'takes', takes: [take, other] });
    await page.waitForFunction(() => document.querySelectorAll('#takes li').length === 2);
    await waitFor(
      () => warnings.filter((w) => w.includes('ignored an unknown message')).length >= 5,
      () => `five "ignored an unknown message" warnings; seen: ${JSON.stringify(warnings)}`,
    );
    assert.strictEqual(warnings.filter((w) => w.includes('ignored an unknown message')).length, 5);
    assert.strictEqual(await page.textContent('#file-name'), 'hello.mp3');
    assert.strictEqual((await posted()).length, before, 'nothing was posted back for ignored messages');
  });

  it('reloads a regenerated file (new version) and says so', async () => {
    const take = record('hello.mp3', helloChunks);
    await loadAndWaitForMetadata(loadMessage(take));
    assert.strictEqual(await page.textContent('#status'), '');
    await send(loadMessage(take, { src: `${server.origin}/audio/hello.mp3?version=2` }));
    await page.waitForFunction(() => document.getElementById('status')?.textContent !== '');
    assert.strictEqual(await page.textContent('#status'), strings.reloaded);
    assert.match(
      await page.evaluate(() => (document.getElementById('audio') as PageAudio).getAttribute('src') ?? ''),
      /version=2$/,
    );
    await page.waitForFunction(() => (document.getElementById('audio') as PageAudio).readyState >= 1);
  });

  it('says a deleted file is missing instead of showing broken controls', async () => {
    const take = record('hello.mp3', helloChunks);
    await loadAndWaitForMetadata(loadMessage(take));
    assert.strictEqual(await page.isVisible('#notice'), false);
    await send({ type: 'missing', takeId: take.id });
    await page.waitForSelector('#notice', { state: 'visible' });
    await eventually(async () => assert.strictEqual(await page.textContent('#notice-text'), strings.fileMissing));
    await eventually(async () => assert.strictEqual(await page.isDisabled('#play-pause'), true));
    await eventually(async () => assert.strictEqual(await page.isDisabled('#seek'), true));
    assert.strictEqual(await page.isVisible('#open-external'), false);

    // Loaded as missing from the start, too.
    await send(loadMessage(record('second.mp3', []), { missing: true }));
    await page.waitForFunction(() => document.getElementById('file-name')?.textContent === 'second.mp3');
    await eventually(async () => assert.strictEqual(await page.textContent('#notice-text'), strings.fileMissing));
    await eventually(async () => assert.strictEqual(await page.isVisible('#no-sections'), true));
  });

  it('says it cannot play an unplayable format and offers the system player', async () => {
    const take = record('broken.m4a', []);
    await send(loadMessage(take));
    await page.waitForSelector('#notice', { state: 'visible' });
    await eventually(async () => assert.strictEqual(await page.textContent('#notice-text'), strings.cannotPlay));
    await eventually(async () => assert.strictEqual(await page.isDisabled('#play-pause'), true));
    await page.click('#open-external');
    await eventually(async () => {
      const messages = await posted();
      assert.ok(
        messages.some((m) => m.type === 'mediaError' && m.takeId === take.id),
        'the extension is told, for its log',
      );
      assert.deepStrictEqual(messages.at(-1), { type: 'openExternal', takeId: take.id });
    });

    // A playable take afterwards clears the notice.
    await loadAndWaitForMetadata(loadMessage(record('hello.mp3', helloChunks)));
    await eventually(async () => assert.strictEqual(await page.isVisible('#notice'), false));
    await eventually(async () => assert.strictEqual(await page.isDisabled('#play-pause'), false));
  });

  it('lists the takes newest first, asks to switch on click, and keeps them in the saved state', async () => {
    const older = record('second.mp3', [], { createdAt: Date.UTC(2026, 0, 5, 9, 0) });
    const newer = record('hello.mp3', helloChunks);
    await loadAndWaitForMetadata(loadMessage(newer, { takes: [newer, older] }));
    await eventually(async () => {
      const names = await page.$$eval('#takes .take-name', (spans) => spans.map((s) => s.textContent));
      assert.deepStrictEqual(names, ['hello.mp3', 'second.mp3']);
    });
    assert.strictEqual(await page.getAttribute('#takes li:nth-child(1) button', 'aria-current'), 'true');
    await page.click('#takes li:nth-child(2) button');
    await eventually(async () =>
      assert.deepStrictEqual((await posted()).at(-1), { type: 'selectTake', takeId: older.id }),
    );
    await page.click('#open-source');
    await eventually(async () => assert.strictEqual((await posted()).at(-1)?.type, 'openSource'));
    await eventually(async () => {
      const state = await page.evaluate(() => window.savedState as PlayerState | undefined);
      assert.strictEqual(state?.version, 1);
      assert.strictEqual(state.currentTakeId, newer.id);
      assert.deepStrictEqual(
        state.takes.map((t) => t.id),
        [newer.id, older.id],
      );
    });
  });

  it('is operable from the keyboard: the controls are real, labelled buttons', async () => {
    await loadAndWaitForMetadata(loadMessage(record('hello.wav', helloChunks)));
    await page.focus('#play-pause');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !(document.getElementById('audio') as PageAudio).paused);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.getElementById('audio') as PageAudio).paused);
    const unlabeled = await page.$$eval('button, input, select', (controls) =>
      controls
        .filter(
          (c) =>
            !(
              c.getAttribute('aria-label') ||
              c.textContent?.trim() ||
              (c.id && document.querySelector(`label[for="${c.id}"]`))
            ),
        )
        .map((c) => c.outerHTML),
    );
    assert.deepStrictEqual(unlabeled, []);
  });

  it('renders in the dark theme (screenshot)', async () => {
    await page.setViewportSize({ width: 720, height: 380 });
    await page.addStyleTag({ url: `${server.origin}/theme/dark.css` });
    const newer = record('hello.mp3', helloChunks, {
      createdAt: Date.UTC(2026, 0, 5, 9, 30),
      sizeBytes: 18_680,
      captions: [
        { startMs: 0, endMs: 1400, text: 'Welcome to the studio.' },
        { startMs: 1500, endMs: 2900, text: 'Why narration matters: a listener\ncannot scroll back.' },
        { startMs: 3000, endMs: 4500, text: 'What comes next.' },
      ],
    });
    const older = record('hello.wav', helloChunks, {
      id: 'older',
      createdAt: Date.UTC(2026, 0, 5, 9, 12),
      model: 'M000045058',
      language: 'en',
    });
    await loadAndWaitForMetadata(loadMessage(newer, { takes: [newer, older] }));
    await page.click('#chunks li:nth-child(2) button');
    await page.waitForFunction(
      () => document.querySelector('#chunks li:nth-child(2) button')?.getAttribute('aria-current') === 'true',
    );
    await page.mouse.move(0, 0);
    // The theme's stylesheet applies once loaded.
    await eventually(async () =>
      assert.strictEqual(
        await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
        'rgb(31, 31, 31)',
        'the theme variables apply',
      ),
    );
    const png = await page.screenshot({ fullPage: true });
    assert.ok(png.length > 1000 && png.subarray(1, 4).toString() === 'PNG');
    const outDir = path.join(root, 'out/test/webview');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'screenshot-player.png'), png);
    // The committed screenshot changes only on purpose.
    if (process.env.UPDATE_SCREENSHOT === '1') fs.writeFileSync(path.join(root, 'media/screenshot-player.png'), png);
  });
});
