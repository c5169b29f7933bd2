// The player webview's script: renders the take the extension sends, drives the <audio> element, reports
// the playing chunk, and keeps the take list in the webview state so the panel survives a reload.
// While a take is generated it plays the parts as they arrive, on two more <audio> elements that take turns (the
// next part loads while one plays), then carries on in the joined file at the same place (see "stream" below).
import {
  captionIndexAt,
  chunkIndexAt,
  isExtensionToWebviewMessage,
  isPlaybackRate,
  isPlayerState,
  type LoadMessage,
  type PartTiming,
  type PlayerState,
  type PlayerStrings,
  type StreamMessage,
  type StreamPartMessage,
  type StreamProgressMessage,
  type TakeChunk,
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
  /** The stream's two decks: one plays a part while the other loads the next. */
  decks: [element<HTMLAudioElement>('stream-a'), element<HTMLAudioElement>('stream-b')] as const,
  transport: element<HTMLElement>('transport'),
  playPause: element<HTMLButtonElement>('play-pause'),
  skipBack: element<HTMLButtonElement>('skip-back'),
  skipForward: element<HTMLButtonElement>('skip-forward'),
  seek: element<HTMLInputElement>('seek'),
  time: element<HTMLElement>('time'),
  speed: element<HTMLSelectElement>('speed'),
  chunks: element<HTMLOListElement>('chunks'),
  captionsSection: element<HTMLElement>('captions-section'),
  captionNow: element<HTMLElement>('caption-now'),
  captions: element<HTMLOListElement>('captions'),
  noSections: element<HTMLElement>('no-sections'),
  takes: element<HTMLOListElement>('takes'),
};

let current: LoadMessage | undefined;
let takes: TakeRecord[] = [];
/** The element whose sound the listener hears and whose time the controls show: the take's, or a stream deck. */
let active: HTMLAudioElement = ui.audio;
/** Where the active element's 0 lies on the take's timeline (a part's start while streaming). */
let activeOffsetMs = 0;
/** The generation playing as it arrives (see "stream" below). */
let stream: StreamPlayback | undefined;
let playingChunk = -1;
let spokenCaption = -1;
/** A seek requested before the audio's metadata arrived. */
let pendingStartMs: number | undefined;
let pendingPlay = false;
let unplayable = false;
/** The user is dragging the seek slider: don't move it under their hand. */
let seeking = false;
/** The take whose playback was last reported (`playbackStarted` is said once per take). */
let reportedPlaybackOf: string | undefined;

const saved = vscode.getState();
const savedState = isPlayerState(saved) ? saved : undefined;
if (savedState) for (const audio of allAudio()) audio.playbackRate = savedState.playbackRate;

function allAudio(): HTMLAudioElement[] {
  return [ui.audio, ...ui.decks];
}

/** The position on the take's timeline, in ms. */
function positionMs(): number {
  const seconds = Number.isFinite(active.currentTime) ? active.currentTime : 0;
  return activeOffsetMs + seconds * 1000;
}

/** Whether the listener hears (or is about to hear, between two parts) the take. */
function isPlaying(): boolean {
  if (stream) return stream.wantPlay && (stream.waiting || (!active.paused && !active.ended));
  return !ui.audio.paused && !ui.audio.ended;
}

/** `{0}`, `{1}` … of a localized string, filled in. */
function format(text: string, ...values: (string | number)[]): string {
  return text.replace(/\{(\d+)\}/g, (match, i: string) =>
    values[Number(i)] === undefined ? match : String(values[Number(i)]),
  );
}

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
  // A take still being generated has no file to come back to: the state keeps what was there before.
  if (!current || (stream && !stream.joined)) return;
  vscode.setState({
    version: 1,
    currentTakeId: current.take.id,
    positionMs: Math.round(positionMs()),
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

/** A text span with a class, for the parts of a list row. */
function span(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

/** A list item holding one button (the sections, captions and takes lists are lists of such buttons). */
function buttonRow(className: string, data: Record<string, string>, parts: HTMLElement[]): HTMLLIElement {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  Object.assign(button.dataset, data);
  button.append(...parts);
  item.append(button);
  return item;
}

function chunkRow(chunk: TakeChunk, index: number): HTMLLIElement {
  const time = span('chunk-time', formatTime(chunk.startMs));
  // A dialogue's parts say who speaks them.
  const speaker = chunk.speaker ? [span('chunk-speaker', chunk.speaker)] : [];
  return buttonRow('chunk', { index: String(index) }, [time, ...speaker, span('chunk-label', chunk.label)]);
}

function renderChunks(take: TakeRecord): void {
  ui.chunks.replaceChildren(...take.chunks.map(chunkRow));
  // A take being generated gets its sections as its parts arrive.
  ui.noSections.hidden = take.chunks.length > 0 || stream !== undefined;
  playingChunk = -1;
}

function renderCaptions(take: TakeRecord): void {
  const captions = take.captions ?? [];
  ui.captions.replaceChildren(
    ...captions.map((caption, index) =>
      buttonRow('caption', { index: String(index) }, [
        span('caption-time', formatTime(caption.startMs)),
        span('caption-text', caption.text),
      ]),
    ),
  );
  ui.captionsSection.hidden = captions.length === 0;
  ui.captionNow.textContent = '';
  spokenCaption = -1;
}

/** Marks the row whose data-index is `index` as the current one (style, aria-current, scrolled into view). */
function markActiveRow(rows: Iterable<HTMLButtonElement>, index: number): void {
  for (const button of rows) {
    const active = Number(button.dataset.index) === index;
    button.classList.toggle('active', active);
    if (active) {
      button.setAttribute('aria-current', 'true');
      button.scrollIntoView({ block: 'nearest' });
    } else {
      button.removeAttribute('aria-current');
    }
  }
}

/** Shows the caption said at the audio's position above the list, and marks it in the list. */
function updateCaptionFromTime(): void {
  const captions = current?.take.captions ?? [];
  const index = !stream && ui.audio.ended ? -1 : captionIndexAt(captions, positionMs());
  if (index === spokenCaption) return;
  spokenCaption = index;
  ui.captionNow.textContent = index >= 0 ? captions[index].text : '';
  markActiveRow(ui.captions.querySelectorAll<HTMLButtonElement>('button.caption'), index);
}

function renderTakes(): void {
  const currentId = current?.take.id;
  ui.takes.replaceChildren(
    ...takes.map((take) => {
      const row = buttonRow('take', { takeId: take.id }, [
        span('take-name', take.fileName),
        span('take-detail', [formatClock(take.createdAt), take.model, take.language].filter(Boolean).join(' · ')),
      ]);
      if (take.id === currentId) row.firstElementChild?.setAttribute('aria-current', 'true');
      return row;
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
  const playing = isPlaying();
  ui.playPause.classList.toggle('playing', playing);
  const label = playing ? text?.pause : text?.play;
  if (label) {
    ui.playPause.setAttribute('aria-label', label);
    ui.playPause.title = label;
  }
}

function renderTime(): void {
  const duration = durationMs() ?? 0;
  const now = positionMs();
  ui.seek.max = String(Math.round(duration));
  if (!seeking) ui.seek.value = String(Math.round(now));
  ui.time.textContent = `${formatTime(now)} / ${formatTime(duration)}`;
  ui.seek.setAttribute('aria-valuetext', `${formatTime(now)} / ${formatTime(duration)}`);
}

function highlightChunk(index: number): void {
  if (index === playingChunk) return;
  playingChunk = index;
  markActiveRow(ui.chunks.querySelectorAll<HTMLButtonElement>('button.chunk'), index);
  if (current)
    post({
      type: 'position',
      takeId: current.take.id,
      chunkIndex: index,
      timeMs: Math.round(positionMs()),
      playing: isPlaying(),
    });
}

function updateChunkFromTime(): void {
  if (!current) return;
  updateCaptionFromTime();
  highlightChunk(!stream && ui.audio.ended ? -1 : chunkIndexAt(current.take.chunks, positionMs()));
}

// ---- playback ----

function play(): void {
  if (stream) {
    streamPlay();
    return;
  }
  playElement(ui.audio);
}

function playElement(audio: HTMLAudioElement): void {
  const takeId = current?.take.id;
  audio.play().catch((error: unknown) => {
    renderPlayState();
    const reason = error instanceof DOMException ? error.name : 'Error';
    // AbortError: a newer load or a pause interrupted this play; nothing went wrong.
    if (takeId && reason !== 'AbortError') post({ type: 'playbackRefused', takeId, reason });
  });
}

/** The listener hears the current take: said once per take (the walkthrough's last step ticks on it). */
function reportPlaybackStarted(): void {
  const takeId = current?.take.id;
  if (!takeId || takeId === reportedPlaybackOf) return;
  reportedPlaybackOf = takeId;
  post({ type: 'playbackStarted', takeId });
}

function metadataLoaded(): boolean {
  return ui.audio.readyState >= HTMLMediaElement.HAVE_METADATA;
}

function seekTo(ms: number): void {
  if (stream) {
    streamSeek(ms);
    return;
  }
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
  if (stream) {
    if (andPlay) stream.wantPlay = true;
    seekTo(chunk.startMs);
    return;
  }
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
  if (stream && message.continueStream?.streamId === stream.id && !message.missing) {
    continueInFile(message, message.continueStream.parts);
    return;
  }
  stopStream();
  const sameTake = current?.take.id === message.take.id;
  // The same take with a new version: the file was regenerated on disk.
  const regenerated = sameTake && !message.missing && current?.src !== message.src;
  ui.status.textContent = regenerated ? message.strings.reloaded : '';
  current = message;
  takes = message.takes;
  unplayable = false;
  renderMeta(message.take, message.strings);
  renderChunks(message.take);
  renderCaptions(message.take);
  renderTakes();
  ui.player.setAttribute('aria-busy', 'false');
  setRate(message.playbackRate);
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

// ---- stream: a take played while it is generated ----

interface StreamPlayback {
  id: string;
  total: number;
  /** The parts arrived so far, in order (part i at index i). */
  parts: StreamPartMessage[];
  /** The part on the active deck; -1 before the first. */
  part: number;
  /** The listener wants to hear it (autoplay, or Play). */
  wantPlay: boolean;
  /** Between two parts: the next has not arrived yet, or its section's pause is running. */
  waiting: boolean;
  pauseTimer: ReturnType<typeof setTimeout> | undefined;
  /** What was already reported to the extension (`part:state`). */
  reported: Set<string>;
  /** The joined file, once placed, and where each part lies in it. */
  joined?: { message: LoadMessage; parts: readonly PartTiming[] };
  /** Where the preloading joined file waits: the end of the part playing, where the switch happens. */
  fileStartMs?: number;
}

function setRate(rate: number): void {
  for (const audio of allAudio()) {
    audio.playbackRate = rate;
    audio.defaultPlaybackRate = rate;
  }
  ui.speed.value = String(rate);
}

function report(part: number, state: StreamProgressMessage['state']): void {
  if (!stream || stream.reported.has(`${part}:${state}`)) return;
  stream.reported.add(`${part}:${state}`);
  post({ type: 'streamProgress', streamId: stream.id, part, state });
}

function renderStreamStatus(): void {
  const text = strings();
  if (!stream || !text) return;
  ui.status.textContent =
    stream.waiting && stream.part + 1 < stream.total && !stream.parts[stream.part + 1]
      ? format(text.streamWaiting, stream.part + 2)
      : format(text.streaming, stream.parts.length, stream.total);
}

/** A generation starts: its provisional take replaces what played, and its parts play as they come. */
function beginStream(message: StreamMessage): void {
  stopStream();
  ui.audio.pause();
  ui.audio.removeAttribute('src');
  ui.audio.load();
  pendingStartMs = undefined;
  pendingPlay = false;
  unplayable = false;
  stream = {
    id: message.streamId,
    total: message.parts,
    parts: [],
    part: -1,
    wantPlay: message.autoPlay,
    waiting: false,
    pauseTimer: undefined,
    reported: new Set(),
  };
  current = {
    type: 'load',
    take: { ...message.take, chunks: [...message.take.chunks] },
    src: '',
    mimeType: '',
    missing: false,
    takes: message.takes,
    strings: message.strings,
    autoPlay: message.autoPlay,
    startMs: 0,
    playbackRate: message.playbackRate,
  };
  takes = message.takes;
  active = ui.decks[0];
  activeOffsetMs = 0;
  renderMeta(current.take, message.strings);
  renderChunks(current.take);
  renderTakes();
  ui.player.setAttribute('aria-busy', 'false');
  setRate(message.playbackRate);
  showNotice(undefined, false);
  renderStreamStatus();
  renderPlayState();
  renderTime();
}

/** A part arrived: it joins the section list, and plays now if the listener was waiting for it. */
function addPart(message: StreamPartMessage): void {
  if (!stream || message.streamId !== stream.id || message.index !== stream.parts.length) return;
  stream.parts.push(message);
  if (!stream.joined && current) {
    current.take.chunks.push(message.chunk);
    current.take.durationMs = message.chunk.startMs + message.chunk.durationMs;
    ui.chunks.append(chunkRow(message.chunk, message.index));
    renderDuration();
  }
  if (stream.part < 0) startPart(0, 0);
  else if (message.index === stream.part + 1) {
    if (stream.waiting && stream.pauseTimer === undefined && active.ended) afterPart();
    else preload(message.index);
  }
  renderStreamStatus();
  renderTime();
}

function loadDeck(deck: HTMLAudioElement, index: number): void {
  const part = stream?.parts[index];
  if (!part) return;
  deck.dataset.part = String(index);
  delete deck.dataset.startMs;
  deck.src = part.src;
  deck.load();
}

/** Loads part `index` on the deck that is not playing, so it can start the moment the playing part ends. */
function preload(index: number): void {
  if (!stream?.parts[index] || stream.joined) return;
  const idle = ui.decks.find((deck) => deck !== active);
  if (idle && idle.dataset.part !== String(index)) loadDeck(idle, index);
}

/** Plays part `index` from `offsetMs` into it, on the deck that has it loaded (or the idle one). */
function startPart(index: number, offsetMs: number): void {
  if (!stream?.parts[index]) return;
  clearTimeout(stream.pauseTimer);
  stream.pauseTimer = undefined;
  let deck = ui.decks.find((d) => d.dataset.part === String(index));
  if (!deck) {
    // The first part on the first deck; later, the deck that is not playing.
    deck = stream.part < 0 ? ui.decks[0] : (ui.decks.find((d) => d !== active) ?? ui.decks[0]);
    loadDeck(deck, index);
  }
  const previous = active;
  active = deck;
  activeOffsetMs = stream.parts[index].chunk.startMs;
  stream.part = index;
  stream.waiting = false;
  if (previous !== deck) previous.pause();
  if (deck.readyState >= HTMLMediaElement.HAVE_METADATA) {
    if (Math.abs(deck.currentTime * 1000 - offsetMs) > 1) deck.currentTime = offsetMs / 1000;
  } else if (offsetMs > 0) {
    deck.dataset.startMs = String(offsetMs);
  } else if (deck.currentTime > 0) {
    deck.currentTime = 0;
  }
  if (stream.wantPlay) playElement(deck);
  preload(index + 1);
  renderStreamStatus();
  renderPlayState();
  renderTime();
  updateChunkFromTime();
}

/** The playing part ended: the next one after its section's pause, the joined file, or wait for what is missing. */
function afterPart(): void {
  if (!stream) return;
  const ended = stream.part;
  if (stream.joined) {
    const timing = stream.joined.parts[ended];
    switchToFile(timing ? timing.startMs + timing.durationMs : positionMs(), stream.wantPlay);
    return;
  }
  stream.waiting = true;
  const next = stream.parts[ended + 1];
  if (!next) {
    if (ended + 1 < stream.total) report(ended + 1, 'waiting');
    renderStreamStatus();
    renderPlayState();
    return;
  }
  const pause = next.pauseBeforeMs / (active.playbackRate || 1);
  if (pause > 0) stream.pauseTimer = setTimeout(() => startPart(ended + 1, 0), pause);
  else startPart(ended + 1, 0);
}

function streamPlay(): void {
  if (!stream) return;
  stream.wantPlay = true;
  if (stream.part < 0) startPart(0, 0);
  else if (!stream.waiting) {
    if (active.ended) afterPart();
    else playElement(active);
  }
  renderPlayState();
}

function streamPause(): void {
  if (!stream) return;
  stream.wantPlay = false;
  active.pause();
  renderPlayState();
}

/** A seek while streaming: into the joined file when it is there, else into the part that holds the position. */
function streamSeek(ms: number): void {
  if (!stream) return;
  const target = Math.max(0, ms);
  if (stream.joined) {
    switchToFile(Math.min(target, durationMs() ?? target), stream.wantPlay);
    return;
  }
  const parts = stream.parts;
  if (parts.length === 0) return;
  // The part that holds the position; past the parts arrived so far, the last of them.
  const holding = parts.findIndex((p) => target < p.chunk.startMs + p.chunk.durationMs);
  const found = holding >= 0 ? holding : parts.length - 1;
  const part = parts[found].chunk;
  startPart(found, Math.min(Math.max(0, target - part.startMs), part.durationMs || Infinity));
}

/**
 * The joined file is placed. Its take, sections and times replace the provisional ones at once; the sound moves to
 * it at the end of the part playing (where the voice pauses anyway, so the switch is not heard), or at once when
 * nothing plays.
 */
function continueInFile(message: LoadMessage, parts: readonly PartTiming[]): void {
  if (!stream) return;
  stream.joined = { message, parts };
  current = message;
  takes = message.takes;
  unplayable = false;
  renderMeta(message.take, message.strings);
  renderChunks(message.take);
  renderTakes();
  ui.status.textContent = '';
  if (stream.part >= 0 && parts[stream.part]) activeOffsetMs = parts[stream.part].startMs;
  const timing = parts[stream.part];
  const playingPart = stream.part >= 0 && !stream.waiting && !active.paused && !active.ended;
  if (!playingPart || !timing) {
    const at = stream.part < 0 ? 0 : stream.waiting && timing ? timing.startMs + timing.durationMs : positionMs();
    switchToFile(at, stream.wantPlay);
    return;
  }
  stream.fileStartMs = timing.startMs + timing.durationMs;
  ui.audio.src = message.src;
  ui.audio.load();
  renderTime();
  updateChunkFromTime();
  saveState();
}

/** The joined file plays from `atMs` (in it) from now on; the decks are let go. */
function switchToFile(atMs: number, play: boolean): void {
  const joined = stream?.joined;
  if (!joined) return;
  stopStream();
  const duration =
    joined.message.take.durationMs ?? (Number.isFinite(ui.audio.duration) ? ui.audio.duration * 1000 : undefined);
  // Past the end there is nothing left to play (and play() would start over).
  const atEnd = duration !== undefined && atMs >= duration - 50;
  if (ui.audio.getAttribute('src') === joined.message.src && metadataLoaded()) {
    if (Math.abs(ui.audio.currentTime * 1000 - atMs) > 20) ui.audio.currentTime = atMs / 1000;
    if (play && !atEnd) playElement(ui.audio);
  } else {
    pendingStartMs = atMs > 0 ? atMs : undefined;
    pendingPlay = play && !atEnd;
    ui.audio.src = joined.message.src;
    ui.audio.load();
  }
  post({
    type: 'streamProgress',
    streamId: joined.message.continueStream?.streamId ?? '',
    part: -1,
    state: 'switched',
  });
  renderPlayState();
  renderTime();
  updateChunkFromTime();
  saveState();
}

/** Ends the stream's playback: the decks stop and let go of their parts. */
function stopStream(): void {
  if (!stream) return;
  clearTimeout(stream.pauseTimer);
  stream = undefined;
  for (const deck of ui.decks) {
    deck.pause();
    deck.removeAttribute('src');
    delete deck.dataset.part;
    delete deck.dataset.startMs;
    deck.load();
  }
  active = ui.audio;
  activeOffsetMs = 0;
}

/** A part's real duration, when the extension could not tell it: later parts' times move with it. */
function learnDuration(index: number, ms: number): void {
  if (!stream || stream.joined || !current) return;
  const part = stream.parts[index];
  if (!part || part.chunk.durationMs > 0 || !(ms > 0)) return;
  part.chunk.durationMs = ms;
  for (let i = index + 1; i < stream.parts.length; i++) {
    const before = stream.parts[i - 1].chunk;
    stream.parts[i].chunk.startMs = before.startMs + before.durationMs + stream.parts[i].pauseBeforeMs;
  }
  current.take.chunks = stream.parts.map((p) => p.chunk);
  const last = stream.parts[stream.parts.length - 1].chunk;
  current.take.durationMs = last.startMs + last.durationMs;
  if (stream.part >= 0) activeOffsetMs = stream.parts[stream.part].chunk.startMs;
  const row = playingChunk;
  renderChunks(current.take);
  highlightChunk(row);
  renderTime();
}

for (const deck of ui.decks) {
  const partOf = (): number => (deck.dataset.part === undefined ? -1 : Number(deck.dataset.part));
  deck.addEventListener('loadedmetadata', () => {
    const start = Number(deck.dataset.startMs);
    if (start > 0) deck.currentTime = start / 1000;
    delete deck.dataset.startMs;
    learnDuration(partOf(), deck.duration * 1000);
  });
  deck.addEventListener('canplay', () => {
    if (partOf() >= 0) report(partOf(), 'canPlay');
  });
  deck.addEventListener('playing', () => {
    if (deck !== active || !stream) return;
    report(stream.part, 'playing');
    reportPlaybackStarted();
    renderPlayState();
  });
  deck.addEventListener('ended', () => {
    if (deck === active && stream) afterPart();
  });
  deck.addEventListener('timeupdate', () => {
    if (deck !== active || !stream) return;
    renderTime();
    updateChunkFromTime();
  });
  for (const type of ['play', 'pause'] as const) {
    deck.addEventListener(type, () => {
      if (deck === active && stream) renderPlayState();
    });
  }
  deck.addEventListener('error', () => {
    // A part that cannot be played is skipped rather than stopping everything; the joined file comes anyway.
    if (deck !== active || !stream || !deck.getAttribute('src')) return;
    console.warn('[aistudios player] a part could not be played', deck.error?.code);
    afterPart();
  });
}

// ---- events ----

ui.playPause.addEventListener('click', () => {
  if (stream) {
    if (stream.wantPlay) streamPause();
    else streamPlay();
  } else if (ui.audio.paused || ui.audio.ended) play();
  else ui.audio.pause();
});
ui.skipBack.addEventListener('click', () => seekTo(positionMs() - skipSeconds * 1000));
ui.skipForward.addEventListener('click', () => seekTo(positionMs() + skipSeconds * 1000));
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
  setRate(rate);
  saveState();
});
ui.chunks.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button.chunk');
  if (button) seekToChunk(Number(button.dataset.index), isPlaying());
});
ui.captions.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button.caption');
  const caption = button ? current?.take.captions?.[Number(button.dataset.index)] : undefined;
  if (caption) seekTo(caption.startMs);
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
  if (active !== ui.audio) {
    // The joined file, loading while a part plays: wait where that part ends, where the switch happens.
    if (stream?.joined && stream.fileStartMs !== undefined) ui.audio.currentTime = stream.fileStartMs / 1000;
    return;
  }
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
  if (active !== ui.audio) return;
  renderDuration();
  renderTime();
});
ui.audio.addEventListener('timeupdate', () => {
  if (active !== ui.audio) return;
  renderTime();
  updateChunkFromTime();
});
ui.audio.addEventListener('seeked', () => {
  if (active !== ui.audio) return;
  renderTime();
  updateChunkFromTime();
  saveState();
});
for (const type of ['play', 'pause', 'ended', 'playing'] as const) {
  ui.audio.addEventListener(type, () => {
    if (active !== ui.audio) return;
    renderPlayState();
    if (type === 'playing') reportPlaybackStarted();
    if (type === 'ended') updateChunkFromTime();
    if (type === 'pause') saveState();
  });
}
ui.audio.addEventListener('error', () => {
  // A src removed on purpose (missing file, unplayable) also fires `error`; only a real load counts.
  if (!current || current.missing || !ui.audio.getAttribute('src')) return;
  if (active !== ui.audio) return; // the joined file failed to preload: the switch loads it again
  markUnplayable(ui.audio.error?.code ?? 0);
});

// Chromium defers loading media in a hidden frame (a player tab behind the script); when the panel is
// shown again, a load that never started is started over.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible' || unplayable) return;
  for (const audio of allAudio()) {
    if (audio.getAttribute('src') && audio.readyState === HTMLMediaElement.HAVE_NOTHING) audio.load();
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
        stopStream();
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
    case 'stream':
      beginStream(message);
      break;
    case 'streamPart':
      addPart(message);
      break;
    case 'streamEnd':
      if (stream?.id === message.streamId) {
        stopStream();
        const text = strings();
        ui.status.textContent = (message.reason === 'cancelled' ? text?.streamCancelled : text?.streamFailed) ?? '';
        renderPlayState();
      }
      break;
  }
});

// Last: tell the extension we listen, so nothing it sends is lost.
post({ type: 'ready' });
