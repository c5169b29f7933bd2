// The messages exchanged between the extension and the player webview, with type guards for both
// directions. Imported by both sides, so it must never import `vscode` or the DOM.

/** One chunk (section) of a take: where it starts in the audio, and where it came from in the script. */
export interface TakeChunk {
  label: string;
  /** Who speaks this part, when the script says (`host1`, `Jerod Santo`; several sharing a voice: `A, B`). */
  speaker?: string;
  startMs: number;
  durationMs: number;
  sourceUri?: string;
  /** 0-based, inclusive. */
  startLine?: number;
  /** 0-based, inclusive. */
  endLine?: number;
}

/** One caption of a take: what is said from startMs to endMs (ms in the audio); lines separated by `\n`. */
export interface TakeCaption {
  startMs: number;
  endMs: number;
  text: string;
}

/** A take as the webview sees it and keeps in its saved state: plain JSON, URIs as strings. */
export interface TakeRecord {
  id: string;
  audioUri: string;
  fileName: string;
  sourceUri?: string;
  sourceName?: string;
  model?: string;
  language?: string;
  createdAt: number;
  sizeBytes?: number;
  durationMs?: number;
  chunks: TakeChunk[];
  /** What is said when, in order (absent: a take not generated here). */
  captions?: TakeCaption[];
}

/** Every string the webview shows, already localized by the extension. */
export interface PlayerStrings {
  play: string;
  pause: string;
  seek: string;
  speed: string;
  skipBack: string;
  skipForward: string;
  model: string;
  language: string;
  size: string;
  duration: string;
  source: string;
  openSource: string;
  sections: string;
  takes: string;
  noSections: string;
  captions: string;
  cannotPlay: string;
  fileMissing: string;
  openExternally: string;
  reloaded: string;
  unknown: string;
  /** While a take is played as it is generated: `{0}` parts of `{1}` are ready. */
  streaming: string;
  /** The next part (`{0}`) has not arrived yet. */
  streamWaiting: string;
  streamCancelled: string;
  streamFailed: string;
}

export const playerStringKeys: readonly (keyof PlayerStrings)[] = [
  'play',
  'pause',
  'seek',
  'speed',
  'skipBack',
  'skipForward',
  'model',
  'language',
  'size',
  'duration',
  'source',
  'openSource',
  'sections',
  'takes',
  'noSections',
  'captions',
  'cannotPlay',
  'fileMissing',
  'openExternally',
  'reloaded',
  'unknown',
  'streaming',
  'streamWaiting',
  'streamCancelled',
  'streamFailed',
];

/** The playback speeds offered; the issue asks for 0.75× to 2×. */
export const playbackRates: readonly number[] = [0.75, 1, 1.25, 1.5, 1.75, 2];

// ---- extension → webview ----

/** Shows a take: sent after `ready`, whenever the current take changes, and when its file is regenerated. */
export interface LoadMessage {
  type: 'load';
  take: TakeRecord;
  /** Webview URI of the audio, with a `version` query so a regenerated file is fetched again. */
  src: string;
  mimeType: string;
  /** The file no longer exists: show a notice instead of the controls. */
  missing: boolean;
  /** The takes of this window, newest first. */
  takes: TakeRecord[];
  strings: PlayerStrings;
  autoPlay: boolean;
  startMs: number;
  playbackRate: number;
  /**
   * This take is the joined file of the stream the page is playing: it carries on at the same place in the file
   * (where each part starts and how long it lasts there), rather than starting over.
   */
  continueStream?: { streamId: string; parts: PartTiming[] };
}

/** Where a streamed part lies in the joined file. */
export interface PartTiming {
  startMs: number;
  durationMs: number;
}

/**
 * A generation started: the page plays its parts as they arrive (streamPart), then the joined file (a load with
 * continueStream), or stops (streamEnd). `take` is provisional: its chunks fill in with the parts.
 */
export interface StreamMessage {
  type: 'stream';
  streamId: string;
  take: TakeRecord;
  /** How many parts the generation makes. */
  parts: number;
  takes: TakeRecord[];
  strings: PlayerStrings;
  autoPlay: boolean;
  playbackRate: number;
}

/** One part of the stream is ready to play; parts are sent in order, each once. */
export interface StreamPartMessage {
  type: 'streamPart';
  streamId: string;
  index: number;
  /** Webview URI of the part's audio. */
  src: string;
  mimeType: string;
  /** Its row in the section list; startMs on the stream's own timeline (the parts and pauses before it). */
  chunk: TakeChunk;
  /** Silence before this part (a new section), as the joined file will have it. */
  pauseBeforeMs: number;
}

/** The generation was cancelled or failed: stop the stream (no file was made). */
export interface StreamEndMessage {
  type: 'streamEnd';
  streamId: string;
  reason: 'cancelled' | 'failed';
}

/** The list of takes changed (a new generation) without changing what is playing. */
export interface TakesMessage {
  type: 'takes';
  takes: TakeRecord[];
}

/** The file of the current take was deleted on disk. */
export interface MissingMessage {
  type: 'missing';
  takeId: string;
}

/** Jump to a chunk (play from cursor). */
export interface SeekMessage {
  type: 'seek';
  takeId: string;
  chunkIndex: number;
  play: boolean;
}

export type ExtensionToWebviewMessage =
  LoadMessage | TakesMessage | MissingMessage | SeekMessage | StreamMessage | StreamPartMessage | StreamEndMessage;

// ---- webview → extension ----

export interface ReadyMessage {
  type: 'ready';
}
/** The playing chunk changed (-1: none, e.g. ended); the extension highlights its source lines. */
export interface PositionMessage {
  type: 'position';
  takeId: string;
  chunkIndex: number;
  timeMs: number;
  playing: boolean;
}
export interface MetadataMessage {
  type: 'metadata';
  takeId: string;
  durationMs: number;
}
export interface OpenSourceMessage {
  type: 'openSource';
  takeId: string;
  chunkIndex?: number;
}
export interface SelectTakeMessage {
  type: 'selectTake';
  takeId: string;
}
export interface OpenExternalMessage {
  type: 'openExternal';
  takeId: string;
}
export interface MediaErrorMessage {
  type: 'mediaError';
  takeId: string;
  reason: 'unsupported' | 'error';
  code?: number;
}
/** The audio of a take started to play (the `playing` event: sound is heard, not only asked for); once per take. */
export interface PlaybackStartedMessage {
  type: 'playbackStarted';
  takeId: string;
}
/** `play()` was refused (e.g. the autoplay policy wants a user gesture): the extension logs why. */
export interface PlaybackRefusedMessage {
  type: 'playbackRefused';
  takeId: string;
  reason: string;
}

/**
 * How the stream's playback goes: a part can play (its audio is loaded), plays, or is awaited; `switched` once the
 * page plays the joined file instead of the parts (their files may go then). `part` is -1 for `switched`.
 */
export interface StreamProgressMessage {
  type: 'streamProgress';
  streamId: string;
  part: number;
  state: 'canPlay' | 'playing' | 'waiting' | 'switched';
}

export type WebviewToExtensionMessage =
  | StreamProgressMessage
  | ReadyMessage
  | PositionMessage
  | MetadataMessage
  | OpenSourceMessage
  | SelectTakeMessage
  | OpenExternalMessage
  | MediaErrorMessage
  | PlaybackStartedMessage
  | PlaybackRefusedMessage;

/** What the webview saves with `setState`, and the extension gets back on revive (re-validated there). */
export interface PlayerState {
  version: 1;
  currentTakeId: string;
  positionMs: number;
  playbackRate: number;
  takes: TakeRecord[];
}

// ---- type guards ----

type Json = Record<string, unknown>;

const maxStringLength = 4096;
const maxChunks = 10_000;
const maxTakes = 100;
const maxCaptions = 20_000;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= maxStringLength;
}

function isNonEmptyString(value: unknown): value is string {
  return isString(value) && value.length > 0;
}

function isFiniteNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isIndex(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= -1;
}

function isOptional<T>(value: unknown, guard: (v: unknown) => v is T): boolean {
  return value === undefined || guard(value);
}

export function isTakeChunk(value: unknown): value is TakeChunk {
  return (
    isObject(value) &&
    isString(value.label) &&
    isOptional(value.speaker, isString) &&
    isFiniteNonNegative(value.startMs) &&
    isFiniteNonNegative(value.durationMs) &&
    isOptional(value.sourceUri, isString) &&
    isOptional(value.startLine, Number.isInteger as (v: unknown) => v is number) &&
    isOptional(value.endLine, Number.isInteger as (v: unknown) => v is number)
  );
}

export function isTakeCaption(value: unknown): value is TakeCaption {
  return (
    isObject(value) &&
    isFiniteNonNegative(value.startMs) &&
    isFiniteNonNegative(value.endMs) &&
    (value.endMs as number) >= (value.startMs as number) &&
    isString(value.text)
  );
}

function isCaptionList(value: unknown): value is TakeCaption[] {
  return Array.isArray(value) && value.length <= maxCaptions && value.every(isTakeCaption);
}

export function isTakeRecord(value: unknown): value is TakeRecord {
  return (
    isObject(value) &&
    isNonEmptyString(value.id) &&
    isNonEmptyString(value.audioUri) &&
    isString(value.fileName) &&
    isOptional(value.sourceUri, isString) &&
    isOptional(value.sourceName, isString) &&
    isOptional(value.model, isString) &&
    isOptional(value.language, isString) &&
    isFiniteNonNegative(value.createdAt) &&
    isOptional(value.sizeBytes, isFiniteNonNegative) &&
    isOptional(value.durationMs, isFiniteNonNegative) &&
    Array.isArray(value.chunks) &&
    value.chunks.length <= maxChunks &&
    value.chunks.every(isTakeChunk) &&
    isOptional(value.captions, isCaptionList)
  );
}

function isTakeRecordList(value: unknown): value is TakeRecord[] {
  return Array.isArray(value) && value.length <= maxTakes && value.every(isTakeRecord);
}

function isStreamContinuation(value: unknown): value is NonNullable<LoadMessage['continueStream']> {
  return (
    isObject(value) &&
    isNonEmptyString(value.streamId) &&
    Array.isArray(value.parts) &&
    value.parts.length <= maxChunks &&
    value.parts.every((p) => isObject(p) && isFiniteNonNegative(p.startMs) && isFiniteNonNegative(p.durationMs))
  );
}

export function isPlayerStrings(value: unknown): value is PlayerStrings {
  return isObject(value) && playerStringKeys.every((key) => isString(value[key]));
}

export function isPlaybackRate(value: unknown): value is number {
  return typeof value === 'number' && playbackRates.includes(value);
}

/** Guards what the webview receives: anything else is ignored (and logged) by the webview. */
export function isExtensionToWebviewMessage(value: unknown): value is ExtensionToWebviewMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'load':
      return (
        isTakeRecord(value.take) &&
        isNonEmptyString(value.src) &&
        isString(value.mimeType) &&
        typeof value.missing === 'boolean' &&
        isTakeRecordList(value.takes) &&
        isPlayerStrings(value.strings) &&
        typeof value.autoPlay === 'boolean' &&
        isFiniteNonNegative(value.startMs) &&
        isPlaybackRate(value.playbackRate) &&
        isOptional(value.continueStream, isStreamContinuation)
      );
    case 'stream':
      return (
        isNonEmptyString(value.streamId) &&
        isTakeRecord(value.take) &&
        Number.isInteger(value.parts) &&
        (value.parts as number) >= 1 &&
        (value.parts as number) <= maxChunks &&
        isTakeRecordList(value.takes) &&
        isPlayerStrings(value.strings) &&
        typeof value.autoPlay === 'boolean' &&
        isPlaybackRate(value.playbackRate)
      );
    case 'streamPart':
      return (
        isNonEmptyString(value.streamId) &&
        Number.isInteger(value.index) &&
        (value.index as number) >= 0 &&
        isNonEmptyString(value.src) &&
        isString(value.mimeType) &&
        isTakeChunk(value.chunk) &&
        isFiniteNonNegative(value.pauseBeforeMs)
      );
    case 'streamEnd':
      return isNonEmptyString(value.streamId) && (value.reason === 'cancelled' || value.reason === 'failed');
    case 'takes':
      return isTakeRecordList(value.takes);
    case 'missing':
      return isNonEmptyString(value.takeId);
    case 'seek':
      return (
        isNonEmptyString(value.takeId) &&
        Number.isInteger(value.chunkIndex) &&
        (value.chunkIndex as number) >= 0 &&
        typeof value.play === 'boolean'
      );
    default:
      return false;
  }
}

/** Guards what the extension receives from the webview: anything else is ignored (and logged). */
export function isWebviewToExtensionMessage(value: unknown): value is WebviewToExtensionMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
      return true;
    case 'streamProgress':
      return (
        isNonEmptyString(value.streamId) &&
        isIndex(value.part) &&
        ['canPlay', 'playing', 'waiting', 'switched'].includes(value.state as string)
      );
    case 'position':
      return (
        isNonEmptyString(value.takeId) &&
        isIndex(value.chunkIndex) &&
        isFiniteNonNegative(value.timeMs) &&
        typeof value.playing === 'boolean'
      );
    case 'metadata':
      return isNonEmptyString(value.takeId) && isFiniteNonNegative(value.durationMs);
    case 'openSource':
      return isNonEmptyString(value.takeId) && isOptional(value.chunkIndex, isIndex);
    case 'selectTake':
    case 'openExternal':
    case 'playbackStarted':
      return isNonEmptyString(value.takeId);
    case 'playbackRefused':
      return isNonEmptyString(value.takeId) && isNonEmptyString(value.reason) && value.reason.length <= 100;
    case 'mediaError':
      return (
        isNonEmptyString(value.takeId) &&
        (value.reason === 'unsupported' || value.reason === 'error') &&
        isOptional(value.code, Number.isInteger as (v: unknown) => v is number)
      );
    default:
      return false;
  }
}

/** Guards the state the webview saved (it comes back from disk after a reload, so it is untrusted). */
export function isPlayerState(value: unknown): value is PlayerState {
  return (
    isObject(value) &&
    value.version === 1 &&
    isString(value.currentTakeId) &&
    isFiniteNonNegative(value.positionMs) &&
    isPlaybackRate(value.playbackRate) &&
    isTakeRecordList(value.takes)
  );
}

/** Which caption is said at `timeMs`: the one whose span holds it, or -1 (a pause, before or after). */
export function captionIndexAt(captions: readonly TakeCaption[], timeMs: number): number {
  let low = 0;
  let high = captions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (captions[middle].startMs <= timeMs) low = middle + 1;
    else high = middle;
  }
  const index = low - 1;
  return index >= 0 && timeMs < captions[index].endMs ? index : -1;
}

/** Which chunk plays at `timeMs`: the last one starting at or before it, or -1 before the first. */
export function chunkIndexAt(chunks: readonly TakeChunk[], timeMs: number): number {
  let found = -1;
  for (let i = 0; i < chunks.length; i++) {
    if (chunks[i].startMs <= timeMs) found = i;
    else break;
  }
  return found;
}
