// The player webview's script: renders the take the extension sends, drives the <audio> element, reports
// the playing chunk, and keeps the take list in the webview state so the panel survives a reload.
import {
  chunkIndexAt,
  isExtensionToWebviewMessage,
  isPlaybackRate,
  isPlayerState,
  type LoadMessage,
  type PlayerState,
  type PlayerStrings,
  type TakeRecord,
  type WebviewToExtensionMessage,
} from '../src/shared/playerProtocol';

interface VsCodeApi {
  postMessage(message: WebviewToExtensionMessage): void;
  getState(): unknown;
  setState(state: PlayerState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const skipSeconds = 5;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`player page is missing #${id}`);
  return found as T;
}

const ui = {
  player: element<HTMLElement>('player'),
  notice: element<HTMLElement>('notice'),
  noticeText: element<HTMLElement>('notice-text'),
  status: element<HTMLElement>('status'),
  openExternal: element<HTMLButtonElement>('open-external'),
  fileName: element<HTMLElement>('file-name'),
  model: element<HTMLElement>('meta-model'),
  language: element<HTMLElement>('meta-language'),
  size: element<HTMLElement>('meta-size'),
  duration: element<HTMLElement>('meta-duration'),
  openSource: element<HTMLButtonElement>('open-source'),
  noSource: element<HTMLElement>('no-source'),
  audio: element<HTMLAudioElement>('audio'),
  transport: element<HTMLElement>('transport'),
  playPause: element<HTMLButtonElement>('play-pause'),
  skipBack: element<HTMLButtonElement>('skip-back'),
  skipForward: element<HTMLButtonElement>('skip-forward'),
  seek: element<HTMLInputElement>('seek'),
  time: element<HTMLElement>('time'),
  speed: element<HTMLSelectElement>('speed'),
  chunks: element<HTMLOListElement>('chunks'),
  noSections: element<HTMLElement>('no-sections'),
  takes: element<HTMLOListElement>('takes'),
};

let current: LoadMessage | undefined;
let takes: TakeRecord[] = [];
let playingChunk = -1;
/** A seek requested before the audio's metadata arrived. */
let pendingStartMs: number | undefined;
let pendingPlay = false;
let unplayable = false;
/** The user is dragging the seek slider: don't move it under their hand. */
let seeking = false;

const saved = vscode.getState();
const savedState = isPlayerState(saved) ? saved : undefined;
if (savedState) ui.audio.playbackRate = savedState.playbackRate;

function post(message: WebviewToExtensionMessage): void {
  vscode.postMessage(message);
}

function strings(): PlayerStrings | undefined {
  return current?.strings;
}

// ---- formatting ----

function formatTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0:00';
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(document.documentElement.lang || undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

// ---- state ----

function saveState(): void {
  if (!current) return;
  vscode.setState({
    version: 1,
    currentTakeId: current.take.id,
    positionMs: Math.round((Number.isFinite(ui.audio.currentTime) ? ui.audio.currentTime : 0) * 1000),
    playbackRate: isPlaybackRate(ui.audio.playbackRate) ? ui.audio.playbackRate : 1,
    takes,
  });
}

// ---- rendering ----

function durationMs(): number | undefined {
  const seconds = ui.audio.duration;
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  return current?.take.durationMs;
}

function renderMeta(take: TakeRecord, text: PlayerStrings): void {
  ui.fileName.textContent = take.fileName;
  ui.fileName.title = take.audioUri;
  ui.model.textContent = take.model ?? text.unknown;
  ui.language.textContent = take.language ?? text.unknown;
  ui.size.textContent = take.sizeBytes === undefined ? text.unknown : formatBytes(take.sizeBytes);
  renderDuration();
  const hasSource = take.sourceName !== undefined;
  ui.openSource.hidden = !hasSource;
  ui.openSource.textContent = take.sourceName ?? '';
  ui.noSource.textContent = hasSource ? '' : text.unknown;
}

function renderDuration(): void {
  const text = strings();
  const duration = durationMs();
  ui.duration.textContent = duration === undefined ? (text?.unknown ?? '') : formatTime(duration);
}

function renderChunks(take: TakeRecord): void {
  ui.chunks.replaceChildren(
    ...take.chunks.map((chunk, index) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'chunk';
      button.dataset.index = String(index);
      const time = document.createElement('span');
      time.className = 'chunk-time';
      time.textContent = formatTime(chunk.startMs);
      const label = document.createElement('span');
      label.className = 'chunk-label';
      label.textContent = chunk.label;
      button.append(time);
      // A dialogue's parts say who speaks them.
      if (chunk.speaker) {
        const speaker = document.createElement('span');
        speaker.className = 'chunk-speaker';
        speaker.textContent = chunk.speaker;
        button.append(speaker);
      }
      button.append(label);
      item.append(button);
      return item;
    }),
  );
  ui.noSections.hidden = take.chunks.length > 0;
  playingChunk = -1;
}

function renderTakes(): void {
  const currentId = current?.take.id;
  ui.takes.replaceChildren(
    ...takes.map((take) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'take';
      button.dataset.takeId = take.id;
      if (take.id === currentId) button.setAttribute('aria-current', 'true');
      const name = document.createElement('span');
      name.className = 'take-name';
      name.textContent = take.fileName;
      const detail = document.createElement('span');
      detail.className = 'take-detail';
      detail.textContent = [formatClock(take.createdAt), take.model, take.language].filter(Boolean).join(' · ');
      button.append(name, detail);
      item.append(button);
      return item;
    }),
  );
}

function showNotice(text: string | undefined, offerExternal: boolean): void {
  ui.notice.hidden = text === undefined;
  ui.noticeText.textContent = text ?? '';
  ui.openExternal.hidden = !offerExternal;
  const broken = text !== undefined;
  ui.transport.classList.toggle('disabled', broken);
  for (const control of [ui.playPause, ui.skipBack, ui.skipForward, ui.seek, ui.speed]) control.disabled = broken;
}

function renderPlayState(): void {
  const text = strings();
  const playing = !ui.audio.paused && !ui.audio.ended;
  ui.playPause.classList.toggle('playing', playing);
  const label = playing ? text?.pause : text?.play;
  if (label) {
    ui.playPause.setAttribute('aria-label', label);
    ui.playPause.title = label;
  }
}

function renderTime(): void {
  const duration = durationMs() ?? 0;
  const now = ui.audio.currentTime * 1000;
  ui.seek.max = String(Math.round(duration));
  if (!seeking) ui.seek.value = String(Math.round(now));
  ui.time.textContent = `${formatTime(now)} / ${formatTime(duration)}`;
  ui.seek.setAttribute('aria-valuetext', `${formatTime(now)} / ${formatTime(duration)}`);
}

function highlightChunk(index: number): void {
  if (index === playingChunk) return;
  playingChunk = index;
  for (const button of ui.chunks.querySelectorAll<HTMLButtonElement>('button.chunk')) {
    const active = Number(button.dataset.index) === index;
    button.classList.toggle('active', active);
    if (active) {
      button.setAttribute('aria-current', 'true');
      button.scrollIntoView({ block: 'nearest' });
    } else {
      button.removeAttribute('aria-current');
    }
  }
  if (current)
    post({
      type: 'position',
      takeId: current.take.id,
      chunkIndex: index,
      timeMs: Math.round(ui.audio.currentTime * 1000),
      playing: !ui.audio.paused,
    });
}

function updateChunkFromTime(): void {
  if (!current) return;
  highlightChunk(ui.audio.ended ? -1 : chunkIndexAt(current.take.chunks, ui.audio.currentTime * 1000));
}

// ---- playback ----

function play(): void {
  const takeId = current?.take.id;
  ui.audio.play().catch((error: unknown) => {
    renderPlayState();
    const reason = error instanceof DOMException ? error.name : 'Error';
    // AbortError: a newer load or a pause interrupted this play; nothing went wrong.
    if (takeId && reason !== 'AbortError') post({ type: 'playbackRefused', takeId, reason });
  });
}

function metadataLoaded(): boolean {
  return ui.audio.readyState >= HTMLMediaElement.HAVE_METADATA;
}

function seekTo(ms: number): void {
  const duration = durationMs();
  const clamped = Math.max(0, duration === undefined ? ms : Math.min(ms, duration));
  if (metadataLoaded()) {
    ui.audio.currentTime = clamped / 1000;
    renderTime();
    updateChunkFromTime();
  } else {
    pendingStartMs = clamped;
  }
}

function seekToChunk(index: number, andPlay: boolean): void {
  const chunk = current?.take.chunks[index];
  if (!chunk) return;
  seekTo(chunk.startMs);
  if (!metadataLoaded()) {
    // The seek waits for `loadedmetadata`, which reports the chunk then, with its real position.
    if (andPlay) pendingPlay = true;
    return;
  }
  highlightChunk(index);
  if (andPlay) play();
}

function load(message: LoadMessage): void {
  const sameTake = current?.take.id === message.take.id;
  // The same take with a new version: the file was regenerated on disk.
  const regenerated = sameTake && !message.missing && current?.src !== message.src;
  ui.status.textContent = regenerated ? message.strings.reloaded : '';
  current = message;
  takes = message.takes;
  unplayable = false;
  renderMeta(message.take, message.strings);
  renderChunks(message.take);
  renderTakes();
  ui.player.setAttribute('aria-busy', 'false');
  ui.audio.playbackRate = message.playbackRate;
  ui.audio.defaultPlaybackRate = message.playbackRate;
  ui.speed.value = String(message.playbackRate);
  if (message.missing) {
    ui.audio.removeAttribute('src');
    ui.audio.load();
    showNotice(message.strings.fileMissing, false);
    saveState();
    return;
  }
  if (ui.audio.canPlayType(message.mimeType) === '') {
    markUnplayable(undefined);
    return;
  }
  showNotice(undefined, false);
  // A reload of the same take (the file changed on disk) keeps where it is, or where it was asked to
  // start and has not reached yet, and keeps playing if it played or was asked to.
  const reloadOfSameTake = sameTake && message.startMs === 0;
  const wasPlaying = !ui.audio.paused && !ui.audio.ended;
  const resumeMs = reloadOfSameTake ? (pendingStartMs ?? ui.audio.currentTime * 1000) : message.startMs;
  pendingStartMs = resumeMs > 0 ? resumeMs : undefined;
  pendingPlay = message.autoPlay || (reloadOfSameTake && (pendingPlay || wasPlaying));
  ui.audio.src = message.src;
  ui.audio.load();
  renderPlayState();
  renderTime();
  saveState();
}

function markUnplayable(code: number | undefined): void {
  if (!current || unplayable) return;
  unplayable = true;
  ui.audio.removeAttribute('src');
  ui.audio.load();
  showNotice(current.strings.cannotPlay, true);
  post({ type: 'mediaError', takeId: current.take.id, reason: code === undefined ? 'unsupported' : 'error', code });
  saveState();
}

// ---- events ----

ui.playPause.addEventListener('click', () => {
  if (ui.audio.paused || ui.audio.ended) play();
  else ui.audio.pause();
});
ui.skipBack.addEventListener('click', () => seekTo(ui.audio.currentTime * 1000 - skipSeconds * 1000));
ui.skipForward.addEventListener('click', () => seekTo(ui.audio.currentTime * 1000 + skipSeconds * 1000));
ui.seek.addEventListener('input', () => {
  seeking = true;
  ui.time.textContent = `${formatTime(Number(ui.seek.value))} / ${formatTime(durationMs() ?? 0)}`;
});
ui.seek.addEventListener('change', () => {
  seeking = false;
  seekTo(Number(ui.seek.value));
});
ui.speed.addEventListener('change', () => {
  const rate = Number(ui.speed.value);
  if (!isPlaybackRate(rate)) return;
  ui.audio.playbackRate = rate;
  ui.audio.defaultPlaybackRate = rate;
  saveState();
});
ui.chunks.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button.chunk');
  if (button) seekToChunk(Number(button.dataset.index), !ui.audio.paused);
});
ui.takes.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button.take');
  const takeId = button?.dataset.takeId;
  if (takeId && takeId !== current?.take.id) post({ type: 'selectTake', takeId });
});
ui.openSource.addEventListener('click', () => {
  if (current)
    post({ type: 'openSource', takeId: current.take.id, chunkIndex: playingChunk >= 0 ? playingChunk : undefined });
});
ui.openExternal.addEventListener('click', () => {
  if (current) post({ type: 'openExternal', takeId: current.take.id });
});

ui.audio.addEventListener('loadedmetadata', () => {
  if (!current) return;
  if (pendingStartMs !== undefined) {
    ui.audio.currentTime = Math.min(pendingStartMs, durationMs() ?? pendingStartMs) / 1000;
    pendingStartMs = undefined;
  }
  renderDuration();
  renderTime();
  updateChunkFromTime();
  const duration = durationMs();
  if (duration !== undefined) post({ type: 'metadata', takeId: current.take.id, durationMs: Math.round(duration) });
  if (pendingPlay) {
    pendingPlay = false;
    play();
  }
});
ui.audio.addEventListener('durationchange', () => {
  renderDuration();
  renderTime();
});
ui.audio.addEventListener('timeupdate', () => {
  renderTime();
  updateChunkFromTime();
});
ui.audio.addEventListener('seeked', () => {
  renderTime();
  updateChunkFromTime();
  saveState();
});
for (const type of ['play', 'pause', 'ended', 'playing'] as const) {
  ui.audio.addEventListener(type, () => {
    renderPlayState();
    if (type === 'ended') updateChunkFromTime();
    if (type === 'pause') saveState();
  });
}
ui.audio.addEventListener('error', () => {
  // A src removed on purpose (missing file, unplayable) also fires `error`; only a real load counts.
  if (!current || current.missing || !ui.audio.getAttribute('src')) return;
  markUnplayable(ui.audio.error?.code ?? 0);
});

// Chromium defers loading media in a hidden frame (a player tab behind the script); when the panel is
// shown again, a load that never started is started over.
document.addEventListener('visibilitychange', () => {
  if (
    document.visibilityState === 'visible' &&
    ui.audio.getAttribute('src') &&
    ui.audio.readyState === HTMLMediaElement.HAVE_NOTHING &&
    !unplayable
  ) {
    ui.audio.load();
  }
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isExtensionToWebviewMessage(message)) {
    console.warn('[aistudios player] ignored an unknown message', message);
    return;
  }
  switch (message.type) {
    case 'load':
      load(message);
      break;
    case 'takes':
      takes = message.takes;
      renderTakes();
      saveState();
      break;
    case 'missing':
      if (current?.take.id === message.takeId) {
        current = { ...current, missing: true };
        pendingStartMs = undefined;
        pendingPlay = false;
        ui.audio.pause();
        ui.audio.removeAttribute('src');
        ui.audio.load();
        showNotice(current.strings.fileMissing, false);
        renderPlayState();
      }
      break;
    case 'seek':
      if (current?.take.id === message.takeId) seekToChunk(message.chunkIndex, message.play);
      break;
  }
});

// Last: tell the extension we listen, so nothing it sends is lost.
post({ type: 'ready' });
