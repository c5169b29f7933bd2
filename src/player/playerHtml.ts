// Builds the player page. A pure function of its input (no `vscode` import), so the browser test serves
// exactly the page the extension shows, with the same Content Security Policy.
import { playbackRates, type PlayerStrings } from '../shared/playerProtocol';

export interface PlayerHtmlInput {
  /** `webview.cspSource`: the only origin media, images and styles may come from. */
  cspSource: string;
  /** Fresh for every page; the only way a script may run. */
  nonce: string;
  /** Webview URI of dist/media/player.js. */
  scriptUri: string;
  /** Webview URI of media/player.css. */
  styleUri: string;
  strings: PlayerStrings;
  title: string;
  /** BCP 47 language of the strings (vscode.env.language). */
  lang: string;
}

/** The policy: nothing by default; media, images and styles from the webview's resources; scripts by nonce only. */
export function buildContentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; media-src ${cspSource}; img-src ${cspSource}; style-src ${cspSource}; script-src 'nonce-${nonce}'`;
}

/** A random nonce (128 bits, base64url) for the page's single script. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const icons = {
  play: '<svg class="icon icon-play" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M4 2.5v11l9-5.5z"/></svg>',
  pause:
    '<svg class="icon icon-pause" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M4 2h3v12H4zM9 2h3v12H9z"/></svg>',
  back: '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M8 3 2 8l6 5V3zm6 0-6 5 6 5V3z"/></svg>',
  forward:
    '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="m8 3 6 5-6 5V3zM2 3l6 5-6 5V3z"/></svg>',
  external:
    '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M9 2h5v5h-1.5V4.6L7.1 10 6 8.9l5.4-5.4H9zM3 4h4v1.5H4.5v6h6V9H12v4H3z"/></svg>',
};

/** The complete HTML of the player page; everything dynamic is filled in by dist/media/player.js. */
export function buildPlayerHtml(input: PlayerHtmlInput): string {
  const s = input.strings;
  const e = escapeHtml;
  const speedOptions = playbackRates
    .map((rate) => `<option value="${rate}"${rate === 1 ? ' selected' : ''}>${rate}×</option>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="${e(input.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(buildContentSecurityPolicy(input.cspSource, input.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(input.styleUri)}">
<title>${e(input.title)}</title>
</head>
<body>
<main class="player" id="player" aria-busy="true">
  <div class="notice" id="notice" role="alert" hidden>
    <p class="notice-text" id="notice-text"></p>
    <button type="button" class="button secondary" id="open-external" hidden>${icons.external}<span>${e(s.openExternally)}</span></button>
  </div>
  <header class="take-header">
    <h1 class="file-name" id="file-name"></h1>
    <dl class="take-meta">
      <div class="meta-item"><dt>${e(s.model)}</dt><dd id="meta-model"></dd></div>
      <div class="meta-item"><dt>${e(s.language)}</dt><dd id="meta-language"></dd></div>
      <div class="meta-item"><dt>${e(s.size)}</dt><dd id="meta-size"></dd></div>
      <div class="meta-item"><dt>${e(s.duration)}</dt><dd id="meta-duration"></dd></div>
      <div class="meta-item"><dt>${e(s.source)}</dt><dd><button type="button" class="link" id="open-source" title="${e(s.openSource)}" hidden></button><span id="no-source"></span></dd></div>
    </dl>
  </header>
  <p class="status" id="status" role="status" aria-live="polite"></p>
  <audio id="audio" preload="auto"></audio>
  <audio id="stream-a" preload="auto"></audio>
  <audio id="stream-b" preload="auto"></audio>
  <div class="transport" id="transport" role="group" aria-label="${e(input.title)}">
    <button type="button" class="icon-button" id="skip-back" aria-label="${e(s.skipBack)}" title="${e(s.skipBack)}">${icons.back}</button>
    <button type="button" class="icon-button primary" id="play-pause" aria-label="${e(s.play)}" title="${e(s.play)}">${icons.play}${icons.pause}</button>
    <button type="button" class="icon-button" id="skip-forward" aria-label="${e(s.skipForward)}" title="${e(s.skipForward)}">${icons.forward}</button>
    <input type="range" class="seek" id="seek" min="0" max="0" step="100" value="0" aria-label="${e(s.seek)}">
    <span class="time" id="time" aria-hidden="true">0:00 / 0:00</span>
    <span class="speed-group"><label class="speed-label" for="speed">${e(s.speed)}</label>
    <select class="speed" id="speed">${speedOptions}</select></span>
  </div>
  <section class="panel-section captions" id="captions-section" aria-labelledby="captions-heading" hidden>
    <p class="caption-now" id="caption-now"></p>
    <h2 id="captions-heading">${e(s.captions)}</h2>
    <ol class="caption-list" id="captions"></ol>
  </section>
  <section class="panel-section" aria-labelledby="sections-heading">
    <h2 id="sections-heading">${e(s.sections)}</h2>
    <p class="empty" id="no-sections" hidden>${e(s.noSections)}</p>
    <ol class="chunk-list" id="chunks"></ol>
  </section>
  <section class="panel-section" aria-labelledby="takes-heading">
    <h2 id="takes-heading">${e(s.takes)}</h2>
    <ol class="take-list" id="takes"></ol>
  </section>
</main>
<script nonce="${e(input.nonce)}" src="${e(input.scriptUri)}"></script>
</body>
</html>`;
}
