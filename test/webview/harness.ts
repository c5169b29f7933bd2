// What the browser tests of the player share: the page as the extension builds it (src/player/playerHtml.ts, real
// CSP), the bundled dist/media/player.js and media/player.css and audio files served from 127.0.0.1 (with byte
// ranges, so seeking works), a stub of the webview API recording what the page posts, and headless Chromium.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPlayerHtml, createNonce } from '../../src/player/playerHtml';
import type { PlayerStrings } from '../../src/shared/playerProtocol';

// The callbacks given to page.evaluate/waitForFunction run in the page. The project compiles without the
// DOM library (it is Node code), so these module-local declarations type the little of the page they touch.
export interface PageElement {
  id: string;
  textContent: string | null;
  outerHTML: string;
  value: string;
  getAttribute(name: string): string | null;
}
export interface PageAudio extends PageElement {
  currentTime: number;
  duration: number;
  paused: boolean;
  readyState: number;
  playbackRate: number;
}
export interface PageWindow {
  posted: Posted[];
  savedState: unknown;
  cspViolations: string[];
  acquireVsCodeApi: () => unknown;
  postMessage(message: unknown, targetOrigin: string): void;
}
declare const window: PageWindow;
declare const document: {
  body: PageElement;
  getElementById(id: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
  addEventListener(
    type: 'securitypolicyviolation',
    listener: (e: { violatedDirective: string; blockedURI: string }) => void,
  ): void;
};

export const root = path.resolve(__dirname, '../../..');
export const fixtures = path.join(root, 'test/fixtures/audio');

export const strings: PlayerStrings = {
  play: 'Play',
  pause: 'Pause',
  seek: 'Position',
  speed: 'Speed',
  skipBack: 'Back 5 seconds',
  skipForward: 'Forward 5 seconds',
  model: 'Model',
  language: 'Language',
  size: 'Size',
  duration: 'Duration',
  source: 'Script',
  openSource: 'Open the script in the editor',
  sections: 'Sections',
  takes: 'Takes in this window',
  noSections: 'This file has no sections: it was not generated in this window.',
  captions: 'Captions',
  cannotPlay: 'The player cannot play this format. Open it with the system player instead.',
  fileMissing: 'This audio file no longer exists. It was deleted or moved.',
  openExternally: 'Open with System Player',
  reloaded: 'Reloaded: the file changed on disk.',
  unknown: '—',
  streaming: 'Playing while it is generated: {0} of {1} parts ready.',
  streamWaiting: 'Waiting for part {0}…',
  streamCancelled: 'Generation cancelled: no audio was made.',
  streamFailed: 'Generation failed: no audio was made.',
};

const mimeTypes: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
  '.map': 'application/json',
};

/** Serves the page, the built script, the CSS and audio files (with byte ranges, so seeking works). */
export class HarnessServer {
  private server: http.Server | undefined;
  origin = '';
  /** Files served under /audio/<name>. */
  readonly audio = new Map<string, string>();

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.origin);
    if (url.pathname === '/') {
      const html = buildPlayerHtml({
        cspSource: this.origin,
        nonce: createNonce(),
        scriptUri: `${this.origin}/dist/media/player.js`,
        styleUri: `${this.origin}/media/player.css`,
        strings,
        title: 'AI Studios Player',
        lang: 'en',
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const files: Record<string, string> = {
      '/dist/media/player.js': path.join(root, 'dist/media/player.js'),
      '/media/player.css': path.join(root, 'media/player.css'),
      '/theme/dark.css': path.join(root, 'test/webview/page/dark-theme.css'),
    };
    const file =
      files[url.pathname] ??
      (url.pathname.startsWith('/audio/') ? this.audio.get(url.pathname.slice('/audio/'.length)) : undefined);
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const data = fs.readFileSync(file);
    const type = mimeTypes[path.extname(file)] ?? 'application/octet-stream';
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = range[1] ? Number(range[1]) : 0;
      const end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
      res.writeHead(206, {
        'content-type': type,
        'accept-ranges': 'bytes',
        'content-range': `bytes ${start}-${end}/${data.length}`,
        'content-length': end - start + 1,
      });
      res.end(data.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { 'content-type': type, 'accept-ranges': 'bytes', 'content-length': data.length }).end(data);
  }
}

/** Stands in for VS Code's webview API and records CSP violations, before any page script runs. */
export function installWebviewStub(): void {
  const w = window;
  w.posted = [];
  w.savedState = undefined;
  w.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
  );
  let acquired = false;
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi can only be called once');
    acquired = true;
    return {
      postMessage: (message: unknown) => w.posted.push(JSON.parse(JSON.stringify(message))),
      getState: () => w.savedState,
      setState: (state: unknown) => {
        w.savedState = JSON.parse(JSON.stringify(state));
      },
    };
  };
}

export interface Posted {
  type: string;
  [key: string]: unknown;
}

/** Headless Chromium as the tests use it: no network but the harness's, audio allowed to start without a gesture. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  // A failure says which browser it met: the page's event timing changes between Chromium releases.
  console.log(`browser: Chromium ${browser.version()} (/usr/bin/chromium)`);
  return browser;
}

/** A fresh player page that reached only the harness and posted `ready`; what it warns and throws is collected. */
export async function openPlayerPage(
  browser: Browser,
  server: HarnessServer,
): Promise<{ page: Page; warnings: string[]; pageErrors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 720, height: 640 } });
  // Only the harness server: the page must not reach anything else.
  await page.route('**/*', (route) =>
    new URL(route.request().url()).origin === server.origin ? route.continue() : route.abort(),
  );
  const warnings: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.addInitScript(installWebviewStub);
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.posted.length > 0);
  return { page, warnings, pageErrors };
}

/** Closes the page, then fails on any CSP violation or page error it had. */
export async function closePlayerPage(page: Page, pageErrors: readonly string[]): Promise<void> {
  const violations = await page.evaluate(() => window.cspViolations);
  await page.close();
  assert.deepStrictEqual(violations, [], 'the page caused Content Security Policy violations');
  assert.deepStrictEqual(pageErrors, [], 'the page threw');
}
