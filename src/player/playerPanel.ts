import * as vscode from 'vscode';
import * as path from 'path';
import type { Logger } from '../core';
import { PLAYER_VIEW_TYPE } from '../contributions';
import { EditorFollower } from './editorFollower';
import { onDidChangeSettings, readSetting } from '../config';
import { Disposable } from '../disposable';
import type { UserInterfaceHolder } from '../ui/userInterface';
import { buildPlayerHtml, createNonce } from './playerHtml';
import {
  isWebviewToExtensionMessage,
  type ExtensionToWebviewMessage,
  type LoadMessage,
  type StreamMessage,
  type PlayerStrings,
  type WebviewToExtensionMessage,
} from '../shared/playerProtocol';
import { PlayerStream, type StreamHost, type StreamPartPlan } from './playerStream';
import { audioMimeType, fileNameOf, toTakeRecord, type Take, type TakeHistory } from './take';

/** What the player needs from the extension. */
export interface PlayerDeps {
  /** Where the extension's `media/` and `dist/media/` are. */
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  takes: TakeHistory;
  /** Every message the player shows goes through it (tests answer and read them). */
  ui: UserInterfaceHolder;
}

export interface ShowOptions {
  /** Start playing as soon as the audio can play. */
  autoPlay?: boolean;
  /** Start at this chunk (play from cursor). */
  startChunk?: number;
}

/** How a take starts when it is loaded. */
export interface LoadRequest {
  autoPlay: boolean;
  startMs: number;
  /** The take is the joined file of this stream: the page carries on where it plays. */
  continueStream?: LoadMessage['continueStream'];
}

/** A generation to play as it arrives (see PlayerStream). */
export interface StreamPlan {
  /** The provisional take shown meanwhile (named after the script; its chunks fill in). */
  take: Take;
  parts: StreamPartPlan[];
  /** A folder of this stream's own (it must not exist yet). */
  folder: string;
  /** Where the joined file will be placed, allowed to the page from the start so the switch needs no reload. */
  outputFolder: vscode.Uri;
  autoPlay: boolean;
  logger: Logger;
}

/** The strings of the page, localized here because the webview has no l10n of its own. */
export function playerStrings(): PlayerStrings {
  return {
    play: vscode.l10n.t('Play'),
    pause: vscode.l10n.t('Pause'),
    seek: vscode.l10n.t('Position'),
    speed: vscode.l10n.t('Speed'),
    skipBack: vscode.l10n.t('Back 5 seconds'),
    skipForward: vscode.l10n.t('Forward 5 seconds'),
    model: vscode.l10n.t('Model'),
    language: vscode.l10n.t('Language'),
    size: vscode.l10n.t('Size'),
    duration: vscode.l10n.t('Duration'),
    source: vscode.l10n.t('Script'),
    openSource: vscode.l10n.t('Open the script in the editor'),
    sections: vscode.l10n.t('Sections'),
    takes: vscode.l10n.t('Takes in this window'),
    noSections: vscode.l10n.t('This file has no sections: it was not generated in this window.'),
    captions: vscode.l10n.t('Captions'),
    cannotPlay: vscode.l10n.t(
      'The player cannot play this format (VS Code has no AAC/M4A decoder). Open it with the system player instead.',
    ),
    fileMissing: vscode.l10n.t('This audio file no longer exists. It was deleted or moved.'),
    openExternally: vscode.l10n.t('Open with System Player'),
    reloaded: vscode.l10n.t('Reloaded: the file changed on disk.'),
    unknown: vscode.l10n.t('—'),
    streaming: vscode.l10n.t('Playing while it is generated: {0} of {1} parts ready.'),
    streamWaiting: vscode.l10n.t('Waiting for part {0}…'),
    streamCancelled: vscode.l10n.t('Generation cancelled: no audio was made.'),
    streamFailed: vscode.l10n.t('Generation failed: no audio was made.'),
  };
}

/** Wait this long after a file event, so a write or a rename-over settles before the player reloads. */
const fileEventDelayMs = 150;

/**
 * The player's webview panel: one take at a time, safe by construction (CSP with a nonce, local resources limited to
 * the extension's media and the played folders). The window's Player creates it, reuses it and brings it back.
 */
export class PlayerPanel extends Disposable {
  static readonly viewType = PLAYER_VIEW_TYPE;

  private take: Take;
  private version = 0;
  private missing = false;
  private ready = false;
  private queue: ExtensionToWebviewMessage[] = [];
  private pendingLoads = 0;
  private loadSequence = 0;
  private lastPositionMs = 0;
  private readonly folders = new Map<string, vscode.Uri>();
  private htmlText = '';
  private watcher: vscode.FileSystemWatcher | undefined;
  private fileEventTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly follower: EditorFollower;
  /** The generation playing as it arrives, with the message that started it (sent again to a reloaded page). */
  private stream:
    { stream: PlayerStream; message: StreamMessage; parts: ExtensionToWebviewMessage[]; previous?: Take } | undefined;
  private readonly received: vscode.EventEmitter<WebviewToExtensionMessage>;
  /** Every valid message from the webview, after it was handled (tests wait on it). */
  readonly onDidReceiveMessage: vscode.Event<WebviewToExtensionMessage>;

  /**
   * Takes over `panel` (new, or restored by the serializer) and loads `take` into it as `request` says; without a
   * request, `take` is a stream's provisional take and beginStream follows.
   */
  constructor(
    private readonly deps: PlayerDeps,
    readonly panel: vscode.WebviewPanel,
    take: Take,
    request: LoadRequest | undefined,
    private playbackRate = 1,
  ) {
    super();
    this.take = take;
    // Registered first, so it is closed last, once nothing can post to it any more.
    this.register(panel);
    this.follower = this.register(new EditorFollower());
    this.received = this.register(new vscode.EventEmitter<WebviewToExtensionMessage>());
    this.onDidReceiveMessage = this.received.event;
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)));
    this.register(
      deps.takes.onDidChange(() => this.post({ type: 'takes', takes: deps.takes.list().map(toTakeRecord) })),
    );
    this.register(
      onDidChangeSettings((e) => {
        if (e.affects('player.followInEditor') && !readSetting('player.followInEditor')) this.follower.clear();
      }),
    );
    this.register({
      dispose: () => {
        this.cancelFileCheck();
        this.watcher?.dispose();
        this.watcher = undefined;
        this.dropStream(true);
      },
    });
    if (request) this.addFolder(take.audioUri);
    this.render();
    if (request) void this.load(take, request);
  }

  /** The stream playing in this panel, if any (tests follow it). */
  get currentStream(): PlayerStream | undefined {
    return this.stream?.stream;
  }

  /**
   * Plays a generation as it arrives, in place of what this panel showed; returns the stream the runner feeds.
   * The parts' and the output's folders are allowed to the page first, so nothing later needs it to reload.
   */
  beginStream(plan: StreamPlan): PlayerStream {
    this.dropStream();
    const previous = this.take.id === plan.take.id ? undefined : this.take;
    const id = plan.take.id;
    const host: StreamHost = {
      post: (message) => {
        if (this.stream?.stream.id !== id) return;
        this.stream.parts.push(message);
        this.post(message);
      },
      asWebviewUri: (file) => this.panel.webview.asWebviewUri(file).toString(),
      continueWith: (take, continueStream) => {
        if (this.stream?.stream.id !== id) return;
        void this.load(take, { autoPlay: true, startMs: 0, continueStream });
      },
      abandon: (stream) => this.abandonStream(stream),
    };
    const stream = new PlayerStream(id, plan.take, plan.parts, plan.folder, host, plan.logger);
    const message: StreamMessage = {
      type: 'stream',
      streamId: id,
      take: toTakeRecord(plan.take),
      parts: plan.parts.length,
      takes: this.deps.takes.list().map(toTakeRecord),
      strings: playerStrings(),
      autoPlay: plan.autoPlay,
      playbackRate: this.playbackRate,
    };
    this.stream = { stream, message, parts: [], previous };
    this.loadSequence++; // a load still reading its file's state must not replace the stream
    this.take = plan.take;
    this.panel.title = titleFor(plan.take);
    this.follower.clear();
    this.cancelFileCheck();
    this.watcher?.dispose();
    this.watcher = undefined;
    const newFolders = [vscode.Uri.file(path.dirname(plan.folder)), plan.outputFolder].filter((f) =>
      this.allowFolder(f),
    );
    if (newFolders.length > 0) this.render();
    this.post(message);
    return stream;
  }

  /** The stream was cancelled or failed: back to the take shown before (paused), or close a panel opened for it. */
  private abandonStream(stream: PlayerStream): void {
    if (this.stream?.stream !== stream) return;
    const previous = this.stream.previous;
    this.stream = undefined;
    if (previous && this.deps.takes.get(previous.id)) {
      void this.load(previous, { autoPlay: false, startMs: 0 });
    } else {
      this.dispose();
    }
  }

  /** Stops following the current stream (another take replaces it, or the panel closes); its parts' folder goes. */
  private dropStream(closed = false): void {
    const current = this.stream;
    this.stream = undefined;
    if (!current) return;
    if (closed && current.stream.isStreaming) current.stream.dismissed = true;
    void current.stream.release();
  }

  /** The page's HTML as last set (tests check its CSP). */
  get html(): string {
    return this.htmlText;
  }

  get currentTake(): Take {
    return this.take;
  }

  /** Whether the current take's file is gone (the page says so). */
  get fileMissing(): boolean {
    return this.missing;
  }

  /** The script lines highlighted for the playing chunk, if any (tests check the follow-along). */
  get followedLines(): { uri: string; startLine: number; endLine: number } | undefined {
    return this.follower.current;
  }

  /** Whether the webview said `ready` since the page was last (re)built. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Switches to a take; for the take already showing, only seeks (play from cursor). */
  setTake(take: Take, options: ShowOptions = {}): void {
    if (take.id === this.take.id && !this.missing && this.pendingLoads === 0) {
      if (options.startChunk !== undefined && take.chunks[options.startChunk]) {
        this.post({ type: 'seek', takeId: take.id, chunkIndex: options.startChunk, play: options.autoPlay ?? true });
      } else if (options.autoPlay) {
        this.post({ type: 'seek', takeId: take.id, chunkIndex: 0, play: true });
      }
      return;
    }
    void this.load(take, requestFor(take, options));
  }

  private async load(take: Take, request: LoadRequest): Promise<void> {
    const sequence = ++this.loadSequence;
    this.pendingLoads++;
    // Anything but the stream's own file ends the stream's playback here (the generation goes on).
    if (this.stream && request.continueStream?.streamId !== this.stream.stream.id) this.dropStream();
    try {
      this.take = take;
      this.panel.title = titleFor(take);
      this.lastPositionMs = request.startMs;
      this.follower.clear();
      // A file check still scheduled for the previous take would reload this one without its start and autoplay.
      this.cancelFileCheck();
      this.watch(take.audioUri);
      const state = await fileStateOf(take, this.version);
      if (sequence !== this.loadSequence || this.isDisposed) return;
      this.applyFileState(take, state);
      if (this.addFolder(take.audioUri)) this.render();
      this.post(this.loadMessage(request));
    } finally {
      this.pendingLoads--;
    }
  }

  /** Records what `fileStateOf` found, for the take it was read for (always the current one here). */
  private applyFileState(take: Take, state: FileState): void {
    this.missing = state.missing;
    this.version = state.version;
    if (state.sizeBytes !== undefined) take.sizeBytes = state.sizeBytes;
  }

  private loadMessage(request: LoadRequest): LoadMessage {
    const webview = this.panel.webview;
    return {
      type: 'load',
      take: toTakeRecord(this.take),
      src: webview
        .asWebviewUri(this.take.audioUri)
        .with({ query: `version=${this.version}` })
        .toString(),
      mimeType: audioMimeType(this.take.audioUri),
      missing: this.missing,
      takes: this.deps.takes.list().map(toTakeRecord),
      strings: playerStrings(),
      autoPlay: request.autoPlay,
      startMs: request.startMs,
      playbackRate: this.playbackRate,
      continueStream: request.continueStream,
    };
  }

  /** Adds the folder of a played file to the local resource roots; true when it was new. */
  private addFolder(audioUri: vscode.Uri): boolean {
    return this.allowFolder(vscode.Uri.joinPath(audioUri, '..'));
  }

  /** Adds a folder to the local resource roots; true when it was new (the page must then be rebuilt). */
  private allowFolder(folder: vscode.Uri): boolean {
    const key = folder.toString();
    if (this.folders.has(key)) return false;
    this.folders.set(key, folder);
    return true;
  }

  /**
   * (Re)builds the page. Changing the options reloads the webview, so it is rebuilt at the same time,
   * and everything posted meanwhile waits for its `ready`.
   */
  private render(): void {
    const extensionUri = this.deps.extensionUri;
    const webview = this.panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(extensionUri, 'media'),
        vscode.Uri.joinPath(extensionUri, 'dist', 'media'),
        ...this.folders.values(),
      ],
    };
    this.ready = false;
    this.queue = this.queue.filter((m) => m.type !== 'load');
    this.htmlText = buildPlayerHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'media', 'player.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'player.css')).toString(),
      strings: playerStrings(),
      title: vscode.l10n.t('AI Studios Player'),
      lang: vscode.env.language,
    });
    webview.html = this.htmlText;
  }

  /** Posts now if the webview listens, else queues (a newer `takes` list replaces a queued one). */
  private post(message: ExtensionToWebviewMessage): void {
    if (this.isDisposed) return;
    if (this.ready) {
      void this.panel.webview.postMessage(message);
      return;
    }
    if (message.type === 'takes') this.queue = this.queue.filter((m) => m.type !== 'takes');
    this.queue.push(message);
  }

  private onReady(): void {
    this.ready = true;
    const queued = this.queue;
    this.queue = [];
    // A page that reloaded on its own lost what it had: give it the current take (or stream) again.
    if (!queued.some((m) => m.type === 'load' || m.type === 'stream') && this.pendingLoads === 0) {
      if (this.stream?.stream.isStreaming) queued.unshift(this.stream.message, ...this.stream.parts);
      else queued.unshift(this.loadMessage({ autoPlay: false, startMs: this.lastPositionMs }));
    }
    for (const message of queued) void this.panel.webview.postMessage(message);
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToExtensionMessage(message)) {
      this.deps.log.warn(`Player: ignored an unknown message from the webview: ${describe(message)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.onReady();
        break;
      case 'streamProgress':
        this.stream?.stream.onProgress(message);
        break;
      case 'position':
        if (message.takeId === this.take.id) {
          this.lastPositionMs = message.timeMs;
          this.follower.follow(this.take, message.chunkIndex, message.playing);
        }
        break;
      case 'metadata':
        if (message.takeId === this.take.id) this.take.durationMs = message.durationMs;
        break;
      case 'openSource':
        void this.openSource(message.takeId, message.chunkIndex);
        break;
      case 'selectTake': {
        const take = this.deps.takes.get(message.takeId);
        if (take) this.setTake(take, { autoPlay: true });
        else this.deps.log.warn('Player: the selected take is no longer in the history.');
        break;
      }
      case 'openExternal': {
        const take = this.findTake(message.takeId);
        if (take) void vscode.env.openExternal(take.audioUri);
        break;
      }
      case 'playbackStarted':
        if (message.takeId === this.take.id) this.deps.log.info(`Player: playing ${fileNameOf(this.take.audioUri)}.`);
        break;
      case 'playbackRefused':
        if (message.takeId === this.take.id) {
          this.deps.log.warn(
            `Player: the webview refused to play ${fileNameOf(this.take.audioUri)} (${message.reason}); press Play to start it.`,
          );
        }
        break;
      case 'mediaError':
        this.deps.log.warn(
          `Player: cannot play ${fileNameOf(this.take.audioUri)} (${message.reason}${message.code === undefined ? '' : `, media error ${message.code}`}).`,
        );
        break;
    }
    this.received.fire(message);
  }

  /** Only takes the extension knows: the webview never names a file itself. */
  private findTake(takeId: string): Take | undefined {
    return takeId === this.take.id ? this.take : this.deps.takes.get(takeId);
  }

  private async openSource(takeId: string, chunkIndex: number | undefined): Promise<void> {
    const take = this.findTake(takeId);
    const chunk = chunkIndex === undefined ? undefined : take?.chunks[chunkIndex];
    const source = chunk?.sourceUri ? vscode.Uri.parse(chunk.sourceUri) : take?.sourceUri;
    if (!source) return;
    const line = chunk?.startLine ?? 0;
    const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    try {
      await vscode.window.showTextDocument(source, {
        viewColumn: column,
        preview: false,
        selection: new vscode.Range(line, 0, line, 0),
      });
    } catch (error) {
      this.deps.log.warn(
        `Player: cannot open the script ${fileNameOf(source)}: ${error instanceof Error ? error.message : String(error)}`,
      );
      void this.deps.ui.current.showMessage(
        'warning',
        vscode.l10n.t('Cannot open the script {0}.', fileNameOf(source)),
        {},
      );
    }
  }

  /** One watcher per playing file, on its folder; a change reloads the audio, a deletion says so. */
  private watch(audioUri: vscode.Uri): void {
    this.watcher?.dispose();
    const folder = vscode.Uri.joinPath(audioUri, '..');
    // '*' and a URI comparison rather than the file name as a glob, which could hold glob characters.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '*'));
    const key = audioUri.toString();
    const take = this.take;
    const onEvent = (uri: vscode.Uri) => {
      if (uri.toString() === key) this.scheduleFileCheck(take);
    };
    watcher.onDidChange(onEvent);
    watcher.onDidCreate(onEvent);
    watcher.onDidDelete(onEvent);
    this.watcher = watcher;
  }

  private scheduleFileCheck(take: Take): void {
    this.cancelFileCheck();
    this.fileEventTimer = setTimeout(() => void this.onFileChanged(take), fileEventDelayMs);
  }

  private cancelFileCheck(): void {
    if (this.fileEventTimer) clearTimeout(this.fileEventTimer);
    this.fileEventTimer = undefined;
  }

  /** A file event of `take`: only acted on while `take` is still the one showing (events and stats are late). */
  private async onFileChanged(take: Take): Promise<void> {
    this.fileEventTimer = undefined;
    if (take !== this.take || this.isDisposed) return;
    const wasMissing = this.missing;
    const sequence = this.loadSequence;
    const sizeBefore = take.sizeBytes;
    const state = await fileStateOf(take, this.version, sizeBefore);
    if (take !== this.take || sequence !== this.loadSequence || this.isDisposed) return;
    this.applyFileState(take, state);
    if (this.missing) {
      if (!wasMissing) {
        this.deps.log.info(`Player: ${fileNameOf(take.audioUri)} was deleted.`);
        this.follower.clear();
        this.post({ type: 'missing', takeId: take.id });
      }
      return;
    }
    // The event may be our own write of this very file (the watcher starts as it is placed): reload only for news.
    if (!wasMissing && !state.changed) return;
    this.deps.log.info(`Player: ${fileNameOf(take.audioUri)} changed on disk; reloading.`);
    // The webview keeps its position, a start it has not reached yet, and whether it plays.
    this.post(this.loadMessage({ autoPlay: false, startMs: 0 }));
  }
}

interface FileState {
  missing: boolean;
  /** Newer or of another size than what the player last loaded. */
  changed: boolean;
  /** Versions the webview URI: the mtime, or one more than before, so a changed file is fetched again. */
  version: number;
  sizeBytes?: number;
}

/** Reads a take's file: existence, size and modification time. */
async function fileStateOf(take: Take, previousVersion: number, previousSize?: number): Promise<FileState> {
  try {
    const stat = await vscode.workspace.fs.stat(take.audioUri);
    const changed = stat.mtime > previousVersion || (previousSize !== undefined && stat.size !== previousSize);
    return {
      missing: false,
      changed,
      version: changed ? Math.max(stat.mtime, previousVersion + 1) : previousVersion,
      sizeBytes: stat.size,
    };
  } catch {
    return { missing: true, changed: true, version: previousVersion };
  }
}

/** The panel's title for a take. */
export function titleFor(take: Take): string {
  return vscode.l10n.t('Player: {0}', fileNameOf(take.audioUri));
}

/** Where and how a take starts, from what the caller asked for. */
export function requestFor(take: Take, options: ShowOptions): LoadRequest {
  const chunk = options.startChunk === undefined ? undefined : take.chunks[options.startChunk];
  return { autoPlay: options.autoPlay ?? false, startMs: chunk?.startMs ?? 0 };
}

function describe(message: unknown): string {
  try {
    return (JSON.stringify(message) ?? String(message)).slice(0, 200);
  } catch {
    return typeof message;
  }
}
